using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Dashboard;

/// <summary>The UTC days a dashboard covers, both ends included.</summary>
public sealed record DashboardWindow(DateOnly From, DateOnly To)
{
    public DateTime StartUtc => From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>Exclusive: the start of the day after <see cref="To"/>.</summary>
    public DateTime EndUtc => To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public IReadOnlyList<DateOnly> Days => Enumerable.Range(0, To.DayNumber - From.DayNumber + 1).Select(From.AddDays).ToList();

    /// <summary>The last <paramref name="days"/> days up to and including <paramref name="today"/>.</summary>
    public static DashboardWindow Last(int days, DateOnly today) => new(today.AddDays(-(days - 1)), today);
}

public sealed record StatusTotal(ShaveStatus Status, long Total);

public sealed record DayStatusTotal(DateOnly Day, ShaveStatus Status, long Total);

public sealed record DayCalls(DateOnly Day, long Calls, long Failures);

/// <summary>
/// Nearest-rank percentiles of one group's durations in a bounded sample: p50 is the value at rank ⌈0.5·n⌉ of the n
/// sampled durations in ascending order, p95 at ⌈0.95·n⌉. <see cref="Service"/> is "" except for tools.
/// </summary>
public sealed record DurationPercentiles(string Name, string Service, long SampleSize, long P50Ms, long P95Ms, long MaxMs);

public sealed record ToolFailureRate(string ServiceName, string ToolName, long Calls, long Failures)
{
    public double Rate => Calls == 0 ? 0 : (double)Failures / Calls;
}

/// <summary>Failed steps by step name and error message (its first characters: <see cref="StepErrorDailyCount.MessageLength"/>).</summary>
public sealed record ErrorTotal(string StepName, string Message, long Total)
{
    /// <summary>The newest shave of the window that failed so, when one was found.</summary>
    public Guid? ShaveId { get; init; }
}

public sealed record RecentShave(Guid Id, string Title, ShaveStatus Status, DateTime CreatedAt);

/// <summary>What staff and admins see: every shave, tool call and step of the window.</summary>
public sealed record StaffDashboard(
    DashboardWindow Window,
    IReadOnlyList<StatusTotal> CurrentByStatus,
    IReadOnlyList<DayStatusTotal> ShavesPerDay,
    IReadOnlyList<DayCalls> ToolCallsPerDay,
    IReadOnlyList<DurationPercentiles> Steps,
    IReadOnlyList<DurationPercentiles> Models,
    IReadOnlyList<DurationPercentiles> Tools,
    IReadOnlyList<ToolFailureRate> ToolFailures,
    IReadOnlyList<ErrorTotal> TopErrors)
{
    /// <summary>What the window's model calls cost (tokens reported beside them, priced by model and day).</summary>
    public AiCost? Cost { get; init; }

    public long ShavesInWindow => ShavesPerDay.Sum(d => d.Total);

    public long InWindow(ShaveStatus status) => ShavesPerDay.Where(d => d.Status == status).Sum(d => d.Total);

    public long Current(ShaveStatus status) => CurrentByStatus.Where(s => s.Status == status).Sum(s => s.Total);
}

/// <summary>What a requester sees: their own shaves only.</summary>
public sealed record RequesterDashboard(
    DashboardWindow Window,
    IReadOnlyList<StatusTotal> ByStatus,
    IReadOnlyList<DayStatusTotal> ShavesPerDay,
    IReadOnlyList<RecentShave> Recent)
{
    public long Total => ByStatus.Sum(s => s.Total);

    public long Count(ShaveStatus status) => ByStatus.Where(s => s.Status == status).Sum(s => s.Total);
}

/// <summary>Ratios of totals the database has already counted.</summary>
public static class DashboardRates
{
    /// <summary>Failed among the shaves that finished (Completed or Failed); null when none did. Cancelled is a person's choice, not a failure.</summary>
    public static double? FailureRate(long failed, long completed) =>
        failed + completed == 0 ? null : (double)failed / (failed + completed);

    /// <summary>The shave failure rate of each day of the window, null on days where no shave finished.</summary>
    public static IReadOnlyList<double?> ShaveFailureRatePerDay(DashboardWindow window, IReadOnlyList<DayStatusTotal> perDay) =>
        window.Days.Select(day => FailureRate(
                perDay.Where(d => d.Day == day && d.Status == ShaveStatus.Failed).Sum(d => d.Total),
                perDay.Where(d => d.Day == day && d.Status == ShaveStatus.Completed).Sum(d => d.Total)))
            .ToList();

    /// <summary>Failed tool calls among the day's calls, null on days without calls.</summary>
    public static IReadOnlyList<double?> ToolFailureRatePerDay(DashboardWindow window, IReadOnlyList<DayCalls> perDay) =>
        window.Days.Select(day => perDay.FirstOrDefault(d => d.Day == day) is { Calls: > 0 } d ? (double)d.Failures / d.Calls : (double?)null)
            .ToList();
}

/// <summary>Tokens and cost of one model or project over the window. <see cref="CostUsd"/> counts its priced calls only.</summary>
public sealed record CostTotal(string Name, Guid? Id, long Calls, long InputTokens, long OutputTokens, double CostUsd, long UnpricedCalls);

/// <summary>
/// What the window's model calls cost: per day (aligned with <see cref="DashboardWindow.Days"/>), per model and per
/// project, highest first. Calls whose model has no price on their day count in the tokens and in
/// <see cref="UnpricedCalls"/>, not in the cost.
/// </summary>
public sealed record AiCost(
    IReadOnlyList<double> CostPerDay,
    IReadOnlyList<CostTotal> Models,
    IReadOnlyList<CostTotal> Projects,
    long Calls,
    long InputTokens,
    long OutputTokens,
    double CostUsd,
    long UnpricedCalls)
{
    public static AiCost Empty(DashboardWindow window) => new([.. window.Days.Select(_ => 0d)], [], [], 0, 0, 0, 0, 0);

    internal static AiCost From(DashboardWindow window, IReadOnlyList<UsageGroup> groups, PriceBook prices, IReadOnlyDictionary<Guid, string> projectNames)
    {
        var priced = groups.Select(g =>
        {
            var price = prices.Find(g.ModelName, g.Day);
            return (Group: g, Cost: price is null ? (double?)null : (g.InputTokens * price.InputUsdPerMillion + g.OutputTokens * price.OutputUsdPerMillion) / 1_000_000d);
        }).ToList();

        static CostTotal Total(string name, Guid? id, IEnumerable<(UsageGroup Group, double? Cost)> rows)
        {
            var list = rows.ToList();
            return new CostTotal(name, id, list.Sum(r => r.Group.Calls), list.Sum(r => r.Group.InputTokens), list.Sum(r => r.Group.OutputTokens),
                list.Sum(r => r.Cost ?? 0), list.Where(r => r.Cost is null).Sum(r => r.Group.Calls));
        }

        var perDay = window.Days.Select(d => priced.Where(p => DateOnly.FromDateTime(p.Group.Day) == d).Sum(p => p.Cost ?? 0)).ToList();
        var models = priced.GroupBy(p => p.Group.ModelName, StringComparer.Ordinal)
            .Select(g => Total(g.Key, null, g)).OrderByDescending(t => t.CostUsd).ThenByDescending(t => t.InputTokens + t.OutputTokens).ToList();
        var projects = priced.GroupBy(p => p.Group.ProjectId)
            .Select(g => Total(g.Key is { } id ? projectNames.GetValueOrDefault(id, "(deleted project)") : "No project", g.Key, g))
            .OrderByDescending(t => t.CostUsd).ThenByDescending(t => t.InputTokens + t.OutputTokens).ToList();
        return new AiCost(perDay, models, projects, priced.Sum(p => p.Group.Calls), priced.Sum(p => p.Group.InputTokens),
            priced.Sum(p => p.Group.OutputTokens), priced.Sum(p => p.Cost ?? 0), priced.Where(p => p.Cost is null).Sum(p => p.Group.Calls));
    }
}
