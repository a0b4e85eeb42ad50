using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Shaves.Trace;
using static ShaveTracker.Tests.Shaves.Trace.TraceTestData;

namespace ShaveTracker.Tests.Shaves.Trace;

public sealed class TraceServiceTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    private const string GitHubToken = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";

    private readonly CommandRecorder _recorder = new();

    private TraceService Service(DateTime? now = null) =>
        new(new RecordingFactory(Database.ConnectionString, _recorder), new FakeTimeProvider(new DateTimeOffset(now ?? Start.AddHours(1), TimeSpan.Zero)), NullLogger<TraceService>.Instance);

    [Fact]
    public async Task Skeleton_is_one_query_per_table_and_never_reads_a_payload_column()
    {
        var admin = await CreateUserAsync("Ada");
        var shave = await CreateShaveAsync(createdAt: Start);
        var step = Step(shave, "executing_task", ProcessStatus.Completed, 1, 60);
        var log = Log(shave, step, 2, prompt: "secret prompt", response: "secret response");
        await InsertAsync(step, log, Call(shave, step, log, 5));
        _recorder.Clear();

        var skeleton = await Service().GetSkeletonAsync(Admin(admin), shave.Id, default);

        Assert.NotNull(skeleton);
        var commands = _recorder.Commands;
        // The model prices (a few rows, to cost the tokens), the shave's header with its number of tool calls, then
        // process_steps, ai_logs (with their tokens) and tool_calls: one query each.
        Assert.Equal(5, commands.Count);
        Assert.Contains("FROM \"model_prices\"", commands[0], StringComparison.Ordinal);
        Assert.Contains("FROM \"shaves\"", commands[1], StringComparison.Ordinal);
        Assert.Contains("FROM \"process_steps\"", commands[2], StringComparison.Ordinal);
        Assert.Contains("FROM \"ai_logs\"", commands[3], StringComparison.Ordinal);
        Assert.Contains("LEFT JOIN \"ai_log_usage\"", commands[3], StringComparison.Ordinal);
        Assert.Contains("FROM \"tool_calls\"", commands[4], StringComparison.Ordinal);
        Assert.All(commands, sql => Assert.All(PayloadColumns, column => Assert.DoesNotContain(column, sql, StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_trace_query_is_valid_sql_server_sql_and_the_skeleton_selects_no_payload()
    {
        using var db = SqlServerScript.CreateContext();
        var shaveId = Guid.NewGuid();
        var recordId = Guid.NewGuid();
        var skeleton = new[]
        {
            TraceService.HeaderAndSizeQuery(db, shaveId).ToQueryString(),
            TraceService.StepsQuery(db, shaveId).ToQueryString(),
            TraceService.AiLogsQuery(db, shaveId).ToQueryString(),
            TraceService.ToolCallsQuery(db, shaveId).ToQueryString(),
        };
        var opened = new[]
        {
            TraceService.AiLogDetailQuery(db, shaveId, recordId, TraceService.PreviewChars + TraceService.MaskingMargin).ToQueryString(),
            TraceService.AiLogDetailQuery(db, shaveId, recordId, null).ToQueryString(),
            TraceService.ToolCallDetailQuery(db, shaveId, recordId, TraceService.PreviewChars + TraceService.MaskingMargin).ToQueryString(),
            TraceService.ToolCallDetailQuery(db, shaveId, recordId, null).ToQueryString(),
            TraceService.ExportShaveQuery(db, shaveId).ToQueryString(),
            TraceService.ExportAiLogsQuery(db, shaveId).ToQueryString(),
            TraceService.ExportToolCallsQuery(db, shaveId).ToQueryString(),
            TraceService.ExportTranscriptsQuery(db, shaveId).ToQueryString(),
            TraceService.ExportUsageQuery(db, shaveId).ToQueryString(),
        }.Concat(Enum.GetValues<TracePayloadPart>().Select(p => TraceService.PayloadQuery(db, shaveId, recordId, p).ToQueryString()));

        foreach (var sql in skeleton.Concat(opened))
        {
            SqlServerScript.AssertParses(sql);
        }

        Assert.All(skeleton, sql => Assert.All(PayloadColumns, column => Assert.DoesNotContain(column, sql, StringComparison.Ordinal)));
        // The preview reads a bounded prefix of each payload, not the whole value.
        Assert.Contains("SUBSTRING([a].[prompt_text], 0 + 1, @n)", opened.First(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tool_calls_sit_under_the_ai_log_that_issued_them_and_records_without_a_step_are_grouped_last()
    {
        var admin = await CreateUserAsync("Ada");
        var shave = await CreateShaveAsync(createdAt: Start);
        var analyse = Step(shave, "analyzing_transcript", ProcessStatus.Completed, 1, 20);
        var execute = Step(shave, "executing_task", ProcessStatus.Failed, 21, 60, "MCP tool create_issue returned 422");
        var l1 = Log(shave, analyse, 2);
        var l2 = Log(shave, execute, 22, model: "claude-sonnet-4");
        var l3 = Log(shave, null, 30, model: "gpt-4.1-mini");
        var c1 = Call(shave, analyse, l1, 4, "search_issues");
        var c2 = Call(shave, analyse, null, 3, "list_labels");
        // Reported under the first step, issued by a model call of the second: it follows its AI log.
        var c3 = Call(shave, analyse, l2, 25, "create_issue", success: false);
        var c4 = Call(shave, null, null, 31, "get_rate_limit");
        var c5 = Call(shave, null, l1, 3.5, "get_issue");
        await InsertAsync(analyse, execute, l1, l2, l3, c1, c2, c3, c4, c5);

        var skeleton = (await Service().GetSkeletonAsync(Admin(admin), shave.Id, default))!;

        Assert.Equal([analyse.Id, execute.Id, Guid.Empty], skeleton.Groups.Select(g => g.Key));
        var first = skeleton.Groups[0];
        // In time order: the AI log at 2 s, then the tool call that no model issued at 3 s.
        Assert.Equal([l1.Id, c2.Id], first.Nodes.Select(n => n.Record.Id));
        Assert.Equal([c5.Id, c1.Id], first.Nodes.Single(n => n.Record.Id == l1.Id).ToolCalls.Select(c => c.Id));
        var second = skeleton.Groups[1];
        Assert.Equal("MCP tool create_issue returned 422", second.Step!.ErrorMessage);
        var issuer = Assert.Single(second.Nodes);
        Assert.Equal(l2.Id, issuer.Record.Id);
        Assert.Equal(c3.Id, Assert.Single(issuer.ToolCalls).Id);
        Assert.Equal(1, issuer.FailedToolCalls);
        var unattached = skeleton.Groups[2];
        Assert.Null(unattached.Step);
        Assert.Equal([l3.Id, c4.Id], unattached.Nodes.Select(n => n.Record.Id));
        Assert.Equal((3, 5, 1), (skeleton.AiLogCount, skeleton.ToolCallCount, skeleton.FailedToolCallCount));
        Assert.Equal("create_issue@github", skeleton.FindRecord(c3.Id)!.Label);
    }

    [Fact]
    public async Task A_running_step_is_drawn_to_now_and_the_axis_reaches_it()
    {
        var admin = await CreateUserAsync("Ada");
        var shave = await CreateShaveAsync(createdAt: Start, status: ShaveStatus.Processing);
        var done = Step(shave, "transcribing", ProcessStatus.Completed, 1, 30);
        var running = Step(shave, "executing_task", ProcessStatus.InProgress, 31, null);
        var later = Step(shave, "updating_metadata", ProcessStatus.NotStarted, 31.001, null);
        await InsertAsync(done, running, later);
        var now = Start.AddMinutes(10);

        var skeleton = (await Service(now).GetSkeletonAsync(Admin(admin), shave.Id, default))!;

        var step = skeleton.FindStep(running.Id)!;
        Assert.True(step.IsRunning);
        Assert.Equal(now, step.DrawnEnd);
        Assert.Equal(now, skeleton.AxisEnd);
        Assert.Equal(Start, skeleton.AxisStart);
        var notStarted = skeleton.FindStep(later.Id)!;
        Assert.False(notStarted.IsRunning);
        Assert.Equal(notStarted.StartedAt, notStarted.DrawnEnd);
        var (left, width) = TraceLayout.Bar(skeleton, step.StartedAt, step.DrawnEnd);
        Assert.Equal(100, left + width, precision: 6);
    }

    [Fact]
    public async Task Staff_and_requesters_get_no_trace_of_any_kind()
    {
        var requester = await CreateUserAsync("Rita");
        var staff = await CreateUserAsync("Stan");
        var shave = await CreateShaveAsync(requester, createdAt: Start);
        var log = Log(shave, null, 1);
        var call = Call(shave, null, log, 2);
        await InsertAsync(log, call);
        var service = Service();

        foreach (var caller in new[] { Requester(requester), Staff(staff) })
        {
            Assert.Null(await service.GetSkeletonAsync(caller, shave.Id, default));
            Assert.Null(await service.GetAiLogAsync(caller, shave.Id, log.Id, whole: true, default));
            Assert.Null(await service.GetToolCallAsync(caller, shave.Id, call.Id, whole: true, default));
            Assert.Null(await service.GetPayloadFileAsync(caller, shave.Id, log.Id, TracePayloadPart.Prompt, default));
            Assert.False(await service.CanExportAsync(caller, shave.Id, default));
            using var stream = new MemoryStream();
            Assert.False(await service.WriteExportAsync(caller, shave.Id, stream, default));
            Assert.Equal(0, stream.Length);
        }

        Assert.Empty(_recorder.Commands);
    }

    [Fact]
    public async Task Opening_a_big_record_reads_the_first_256_KB_masked_and_show_all_reads_the_rest()
    {
        var admin = await CreateUserAsync("Ada");
        var shave = await CreateShaveAsync(createdAt: Start);
        // A token right across the preview's edge, and another far past it.
        var head = new string('a', TraceService.PreviewChars - 10) + " " + GitHubToken + " ";
        var prompt = head + new string('b', 100_000) + " Password=hunter2; end";
        var log = Log(shave, null, 1, prompt: prompt, response: null);
        var other = await CreateShaveAsync(createdAt: Start);
        await InsertAsync(log);
        var service = Service();

        var preview = (await service.GetAiLogAsync(Admin(admin), shave.Id, log.Id, whole: false, default))!;

        Assert.True(preview.Prompt.IsCut);
        Assert.Equal(prompt.Length, preview.Prompt.TotalLength);
        Assert.Equal(TraceService.PreviewChars, preview.Prompt.Text!.Length);
        Assert.DoesNotContain("a1B2c3", preview.Prompt.Text, StringComparison.Ordinal);
        Assert.Same(TracePayload.None, preview.Response);

        var whole = (await service.GetAiLogAsync(Admin(admin), shave.Id, log.Id, whole: true, default))!;
        Assert.False(whole.Prompt.IsCut);
        Assert.EndsWith("Password=***; end", whole.Prompt.Text, StringComparison.Ordinal);
        Assert.Contains(" ghp_*** ", whole.Prompt.Text, StringComparison.Ordinal);

        // The record must belong to the shave in the URL.
        Assert.Null(await service.GetAiLogAsync(Admin(admin), other.Id, log.Id, whole: false, default));
    }

    [Fact]
    public async Task A_tool_call_opens_with_its_ai_log_and_step_and_masked_json()
    {
        var admin = await CreateUserAsync("Ada");
        var shave = await CreateShaveAsync(createdAt: Start);
        var step = Step(shave, "executing_task", ProcessStatus.Failed, 1, 9);
        var log = Log(shave, step, 2, model: "gpt-4.1");
        var call = Call(shave, step, log, 3, "create_issue", success: false,
            args: "{\"title\":\"x\",\"token\":\"" + GitHubToken + "\"}", result: "not json: 502 Bad Gateway");
        await InsertAsync(step, log, call);

        var detail = (await Service().GetToolCallAsync(Admin(admin), shave.Id, call.Id, whole: false, default))!;

        Assert.Equal(("create_issue", "github", false, "gpt-4.1", "executing_task"), (detail.ToolName, detail.ServiceName, detail.Success, detail.AiLogModel, detail.StepName));
        Assert.Equal(log.Id, detail.AiLogId);
        Assert.Equal(call.ToolCallId, detail.ToolCallId);
        Assert.Equal("{\"title\":\"x\",\"token\":\"ghp_***\"}", detail.Args.Text);
        Assert.Equal("not json: 502 Bad Gateway", detail.Result.Text);
    }

    [Fact]
    public async Task A_payload_downloads_whole_and_masked_under_a_name_that_says_what_it_is()
    {
        var admin = await CreateUserAsync("Ada");
        var shave = await CreateShaveAsync(createdAt: Start);
        var log = Log(shave, null, 1, prompt: "Authorization: Bearer 9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c");
        var call = Call(shave, null, log, 2, args: "{\"password\":\"hunter2\"}", result: "plain text result");
        await InsertAsync(log, call);
        var service = Service();

        var prompt = (await service.GetPayloadFileAsync(Admin(admin), shave.Id, log.Id, TracePayloadPart.Prompt, default))!;
        var args = (await service.GetPayloadFileAsync(Admin(admin), shave.Id, call.Id, TracePayloadPart.Args, default))!;
        var result = (await service.GetPayloadFileAsync(Admin(admin), shave.Id, call.Id, TracePayloadPart.Result, default))!;

        Assert.Equal(($"ai-log-{log.Id}-prompt.txt", "Authorization: Bearer ***"), (prompt.FileName, prompt.Text));
        Assert.Equal(($"tool-call-{call.Id}-args.json", "{\"password\":\"***\"}"), (args.FileName, args.Text));
        Assert.StartsWith("application/json", args.ContentType, StringComparison.Ordinal);
        Assert.Equal($"tool-call-{call.Id}-result.txt", result.FileName);
        // An AI log has no args: asking for them is asking for a record that is not there.
        Assert.Null(await service.GetPayloadFileAsync(Admin(admin), shave.Id, log.Id, TracePayloadPart.Args, default));
    }

    [Fact]
    public async Task Export_holds_the_shave_its_steps_logs_calls_and_transcript_all_masked()
    {
        var admin = await CreateUserAsync("Ada");
        var shave = await CreateShaveAsync(title: "Login fails", createdAt: Start);
        var step = Step(shave, "executing_task", ProcessStatus.Failed, 1, 9, "Server=db;Password=hunter2; refused");
        var log = Log(shave, step, 2, prompt: "key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z", response: "ok");
        var call = Call(shave, step, log, 3, args: "{\"token\":\"" + GitHubToken + "\"}", result: "{\"ok\":false}", success: false);
        var transcript = new Transcript { Id = Ids.NewId(), ShaveId = shave.Id, Text = "my password=hunter2 oops", CreatedAt = Start.AddSeconds(1) };
        await InsertAsync(step, log, call, transcript);

        using var stream = new MemoryStream();
        Assert.True(await Service().WriteExportAsync(Admin(admin), shave.Id, stream, default));

        var text = Encoding.UTF8.GetString(stream.ToArray());
        foreach (var secret in new[] { "hunter2", "Ab3dEf6hIj9k", "a1B2c3D4" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Assert.Equal(TraceService.ExportFormat, root.GetProperty("format").GetString());
        Assert.True(root.GetProperty("secrets_masked").GetBoolean());
        Assert.Equal(shave.Id, root.GetProperty("shave").GetProperty("id").GetGuid());
        Assert.Equal("Login fails", root.GetProperty("shave").GetProperty("title").GetString());
        var steps = root.GetProperty("process_steps");
        Assert.Equal("failed", steps[0].GetProperty("process_status").GetString());
        Assert.Equal("Server=db;Password=***; refused", steps[0].GetProperty("error_message").GetString());
        var logs = root.GetProperty("ai_logs");
        Assert.Equal("key sk-***", logs[0].GetProperty("prompt_text").GetString());
        Assert.Equal(step.Id, logs[0].GetProperty("process_step_id").GetGuid());
        var calls = root.GetProperty("tool_calls");
        Assert.Equal(log.Id, calls[0].GetProperty("ai_log_id").GetGuid());
        Assert.Equal("{\"token\":\"ghp_***\"}", calls[0].GetProperty("args_json").GetString());
        Assert.False(calls[0].GetProperty("success").GetBoolean());
        Assert.Equal("my password=*** oops", root.GetProperty("transcripts")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Each_ai_log_is_costed_by_its_models_price_on_its_day_and_the_shave_sums_them_in_the_trace_and_its_export()
    {
        var admin = await CreateUserAsync("Ada");
        var shave = await CreateShaveAsync(createdAt: Start);
        var step = Step(shave, "executing_task", ProcessStatus.Completed, 1, 60);
        var priced = Log(shave, step, 2, model: "gpt-4o-2024-08-06");
        var unpriced = Log(shave, step, 3, model: "llama-3.3-70b");
        var silent = Log(shave, step, 4, model: "gpt-4o");
        await InsertAsync(step, priced, unpriced, silent,
            AiLogUsage.For(priced, 200_000, 10_000), AiLogUsage.For(unpriced, 5_000, 500),
            PipelineRecords.Price("gpt-4o*", 2.50, 10.00, Start.Date));

        var skeleton = (await Service().GetSkeletonAsync(Admin(admin), shave.Id, default))!;

        // 200k × $2.50/M + 10k × $10/M = $0.60; the unpriced call counts in the tokens, not the cost.
        Assert.Equal(0.60, skeleton.FindRecord(priced.Id)!.CostUsd!.Value, 9);
        Assert.Equal((5_000, 500, (double?)null), (skeleton.FindRecord(unpriced.Id)!.InputTokens, skeleton.FindRecord(unpriced.Id)!.OutputTokens, skeleton.FindRecord(unpriced.Id)!.CostUsd));
        Assert.False(skeleton.FindRecord(silent.Id)!.HasTokens);
        Assert.Equal((205_000L, 10_500L, 1), (skeleton.InputTokens, skeleton.OutputTokens, skeleton.UnpricedAiLogs));
        Assert.Equal(0.60, skeleton.CostUsd!.Value, 9);

        using var stream = new MemoryStream();
        Assert.True(await Service().WriteExportAsync(Admin(admin), shave.Id, stream, default));
        using var doc = JsonDocument.Parse(stream.ToArray());
        var logs = doc.RootElement.GetProperty("ai_logs").EnumerateArray().ToDictionary(l => l.GetProperty("id").GetGuid());
        Assert.Equal(200_000, logs[priced.Id].GetProperty("input_tokens").GetInt32());
        Assert.Equal(0.6, logs[priced.Id].GetProperty("cost_usd").GetDouble(), 9);
        Assert.Equal(JsonValueKind.Null, logs[unpriced.Id].GetProperty("cost_usd").ValueKind);
        Assert.Equal(JsonValueKind.Null, logs[silent.Id].GetProperty("input_tokens").ValueKind);
        var usage = doc.RootElement.GetProperty("usage");
        Assert.Equal((205_000L, 10_500L, 1), (usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64(),
            usage.GetProperty("unpriced_ai_logs").GetInt32()));
        Assert.Equal(0.6, usage.GetProperty("cost_usd").GetDouble(), 9);
    }

    /// <summary>
    /// The heavy shave (50 steps, 2,000 AI logs, 3,000 tool calls, payloads up to 2 MB) loads whole and
    /// reads no payload. Its time is measured by the benchmark (ShaveTracker.Benchmarks), not here: a shared CI
    /// machine's timings would make this test fail for reasons that are not the code's.
    /// </summary>
    [Fact]
    public async Task Skeleton_of_a_heavy_shave_loads_whole_without_reading_payloads()
    {
        var admin = await CreateUserAsync("Ada");
        var shave = await CreateShaveAsync(createdAt: Start);
        var big = new string('x', 2 * 1024 * 1024);
        var small = new string('y', 3 * 1024);
        await using (var db = await NewContextAsync())
        {
            var steps = Enumerable.Range(0, 50).Select(i => Step(shave, $"executing_task:batch-{i:00}", ProcessStatus.Completed, i * 100, (i * 100) + 99)).ToList();
            db.ProcessSteps.AddRange(steps);
            var logs = Enumerable.Range(0, 2_000).Select(i => Log(shave, steps[i % 50], (i % 50 * 100) + (i / 50),
                prompt: i % 500 == 0 ? big : small, response: i % 700 == 1 ? big : small)).ToList();
            db.AiLogs.AddRange(logs);
            db.ToolCalls.AddRange(Enumerable.Range(0, 3_000).Select(i => Call(shave, steps[i % 50], logs[i % 2_000], (i % 50 * 100) + (i / 50) + 0.5,
                args: i % 1_000 == 2 ? big : small, result: i % 1_000 == 3 ? big : small)));
            await db.SaveChangesAsync();
        }

        _recorder.Clear();
        var skeleton = await Service().GetSkeletonAsync(Admin(admin), shave.Id, default);
        Assert.Equal((2_000, 3_000, 50), (skeleton!.AiLogCount, skeleton.ToolCallCount, skeleton.Groups.Count));
        Assert.NotEmpty(_recorder.Commands);
        Assert.All(_recorder.Commands, sql => Assert.All(PayloadColumns, c => Assert.DoesNotContain(c, sql, StringComparison.Ordinal)));
    }
}
