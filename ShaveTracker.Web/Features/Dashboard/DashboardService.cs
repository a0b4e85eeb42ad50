using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.Features.Dashboard;

public sealed record StatusCount(ShaveStatus Status, int Count);

public sealed record DashboardSummary(int TotalShaves, IReadOnlyList<StatusCount> ByStatus, int Projects, int ActiveProjects);

public sealed class DashboardService(IDbContextFactory<ShaveTrackerDbContext> factory)
{
    /// <summary>Counts are grouped in the database; no shave row is loaded.</summary>
    public async Task<DashboardSummary> GetSummaryAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var byStatus = await db.Shaves.AsNoTracking()
            .GroupBy(s => s.ShaveStatus)
            .Select(g => new StatusCount(g.Key, g.Count()))
            .ToListAsync(ct);
        var projects = await db.Projects.AsNoTracking()
            .GroupBy(p => p.IsActive)
            .Select(g => new { Active = g.Key, Count = g.Count() })
            .ToListAsync(ct);

        var ordered = Enum.GetValues<ShaveStatus>()
            .Select(s => new StatusCount(s, byStatus.FirstOrDefault(b => b.Status == s)?.Count ?? 0))
            .ToList();
        return new DashboardSummary(
            ordered.Sum(s => s.Count),
            ordered,
            projects.Sum(p => p.Count),
            projects.Where(p => p.Active).Sum(p => p.Count));
    }
}
