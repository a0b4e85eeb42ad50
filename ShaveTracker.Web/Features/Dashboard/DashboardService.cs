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
/// created_at indexes (SQL window functions, so no sampled row leaves the database either).</item>
/// </list>
/// Queries run one after another on one short-lived context.
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

    public async Task<StaffDashboard> GetStaffDashboardAsync(Caller caller, CancellationToken ct)
    {
        if (!caller.CanSeeAllShaves)
        {
            throw new UnauthorizedAccessException("Only staff and admins see the dashboard of every shave.");
        }

        var started = Stopwatch.GetTimestamp();
        var window = DashboardWindow.Last(WindowDays, Today());
        await using var db = await factory.CreateDbContextAsync(ct);
        var current = await CurrentByStatusQuery(db).ToListAsync(ct);
        var perDay = await ShavesPerDayQuery(db, window).ToListAsync(ct);
        var toolsPerDay = await ToolCallsPerDayQuery(db, window).ToListAsync(ct);
        var steps = await StepPercentilesQuery(db, window, StepSampleShaves).ToListAsync(ct);
        var models = await ModelPercentilesQuery(db, window, CallSampleSize).ToListAsync(ct);
        var tools = await ToolPercentilesQuery(db, window, CallSampleSize).ToListAsync(ct);
        var failures = await ToolFailuresQuery(db, window, TopCount).ToListAsync(ct);
        var errors = await TopErrorsQuery(db, window, TopCount).ToListAsync(ct);
        LogComputed(logger, "staff", Stopwatch.GetElapsedTime(started).TotalMilliseconds);

        return new StaffDashboard(window, current, perDay, toolsPerDay,
            steps.Select(ToRecord).ToList(), models.Select(ToRecord).Take(TopCount).ToList(), tools.Select(ToRecord).Take(TopCount).ToList(),
            failures, errors);
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

    internal static IQueryable<ErrorTotal> TopErrorsQuery(ShaveTrackerDbContext db, DashboardWindow window, int top)
    {
        var (from, to) = (window.From, window.To);
        return db.StepErrorDailyCounts.AsNoTracking()
            .Where(e => e.Day >= from && e.Day <= to)
            .GroupBy(e => new { e.StepName, e.ErrorMessage })
            .Select(g => new { g.Key.StepName, g.Key.ErrorMessage, Total = g.Sum(e => e.Total) })
            .Where(e => e.Total > 0)
            .OrderByDescending(e => e.Total).ThenBy(e => e.StepName).ThenBy(e => e.ErrorMessage)
            .Take(top)
            .Select(e => new ErrorTotal(e.StepName, e.ErrorMessage, e.Total));
    }

    internal static IQueryable<PercentileRow> StepPercentilesQuery(ShaveTrackerDbContext db, DashboardWindow window, int sampleShaves) =>
        PercentilesQuery(db, db.Database.IsSqlServer() ? SqlServerStepSql : SqliteStepSql, window, sampleShaves);

    internal static IQueryable<PercentileRow> ModelPercentilesQuery(ShaveTrackerDbContext db, DashboardWindow window, int sampleSize) =>
        PercentilesQuery(db, db.Database.IsSqlServer() ? SqlServerModelSql : SqliteModelSql, window, sampleSize);

    internal static IQueryable<PercentileRow> ToolPercentilesQuery(ShaveTrackerDbContext db, DashboardWindow window, int sampleSize) =>
        PercentilesQuery(db, db.Database.IsSqlServer() ? SqlServerToolSql : SqliteToolSql, window, sampleSize);

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

    /// <summary>A row of the percentile SQL; its column names are these property names.</summary>
    internal sealed class PercentileRow
    {
        public string Name { get; set; } = "";
        public string Service { get; set; } = "";
        public long SampleSize { get; set; }
        public long P50Ms { get; set; }
        public long P95Ms { get; set; }
        public long MaxMs { get; set; }
    }

    // ---- Percentile SQL -------------------------------------------------------------------------------------------
    // Window functions are not expressible in LINQ, so these are SQL, one sample per provider ({0} window start, {1}
    // window end, {2} sample size, all parameters) and one ranking shared by both. The samples read the newest rows
    // through the created_at indexes: (created_at, id) for shaves, the covering created_at indexes of ai_logs and
    // tool_calls, so that no megabyte payload is touched.

    private const string SqliteStepSample = """
        WITH recent AS (
            SELECT id FROM shaves
            WHERE created_at >= {0} AND created_at < {1}
            ORDER BY created_at DESC, id DESC
            LIMIT {2}
        ), sample AS (
            SELECT p.step_name AS name, '' AS service,
                   CAST(ROUND((julianday(p.completed_at) - julianday(p.started_at)) * 86400000.0) AS INTEGER) AS d
            FROM recent r JOIN process_steps p ON p.shave_id = r.id
            WHERE p.process_status = 'completed' AND p.completed_at IS NOT NULL
        )
        """;

    private const string SqlServerStepSample = """
        WITH recent AS (
            SELECT TOP ({2}) id FROM shaves
            WHERE created_at >= {0} AND created_at < {1}
            ORDER BY created_at DESC, id DESC
        ), sample AS (
            SELECT p.step_name AS name, N'' AS service, DATEDIFF_BIG(millisecond, p.started_at, p.completed_at) AS d
            FROM recent r JOIN process_steps p ON p.shave_id = r.id
            WHERE p.process_status = N'completed' AND p.completed_at IS NOT NULL
        )
        """;

    private const string SqliteModelSample = """
        WITH sample AS (
            SELECT model_name AS name, '' AS service, duration_ms AS d FROM ai_logs
            WHERE created_at >= {0} AND created_at < {1} AND duration_ms IS NOT NULL
            ORDER BY created_at DESC
            LIMIT {2}
        )
        """;

    private const string SqlServerModelSample = """
        WITH sample AS (
            SELECT TOP ({2}) model_name AS name, N'' AS service, duration_ms AS d FROM ai_logs
            WHERE created_at >= {0} AND created_at < {1} AND duration_ms IS NOT NULL
            ORDER BY created_at DESC
        )
        """;

    private const string SqliteToolSample = """
        WITH sample AS (
            SELECT tool_name AS name, service_name AS service, duration_ms AS d FROM tool_calls
            WHERE created_at >= {0} AND created_at < {1} AND duration_ms IS NOT NULL
            ORDER BY created_at DESC
            LIMIT {2}
        )
        """;

    private const string SqlServerToolSample = """
        WITH sample AS (
            SELECT TOP ({2}) tool_name AS name, service_name AS service, duration_ms AS d FROM tool_calls
            WHERE created_at >= {0} AND created_at < {1} AND duration_ms IS NOT NULL
            ORDER BY created_at DESC
        )
        """;

    /// <summary>Nearest rank: the ⌈p·n/100⌉-th smallest value, (n·p + 99) / 100 in integer arithmetic.</summary>
    private const string Ranking = """
        , ranked AS (
            SELECT name, service, d,
                   ROW_NUMBER() OVER (PARTITION BY service, name ORDER BY d) AS rn,
                   COUNT(*) OVER (PARTITION BY service, name) AS n
            FROM sample
        )
        SELECT name AS Name, service AS Service, CAST(n AS bigint) AS SampleSize,
               CAST(MAX(CASE WHEN rn = (n * 50 + 99) / 100 THEN d END) AS bigint) AS P50Ms,
               CAST(MAX(CASE WHEN rn = (n * 95 + 99) / 100 THEN d END) AS bigint) AS P95Ms,
               CAST(MAX(d) AS bigint) AS MaxMs
        FROM ranked
        GROUP BY service, name, n
        ORDER BY P95Ms DESC, Name, Service
        """;

    private const string SqliteStepSql = SqliteStepSample + Ranking;
    private const string SqlServerStepSql = SqlServerStepSample + Ranking;
    private const string SqliteModelSql = SqliteModelSample + Ranking;
    private const string SqlServerModelSql = SqlServerModelSample + Ranking;
    private const string SqliteToolSql = SqliteToolSample + Ranking;
    private const string SqlServerToolSql = SqlServerToolSample + Ranking;

    /// <summary>Only ever one of the constant statements above; the values travel as parameters.</summary>
    private static IQueryable<PercentileRow> PercentilesQuery(ShaveTrackerDbContext db, string sql, DashboardWindow window, int sampleSize) =>
        db.Database.SqlQueryRaw<PercentileRow>(sql, window.StartUtc, window.EndUtc, sampleSize);

    private static DurationPercentiles ToRecord(PercentileRow r) => new(r.Name, r.Service, r.SampleSize, r.P50Ms, r.P95Ms, r.MaxMs);

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dashboard ({Kind}) computed in {ElapsedMs:0} ms")]
    private static partial void LogComputed(ILogger logger, string kind, double elapsedMs);
}
