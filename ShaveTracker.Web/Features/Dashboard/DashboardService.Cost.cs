using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Dashboard;

// What the window's model calls cost: tokens summed by the database per day, model and project (from ai_log_usage and
// its window index alone; a call without tokens has no row there), priced here by each model's price on each day.
// Prices start on a UTC day, so a day's tokens of one model have one price, and the sums are exact.
public sealed partial class DashboardService
{
    /// <summary>Tokens of the window per UTC day, model and project (the shave's project now; null: none).</summary>
    internal static IQueryable<UsageGroup> UsagePerDayQuery(ShaveTrackerDbContext db, DashboardWindow window) =>
        from u in db.AiLogUsages.AsNoTracking()
        where u.CreatedAt >= window.StartUtc && u.CreatedAt < window.EndUtc
        join s in db.Shaves.AsNoTracking() on u.ShaveId equals s.Id
        group u by new { Day = u.CreatedAt.Date, u.ModelName, s.ProjectId } into g
        select new UsageGroup(g.Key.Day, g.Key.ModelName, g.Key.ProjectId,
            g.Sum(x => (long)(x.InputTokens ?? 0)), g.Sum(x => (long)(x.OutputTokens ?? 0)), g.LongCount());

    private static async Task<AiCost> CostAsync(ShaveTrackerDbContext db, DashboardWindow window, CancellationToken ct)
    {
        var groups = await UsagePerDayQuery(db, window).ToListAsync(ct);
        if (groups.Count == 0)
        {
            return AiCost.Empty(window);
        }

        var prices = await PriceBook.LoadAsync(db, ct);
        var projectIds = groups.Select(g => g.ProjectId).OfType<Guid>().Distinct().ToList();
        var projectNames = await db.Projects.AsNoTracking().Where(p => projectIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return AiCost.From(window, groups, prices, projectNames);
    }
}

internal sealed record UsageGroup(DateTime Day, string ModelName, Guid? ProjectId, long InputTokens, long OutputTokens, long Calls);
