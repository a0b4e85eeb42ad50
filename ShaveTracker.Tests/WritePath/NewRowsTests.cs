using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Data;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Tests.WritePath;

/// <summary>
/// The new rows of an OTLP export go to SQLite through prepared inserts that bind each value themselves: what they
/// store must be, byte for byte and type for type, what EF's SaveChanges stores for the same entity.
/// </summary>
public sealed class NewRowsTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    [Fact]
    public async Task Prepared_inserts_store_every_column_as_SaveChanges_does()
    {
        var shave = await CreateShaveAsync();
        // Sub-millisecond ticks, a local time (stored as UTC), text beyond ASCII and beyond the BMP, nulls and empties.
        var at = new DateTime(2026, 12, 7, 23, 59, 58, DateTimeKind.Utc).AddTicks(1_234_567).ToLocalTime();
        const string text = "Blank pages, café ✓ 𝄞 \"quoted\" \n next line";
        (AiLog Log, AiLogUsage Usage, ToolCall Call, ToolCall Failed) Rows(Guid logId) =>
            Build(shave.Id, logId, at, text);

        var (efLog, efUsage, efCall, efFailed) = Rows(Guid.CreateVersion7());
        await InsertAsync(efLog, efUsage, efCall, efFailed);
        var (log, usage, call, failed) = Rows(Guid.CreateVersion7());
        var rows = new NewRows();
        rows.AiLogs.Add(log);
        rows.Usages.Add(usage);
        rows.ToolCalls.AddRange([call, failed]);
        await using (var db = await NewContextAsync())
        {
            await db.InWriteTransactionAsync(() =>
            {
                rows.Insert(db, default);
                return Task.CompletedTask;
            }, default);
        }

        await AssertStoredAlikeAsync("ai_logs", "id", efLog.Id, log.Id);
        await AssertStoredAlikeAsync("ai_log_usage", "ai_log_id", efUsage.AiLogId, usage.AiLogId);
        await AssertStoredAlikeAsync("tool_calls", "id", efCall.Id, call.Id);
        await AssertStoredAlikeAsync("tool_calls", "id", efFailed.Id, failed.Id);
    }

    private static (AiLog, AiLogUsage, ToolCall, ToolCall) Build(Guid shaveId, Guid logId, DateTime at, string text)
    {
        var log = new AiLog
        {
            Id = logId, ShaveId = shaveId, ProcessStepId = null, ModelName = "gpt-4o", PromptText = text, ResponseText = "",
            DurationMs = 900, CreatedAt = at,
        };
        var usage = AiLogUsage.For(log, 1200, null);
        // Tool call ids are unique per shave: each set has its own, and the difference is left out of the comparison.
        var call = new ToolCall
        {
            Id = Guid.CreateVersion7(), ShaveId = shaveId, AiLogId = logId, ToolCallId = $"call_{logId:N}", ToolName = "lookup_printer",
            ServiceName = "printer-triage", ArgsJson = """{"floor":3}""", ResultJson = text, Success = true, DurationMs = null, CreatedAt = at,
        };
        var failed = new ToolCall
        {
            Id = Guid.CreateVersion7(), ShaveId = shaveId, ToolCallId = $"call_failed_{logId:N}", ToolName = "reset_printer",
            ServiceName = "printer-triage", ArgsJson = null, ResultJson = "Printer offline", Success = false, DurationMs = 0, CreatedAt = at,
        };
        return (log, usage, call, failed);
    }

    /// <summary>Every column of the two rows as SQLite holds it (<c>quote()</c>: its type and its exact text or number).</summary>
    private async Task AssertStoredAlikeAsync(string table, string key, Guid efRow, Guid preparedRow)
    {
        var columns = (await SqliteRaw.QueryAsync(Database.ConnectionString, $"SELECT name FROM pragma_table_info('{table}')"))
            .Select(c => (string)c["name"]!).ToList();
        var sql = $"SELECT {string.Join(", ", columns.Select(c => $"quote(\"{c}\") AS \"{c}\""))} FROM \"{table}\" WHERE \"{key}\" = $id";
        var ef = Assert.Single(await SqliteRaw.QueryAsync(Database.ConnectionString, sql, ("$id", efRow)));
        var prepared = Assert.Single(await SqliteRaw.QueryAsync(Database.ConnectionString, sql, ("$id", preparedRow)));

        Assert.Equal($"'{efRow.ToString().ToUpperInvariant()}'", ef[key]);
        Assert.Equal($"'{preparedRow.ToString().ToUpperInvariant()}'", prepared[key]);
        foreach (var column in columns.Where(c => c is not ("id" or "ai_log_id" or "tool_call_id")))
        {
            Assert.True(Equals(ef[column], prepared[column]), $"{table}.{column}: SaveChanges stored {ef[column]}, the prepared insert {prepared[column]}");
        }

        if (table == "tool_calls")
        {
            Assert.Equal(ef["ai_log_id"] is "NULL", prepared["ai_log_id"] is "NULL");
        }
    }
}
