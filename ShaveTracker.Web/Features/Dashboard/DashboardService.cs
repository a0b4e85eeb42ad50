using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Dashboard;

/// <summary>
/// The dashboard's numbers, every one of them computed by the database over a bounded amount of data, whatever the
/// size of the tables:
/// <list type="bullet">
/// <item>counts come from the per-day totals (shave_daily_counts, tool_call_daily_stats, step_error_daily_counts) and
/// shave_counts, which triggers keep exact: a 30-day window is a few hundred rows;</item>
/// <item>percentiles are nearest-rank over a bounded sample of the newest rows of the window, read through the
/// created_at indexes. The database returns the sample (a few thousand (name, duration) pairs) and the ranking is done
/// here: measured at 1M shaves, SQLite's window functions spent ~40 ms sorting an 8,500-row step sample that .NET
/// sorts in well under a millisecond, and one LINQ sample query serves both providers instead of two SQL dialects.</item>
/// </list>
/// The duration samples are read on three short-lived contexts at once; the rest one after another on one of them.
/// </summary>
public sealed partial class DashboardService(
    IDbContextFactory<ShaveTrackerDbContext> factory,
    TimeProvider clock,
    ILogger<DashboardService> logger)
{
    public const int WindowDays = 30;

    /// <summary>Step durations are sampled from the completed steps of this many of the newest shaves of the window.</summary>
    public const int StepSampleShaves = 1_000;

    /// <summary>Model and tool durations are sampled from this many of the newest calls of the window.</summary>
    public const int CallSampleSize = 5_000;

    public const int TopCount = 10;

    /// <summary>A top error links to the newest shave that had it among this many of the newest shaves of the window.</summary>
    public const int ErrorSearchShaves = 5_000;

    public async Task<StaffDashboard> GetStaffDashboardAsync(Caller caller, CancellationToken ct)
    {
        if (!caller.CanSeeAllShaves)
        {
            throw new UnauthorizedAccessException("Only staff and admins see the dashboard of every shave.");
        }

        var started = Stopwatch.GetTimestamp();
        var window = DashboardWindow.Last(WindowDays, Today());
        // The three duration samples (some 20,000 rows read and ranked) are most of the work: the step and tool samples
        // are read on threads and connections of their own while this one reads the model sample and the counts, as
        // SQLite's driver reads on the calling thread even when asked asynchronously.
        var stepsTask = Task.Run(() => SampleAsync(
            // A dynamic step (executing_task:batch-41) is one run of its kind: its durations count under the kind.
            db => StepSampleQuery(db, window, StepSampleShaves), s => s with { Name = PipelineWords.StepKind(s.Name) }, ct), ct);
        var toolsTask = Task.Run(() => SampleAsync(db => ToolSampleQuery(db, window, CallSampleSize), s => s, ct), ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var models = Percentiles(await ModelSampleQuery(db, window, CallSampleSize).ToListAsync(ct));
        var current = await CurrentByStatusQuery(db).ToListAsync(ct);
        var perDay = await ShavesPerDayQuery(db, window).ToListAsync(ct);
        var toolsPerDay = await ToolCallsPerDayQuery(db, window).ToListAsync(ct);
        var failures = await ToolFailuresQuery(db, window, TopCount).ToListAsync(ct);
        var errors = new List<ErrorTotal>();
        foreach (var error in await TopErrorsQuery(db, window, TopCount).ToListAsync(ct))
        {
            // Step errors are pipeline text: a leaked header or connection string in one is masked like everywhere else
            // (after the shave is found by the text as it was stored).
            var shave = await NewestShaveWithErrorQuery(db, window, error.StepName, error.Message).FirstOrDefaultAsync(ct);
            errors.Add(error with { Message = SecretMasker.Apply(error.Message) ?? "", ShaveId = shave });
        }

        var cost = await CostAsync(db, window, ct);
        var steps = await stepsTask;
        var tools = await toolsTask;
        LogComputed(logger, "staff", Stopwatch.GetElapsedTime(started).TotalMilliseconds);

        return new StaffDashboard(window, current, perDay, toolsPerDay,
            steps, models.Take(TopCount).ToList(), tools.Take(TopCount).ToList(), failures, errors) { Cost = cost };
    }

    private async Task<List<DurationPercentiles>> SampleAsync(Func<ShaveTrackerDbContext, IQueryable<DurationSample>> query,
        Func<DurationSample, DurationSample> map, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return Percentiles((await query(db).ToListAsync(ct)).Select(map));
    }

    /// <summary>Anyone signed in: their own shaves only, whatever their role.</summary>
    public async Task<RequesterDashboard> GetRequesterDashboardAsync(Caller caller, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var window = DashboardWindow.Last(WindowDays, Today());
        await using var db = await factory.CreateDbContextAsync(ct);
        var byStatus = await RequesterByStatusQuery(db, caller.UserId).ToListAsync(ct);
        var perDay = await RequesterPerDayQuery(db, caller.UserId, window).ToListAsync(ct);
        var recent = await RecentShavesQuery(db, caller.UserId, 8).ToListAsync(ct);
        LogComputed(logger, "requester", Stopwatch.GetElapsedTime(started).TotalMilliseconds);

        return new RequesterDashboard(window, byStatus,
            perDay.Select(d => new DayStatusTotal(DateOnly.FromDateTime(d.Day), d.Status, d.Total)).ToList(), recent);
    }

    // ---- Queries (internal so that tests can check their SQL on both providers) ---------------------------------

    /// <summary>Every shave by its status now (shave_counts: exact, a handful of rows).</summary>
    internal static IQueryable<StatusTotal> CurrentByStatusQuery(ShaveTrackerDbContext db) =>
        db.ShaveCounts.AsNoTracking()
            .Where(c => c.Dimension == ShaveCount.All && c.DimKey == "" && c.Total > 0)
            .Select(c => new StatusTotal(c.ShaveStatus, c.Total));

    internal static IQueryable<DayStatusTotal> ShavesPerDayQuery(ShaveTrackerDbContext db, DashboardWindow window)
    {
        var (from, to) = (window.From, window.To);
        return db.ShaveDailyCounts.AsNoTracking()
            .Where(d => d.Day >= from && d.Day <= to && d.Total > 0)
            .OrderBy(d => d.Day).ThenBy(d => d.ShaveStatus)
            .Select(d => new DayStatusTotal(d.Day, d.ShaveStatus, d.Total));
    }

    internal static IQueryable<DayCalls> ToolCallsPerDayQuery(ShaveTrackerDbContext db, DashboardWindow window)
    {
        var (from, to) = (window.From, window.To);
        return db.ToolCallDailyStats.AsNoTracking()
            .Where(d => d.Day >= from && d.Day <= to)
            .GroupBy(d => d.Day)
            .Select(g => new { Day = g.Key, Calls = g.Sum(d => d.Calls), Failures = g.Sum(d => d.Failures) })
            .Where(d => d.Calls > 0)
            .OrderBy(d => d.Day)
            .Select(d => new DayCalls(d.Day, d.Calls, d.Failures));
    }

    /// <summary>Failed calls ÷ calls per tool over the window, worst first.</summary>
    internal static IQueryable<ToolFailureRate> ToolFailuresQuery(ShaveTrackerDbContext db, DashboardWindow window, int top)
    {
        var (from, to) = (window.From, window.To);
        return db.ToolCallDailyStats.AsNoTracking()
            .Where(d => d.Day >= from && d.Day <= to)
            .GroupBy(d => new { d.ServiceName, d.ToolName })
            .Select(g => new { g.Key.ServiceName, g.Key.ToolName, Calls = g.Sum(d => d.Calls), Failures = g.Sum(d => d.Failures) })
            .Where(t => t.Calls > 0)
            .OrderByDescending(t => (double)t.Failures / t.Calls).ThenByDescending(t => t.Failures)
            .ThenBy(t => t.ToolName).ThenBy(t => t.ServiceName)
            .Take(top)
            .Select(t => new ToolFailureRate(t.ServiceName, t.ToolName, t.Calls, t.Failures));
    }

    // A field, not a literal: the database is asked for the position of a string (instr, CHARINDEX), which both
    // providers translate, where a char would have to be converted first.
    private static readonly string KindSeparator = ":";

    /// <summary>
    /// Failed steps by kind (the part of the name before <c>:</c>, as <see cref="PipelineWords.StepKind"/>) and message
    /// opening, most frequent first.
    /// </summary>
    internal static IQueryable<ErrorTotal> TopErrorsQuery(ShaveTrackerDbContext db, DashboardWindow window, int top)
    {
        var (from, to) = (window.From, window.To);
        return db.StepErrorDailyCounts.AsNoTracking()
            .Where(e => e.Day >= from && e.Day <= to)
            .Select(e => new
            {
                StepName = e.StepName.IndexOf(KindSeparator) > 0 ? e.StepName.Substring(0, e.StepName.IndexOf(KindSeparator)) : e.StepName,
                e.ErrorMessage,
                e.Total,
            })
            .GroupBy(e => new { e.StepName, e.ErrorMessage })
            .Select(g => new { g.Key.StepName, g.Key.ErrorMessage, Total = g.Sum(e => e.Total) })
            .Where(e => e.Total > 0)
            .OrderByDescending(e => e.Total).ThenBy(e => e.StepName).ThenBy(e => e.ErrorMessage)
            .Take(top)
            .Select(e => new ErrorTotal(e.StepName, e.ErrorMessage, e.Total));
    }

    /// <summary>
    /// The newest shave with a failed step of this kind and this message opening (the opening the daily counts keep)
    /// started in the window: the shaves newest first through the (created_at, id) index, whenever they were created (an
    /// old shave re-queued fails again today), each one's steps through (shave_id, started_at), so a frequent error is
    /// found after a few shaves. Only the newest <see cref="ErrorSearchShaves"/> shaves are looked at.
    /// </summary>
    internal static IQueryable<Guid?> NewestShaveWithErrorQuery(ShaveTrackerDbContext db, DashboardWindow window, string stepKind, string message)
    {
        var (start, end) = (window.StartUtc, window.EndUtc);
        var dynamicStep = stepKind + KindSeparator;
        return db.Shaves.AsNoTracking()
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Take(ErrorSearchShaves)
            .Where(s => db.ProcessSteps.Any(p => p.ShaveId == s.Id && p.StartedAt >= start && p.StartedAt < end &&
                                                 p.ProcessStatus == ProcessStatus.Failed &&
                                                 (p.StepName == stepKind || p.StepName.StartsWith(dynamicStep)) &&
                                                 (message == ""
                                                     ? p.ErrorMessage == null || p.ErrorMessage == ""
                                                     : p.ErrorMessage != null && p.ErrorMessage.StartsWith(message))))
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Select(s => (Guid?)s.Id);
    }

    /// <summary>
    /// The completed steps of the newest <paramref name="sampleShaves"/> shaves of the window: the shaves through the
    /// (created_at, id) index, their steps through (shave_id, started_at).
    /// </summary>
    internal static IQueryable<DurationSample> StepSampleQuery(ShaveTrackerDbContext db, DashboardWindow window, int sampleShaves)
    {
        var (start, end) = (window.StartUtc, window.EndUtc);
        var recent = db.Shaves.AsNoTracking()
            .Where(s => s.CreatedAt >= start && s.CreatedAt < end)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Take(sampleShaves)
            .Select(s => s.Id);
        return db.ProcessSteps.AsNoTracking()
            .Where(p => recent.Contains(p.ShaveId) && p.ProcessStatus == ProcessStatus.Completed && p.CompletedAt != null)
            .Select(p => new DurationSample(p.StepName, "", p.StartedAt, p.CompletedAt, null));
    }

    /// <summary>The newest <paramref name="sampleSize"/> timed model calls of the window, from the covering (created_at, model_name, duration_ms, …) index.</summary>
    internal static IQueryable<DurationSample> ModelSampleQuery(ShaveTrackerDbContext db, DashboardWindow window, int sampleSize)
    {
        var (start, end) = (window.StartUtc, window.EndUtc);
        return db.AiLogs.AsNoTracking()
            .Where(l => l.CreatedAt >= start && l.CreatedAt < end && l.DurationMs != null)
            .OrderByDescending(l => l.CreatedAt)
            .Take(sampleSize)
            .Select(l => new DurationSample(l.ModelName, "", null, null, l.DurationMs));
    }

    /// <summary>The newest <paramref name="sampleSize"/> timed tool calls of the window, from the covering (created_at, tool_name, …) index.</summary>
    internal static IQueryable<DurationSample> ToolSampleQuery(ShaveTrackerDbContext db, DashboardWindow window, int sampleSize)
    {
        var (start, end) = (window.StartUtc, window.EndUtc);
        return db.ToolCalls.AsNoTracking()
            .Where(t => t.CreatedAt >= start && t.CreatedAt < end && t.DurationMs != null)
            .OrderByDescending(t => t.CreatedAt)
            .Take(sampleSize)
            .Select(t => new DurationSample(t.ToolName, t.ServiceName, null, null, t.DurationMs));
    }

    /// <summary>
    /// Nearest-rank p50/p95 and the maximum per (service, name) of a bounded sample, slowest p95 first: the value at
    /// rank ⌈p·n/100⌉ of the n durations in ascending order.
    /// </summary>
    internal static List<DurationPercentiles> Percentiles(IEnumerable<DurationSample> sample) =>
        sample
            .Select(s => (s.Name, s.Service, Ms: s.Milliseconds))
            .GroupBy(s => (s.Service, s.Name))
            .Select(g =>
            {
                var sorted = g.Select(s => s.Ms).Order().ToArray();
                long Rank(int p) => sorted[((sorted.Length * p) + 99) / 100 - 1];
                return new DurationPercentiles(g.Key.Name, g.Key.Service, sorted.Length, Rank(50), Rank(95), sorted[^1]);
            })
            .OrderByDescending(p => p.P95Ms).ThenBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Service, StringComparer.Ordinal)
            .ToList();

    internal static IQueryable<StatusTotal> RequesterByStatusQuery(ShaveTrackerDbContext db, Guid requesterId)
    {
        var key = ShaveCount.KeyOf(requesterId);
        return db.ShaveCounts.AsNoTracking()
            .Where(c => c.Dimension == ShaveCount.Requester && c.DimKey == key && c.Total > 0)
            .Select(c => new StatusTotal(c.ShaveStatus, c.Total));
    }

    /// <summary>One requester's shaves per day and status, through the (requester_id, created_at) index.</summary>
    internal static IQueryable<RequesterDay> RequesterPerDayQuery(ShaveTrackerDbContext db, Guid requesterId, DashboardWindow window)
    {
        var (start, end) = (window.StartUtc, window.EndUtc);
        return db.Shaves.AsNoTracking()
            .Where(s => s.RequesterId == requesterId && s.CreatedAt >= start && s.CreatedAt < end)
            .GroupBy(s => new { s.CreatedAt.Date, s.ShaveStatus })
            .Select(g => new RequesterDay { Day = g.Key.Date, Status = g.Key.ShaveStatus, Total = g.LongCount() });
    }

    internal static IQueryable<RecentShave> RecentShavesQuery(ShaveTrackerDbContext db, Guid requesterId, int count) =>
        db.Shaves.AsNoTracking()
            .Where(s => s.RequesterId == requesterId)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Take(count)
            .Select(s => new RecentShave(s.Id, s.Title, s.ShaveStatus, s.CreatedAt));

    internal sealed class RequesterDay
    {
        public DateTime Day { get; init; }
        public ShaveStatus Status { get; init; }
        public long Total { get; init; }
    }

    /// <summary>
    /// One sampled duration: a step's from its two timestamps (rounded to the millisecond, the same on both providers),
    /// a call's as it was reported.
    /// </summary>
    internal sealed record DurationSample(string Name, string Service, DateTime? StartedAt, DateTime? CompletedAt, int? DurationMs)
    {
        public long Milliseconds => DurationMs
            ?? (long)Math.Round((CompletedAt!.Value - StartedAt!.Value).TotalMilliseconds, MidpointRounding.AwayFromZero);
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dashboard ({Kind}) computed in {ElapsedMs:0} ms")]
    private static partial void LogComputed(ILogger logger, string kind, double elapsedMs);
}
