using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.Features.Logs;

/// <summary>The explorer's two grids.</summary>
public enum LogKind
{
    AiLogs,
    ToolCalls,
}

/// <summary>The sortable columns: user text never becomes a sort expression. Name is the model or the tool.</summary>
public enum LogSort
{
    Created,
    Duration,
    Name,

    /// <summary>AI logs: what the call's tokens cost (calls without tokens or a price last).</summary>
    Cost,
}

/// <summary>
/// One view of the explorer: grid, filters, window, sort and page. Every field round-trips through the URL
/// (<see cref="LogExplorerUrl"/>). Filters that do not apply to <see cref="Kind"/> are ignored.
/// </summary>
public sealed record LogQuery
{
    public LogKind Kind { get; init; } = LogKind.AiLogs;

    /// <summary>AI logs: exact model name.</summary>
    public string? Model { get; init; }

    /// <summary>Tool calls: exact tool name.</summary>
    public string? Tool { get; init; }

    /// <summary>Tool calls: exact service (MCP server) name.</summary>
    public string? Service { get; init; }

    /// <summary>Tool calls: only succeeded (true) or failed (false) calls.</summary>
    public bool? Success { get; init; }

    public int? MinDurationMs { get; init; }

    /// <summary>AI logs: only calls whose tokens cost at least this many US dollars.</summary>
    public double? MinCostUsd { get; init; }

    /// <summary>First and last UTC day of the window, inclusive. Missing: the last <see cref="DefaultWindowDays"/> days.</summary>
    public DateOnly? From { get; init; }

    public DateOnly? To { get; init; }

    public Guid? ProjectId { get; init; }
    public ShaveStatus? ShaveStatus { get; init; }

    /// <summary>
    /// Words and "phrases" looked for in prompts and responses, or in tool arguments and results, of all time (the
    /// window and the other filters do not apply to a search); see <see cref="LogSearchText"/>.
    /// </summary>
    public string? Search { get; init; }

    public LogSort Sort { get; init; } = LogSort.Created;
    public bool Descending { get; init; } = true;

    /// <summary>Zero-based.</summary>
    public int Page { get; init; }

    public int PageSize { get; init; } = DefaultPageSize;

    public const int DefaultPageSize = 25;
    public static readonly IReadOnlyList<int> PageSizes = [25, 50, 100];
    public const int MaxSearchLength = 200;
    public const int MaxNameLength = 200;

    /// <summary>Every list and search looks at one window of days at most this long.</summary>
    public const int MaxWindowDays = 31;

    public const int DefaultWindowDays = 7;

    /// <summary>Counts stop here ("more than 10,000"), and so does paging.</summary>
    public const int CountLimit = 10_000;

    /// <summary>
    /// Sorting by duration or name has to rank every matching row (no index holds that order), so it ranks the newest
    /// this many of them.
    /// </summary>
    public const int RankLimit = 5_000;
}

/// <summary>The window a query actually looked at, and whether a longer one was asked for.</summary>
public sealed record LogWindow(DateOnly From, DateOnly To, bool Shortened)
{
    public DateTime StartUtc => From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>Exclusive: the start of the day after <see cref="To"/>.</summary>
    public DateTime EndUtc => To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public int Days => To.DayNumber - From.DayNumber + 1;
}

/// <summary>One model call, without its prompt and response.</summary>
public sealed record AiLogRow(
    Guid Id,
    Guid ShaveId,
    string ShaveTitle,
    ShaveStatus ShaveStatus,
    string? ProjectName,
    string ModelName,
    string? StepName,
    int? DurationMs,
    int ToolCallCount,
    DateTime CreatedAt)
{
    public int? InputTokens { get; init; }

    public int? OutputTokens { get; init; }

    /// <summary>The tokens by the model's price on the call's day; null without tokens or a price.</summary>
    public double? CostUsd { get; init; }

    /// <summary>With a search: the masked text around the match.</summary>
    public SearchSnippet? Snippet { get; init; }
}

/// <summary>One tool call, without its arguments and result.</summary>
public sealed record ToolCallRow(
    Guid Id,
    Guid ShaveId,
    string ShaveTitle,
    ShaveStatus ShaveStatus,
    string? ProjectName,
    string ToolName,
    string ServiceName,
    bool Success,
    string? StepName,
    string? ModelName,
    int? DurationMs,
    DateTime CreatedAt)
{
    /// <summary>With a search: the masked text around the match.</summary>
    public SearchSnippet? Snippet { get; init; }
}

/// <summary>
/// One page of a grid. <see cref="TotalCount"/> stops at <see cref="LogQuery.CountLimit"/> (with
/// <see cref="TotalIsLowerBound"/> when more match). <see cref="Ranked"/>: the order ranks only the newest
/// <see cref="LogQuery.RankLimit"/> matching rows, as more match; the grid pages through those.
/// </summary>
public sealed record LogPage<TRow>(
    IReadOnlyList<TRow> Rows,
    int TotalCount,
    bool TotalIsLowerBound,
    LogWindow Window,
    bool Ranked)
{
    /// <summary>How many rows the pager can reach.</summary>
    public int PageableCount => Ranked ? LogQuery.RankLimit : TotalCount;

    /// <summary>
    /// The search was not run because it looks like a credential or the start of one: the texts are shown masked, and
    /// a search over the raw text would let someone recover a masked value one character at a time.
    /// </summary>
    public bool SearchRefused { get; init; }

    /// <summary>The search text is not a search (an unclosed quote, no words) or the index refused it: what to change.</summary>
    public string? SearchError { get; init; }

    /// <summary>A search's page: matches of all time, newest recorded first, whatever the window.</summary>
    public bool AllTime { get; init; }
}

public sealed record ToolOption(string ServiceName, string ToolName);

public sealed record ProjectOption(Guid Id, string Name);

/// <summary>The values the explorer's selects offer, from the per-day totals (exact, and small whatever the table sizes).</summary>
public sealed record LogFilterOptions(
    IReadOnlyList<string> Models,
    IReadOnlyList<ToolOption> Tools,
    IReadOnlyList<string> Services,
    IReadOnlyList<ProjectOption> Projects);
