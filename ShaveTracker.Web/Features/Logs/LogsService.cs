using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Logs;

/// <summary>
/// The admin log explorer: every model call and every tool call across all shaves, filtered, sorted and paged by the
/// database. Admins only (<see cref="Caller.CanReviewAiLogs"/>), checked here whatever the page already checked.
/// </summary>
/// <remarks>
/// Every query is bounded, so that no single request can walk a table of millions: a list reads one window of at most
/// <see cref="LogQuery.MaxWindowDays"/> days (served by the created_at indexes) and counts to
/// <see cref="LogQuery.CountLimit"/> at most; a text search reads the full-text index of all time
/// (LogsService.Search.cs) and stops at its page. Rows never carry the payload columns (prompt, response, arguments,
/// result): they are read in the trace, one record at a time, and a search reads only its page's, for the snippets.
/// </remarks>
/// <summary>A log with its tokens and cost, as a query composes it (init-only members: EF reads into member initializers, not constructors).</summary>
internal sealed class CostedAiLog
{
    public required AiLog Log { get; init; }
    public int? InputTokens { get; init; }
    public int? OutputTokens { get; init; }
    public double? CostUsd { get; init; }
}

public sealed partial class LogsService(IDbContextFactory<ShaveTrackerDbContext> factory, TimeProvider clock, IMemoryCache cache)
{
    private const string OptionsCacheKey = "logs:filter-options";

    /// <summary>New models and tools show up in the selects within this time; the lists are cheap, but every page load asks.</summary>
    private static readonly TimeSpan OptionsCacheDuration = TimeSpan.FromMinutes(1);

    public async Task<LogPage<AiLogRow>> ListAiLogsAsync(Caller caller, LogQuery query, CancellationToken ct)
    {
        EnsureCanReview(caller);
        var window = ResolveWindow(query, Today());
        if (SecretMasker.LooksLikeSecretSearch(query.Search))
        {
            return new LogPage<AiLogRow>([], 0, false, window, false) { SearchRefused = true };
        }

        if (query.Search is not null)
        {
            return await SearchAsync<AiLogRow>(query, window, SearchedAiLogsAsync, ct);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var shaveIds = await FewMatchingShavesAsync(db, query, ct);
        var matching = FilterAiLogs(db, query, window, shaveIds);
        var total = await CountedAiLogs(matching).CountAsync(ct);
        var rows = await AiLogPageQuery(db, matching, query).ToListAsync(ct);
        return new LogPage<AiLogRow>(rows, Math.Min(total, LogQuery.CountLimit), total > LogQuery.CountLimit, window, IsRanked(query, total));
    }

    public async Task<LogPage<ToolCallRow>> ListToolCallsAsync(Caller caller, LogQuery query, CancellationToken ct)
    {
        EnsureCanReview(caller);
        var window = ResolveWindow(query, Today());
        if (SecretMasker.LooksLikeSecretSearch(query.Search))
        {
            return new LogPage<ToolCallRow>([], 0, false, window, false) { SearchRefused = true };
        }

        if (query.Search is not null)
        {
            return await SearchAsync<ToolCallRow>(query, window, SearchedToolCallsAsync, ct);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var shaveIds = await FewMatchingShavesAsync(db, query, ct);
        var matching = FilterToolCalls(db, query, window, shaveIds);
        var total = await CountedToolCalls(matching).CountAsync(ct);
        var rows = await ToolCallPageQuery(matching, query).ToListAsync(ct);
        return new LogPage<ToolCallRow>(rows, Math.Min(total, LogQuery.CountLimit), total > LogQuery.CountLimit, window, IsRanked(query, total));
    }

    /// <summary>Models, tools, services and projects for the selects, from the per-day totals; cached briefly.</summary>
    public async Task<LogFilterOptions> FilterOptionsAsync(Caller caller, CancellationToken ct)
    {
        EnsureCanReview(caller);
        if (cache.TryGetValue(OptionsCacheKey, out LogFilterOptions? cached) && cached is not null)
        {
            return cached;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var models = await ModelOptionsQuery(db).ToListAsync(ct);
        var tools = await ToolOptionsQuery(db).ToListAsync(ct);
        var projects = await db.Projects.AsNoTracking()
            .OrderBy(p => p.Name).ThenBy(p => p.Id)
            .Select(p => new ProjectOption(p.Id, p.Name))
            .ToListAsync(ct);
        var options = new LogFilterOptions(models, tools,
            tools.Select(t => t.ServiceName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), projects);
        cache.Set(OptionsCacheKey, options, OptionsCacheDuration);
        return options;
    }

    // ---- Queries (internal so that tests can check their SQL on both providers) ---------------------------------

    /// <summary>
    /// The days the query looks at: the days asked for, the last <see cref="LogQuery.DefaultWindowDays"/> days when none
    /// are, and never more than <see cref="LogQuery.MaxWindowDays"/> (the end is kept, the start moved).
    /// </summary>
    internal static LogWindow ResolveWindow(LogQuery q, DateOnly today)
    {
        var (from, to) = (q.From, q.To) switch
        {
            ({ } f, { } t) => f <= t ? (f, t) : (t, f),
            // A start alone: up to today, or the longest window from it when today is further away.
            ({ } f, null) => (f, Max(f, Min(today, f.AddDays(LogQuery.MaxWindowDays - 1)))),
            (null, { } t) => (t.AddDays(-(LogQuery.DefaultWindowDays - 1)), t),
            _ => (today.AddDays(-(LogQuery.DefaultWindowDays - 1)), today),
        };
        var shortened = to.DayNumber - from.DayNumber + 1 > LogQuery.MaxWindowDays;
        return new LogWindow(shortened ? to.AddDays(-(LogQuery.MaxWindowDays - 1)) : from, to, shortened);
    }

    /// <summary>
    /// The ids of the shaves that the project and status filters leave, when there are at most
    /// <see cref="ShaveIdListLimit"/> of them; otherwise (or without such filters) null.
    /// </summary>
    /// <remarks>
    /// A filter on the shave is a join for every call of the window: fine when many calls match (the first page fills
    /// at once), slow when few do (a status that a handful of shaves have: the whole window is joined to find them).
    /// A handful of shaves is better the other way round: their calls are read through (shave_id, created_at).
    /// </remarks>
    internal static async Task<IReadOnlyList<Guid>?> FewMatchingShavesAsync(ShaveTrackerDbContext db, LogQuery q, CancellationToken ct)
    {
        if (q.ProjectId is null && q.ShaveStatus is null)
        {
            return null;
        }

        var ids = await MatchingShavesQuery(db, q).Take(ShaveIdListLimit + 1).ToListAsync(ct);
        return ids.Count <= ShaveIdListLimit ? ids : null;
    }

    /// <summary>Read from the (project_id, created_at, id) or (shave_status, created_at, id) index, in its order.</summary>
    internal static IQueryable<Guid> MatchingShavesQuery(ShaveTrackerDbContext db, LogQuery q)
    {
        var shaves = db.Shaves.AsNoTracking();
        if (q.ProjectId is { } projectId)
        {
            shaves = shaves.Where(s => s.ProjectId == projectId);
        }

        if (q.ShaveStatus is { } status)
        {
            shaves = shaves.Where(s => s.ShaveStatus == status);
        }

        return shaves.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Select(s => s.Id);
    }

    /// <summary>A few thousand index probes by shave id beat joining a month of calls; tens of thousands do not.</summary>
    internal const int ShaveIdListLimit = 10_000;

    internal static IQueryable<AiLog> FilterAiLogs(ShaveTrackerDbContext db, LogQuery q, LogWindow window, IReadOnlyList<Guid>? shaveIds = null)
    {
        var (start, end) = (window.StartUtc, window.EndUtc);
        var logs = db.AiLogs.AsNoTracking().Where(a => a.CreatedAt >= start && a.CreatedAt < end);
        if (q.Model is { } model)
        {
            logs = logs.Where(a => a.ModelName == model);
        }

        if (q.MinDurationMs is { } min)
        {
            logs = logs.Where(a => a.DurationMs >= min);
        }

        if (q.MinCostUsd is { } minCost)
        {
            // Only a call with tokens can cost anything: its usage row (by primary key), then its price, as Costed prices it.
            // The price lookup is written out where it is used: a method returning it would run outside the SQL.
            logs = logs.Where(a => db.AiLogUsages.Any(u => u.AiLogId == a.Id &&
                ((u.InputTokens ?? 0) * db.ModelPrices
                        .Where(p => p.ValidFrom <= a.CreatedAt && (p.ValidTo == null || a.CreatedAt < p.ValidTo)
                                    && EF.Functions.Like(a.ModelName, p.LikePattern, SqlLike.EscapeCharacter))
                        .OrderByDescending(p => p.Specificity).ThenBy(p => p.ModelPattern)
                        .Select(p => (double?)p.InputUsdPerMillion).FirstOrDefault()
                    + (u.OutputTokens ?? 0) * db.ModelPrices
                        .Where(p => p.ValidFrom <= a.CreatedAt && (p.ValidTo == null || a.CreatedAt < p.ValidTo)
                                    && EF.Functions.Like(a.ModelName, p.LikePattern, SqlLike.EscapeCharacter))
                        .OrderByDescending(p => p.Specificity).ThenBy(p => p.ModelPattern)
                        .Select(p => (double?)p.OutputUsdPerMillion).FirstOrDefault()) / 1_000_000d >= minCost));
        }

        if (shaveIds is not null)
        {
            // The project and status filters, already applied to find these shaves. One JSON parameter (json_each,
            // OPENJSON) rather than one parameter per id: SQL Server takes 2,100 parameters at most.
            return logs.Where(a => EF.Parameter(shaveIds).Contains(a.ShaveId));
        }

        // EXISTS rather than a join: SQLite then walks the window newest first and stops when the page is full, where a
        // join lets it start from every shave of the status and sort all their calls.
        if (q.ProjectId is { } projectId)
        {
            logs = logs.Where(a => db.Shaves.Any(s => s.Id == a.ShaveId && s.ProjectId == projectId));
        }

        if (q.ShaveStatus is { } status)
        {
            logs = logs.Where(a => db.Shaves.Any(s => s.Id == a.ShaveId && s.ShaveStatus == status));
        }

        return logs;
    }

    internal static IQueryable<ToolCall> FilterToolCalls(ShaveTrackerDbContext db, LogQuery q, LogWindow window, IReadOnlyList<Guid>? shaveIds = null)
    {
        var (start, end) = (window.StartUtc, window.EndUtc);
        var calls = db.ToolCalls.AsNoTracking().Where(t => t.CreatedAt >= start && t.CreatedAt < end);
        if (q.Tool is { } tool)
        {
            calls = calls.Where(t => t.ToolName == tool);
        }

        if (q.Service is { } service)
        {
            calls = calls.Where(t => t.ServiceName == service);
        }

        if (q.Success is { } success)
        {
            // Constants, not a parameter: the partial "failed" indexes match only the literal predicate.
            calls = success ? calls.Where(t => t.Success) : calls.Where(t => !t.Success);
        }

        if (q.MinDurationMs is { } min)
        {
            calls = calls.Where(t => t.DurationMs >= min);
        }

        if (shaveIds is not null)
        {
            // The project and status filters, already applied to find these shaves.
            return calls.Where(t => EF.Parameter(shaveIds).Contains(t.ShaveId));
        }

        if (q.ProjectId is { } projectId)
        {
            calls = calls.Where(t => db.Shaves.Any(s => s.Id == t.ShaveId && s.ProjectId == projectId));
        }

        if (q.ShaveStatus is { } status)
        {
            calls = calls.Where(t => db.Shaves.Any(s => s.Id == t.ShaveId && s.ShaveStatus == status));
        }

        return calls;
    }

    /// <summary>
    /// What the count counts: one more than <see cref="LogQuery.CountLimit"/> rows at most, newest first. Ordered by
    /// created_at alone, the order of the covering indexes: a tie-break on id would make SQLite read every row of the
    /// window to sort it, and any rows do for a count.
    /// </summary>
    internal static IQueryable<AiLog> CountedAiLogs(IQueryable<AiLog> matching) =>
        matching.OrderByDescending(a => a.CreatedAt).Take(LogQuery.CountLimit + 1);

    internal static IQueryable<ToolCall> CountedToolCalls(IQueryable<ToolCall> matching) =>
        matching.OrderByDescending(t => t.CreatedAt).Take(LogQuery.CountLimit + 1);

    /// <summary>
    /// Each log with its tokens (ai_log_usage) and their cost in SQL: the tokens times the price (model_prices) whose
    /// pattern matches the model and that applies on the log's day, the most specific first. Null without either.
    /// The page shows this same figure (the trace computes it in memory from the same rows and rule).
    /// </summary>
    internal static IQueryable<CostedAiLog> Costed(ShaveTrackerDbContext db, IQueryable<AiLog> logs) =>
        from a in logs
        join u in db.AiLogUsages on a.Id equals u.AiLogId into usage
        from u in usage.DefaultIfEmpty()
        // Scalar subqueries, one per price column: a row-valued one would need APPLY, which SQLite does not have.
        let inputPrice = db.ModelPrices
            .Where(p => p.ValidFrom <= a.CreatedAt && (p.ValidTo == null || a.CreatedAt < p.ValidTo)
                        && EF.Functions.Like(a.ModelName, p.LikePattern, SqlLike.EscapeCharacter))
            .OrderByDescending(p => p.Specificity).ThenBy(p => p.ModelPattern)
            .Select(p => (double?)p.InputUsdPerMillion).FirstOrDefault()
        let outputPrice = db.ModelPrices
            .Where(p => p.ValidFrom <= a.CreatedAt && (p.ValidTo == null || a.CreatedAt < p.ValidTo)
                        && EF.Functions.Like(a.ModelName, p.LikePattern, SqlLike.EscapeCharacter))
            .OrderByDescending(p => p.Specificity).ThenBy(p => p.ModelPattern)
            .Select(p => (double?)p.OutputUsdPerMillion).FirstOrDefault()
        select new CostedAiLog
        {
            Log = a,
            InputTokens = u != null ? u.InputTokens : null,
            OutputTokens = u != null ? u.OutputTokens : null,
            CostUsd = u == null || inputPrice == null ? null
                : ((u.InputTokens ?? 0) * inputPrice + (u.OutputTokens ?? 0) * outputPrice) / 1_000_000d,
        };

    internal static IQueryable<AiLogRow> AiLogPageQuery(ShaveTrackerDbContext db, IQueryable<AiLog> matching, LogQuery q)
    {
        var (page, size) = PageOf(q);
        if (q.Sort == LogSort.Cost)
        {
            return CostPageQuery(db, matching, q, page, size);
        }

        // Newest first reads the index in order. Another order has to rank every matching row, so it ranks the newest
        // RankLimit of them (all of them when no more match), which the page says. A search is ranked whole: it is
        // already capped, at SearchScanLimit.
        var ranked = q.Sort == LogSort.Created || q.Search is not null
            ? matching
            : matching.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Take(LogQuery.RankLimit);
        // The tokens and their price join the ranked rows, and the order is applied to the joined rows: an order inside
        // a subquery that is joined afterwards is not an order SQL keeps.
        var costed = Costed(db, ranked);
        IOrderedQueryable<CostedAiLog> sorted = (q.Sort, q.Descending) switch
        {
            (LogSort.Duration, false) => costed.OrderBy(c => c.Log.DurationMs).ThenBy(c => c.Log.CreatedAt).ThenBy(c => c.Log.Id),
            (LogSort.Duration, true) => costed.OrderByDescending(c => c.Log.DurationMs).ThenByDescending(c => c.Log.CreatedAt).ThenByDescending(c => c.Log.Id),
            (LogSort.Name, false) => costed.OrderBy(c => c.Log.ModelName).ThenByDescending(c => c.Log.CreatedAt).ThenByDescending(c => c.Log.Id),
            (LogSort.Name, true) => costed.OrderByDescending(c => c.Log.ModelName).ThenByDescending(c => c.Log.CreatedAt).ThenByDescending(c => c.Log.Id),
            (_, false) => costed.OrderBy(c => c.Log.CreatedAt).ThenBy(c => c.Log.Id),
            (_, true) => costed.OrderByDescending(c => c.Log.CreatedAt).ThenByDescending(c => c.Log.Id),
        };
        return RowsOf(sorted.Skip(page * size).Take(size));
    }

    /// <summary>Costliest (or cheapest) first, among the newest <see cref="LogQuery.RankLimit"/> matching calls, as the other orders rank.</summary>
    private static IQueryable<AiLogRow> CostPageQuery(ShaveTrackerDbContext db, IQueryable<AiLog> matching, LogQuery q, int page, int size)
    {
        var ranked = Costed(db, q.Search is not null ? matching : matching.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Take(LogQuery.RankLimit));
        var sorted = q.Descending
            ? ranked.OrderByDescending(c => c.CostUsd).ThenByDescending(c => c.Log.CreatedAt).ThenByDescending(c => c.Log.Id)
            : ranked.OrderBy(c => c.CostUsd == null).ThenBy(c => c.CostUsd).ThenByDescending(c => c.Log.CreatedAt).ThenByDescending(c => c.Log.Id);
        return RowsOf(sorted.Skip(page * size).Take(size));
    }

    private static IQueryable<AiLogRow> RowsOf(IQueryable<CostedAiLog> page) =>
        page.Select(c => new AiLogRow(
            c.Log.Id,
            c.Log.ShaveId,
            c.Log.Shave!.Title,
            c.Log.Shave.ShaveStatus,
            c.Log.Shave.Project != null ? c.Log.Shave.Project.Name : null,
            c.Log.ModelName,
            c.Log.ProcessStep != null ? c.Log.ProcessStep.StepName : null,
            c.Log.DurationMs,
            c.Log.ToolCalls.Count,
            c.Log.CreatedAt)
        {
            InputTokens = c.InputTokens,
            OutputTokens = c.OutputTokens,
            CostUsd = c.CostUsd,
        });

    internal static IQueryable<ToolCallRow> ToolCallPageQuery(IQueryable<ToolCall> matching, LogQuery q)
    {
        var (page, size) = PageOf(q);
        var ranked = q.Sort == LogSort.Created || q.Search is not null
            ? matching
            : matching.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Take(LogQuery.RankLimit);
        IOrderedQueryable<ToolCall> sorted = (q.Sort, q.Descending) switch
        {
            (LogSort.Duration, false) => ranked.OrderBy(t => t.DurationMs).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id),
            (LogSort.Duration, true) => ranked.OrderByDescending(t => t.DurationMs).ThenByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id),
            (LogSort.Name, false) => ranked.OrderBy(t => t.ToolName).ThenBy(t => t.ServiceName).ThenByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id),
            (LogSort.Name, true) => ranked.OrderByDescending(t => t.ToolName).ThenByDescending(t => t.ServiceName).ThenByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id),
            (_, false) => ranked.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id),
            (_, true) => ranked.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id),
        };
        return sorted.Skip(page * size).Take(size)
            .Select(t => new ToolCallRow(
                t.Id,
                t.ShaveId,
                t.Shave!.Title,
                t.Shave.ShaveStatus,
                t.Shave.Project != null ? t.Shave.Project.Name : null,
                t.ToolName,
                t.ServiceName,
                t.Success,
                t.ProcessStep != null ? t.ProcessStep.StepName : null,
                t.AiLog != null ? t.AiLog.ModelName : null,
                t.DurationMs,
                t.CreatedAt));
    }

    internal static IQueryable<string> ModelOptionsQuery(ShaveTrackerDbContext db) =>
        db.AiLogDailyStats.AsNoTracking()
            .GroupBy(s => s.ModelName)
            .Where(g => g.Sum(s => s.Calls) > 0)
            .Select(g => g.Key)
            .OrderBy(m => m);

    internal static IQueryable<ToolOption> ToolOptionsQuery(ShaveTrackerDbContext db) =>
        db.ToolCallDailyStats.AsNoTracking()
            .GroupBy(s => new { s.ServiceName, s.ToolName })
            .Where(g => g.Sum(s => s.Calls) > 0)
            .OrderBy(g => g.Key.ToolName).ThenBy(g => g.Key.ServiceName)
            .Select(g => new ToolOption(g.Key.ServiceName, g.Key.ToolName));

    private static (int Page, int Size) PageOf(LogQuery q)
    {
        var size = Math.Clamp(q.PageSize, 1, LogQuery.PageSizes[^1]);
        // Counts stop at CountLimit and rankings at RankLimit, and so do pages: beyond, the filters need narrowing.
        var reachable = q.Sort == LogSort.Created || q.Search is not null ? LogQuery.CountLimit : LogQuery.RankLimit;
        return (Math.Clamp(q.Page, 0, (reachable - 1) / size), size);
    }

    private static bool IsRanked(LogQuery q, int total) => q.Sort != LogSort.Created && q.Search is null && total > LogQuery.RankLimit;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private static void EnsureCanReview(Caller caller)
    {
        if (!caller.CanReviewAiLogs)
        {
            throw new UnauthorizedAccessException("Only admins can review AI logs and tool calls.");
        }
    }
}
