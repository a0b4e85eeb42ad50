using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ShaveTracker.Tests.Otlp;

/// <summary>
/// A shave's pipeline as a team writes it with Microsoft.Extensions.AI: a step span of its own that names the shave,
/// and inside it a chat client with function invocation and OpenTelemetry (sensitive data on), over a scripted model
/// that first asks for two tools (one of which throws) and then answers. Its spans go out through the OpenTelemetry
/// SDK's own OTLP exporter, configured only by the standard OTEL_EXPORTER_OTLP_* settings.
/// </summary>
public sealed class OtlpPipeline : IDisposable
{
    public const string Model = "gpt-4o";
    public const string ResponseModel = "gpt-4o-2024-08-06";
    public const string StepName = "executing_task";
    public const string ServiceName = "printer-triage";
    public const string LookupCallId = "call_lookup_1";
    public const string ResetCallId = "call_reset_1";

    private readonly ServiceProvider _services;
    private readonly string _sourceName = $"printer-triage-{Guid.NewGuid():N}";
    private readonly ActivitySource _source;
    private readonly List<Activity> _ended = [];

    /// <param name="settings">The exporter's settings: OTEL_EXPORTER_OTLP_ENDPOINT, _HEADERS, _PROTOCOL.</param>
    /// <param name="exportEachSpanAsItEnds">
    /// The SDK's simple processor: every span is sent on its own the moment it ends, so the spans inside the step
    /// reach the app before the step span (the batch processor does the same whenever a step outlasts its delay).
    /// </param>
    public OtlpPipeline(IDictionary<string, string?> settings, bool exportEachSpanAsItEnds = false)
    {
        _source = new ActivitySource(_sourceName);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithTracing(t => t.AddSource(_sourceName).AddProcessor(new Recorder(_ended)).AddOtlpExporter(o =>
            {
                if (exportEachSpanAsItEnds)
                {
                    o.ExportProcessorType = ExportProcessorType.Simple;
                }
            }));
        _services = services.BuildServiceProvider();
        Tracing = _services.GetRequiredService<TracerProvider>();
    }

    public TracerProvider Tracing { get; }

    /// <summary>The spans the pipeline ended, as the SDK handed them to its exporter (for sending them again).</summary>
    public IReadOnlyList<Activity> Ended
    {
        get
        {
            lock (_ended)
            {
                return [.. _ended];
            }
        }
    }

    /// <summary>Runs the step for the shave; returns the model's final answer.</summary>
    public async Task<string> RunAsync(Guid shaveId)
    {
        using var model = new ScriptedModel();
        using var chat = new ChatClientBuilder(model)
            .UseFunctionInvocation()
            .UseOpenTelemetry(sourceName: _sourceName, configure: c => c.EnableSensitiveData = true)
            .Build();
        var lookup = AIFunctionFactory.Create((int floor) => new { printer = $"HP LaserJet level {floor}", toner = "empty" }, "lookup_printer",
            "Looks up the printer on a floor.");
        var reset = AIFunctionFactory.Create(string (string queue) => throw new InvalidOperationException($"Queue {queue} is locked by another job."),
            "github__reset_queue", "Resets a print queue.");

        using var step = _source.StartActivity(StepName) ?? throw new InvalidOperationException("The tracer provider does not listen to the pipeline's source.");
        step.SetTag("shavetracker.shave.id", shaveId.ToString());
        step.SetTag("shavetracker.step.name", StepName);
        var response = await chat.GetResponseAsync(
            [
                new ChatMessage(ChatRole.System, "You triage office IT problems from a screen recording's transcript."),
                new ChatMessage(ChatRole.User, "Transcript: the printer on level 3 prints blank pages."),
            ],
            new ChatOptions { ModelId = Model, Tools = [lookup, reset] });
        return response.Text;
    }

    public void Dispose()
    {
        _services.Dispose();
        _source.Dispose();
    }

    /// <summary>Keeps every ended span (it runs before the exporter's processor).</summary>
    private sealed class Recorder(List<Activity> ended) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            lock (ended)
            {
                ended.Add(data);
            }
        }
    }

    /// <summary>The model: asks for both tools, then answers with what it found. Token counts as a provider reports them.</summary>
    private sealed class ScriptedModel : IChatClient
    {
        private int _turn;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var turn = Interlocked.Increment(ref _turn);
            var response = turn == 1
                ? new ChatResponse(new ChatMessage(ChatRole.Assistant,
                [
                    new FunctionCallContent(LookupCallId, "lookup_printer", new Dictionary<string, object?> { ["floor"] = 3 }),
                    new FunctionCallContent(ResetCallId, "github__reset_queue", new Dictionary<string, object?> { ["queue"] = "level-3" }),
                ]))
                {
                    FinishReason = ChatFinishReason.ToolCalls,
                    Usage = new UsageDetails { InputTokenCount = 1200, OutputTokenCount = 85 },
                }
                : new ChatResponse(new ChatMessage(ChatRole.Assistant, "The level 3 printer is out of toner; its queue could not be reset."))
                {
                    FinishReason = ChatFinishReason.Stop,
                    Usage = new UsageDetails { InputTokenCount = 1500, OutputTokenCount = 240 },
                };
            response.ModelId = ResponseModel;
            return Task.FromResult(response);
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The pipeline under test does not stream.");

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("openai", new Uri("https://api.openai.com/v1"), Model)
            : serviceType.IsInstanceOfType(this) ? this
            : null;

        public void Dispose()
        {
        }
    }

    /// <summary>The exporter's settings for an app at <paramref name="endpoint"/> with an API key.</summary>
    public static Dictionary<string, string?> Settings(Uri endpoint, string apiKey, string protocol) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_HEADERS"] = $"X-Api-Key={apiKey}",
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
    };
}
