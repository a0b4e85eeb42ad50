namespace ShaveTracker.Data.Entities;

// Per-day totals behind the dashboard. Database triggers keep each one exact on every write path (the app, the
// ingestion API, a bulk import, a manual fix), like shave_counts, so the dashboard reads a few hundred rows instead of
// grouping millions. Days are UTC calendar days of the row's own timestamp. A total can fall to zero and stay as a row.

/// <summary>shave_daily_counts: shaves created on <see cref="Day"/> by their current status.</summary>
public sealed class ShaveDailyCount
{
    public DateOnly Day { get; set; }
    public ShaveStatus ShaveStatus { get; set; }
    public long Total { get; set; }
}

/// <summary>ai_log_daily_stats: model calls made on <see cref="Day"/>, per model.</summary>
public sealed class AiLogDailyStat
{
    public DateOnly Day { get; set; }
    public string ModelName { get; set; } = "";
    public long Calls { get; set; }
}

/// <summary>tool_call_daily_stats: tool calls made on <see cref="Day"/>, per service and tool, and how many failed.</summary>
public sealed class ToolCallDailyStat
{
    public DateOnly Day { get; set; }
    public string ServiceName { get; set; } = "";
    public string ToolName { get; set; } = "";
    public long Calls { get; set; }
    public long Failures { get; set; }
}

/// <summary>
/// step_error_daily_counts: failed steps started on <see cref="Day"/>, per step name and error message. The message
/// is cut to its first <see cref="MessageLength"/> characters so that it can be part of the key; a failed step without
/// a message counts under "".
/// </summary>
public sealed class StepErrorDailyCount
{
    public const int MessageLength = 200;

    public DateOnly Day { get; set; }
    public string StepName { get; set; } = "";
    public string ErrorMessage { get; set; } = "";
    public long Total { get; set; }
}
