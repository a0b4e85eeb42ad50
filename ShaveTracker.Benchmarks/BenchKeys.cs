using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Benchmarks;

/// <summary>
/// API keys for the benchmark's and the soak's pipeline clients, made as the app makes them: by an admin the
/// database knows (creating a key re-reads the acting user's roles), so a refusal is an error here, not a null key.
/// </summary>
internal static class BenchKeys
{
    public static async Task<string> CreateAsync(IDbContextFactory<ShaveTrackerDbContext> factory, string purpose)
    {
        var admin = new User { Id = Ids.NewId(), AuthProvider = AuthProvider.Local, DisplayName = $"{purpose} key maker", CreatedAt = DateTime.UtcNow };
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.AddRange(admin, new UserRole { UserId = admin.Id, Role = Roles.Admin, GrantedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var keys = new ApiKeyService(factory, TimeProvider.System, NullLogger<ApiKeyService>.Instance);
        var created = await keys.CreateAsync(new Caller(admin.Id, admin.DisplayName, IsStaff: false, IsAdmin: true),
            $"{purpose} {DateTime.UtcNow:O}", lifetimeDays: 1, default);
        return created is { Succeeded: true, Current: { } key }
            ? key.Key
            : throw new InvalidOperationException($"The {purpose} could not create its API key: {created.Outcome} {created.Message}");
    }
}
