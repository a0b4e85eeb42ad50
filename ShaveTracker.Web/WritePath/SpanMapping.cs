using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShaveTracker.Web.WritePath;

/// <summary>The attribute names a span is read by: ShaveTracker's own two, and the OpenTelemetry GenAI conventions.</summary>
public static class SpanAttributes
{
    public const string ShaveId = "shavetracker.shave.id";
    public const string StepName = "shavetracker.step.name";

    public const string Operation = "gen_ai.operation.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string InputMessages = "gen_ai.input.messages";
    public const string OutputMessages = "gen_ai.output.messages";
    public const string SystemInstructions = "gen_ai.system_instructions";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string ToolCallId = "gen_ai.tool.call.id";
    public const string ToolName = "gen_ai.tool.name";
    public const string ToolArguments = "gen_ai.tool.call.arguments";
    public const string ToolResult = "gen_ai.tool.call.result";
    public const string ServerAddress = "server.address";
    public const string ServiceName = "service.name";

    // Older conventions, still emitted by many instrumentations.
    public const string PromptTokens = "gen_ai.usage.prompt_tokens";
    public const string CompletionTokens = "gen_ai.usage.completion_tokens";
    public const string LegacyRequestType = "llm.request.type";
    public const string LegacyPrompt = "gen_ai.prompt";
    public const string LegacyCompletion = "gen_ai.completion";
    public const string EventContent = "gen_ai.event.content";

    public const string ExceptionEvent = "exception";
    public const string ExceptionMessage = "exception.message";
    public const string ExceptionType = "exception.type";
}

/// <summary>What a span is to a shave.</summary>
public enum SpanRole
{
    /// <summary>A span that only connects others (an agent run, an HTTP call): it places its descendants, nothing more.</summary>
    Structure,

    /// <summary>Carries <see cref="SpanAttributes.StepName"/>: a process step.</summary>
    Step,

    /// <summary>A model call (chat, text_completion, generate_content, or the older event-based form): an AI log.</summary>
    Inference,

    /// <summary>An <c>execute_tool</c> span: a tool call.</summary>
    Tool,
}

/// <summary>
/// How spans become a shave's rows (pure: no database). The ids of the rows are derived from the trace id and span
/// id, so an exporter that sends a batch again writes nothing twice. See docs/architecture.md, "Traces in".
/// </summary>
public static class SpanMapping
{
    private static readonly string[] InferenceOperations = ["chat", "text_completion", "generate_content"];

    private static readonly Dictionary<string, string> MessageEvents = new(StringComparer.Ordinal)
    {
        ["gen_ai.system.message"] = "system",
        ["gen_ai.user.message"] = "user",
        ["gen_ai.assistant.message"] = "assistant",
        ["gen_ai.tool.message"] = "tool",
    };

    public static SpanRole RoleOf(SpanReport span)
    {
        ArgumentNullException.ThrowIfNull(span);
        if (span.Attributes.ContainsKey(SpanAttributes.StepName))
        {
            return SpanRole.Step;
        }

        var operation = span.Attributes.GetValueOrDefault(SpanAttributes.Operation);
        if (operation == "execute_tool" || (operation is null && span.Name.StartsWith("execute_tool ", StringComparison.Ordinal)))
        {
            return SpanRole.Tool;
        }

        if (operation is not null)
        {
            return InferenceOperations.Contains(operation) ? SpanRole.Inference : SpanRole.Structure;
        }

        // No operation name: an older instrumentation, recognised by a request type, messages as events or prompts.
        var legacyType = span.Attributes.GetValueOrDefault(SpanAttributes.LegacyRequestType);
        return legacyType is "chat" or "completion" ||
               span.Events.Any(e => MessageEvents.ContainsKey(e.Name) || e.Name is "gen_ai.choice" or "gen_ai.content.prompt") ||
               (span.Attributes.ContainsKey(SpanAttributes.RequestModel) && span.Attributes.Keys.Any(k => k.StartsWith("gen_ai.prompt.", StringComparison.Ordinal)))
            ? SpanRole.Inference
            : SpanRole.Structure;
    }

    /// <summary>
    /// A stable id for what a span becomes (<paramref name="purpose"/>: step, ai_log, tool_call). Steps keep this id:
    /// a span whose step span is in another export names its step by it, without knowing when that step started. AI
    /// logs written by earlier versions have it too (<see cref="OrderedId"/> replaced it for them).
    /// </summary>
    public static Guid DerivedId(string traceId, string spanId, string purpose)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(traceId, spanId, purpose, hash);
        // RFC 9562 version 8 (custom), variant 10: a valid UUID that says it is not random.
        hash[7] = (byte)((hash[7] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16]);
    }

    /// <summary>
    /// A stable id for the AI log or tool call a span becomes that sorts by when the span started: its first 48 bits
    /// are the start in Unix milliseconds (as in a version 7 UUID), the rest the span's hash as in
    /// <see cref="DerivedId"/>. New rows then go to the end of their primary key and of every index keyed by the id,
    /// a few pages an export, rather than to a random page each (hundreds of pages an export to write, log and
    /// checkpoint, once the tables are larger than SQLite's cache).
    /// </summary>
    public static Guid OrderedId(string traceId, string spanId, string purpose, DateTime startedAt)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(traceId, spanId, purpose, hash);
        var ms = (ulong)Math.Clamp(new DateTimeOffset(DateTime.SpecifyKind(startedAt, DateTimeKind.Utc)).ToUnixTimeMilliseconds(), 0, 0xFFFF_FFFF_FFFF);
        for (var i = 0; i < 6; i++)
        {
            hash[i] = (byte)(ms >> (8 * (5 - i)));
        }

        // Version 8 (custom: the bits after the time are a hash, not random), variant 10; read big-endian, so the text
        // EF stores on SQLite begins with the time. (SQL Server orders a uniqueidentifier by its last bytes first: there
        // the id falls where a random one would, as before.)
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    private static void Hash(string traceId, string spanId, string purpose, Span<byte> hash)
    {
        Span<byte> text = stackalloc byte[256];
        var written = Encoding.UTF8.TryGetBytes($"otlp:{traceId}:{spanId}:{purpose}", text, out var n);
        SHA256.HashData(written ? text[..n] : Encoding.UTF8.GetBytes($"otlp:{traceId}:{spanId}:{purpose}"), hash);
    }

    /// <summary>
    /// The shave of every span of the batch, or why none: the span's own <see cref="SpanAttributes.ShaveId"/>, else
    /// its nearest ancestor's in the batch, else its resource's, else any span's of its trace in the batch, else the
    /// shave the trace was placed in earlier (<paramref name="earlier"/>).
    /// </summary>
    public static Dictionary<SpanReport, (Guid? ShaveId, string? Problem)> Place(IReadOnlyList<SpanReport> spans, IReadOnlyDictionary<string, Guid> earlier)
    {
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(earlier);
        var byId = Index(spans);
        var byTrace = new Dictionary<string, (Guid? Id, string? Problem)>(StringComparer.Ordinal);
        foreach (var span in spans)
        {
            if (!byTrace.ContainsKey(span.TraceId) && Named(span.Attributes) is { } named)
            {
                byTrace[span.TraceId] = named;
            }
        }

        var placed = new Dictionary<SpanReport, (Guid?, string?)>(ReferenceEqualityComparer.Instance);
        foreach (var span in spans)
        {
            var found = Ancestry(span, byId).Select(s => Named(s.Attributes)).FirstOrDefault(n => n is not null) ?? Named(span.Resource);
            if (found is null && byTrace.TryGetValue(span.TraceId, out var inTrace))
            {
                found = inTrace;
            }

            if (found is null && earlier.TryGetValue(span.TraceId, out var shave))
            {
                found = (shave, null);
            }

            placed[span] = found ?? (null, NotPlaced);
        }

        return placed;
    }

    /// <summary>The nearest ancestor-or-self step span in the batch, if any (the step the span belongs to).</summary>
    public static SpanReport? StepOf(SpanReport span, IReadOnlyDictionary<(string, string), SpanReport> byId) =>
        Ancestry(span, byId).FirstOrDefault(s => s.Attributes.ContainsKey(SpanAttributes.StepName));

    /// <summary>
    /// The id of the step the span belongs to: its nearest step ancestor's in the batch, else (when its ancestry leaves
    /// the batch) the step its first ancestor outside the batch would be, if that was a step written earlier. The
    /// write path keeps the id only if that step exists.
    /// </summary>
    public static Guid? StepIdOf(SpanReport span, IReadOnlyDictionary<(string, string), SpanReport> byId)
    {
        ArgumentNullException.ThrowIfNull(span);
        if (StepOf(span, byId) is { } step)
        {
            return DerivedId(step.TraceId, step.SpanId, "step");
        }

        var top = Ancestry(span, byId).Last();
        return top.ParentSpanId is { } outside && !byId.ContainsKey((top.TraceId, outside)) ? DerivedId(span.TraceId, outside, "step") : null;
    }

    public static Dictionary<(string, string), SpanReport> Index(IReadOnlyList<SpanReport> spans)
    {
        var byId = new Dictionary<(string, string), SpanReport>();
        foreach (var span in spans)
        {
            byId.TryAdd((span.TraceId, span.SpanId), span);
        }

        return byId;
    }

    /// <summary>The span, its parent, its parent's parent... as far as the batch holds them (a cycle ends the walk).</summary>
    private static IEnumerable<SpanReport> Ancestry(SpanReport span, IReadOnlyDictionary<(string, string), SpanReport> byId)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var current = span; current is not null && seen.Add(current.SpanId);
             current = current.ParentSpanId is { } parent ? byId.GetValueOrDefault((current.TraceId, parent)) : null)
        {
            yield return current;
        }
    }

    public const string NotPlaced = $"No {SpanAttributes.ShaveId} on the span, its ancestors in this export, its resource or its trace: " +
        "put the shave id on the resource, or on the span that starts the shave's work and export that span with (or before) the others.";

    private static (Guid? Id, string? Problem)? Named(IReadOnlyDictionary<string, string> attributes) =>
        attributes.TryGetValue(SpanAttributes.ShaveId, out var value)
            ? Guid.TryParse(value, out var id) ? (id, null) : (null, $"{SpanAttributes.ShaveId} '{Shorten(value)}' is not a UUID.")
            : null;

    // ---- Rows ------------------------------------------------------------------------------------------------

    /// <summary>The step a step span reports: failed (with its status message or exception) when its status is Error.</summary>
    public static StepReport Step(SpanReport span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return new StepReport(span.Attributes[SpanAttributes.StepName], span.Failed ? "failed" : "completed", span.StartedAt, span.EndedAt,
            span.Failed ? ErrorOf(span) : null);
    }

    /// <summary>The AI log an inference span reports, with the tokens it used (null when not said).</summary>
    public static AiLogReport AiLog(SpanReport span, Guid? stepId)
    {
        ArgumentNullException.ThrowIfNull(span);
        var a = span.Attributes;
        var model = a.GetValueOrDefault(SpanAttributes.ResponseModel) ?? a.GetValueOrDefault(SpanAttributes.RequestModel) ?? ModelFromName(span.Name) ?? "unknown";
        return new AiLogReport(OrderedId(span.TraceId, span.SpanId, "ai_log", span.StartedAt), stepId, model, Prompt(span), Response(span), DurationMs(span), span.StartedAt,
            Tokens(a, SpanAttributes.InputTokens, SpanAttributes.PromptTokens), Tokens(a, SpanAttributes.OutputTokens, SpanAttributes.CompletionTokens));
    }

    /// <summary>
    /// The tool call an execute_tool span reports. The service is the MCP server the span names (its
    /// <c>server.address</c>), else the prefix of a <c>server__tool</c> name, else the reporting service. Its arguments
    /// and result come apart, as the text they are stored as (<see cref="ToolCallTexts"/>): the report carries none.
    /// </summary>
    public static ToolCallReport ToolCall(SpanReport span, Guid? stepId, Guid? aiLogId)
    {
        ArgumentNullException.ThrowIfNull(span);
        var a = span.Attributes;
        var name = a.GetValueOrDefault(SpanAttributes.ToolName)
            ?? (span.Name.StartsWith("execute_tool ", StringComparison.Ordinal) ? span.Name["execute_tool ".Length..] : span.Name);
        var service = a.GetValueOrDefault(SpanAttributes.ServerAddress)
            ?? (name.IndexOf("__", StringComparison.Ordinal) is > 0 and var at ? name[..at] : null)
            ?? span.Resource.GetValueOrDefault(SpanAttributes.ServiceName)
            ?? "unknown";
        return new ToolCallReport(OrderedId(span.TraceId, span.SpanId, "tool_call", span.StartedAt), stepId, aiLogId,
            a.GetValueOrDefault(SpanAttributes.ToolCallId) ?? span.SpanId, name, service, Args: null, Result: null,
            !span.Failed, DurationMs(span), span.StartedAt);
    }

    /// <summary>
    /// A tool call's arguments and result (or, for a failed call without one, its error) as stored: the attribute's own
    /// string, not parsed and written again. JSON with whitespace around it loses that whitespace, as a JSON value
    /// sent to /api/v1 is stored; any other text is stored as it is.
    /// </summary>
    public static (string? Args, string? Result) ToolCallTexts(SpanReport span)
    {
        ArgumentNullException.ThrowIfNull(span);
        var a = span.Attributes;
        return (Stored(a.GetValueOrDefault(SpanAttributes.ToolArguments)),
            Stored(span.Failed && !a.ContainsKey(SpanAttributes.ToolResult) ? ErrorOf(span) : a.GetValueOrDefault(SpanAttributes.ToolResult)));
    }

    /// <summary>The tool call ids a model's response asked for (GenAI <c>tool_call</c> parts, OpenAI <c>tool_calls</c>).</summary>
    public static IEnumerable<string> RequestedToolCalls(string? response)
    {
        if (string.IsNullOrWhiteSpace(response) || !response.Contains("tool_call", StringComparison.Ordinal))
        {
            return [];
        }

        try
        {
            // Read in place (pooled memory), not built into objects: only the ids are kept.
            var ids = new List<string>();
            using var document = JsonDocument.Parse(response);
            Collect(document.RootElement, ids);
            return ids;
        }
        catch (JsonException)
        {
            return [];
        }

        static void Collect(JsonElement element, List<string> ids)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item, ids);
                    }

                    break;
                case JsonValueKind.Object:
                    if (element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String &&
                        (type.ValueEquals("tool_call") || type.ValueEquals("function")) &&
                        element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                    {
                        ids.Add(id.GetString()!);
                    }

                    foreach (var property in element.EnumerateObject())
                    {
                        Collect(property.Value, ids);
                    }

                    break;
            }
        }
    }

    private static string? Prompt(SpanReport span)
    {
        var a = span.Attributes;
        if (a.TryGetValue(SpanAttributes.InputMessages, out var input))
        {
            // The instructions travel apart from the messages in the current conventions: put them back in front, as
            // the system message they are, so that the prompt reads as the model received it. Both go in as sent, into
            // one new string, not parsed into objects and written out again.
            return a.TryGetValue(SpanAttributes.SystemInstructions, out var instructions) && JsonArrayOf(input) is not null &&
                   JsonArrayOf(instructions) is not null
                ? WithInstructions(input, instructions)
                : input;
        }

        var fromEvents = span.Events.Where(e => MessageEvents.ContainsKey(e.Name))
            .Select(e => (JsonNode)new JsonObject { ["role"] = MessageEvents[e.Name], ["content"] = EventText(e) })
            .ToArray();
        if (fromEvents.Length > 0)
        {
            return new JsonArray(fromEvents).ToJsonString();
        }

        return span.Events.FirstOrDefault(e => e.Name == "gen_ai.content.prompt")?.Attributes.GetValueOrDefault(SpanAttributes.LegacyPrompt)
            ?? Flattened(a, SpanAttributes.LegacyPrompt);
    }

    /// <summary><c>[{"role":"system","parts":instructions}, messages...]</c> from two JSON arrays' texts.</summary>
    private static string WithInstructions(string messages, string instructions)
    {
        var rest = messages.AsSpan().Trim(JsonWhitespace)[1..].TrimStart(JsonWhitespace);
        return string.Concat("""[{"role":"system","parts":""", instructions.AsSpan().Trim(JsonWhitespace), rest.StartsWith(']') ? "}" : "},", rest);
    }

    private static string? Response(SpanReport span)
    {
        var a = span.Attributes;
        if (a.TryGetValue(SpanAttributes.OutputMessages, out var output))
        {
            return output;
        }

        var choices = span.Events.Where(e => e.Name == "gen_ai.choice")
            .Select(e => e.Attributes.GetValueOrDefault("message") is { } message && JsonNodeOf(message) is { } parsed
                ? parsed
                : (JsonNode)new JsonObject { ["role"] = "assistant", ["content"] = EventText(e) })
            .ToArray();
        if (choices.Length > 0)
        {
            return new JsonArray(choices).ToJsonString();
        }

        return span.Events.FirstOrDefault(e => e.Name == "gen_ai.content.completion")?.Attributes.GetValueOrDefault(SpanAttributes.LegacyCompletion)
            ?? Flattened(a, SpanAttributes.LegacyCompletion);
    }

    /// <summary>A message event's text: its <c>content</c>, or the content inside the older JSON body attribute.</summary>
    private static string? EventText(SpanEventReport e)
    {
        if (e.Attributes.TryGetValue("content", out var content))
        {
            return content;
        }

        if (e.Attributes.TryGetValue(SpanAttributes.EventContent, out var body))
        {
            return JsonNodeOf(body) is JsonObject obj && obj["content"] is JsonValue value && value.GetValueKind() == JsonValueKind.String
                ? value.GetValue<string>()
                : body;
        }

        return null;
    }

    /// <summary>OpenLLMetry's flattened form: <c>gen_ai.prompt.0.role</c>, <c>gen_ai.prompt.0.content</c>, ...</summary>
    private static string? Flattened(IReadOnlyDictionary<string, string> a, string prefix)
    {
        var messages = new JsonArray();
        for (var i = 0; a.ContainsKey($"{prefix}.{i}.content") || a.ContainsKey($"{prefix}.{i}.role"); i++)
        {
            messages.Add(new JsonObject { ["role"] = a.GetValueOrDefault($"{prefix}.{i}.role"), ["content"] = a.GetValueOrDefault($"{prefix}.{i}.content") });
        }

        return messages.Count > 0 ? messages.ToJsonString() : null;
    }

    /// <summary>The status message, else the exception event's type and message, else a plain "failed".</summary>
    private static string ErrorOf(SpanReport span)
    {
        if (!string.IsNullOrWhiteSpace(span.StatusMessage))
        {
            return span.StatusMessage;
        }

        var exception = span.Events.FirstOrDefault(e => e.Name == SpanAttributes.ExceptionEvent);
        var message = exception?.Attributes.GetValueOrDefault(SpanAttributes.ExceptionMessage);
        var type = exception?.Attributes.GetValueOrDefault(SpanAttributes.ExceptionType);
        return (type, message) switch
        {
            (not null, not null) => $"{type}: {message}",
            (null, not null) => message,
            (not null, null) => type,
            _ => "The span ended with an error status and no message.",
        };
    }

    private static int? DurationMs(SpanReport span) =>
        span.EndedAt >= span.StartedAt ? (int)Math.Min(int.MaxValue, (span.EndedAt - span.StartedAt).TotalMilliseconds) : null;

    private static int? Tokens(IReadOnlyDictionary<string, string> a, string name, string older) =>
        (a.GetValueOrDefault(name) ?? a.GetValueOrDefault(older)) is { } text &&
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? (int)Math.Min(n, int.MaxValue)
            : null;

    /// <summary>"chat gpt-4o" names its model when the attributes do not.</summary>
    private static string? ModelFromName(string name) =>
        name.IndexOf(' ', StringComparison.Ordinal) is > 0 and var at && at < name.Length - 1 ? name[(at + 1)..] : null;

    private static string? Stored(string? text)
    {
        if (text is null)
        {
            return null;
        }

        // Only text with whitespace around it is parsed: the JSON's own text is the same string without it.
        var trimmed = text.AsSpan().Trim(JsonWhitespace);
        return trimmed.Length != text.Length && JsonNodeOf(text) is not null ? trimmed.ToString() : text;
    }

    private const string JsonWhitespace = " \t\r\n";

    private static JsonNode? JsonNodeOf(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsEmpty || (trimmed[0] != '{' && trimmed[0] != '['))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonArray? JsonArrayOf(string text) => JsonNodeOf(text) as JsonArray;

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
