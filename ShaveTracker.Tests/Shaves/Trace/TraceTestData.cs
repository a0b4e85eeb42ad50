using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Shaves.Trace;

/// <summary>Rows of a trace, built detached so that a test can save them in one go.</summary>
internal static class TraceTestData
{
    public static readonly DateTime Start = new(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc);

    public static readonly string[] PayloadColumns = ["prompt_text", "response_text", "args_json", "result_json"];

    public static Caller Admin(User u) => new(u.Id, u.DisplayName, IsStaff: false, IsAdmin: true);

    public static Caller Staff(User u) => new(u.Id, u.DisplayName, IsStaff: true, IsAdmin: false);

    public static Caller Requester(User u) => new(u.Id, u.DisplayName, IsStaff: false, IsAdmin: false);

    public static ProcessStep Step(Shave shave, string name, ProcessStatus status, double startSeconds, double? endSeconds, string? error = null) => new()
    {
        Id = Ids.NewId(),
        ShaveId = shave.Id,
        StepName = name,
        ProcessStatus = status,
        StartedAt = Start.AddSeconds(startSeconds),
        CompletedAt = endSeconds is { } e ? Start.AddSeconds(e) : null,
        ErrorMessage = error,
    };

    public static AiLog Log(Shave shave, ProcessStep? step, double atSeconds, string? prompt = "prompt", string? response = "response",
        string model = "gpt-4o", int durationMs = 1_000) => new()
    {
        Id = Ids.NewId(),
        ShaveId = shave.Id,
        ProcessStepId = step?.Id,
        ModelName = model,
        PromptText = prompt,
        ResponseText = response,
        DurationMs = durationMs,
        CreatedAt = Start.AddSeconds(atSeconds),
    };

    public static ToolCall Call(Shave shave, ProcessStep? step, AiLog? issuer, double atSeconds, string tool = "search_issues",
        bool success = true, string? args = "{\"q\":1}", string? result = "{\"ok\":true}", int durationMs = 300) => new()
    {
        Id = Ids.NewId(),
        ShaveId = shave.Id,
        ProcessStepId = step?.Id,
        AiLogId = issuer?.Id,
        ToolCallId = "call_" + Guid.NewGuid().ToString("N"),
        ToolName = tool,
        ServiceName = "github",
        ArgsJson = args,
        ResultJson = result,
        Success = success,
        DurationMs = durationMs,
        CreatedAt = Start.AddSeconds(atSeconds),
    };
}

/// <summary>Records the SQL of every command a context runs, so a test can say what was (and was not) read.</summary>
internal sealed class CommandRecorder : DbCommandInterceptor
{
    private readonly Lock _lock = new();
    private readonly List<string> _commands = [];

    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_lock)
            {
                return [.. _commands];
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _commands.Clear();
        }
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _commands.Add(command.CommandText);
        }

        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }
}

/// <summary>Contexts on the test database with a <see cref="CommandRecorder"/> attached.</summary>
internal sealed class RecordingFactory(string connectionString, CommandRecorder recorder) : IDbContextFactory<ShaveTrackerDbContext>
{
    public ShaveTrackerDbContext CreateDbContext()
    {
        var options = new DbContextOptionsBuilder<SqliteShaveTrackerDbContext>();
        options.UseShaveTrackerSqlite(connectionString);
        options.AddInterceptors(recorder);
        return new SqliteShaveTrackerDbContext(options.Options);
    }
}

