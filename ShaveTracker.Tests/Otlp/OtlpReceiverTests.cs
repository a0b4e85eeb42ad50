using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Account;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Features.Shaves.Trace;
using ShaveTracker.Web.WritePath;
using Microsoft.Extensions.DependencyInjection;
using RpcStatus = ShaveTracker.Web.Features.Otlp.Proto.Rpc.Status;

namespace ShaveTracker.Tests.Otlp;

/// <summary>
/// The OTLP receiver through the running app, fed by the real producers: Microsoft.Extensions.AI's instrumented chat
/// client exported by the OpenTelemetry SDK's OTLP exporter (HTTP protobuf here, gRPC in <see cref="OtlpGrpcTests"/>),
/// and hand-built exports for what other instrumentations send and for what must be refused.
/// </summary>
public sealed class OtlpReceiverTests(WebAppFixture app) : WebTest(app)
{
    private async Task<(Guid ShaveId, string Key)> ShaveAndKeyAsync()
    {
        var requester = await CreateLocalUserAsync("pat@example.test", "Pat Printer");
        var shaveId = await CreateShaveForAsync(requester, "The printer on level 3 prints blank pages", ShaveStatus.Processing);
        var key = await TestAdmin.CreateApiKeyAsync(App.Factory.Services, "otlp pipeline");
        return (shaveId, key.Key);
    }

    [Fact]
    public async Task A_Microsoft_Extensions_AI_pipeline_shows_its_step_model_calls_tools_failure_and_tokens_once_however_often_it_is_sent()
    {
        var (shaveId, key) = await ShaveAndKeyAsync();
        using var pipeline = new OtlpPipeline(OtlpPipeline.Settings(App.BaseAddress, key, "http/protobuf"));

        var answer = await pipeline.RunAsync(shaveId);
        // Shutdown, not ForceFlush: it returns once the exporter's thread has finished its last send.
        Assert.True(pipeline.Tracing.Shutdown(30_000), "The SDK's exporter could not deliver its spans.");

        Assert.Contains("out of toner", answer, StringComparison.Ordinal);
        await OtlpAssert.PipelineLandedAsync(Factory, shaveId);

        // What an admin opening the first model call in the trace reads.
        var admin = await TestAdmin.CreateAsync(Factory);
        await using (var db = await Factory.CreateDbContextAsync())
        {
            var first = await db.AiLogs.Where(l => l.ShaveId == shaveId).OrderBy(l => l.CreatedAt).Select(l => l.Id).FirstAsync();
            var opened = await App.Factory.Services.GetRequiredService<TraceService>().GetAiLogAsync(admin, shaveId, first, whole: false, default);
            Assert.Equal((1200, 85), (opened!.InputTokens, opened.OutputTokens));
        }

        // The exporter's retry: the same spans through the SDK's own exporter, twice more. Nothing is written again.
        var spans = pipeline.Ended.ToArray();
        using var exporter = new OtlpTraceExporter(new OtlpExporterOptions
        {
            Endpoint = new Uri(App.BaseAddress, "/v1/traces"),
            Protocol = OtlpExportProtocol.HttpProtobuf,
            Headers = $"{ApiKeyAuthenticationHandler.HeaderName}={key}",
        });
        Assert.Equal(ExportResult.Success, exporter.Export(new Batch<Activity>(spans, spans.Length)));
        Assert.Equal(ExportResult.Success, exporter.Export(new Batch<Activity>(spans, spans.Length)));
        await OtlpAssert.PipelineLandedAsync(Factory, shaveId);
    }

    [Fact]
    public async Task Spans_sent_one_export_each_as_they_end_wait_for_the_step_span_that_places_them_and_land_in_its_step()
    {
        var (shaveId, key) = await ShaveAndKeyAsync();
        // One span per export, in the order they end: the model calls and tools reach the app before the step span
        // that carries the shave id, as they do from any pipeline whose step lasts longer than the exporter's delay.
        using var pipeline = new OtlpPipeline(OtlpPipeline.Settings(App.BaseAddress, key, "http/protobuf"), exportEachSpanAsItEnds: true);

        await pipeline.RunAsync(shaveId);
        // Shutdown, not ForceFlush: it returns once the exporter's thread has finished its last send.
        Assert.True(pipeline.Tracing.Shutdown(30_000), "The SDK's exporter could not deliver its spans.");

        await OtlpAssert.PipelineLandedAsync(Factory, shaveId);
        await using var db = await Factory.CreateDbContextAsync();
        Assert.Empty(await db.OtelPendingSpans.ToListAsync());
    }

    [Fact]
    public async Task The_older_event_based_and_flattened_conventions_become_ai_logs_with_their_messages_and_tokens()
    {
        var (shaveId, key) = await ShaveAndKeyAsync();
        using var api = Api(key);
        var trace = Hex(16);
        var export = Export(
            [Attr("service.name", "legacy-pipeline"), Attr("shavetracker.shave.id", shaveId.ToString())],
            Span(trace, Hex(8), null, "openai.chat", 0, 1200,
                [Attr("gen_ai.system", "openai"), Attr("gen_ai.request.model", "gpt-3.5-turbo"), Int("gen_ai.usage.prompt_tokens", 31), Int("gen_ai.usage.completion_tokens", 9)],
                events:
                [
                    Event("gen_ai.system.message", [Attr("content", "You are a helpdesk assistant.")]),
                    Event("gen_ai.user.message", [Attr("content", "My printer prints blank pages.")]),
                    Event("gen_ai.choice", [Attr("message", """{"role":"assistant","content":"Check the toner."}"""), Attr("finish_reason", "stop")]),
                ]),
            Span(trace, Hex(8), null, "anthropic.chat", 2000, 2600,
                [Attr("llm.request.type", "chat"), Attr("gen_ai.request.model", "claude-3-5-sonnet"), Attr("gen_ai.response.model", "claude-3-5-sonnet-20241022"),
                 Attr("gen_ai.prompt.0.role", "user"), Attr("gen_ai.prompt.0.content", "Which floor is the printer on?"),
                 Attr("gen_ai.completion.0.role", "assistant"), Attr("gen_ai.completion.0.content", "Level 3."),
                 Int("gen_ai.usage.input_tokens", 12), Int("gen_ai.usage.output_tokens", 4)]));

        // Gzip, as exporters send it when compression is on.
        using var body = new MemoryStream();
        await using (var gzip = new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(export));
        }

        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await api.PostAsync("/v1/traces", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Everything written: no partial_success in the answer.
        Assert.False((await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("partialSuccess", out _));
        await using var db = await Factory.CreateDbContextAsync();
        var logs = await db.AiLogs.Where(l => l.ShaveId == shaveId).OrderBy(l => l.CreatedAt).ToListAsync();
        Assert.Equal(["gpt-3.5-turbo", "claude-3-5-sonnet-20241022"], logs.Select(l => l.ModelName));
        Assert.Contains("My printer prints blank pages.", logs[0].PromptText, StringComparison.Ordinal);
        Assert.Contains("You are a helpdesk assistant.", logs[0].PromptText, StringComparison.Ordinal);
        Assert.Contains("Check the toner.", logs[0].ResponseText, StringComparison.Ordinal);
        Assert.Equal(1200, logs[0].DurationMs);
        Assert.Contains("Which floor is the printer on?", logs[1].PromptText, StringComparison.Ordinal);
        Assert.Contains("Level 3.", logs[1].ResponseText, StringComparison.Ordinal);
        var usage = await db.AiLogUsages.ToDictionaryAsync(u => u.AiLogId);
        Assert.Equal((31, 9), (usage[logs[0].Id].InputTokens, usage[logs[0].Id].OutputTokens));
        Assert.Equal((12, 4), (usage[logs[1].Id].InputTokens, usage[logs[1].Id].OutputTokens));
    }

    [Fact]
    public async Task The_same_export_sent_four_times_at_once_writes_its_rows_once_and_every_send_succeeds()
    {
        var (shaveId, key) = await ShaveAndKeyAsync();
        using var api = Api(key);
        const int rounds = 5;
        for (var round = 0; round < rounds; round++)
        {
            // A model call and the tool call it asked for: all three tables written by the export, each racing itself.
            var trace = Hex(16);
            var chat = Hex(8);
            var callId = $"call_{round}";
            var export = Export([Attr("shavetracker.shave.id", shaveId.ToString())],
                Span(trace, chat, null, "chat gpt-4o", 0, 900,
                    [Attr("gen_ai.operation.name", "chat"), Attr("gen_ai.input.messages", """[{"role":"user","parts":[{"type":"text","content":"Blank pages"}]}]"""),
                     Attr("gen_ai.output.messages", $$"""[{"role":"assistant","parts":[{"type":"tool_call","id":"{{callId}}","name":"lookup_printer"}]}]"""),
                     Int("gen_ai.usage.input_tokens", 1200), Int("gen_ai.usage.output_tokens", 85)]),
                Span(trace, Hex(8), chat, "execute_tool lookup_printer", 1000, 1300,
                    [Attr("gen_ai.operation.name", "execute_tool"), Attr("gen_ai.tool.call.id", callId), Attr("gen_ai.tool.call.result", """{"toner":"empty"}""")]));

            var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                using var response = await api.PostAsync("/v1/traces", Json(export));
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            }));

            Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, false), (a.StatusCode, a.Body.Contains("partialSuccess", StringComparison.Ordinal))));
        }

        await using var db = await Factory.CreateDbContextAsync();
        var logs = await db.AiLogs.Where(l => l.ShaveId == shaveId).Select(l => l.Id).ToListAsync();
        var calls = await db.ToolCalls.Where(c => c.ShaveId == shaveId).ToListAsync();
        Assert.Equal(rounds, logs.Count);
        Assert.Equal(rounds, await db.AiLogUsages.CountAsync(u => u.ShaveId == shaveId));
        Assert.Equal(rounds, calls.Count);
        Assert.All(calls, c => Assert.Contains(c.AiLogId!.Value, logs));
    }

    [Fact]
    public async Task A_model_call_an_earlier_version_wrote_under_its_former_id_is_not_written_again_when_its_span_is_sent_again()
    {
        var (shaveId, key) = await ShaveAndKeyAsync();
        using var api = Api(key);
        var trace = Hex(16);
        var (sentBefore, sentNow) = (Hex(8), Hex(8));
        await using (var db = await Factory.CreateDbContextAsync())
        {
            // As versions before time-ordered ids wrote it: its id the hash of its trace and span id alone.
            db.AiLogs.Add(new AiLog
            {
                Id = SpanMapping.DerivedId(trace, sentBefore, "ai_log"), ShaveId = shaveId, ModelName = "gpt-4o", PromptText = "written before",
                CreatedAt = Epoch,
            });
            await db.SaveChangesAsync();
        }

        object Chat(string spanId, int startMs) => Span(trace, spanId, null, "chat gpt-4o", startMs, startMs + 900,
            [Attr("gen_ai.operation.name", "chat"), Attr("gen_ai.input.messages", """[{"role":"user","parts":[{"type":"text","content":"Blank pages"}]}]""")]);
        using var response = await api.PostAsync("/v1/traces", Json(Export([Attr("shavetracker.shave.id", shaveId.ToString())], Chat(sentBefore, 0), Chat(sentNow, 1000))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("partialSuccess", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var read = await Factory.CreateDbContextAsync();
        var logs = await read.AiLogs.Where(l => l.ShaveId == shaveId).OrderBy(l => l.CreatedAt).Select(l => new { l.Id, l.PromptText }).ToListAsync();
        Assert.Equal(2, logs.Count);
        Assert.Equal((SpanMapping.DerivedId(trace, sentBefore, "ai_log"), "written before"), (logs[0].Id, logs[0].PromptText));
        Assert.Equal(SpanMapping.OrderedId(trace, sentNow, "ai_log", Epoch.AddMilliseconds(1000)), logs[1].Id);
    }

    [Fact]
    public async Task Spans_naming_a_shave_that_does_not_exist_or_no_uuid_are_refused_in_partial_success_and_nothing_is_written()
    {
        var (shaveId, key) = await ShaveAndKeyAsync();
        using var api = Api(key);
        var unknown = Guid.NewGuid();
        var export = Export([Attr("service.name", "pipeline")],
            Span(Hex(16), Hex(8), null, "chat gpt-4o", 0, 10, [Attr("gen_ai.operation.name", "chat"), Attr("shavetracker.shave.id", unknown.ToString())]),
            Span(Hex(16), Hex(8), null, "chat gpt-4o", 0, 10, [Attr("gen_ai.operation.name", "chat"), Attr("shavetracker.shave.id", "shave-42")]),
            Span(Hex(16), Hex(8), null, "chat gpt-4o", 0, 10, [Attr("gen_ai.operation.name", "chat"), Attr("shavetracker.shave.id", shaveId.ToString())]));

        using var response = await api.PostAsync("/v1/traces", Json(export));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        var partial = answer.GetProperty("partialSuccess");
        Assert.Equal("2", partial.GetProperty("rejectedSpans").ToString());
        var reason = partial.GetProperty("errorMessage").GetString()!;
        Assert.Contains($"No shave has the id {unknown}", reason, StringComparison.Ordinal);
        Assert.Contains("'shave-42' is not a UUID", reason, StringComparison.Ordinal);
        await using var db = await Factory.CreateDbContextAsync();
        Assert.Equal([shaveId], await db.AiLogs.Select(l => l.ShaveId).ToListAsync());
        Assert.Empty(await db.OtelPendingSpans.ToListAsync());
    }

    [Fact]
    public async Task Without_credentials_with_a_body_that_is_not_OTLP_or_another_media_type_the_export_is_refused_with_a_status()
    {
        var (_, key) = await ShaveAndKeyAsync();
        using var anonymous = App.CreateClient();
        using (var response = await anonymous.PostAsync("/v1/traces", Json(Export([]))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var api = Api(key);
        // A length-delimited field that claims 127 bytes and ends after one.
        using var broken = new ByteArrayContent([0x0A, 0x7F, 0x0A]);
        broken.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using (var response = await api.PostAsync("/v1/traces", broken))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
            var status = RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(3, status.Code);
            Assert.Contains("not an OTLP protobuf trace export", status.Message, StringComparison.Ordinal);
        }

        using (var response = await api.PostAsync("/v1/traces", Json("{\"resourceSpans\": [")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("not an OTLP JSON trace export", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var text = new StringContent("spans", Encoding.UTF8, "text/plain");
        using (var response = await api.PostAsync("/v1/traces", text))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        }

        await using var db = await Factory.CreateDbContextAsync();
        Assert.Empty(await db.AiLogs.ToListAsync());
    }

    private HttpClient Api(string key)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        return client;
    }

    // ---- OTLP/JSON, as the specification writes it (hex ids, nanoseconds as strings) ----------------------------

    internal static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    internal static string Export(object[] resource, params object[] spans) => JsonSerializer.Serialize(new
    {
        resourceSpans = new[]
        {
            new { resource = new { attributes = resource }, scopeSpans = new[] { new { scope = new { name = "hand-built" }, spans } } },
        },
    });

    private static readonly DateTime Epoch = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    internal static object Span(string traceId, string spanId, string? parentSpanId, string name, int startMs, int endMs, object[] attributes,
        object[]? events = null, bool error = false) => new
    {
        traceId, spanId, parentSpanId = parentSpanId ?? "", name, kind = 3,
        startTimeUnixNano = Nanos(startMs), endTimeUnixNano = Nanos(endMs), attributes, events = events ?? [],
        status = new { code = error ? 2 : 0 },
    };

    internal static object Event(string name, object[] attributes) => new { name, timeUnixNano = Nanos(0), attributes };

    internal static object Attr(string key, string value) => new { key, value = new { stringValue = value } };

    internal static object Int(string key, long value) => new { key, value = new { intValue = value.ToString(System.Globalization.CultureInfo.InvariantCulture) } };

    private static string Nanos(int ms) =>
        ((Epoch.AddMilliseconds(ms) - DateTime.UnixEpoch).Ticks * 100).ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static string Hex(int bytes) => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(bytes));
}

/// <summary>The OTLP receiver over gRPC, and its body limit, each on an app of its own.</summary>
public sealed class OtlpGrpcTests
{
    [Fact]
    public async Task The_same_pipeline_exporting_over_OTLP_gRPC_lands_the_same_way()
    {
        await using var app = await IsolatedWebApp.StartAsync(http2Port: true);
        var (shaveId, key) = await ShaveAndKeyAsync(app);
        using var pipeline = new OtlpPipeline(OtlpPipeline.Settings(app.Http2Address!, key, "grpc"));

        await pipeline.RunAsync(shaveId);
        // Shutdown, not ForceFlush: it returns once the exporter's thread has finished its last send.
        Assert.True(pipeline.Tracing.Shutdown(30_000), "The SDK's exporter could not deliver its spans.");

        await OtlpAssert.PipelineLandedAsync(app.Database.Factory, shaveId);
    }

    [Fact]
    public async Task An_export_larger_than_the_body_limit_is_refused_with_413_and_nothing_is_written()
    {
        await using var app = await IsolatedWebApp.StartAsync(new Dictionary<string, string?> { ["Ingestion:MaxBodyBytes"] = "4096" });
        var (shaveId, key) = await ShaveAndKeyAsync(app);
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        var export = OtlpReceiverTests.Export([OtlpReceiverTests.Attr("shavetracker.shave.id", shaveId.ToString())],
            OtlpReceiverTests.Span(OtlpReceiverTests.Hex(16), OtlpReceiverTests.Hex(8), null, "chat gpt-4o", 0, 10,
                [OtlpReceiverTests.Attr("gen_ai.operation.name", "chat"), OtlpReceiverTests.Attr("gen_ai.input.messages", new string('x', 8000))]));

        using var response = await api.PostAsync("/v1/traces", OtlpReceiverTests.Json(export));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most 4,096 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = await app.Database.Factory.CreateDbContextAsync();
        Assert.Empty(await db.AiLogs.ToListAsync());
    }

    private static async Task<(Guid ShaveId, string Key)> ShaveAndKeyAsync(IsolatedWebApp app)
    {
        var requester = new User { Id = Ids.NewId(), AuthProvider = AuthProvider.Local, DisplayName = "Pat Printer", CreatedAt = DateTime.UtcNow };
        var video = new VideoFile { Id = Ids.NewId(), FileName = "recording.mp4", Duration = 95, CreatedAt = DateTime.UtcNow };
        var shave = new Shave
        {
            Id = Ids.NewId(), Title = "The printer on level 3 prints blank pages", VideoFileId = video.Id, RequesterId = requester.Id,
            ShaveStatus = ShaveStatus.Processing, WorkItemSource = "GitHub", CreatedAt = DateTime.UtcNow,
        };
        await using (var db = await app.Database.Factory.CreateDbContextAsync())
        {
            db.AddRange(requester, video, shave);
            await db.SaveChangesAsync();
        }

        return (shave.Id, (await TestAdmin.CreateApiKeyAsync(app.Services, "otlp pipeline")).Key);
    }
}

/// <summary>What the scripted pipeline of <see cref="OtlpPipeline"/> must leave in its shave, exactly once.</summary>
internal static class OtlpAssert
{
    public static async Task PipelineLandedAsync(Microsoft.EntityFrameworkCore.IDbContextFactory<ShaveTrackerDbContext> factory, Guid shaveId)
    {
        await using var db = await factory.CreateDbContextAsync();
        var step = Assert.Single(await db.ProcessSteps.Where(s => s.ShaveId == shaveId).ToListAsync());
        Assert.Equal(OtlpPipeline.StepName, step.StepName);
        Assert.Equal(ProcessStatus.Completed, step.ProcessStatus);
        Assert.NotNull(step.CompletedAt);

        var logs = await db.AiLogs.Where(l => l.ShaveId == shaveId).OrderBy(l => l.CreatedAt).ToListAsync();
        Assert.Equal(2, logs.Count);
        Assert.All(logs, l => Assert.Equal(OtlpPipeline.ResponseModel, l.ModelName));
        Assert.All(logs, l => Assert.Equal(step.Id, l.ProcessStepId));
        Assert.All(logs, l => Assert.NotNull(l.DurationMs));
        Assert.Contains("the printer on level 3 prints blank pages", logs[0].PromptText, StringComparison.Ordinal);
        Assert.Contains("You triage office IT problems", logs[0].PromptText, StringComparison.Ordinal);
        Assert.Contains(OtlpPipeline.LookupCallId, logs[0].ResponseText, StringComparison.Ordinal);
        Assert.Contains("out of toner", logs[1].ResponseText, StringComparison.Ordinal);

        var usage = await db.AiLogUsages.Where(u => logs.Select(l => l.Id).Contains(u.AiLogId)).ToDictionaryAsync(u => u.AiLogId);
        Assert.Equal((1200, 85), (usage[logs[0].Id].InputTokens, usage[logs[0].Id].OutputTokens));
        Assert.Equal((1500, 240), (usage[logs[1].Id].InputTokens, usage[logs[1].Id].OutputTokens));

        var calls = await db.ToolCalls.Where(c => c.ShaveId == shaveId).ToDictionaryAsync(c => c.ToolCallId);
        Assert.Equal(2, calls.Count);
        var lookup = calls[OtlpPipeline.LookupCallId];
        Assert.Equal("lookup_printer", lookup.ToolName);
        Assert.Equal(OtlpPipeline.ServiceName, lookup.ServiceName);
        Assert.True(lookup.Success);
        Assert.Contains("3", lookup.ArgsJson, StringComparison.Ordinal);
        Assert.Contains("empty", lookup.ResultJson, StringComparison.Ordinal);
        Assert.Equal(logs[0].Id, lookup.AiLogId);
        Assert.Equal(step.Id, lookup.ProcessStepId);
        var reset = calls[OtlpPipeline.ResetCallId];
        Assert.Equal("github__reset_queue", reset.ToolName);
        Assert.Equal("github", reset.ServiceName);
        Assert.False(reset.Success);
        Assert.Equal(logs[0].Id, reset.AiLogId);

        Assert.Single(await db.OtelTraces.Where(t => t.ShaveId == shaveId).ToListAsync());

        // Priced as an admin prices it (a price applies to the calls of its days, also those already in): the trace
        // shows each call's cost and the shave's, once however often the exporter sent them.
        if (!await db.ModelPrices.AnyAsync())
        {
            db.ModelPrices.Add(PipelineRecords.Price("gpt-4o*", 2.50, 10.00, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
            await db.SaveChangesAsync();
        }

        var trace = new TraceService(factory, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<TraceService>.Instance);
        var skeleton = (await trace.GetSkeletonAsync(new Web.Shared.Caller(Guid.NewGuid(), "Ada", IsStaff: false, IsAdmin: true), shaveId, default))!;
        // 1,200 × $2.50/M + 85 × $10/M + 1,500 × $2.50/M + 240 × $10/M = $0.01.
        Assert.Equal((2_700L, 325L, 0), (skeleton.InputTokens, skeleton.OutputTokens, skeleton.UnpricedAiLogs));
        Assert.Equal(0.01, skeleton.CostUsd!.Value, 9);
        Assert.Equal(0.00385, skeleton.FindRecord(logs[0].Id)!.CostUsd!.Value, 9);
    }
}
