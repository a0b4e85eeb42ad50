using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ShaveTracker.Data;

namespace ShaveTracker.Web.Features.Health;

/// <summary>
/// Healthy only when the database answers a real query against the schema: for SQLite a missing file would
/// otherwise be re-created empty and "connect" fine.
/// </summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<ShaveTrackerDbContext> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await using var db = await factory.CreateDbContextAsync(timeout.Token);
            await db.Users.AsNoTracking().AnyAsync(timeout.Token);
            return HealthCheckResult.Healthy("The database answers.");
        }
#pragma warning disable CA1031 // Any failure to reach the database is, by definition, "unhealthy".
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}
