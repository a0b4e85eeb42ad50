using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.WritePath;
using ShaveTracker.Web.Infrastructure.LiveUpdates;

namespace ShaveTracker.Tests.Ingestion;

/// <summary>
/// The SQL Server SQL of every ingestion write, as EF Core's SQL Server provider generates it for the change sets
/// the service really makes (see <see cref="SqlServerWriteRecorder"/>): it parses, it writes the expected tables, a
/// big batch stays under SQL Server's parameter limit, and each request is one transaction.
/// </summary>
public sealed class IngestionSqlServerWriteTests(SqliteDatabaseFixture database) : SqlServerWriteTest(database)
{
    private static readonly Credential Client = Credential.Worker("apikey:sql-server-test", "SQL Server test");

    private IngestionService Service => new(RecordingFactory, Options.Create(new IngestionOptions()),
        // The feed as SQL Server deployments run it, so its row is part of each write's SQL; and many new records saved
        // by EF, as they are on SQL Server (on SQLite they go through prepared inserts, which the replay does not see).
        new ShaveWriter(TestShaveChanges.Feed(LiveUpdateMode.Database), TestShaveChanges.Notifier()) { PreparedInsertsOnSqlite = false },
        TimeProvider.System, TestMetrics.Create(), NullLogger<IngestionService>.Instance);

    private static ShaveReport NewShave(string status = "Processing", string? fileHash = "9f2c", string? path = "/Users/alice/Movies/a.mp4") => new(
        "Printer on level 3 prints blank pages", status, new RequesterReport(null, null, "alice@example.test", "Alice Example"), null,
        new VideoFileReport(null, "2026-11-24 10-00-00.mp4", path, fileHash, 192), null, "GitHub", "https://www.youtube.com/embed/dQw4w9WgXcQ", null);

    [Fact]
    public async Task A_new_shave_with_a_new_requester_and_video_file_is_inserted_in_one_transaction()
    {
        var shaveId = Guid.CreateVersion7();

        var writes = await SaveAndAssertSqlServerWritesAsync(async () => Ok(await Service.PutShaveAsync(Client, shaveId, NewShave(), default)));

        AssertWrites(writes, "INSERT users", "INSERT local_accounts", "INSERT video_files", "INSERT shaves", "INSERT user_activities", "INSERT shave_changes");
        await using var db = await NewContextAsync();
        Assert.True(await db.Shaves.AnyAsync(s => s.Id == shaveId));
    }

    [Fact]
    public async Task A_shave_reported_with_its_work_item_inserts_the_work_item_in_the_same_transaction()
    {
        var report = NewShave() with { WorkItem = new WorkItemReport("## Pain\nBlank pages.", "https://example.test/shot.png", "Figure: A blank page") };

        var writes = await SaveAndAssertSqlServerWritesAsync(async () => Ok(await Service.PutShaveAsync(Client, Guid.CreateVersion7(), report, default)));

        AssertWrites(writes, "INSERT users", "INSERT local_accounts", "INSERT video_files", "INSERT shaves", "INSERT shave_work_items",
            "INSERT user_activities", "INSERT shave_changes");
    }

    [Fact]
    public async Task A_shave_whose_status_and_video_path_change_is_updated_with_its_activity()
    {
        var shaveId = Guid.CreateVersion7();
        Ok(await Service.PutShaveAsync(Client, shaveId, NewShave(), default));

        var writes = await SaveAndAssertSqlServerWritesAsync(async () =>
            Ok(await Service.PutShaveAsync(Client, shaveId, NewShave(status: "Completed", path: "/Volumes/archive/a.mp4"), default)));

        AssertWrites(writes, "UPDATE shaves", "UPDATE video_files", "INSERT user_activities", "INSERT shave_changes");
        // shaves has triggers: no OUTPUT clause (SQL Server refuses one without INTO); the row count is read after it,
        // and the concurrency token is in the WHERE clause.
        var sql = Recorder.Commands.Single(c => c.Sql.Contains("UPDATE [shaves]", StringComparison.Ordinal)).Sql;
        var statements = SqlServerScript.AssertParses(sql).Batches.SelectMany(b => b.Statements).ToList();
        var update = statements.OfType<Microsoft.SqlServer.TransactSql.ScriptDom.UpdateStatement>().Single(u => SqlServerScript.Writes(u) is ["UPDATE shaves"]);
        Assert.Null(update.UpdateSpecification.OutputClause);
        Assert.Contains("[updated_at]", sql.Substring(update.UpdateSpecification.WhereClause.StartOffset, update.UpdateSpecification.WhereClause.FragmentLength), StringComparison.Ordinal);
        var next = statements[statements.IndexOf(update) + 1];
        Assert.Equal("SELECT @@ROWCOUNT", sql.Substring(next.StartOffset, next.FragmentLength).TrimEnd(';'));
    }

    [Fact]
    public async Task A_new_step_is_inserted_and_its_completion_updates_it()
    {
        var shaveId = Guid.CreateVersion7();
        var stepId = Guid.CreateVersion7();
        Ok(await Service.PutShaveAsync(Client, shaveId, NewShave(), default));
        var started = new StepReport("transcribing", "in_progress", DateTime.UtcNow.AddSeconds(-30), null, null);

        var inserted = await SaveAndAssertSqlServerWritesAsync(async () => Ok(await Service.PutStepAsync(Client, shaveId, stepId, started, default)));
        var updated = await SaveAndAssertSqlServerWritesAsync(async () =>
            Ok(await Service.PutStepAsync(Client, shaveId, stepId, started with { Status = "failed", CompletedAt = DateTime.UtcNow, ErrorMessage = "Whisper timed out" }, default)));

        AssertWrites(inserted, "INSERT process_steps", "INSERT shave_changes");
        AssertWrites(updated, "UPDATE process_steps", "INSERT shave_changes");
    }

    [Fact]
    public async Task A_batch_of_hundreds_of_ai_logs_and_tool_calls_is_inserted_in_one_transaction_under_the_parameter_limit()
    {
        var shaveId = Guid.CreateVersion7();
        var stepId = Guid.CreateVersion7();
        Ok(await Service.PutShaveAsync(Client, shaveId, NewShave(), default));
        Ok(await Service.PutStepAsync(Client, shaveId, stepId, new StepReport("executing_task", "in_progress", DateTime.UtcNow, null, null), default));
        var logs = Enumerable.Range(0, 300).Select(i => new AiLogReport(Guid.CreateVersion7(), stepId, "gpt-4o", $"Prompt {i}", $"## Pain {i}", 1200 + i, null)).ToList();
        var calls = Enumerable.Range(0, 300).Select(i => new ToolCallReport(null, stepId, logs[i].Id, $"call_{i}", "create_issue", "github",
            JsonDocument.Parse($"{{\"title\":\"Issue {i}\"}}").RootElement, JsonDocument.Parse("{\"number\":42}").RootElement, i % 7 != 0, 800, null)).ToList();

        var writes = await SaveAndAssertSqlServerWritesAsync(async () => Ok(await Service.AppendRecordsAsync(Client, shaveId, new RecordBatch(logs, calls), default)));

        Assert.Equal(["INSERT ai_logs", "INSERT shave_changes", "INSERT tool_calls"], writes.Distinct().Order(StringComparer.Ordinal));
        // More rows than one command may carry: EF splits them, and every command is in the request's one transaction.
        Assert.True(Recorder.Commands.Count > 1, "600 rows in a single command?");
        await using var db = await NewContextAsync();
        Assert.Equal(300, await db.AiLogs.CountAsync());
        Assert.Equal(300, await db.ToolCalls.CountAsync());
    }

    [Fact]
    public async Task A_transcript_is_inserted_replaced_by_a_new_one_and_corrected_in_place()
    {
        var shaveId = Guid.CreateVersion7();
        var firstId = Guid.CreateVersion7();
        var secondId = Guid.CreateVersion7();
        Ok(await Service.PutShaveAsync(Client, shaveId, NewShave(), default));

        var first = await SaveAndAssertSqlServerWritesAsync(async () =>
            Ok(await Service.PutTranscriptAsync(Client, shaveId, new TranscriptReport(firstId, "Hi, Alice here…", null), default)));
        var replaced = await SaveAndAssertSqlServerWritesAsync(async () =>
            Ok(await Service.PutTranscriptAsync(Client, shaveId, new TranscriptReport(secondId, "Hi, Alice here again…", null), default)));
        var corrected = await SaveAndAssertSqlServerWritesAsync(async () =>
            Ok(await Service.PutTranscriptAsync(Client, shaveId, new TranscriptReport(secondId, "Hi, it's Alice…", null), default)));

        // Each with its audit row: the first added, then each replaced text kept in the trail.
        AssertWrites(first, "INSERT transcripts", "INSERT user_activities", "INSERT shave_changes");
        AssertWrites(replaced, "DELETE transcripts", "INSERT transcripts", "INSERT user_activities", "INSERT shave_changes");
        AssertWrites(corrected, "UPDATE transcripts", "INSERT user_activities", "INSERT shave_changes");
    }

    [Fact]
    public async Task An_otlp_export_writes_its_trace_step_model_call_with_tokens_and_tool_call_in_one_transaction()
    {
        var shaveId = Guid.CreateVersion7();
        Ok(await Service.PutShaveAsync(Client, shaveId, NewShave(), default));
        const string trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        var at = DateTime.UtcNow.AddMinutes(-1);
        var resource = new Dictionary<string, string> { ["service.name"] = "printer-triage", ["shavetracker.shave.id"] = shaveId.ToString() };
        SpanReport Span(string id, string? parent, string name, Dictionary<string, string> attributes) =>
            new(trace, id, parent, name, at, at.AddSeconds(1), false, null, attributes, [], resource);
        SpanReport[] spans =
        [
            Span("00f067aa0ba902b7", null, "executing_task", new() { ["shavetracker.step.name"] = "executing_task" }),
            Span("00f067aa0ba902b8", "00f067aa0ba902b7", "chat gpt-4o", new()
            {
                ["gen_ai.operation.name"] = "chat", ["gen_ai.request.model"] = "gpt-4o",
                ["gen_ai.input.messages"] = """[{"role":"user","parts":[{"type":"text","content":"Blank pages on level 3"}]}]""",
                ["gen_ai.output.messages"] = """[{"role":"assistant","parts":[{"type":"tool_call","id":"call_1","name":"lookup_printer","arguments":{"floor":3}}]}]""",
                ["gen_ai.usage.input_tokens"] = "1200", ["gen_ai.usage.output_tokens"] = "85",
            }),
            Span("00f067aa0ba902b9", "00f067aa0ba902b8", "execute_tool lookup_printer", new()
            {
                ["gen_ai.operation.name"] = "execute_tool", ["gen_ai.tool.name"] = "lookup_printer", ["gen_ai.tool.call.id"] = "call_1",
                ["gen_ai.tool.call.arguments"] = """{"floor":3}""", ["gen_ai.tool.call.result"] = """{"toner":"empty"}""",
            }),
        ];

        var writes = await SaveAndAssertSqlServerWritesAsync(async () => Assert.Empty((await Service.AppendSpansAsync(Client, spans, [], default)).Rejected));

        AssertWrites(writes.Where(w => !w.StartsWith("DELETE otel_pending_spans", StringComparison.Ordinal)),
            "INSERT otel_traces", "INSERT process_steps", "INSERT ai_logs", "INSERT ai_log_usage", "INSERT tool_calls",
            // One feed row per kind of change (its steps, its records), so that pages refresh what changed.
            "INSERT shave_changes", "INSERT shave_changes");
        await using var db = await NewContextAsync();
        var usage = await db.AiLogUsages.SingleAsync();
        Assert.Equal((shaveId, "gpt-4o", 1200, 85), (usage.ShaveId, usage.ModelName, usage.InputTokens, usage.OutputTokens));
    }

    private static void Ok<T>(CommandResult<T> result) =>
        Assert.True(result.Outcome == CommandOutcome.Succeeded, $"{result.Outcome}: {JsonSerializer.Serialize(result.Errors)}");
}
