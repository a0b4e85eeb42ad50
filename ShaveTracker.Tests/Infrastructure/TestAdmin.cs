using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// An admin for tests that need one to act (create an API key, delete a shave): a user with the Admin role in the
/// database, since privileged writes re-read the acting user's roles there.
/// </summary>
public static class TestAdmin
{
    public static Task<Caller> CreateAsync(IServiceProvider services) =>
        CreateAsync(services.GetRequiredService<IDbContextFactory<ShaveTrackerDbContext>>());

    public static async Task<Caller> CreateAsync(IDbContextFactory<ShaveTrackerDbContext> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var user = new User { Id = Ids.NewId(), AuthProvider = AuthProvider.Local, DisplayName = "Test Admin", CreatedAt = DateTime.UtcNow };
        await using var db = await factory.CreateDbContextAsync();
        db.Users.Add(user);
        db.UserRoles.Add(new UserRole { UserId = user.Id, Role = Roles.Admin, GrantedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return new Caller(user.Id, user.DisplayName, IsStaff: false, IsAdmin: true);
    }

    /// <summary>
    /// An API key made by a passing admin who is then removed again, so that tests counting users see only their own.
    /// (A key does not depend on its creator's row.)
    /// </summary>
    public static async Task<CreatedApiKey> CreateApiKeyAsync(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        var factory = services.GetRequiredService<IDbContextFactory<ShaveTrackerDbContext>>();
        var admin = await CreateAsync(factory);
        var created = await services.GetRequiredService<ApiKeyService>().CreateAsync(admin, name, ApiKeyLifetimes.DefaultDays, default);
        await using var db = await factory.CreateDbContextAsync();
        await db.Users.Where(u => u.Id == admin.UserId).ExecuteDeleteAsync();
        return created.Succeeded && created.Current is { } key
            ? key
            : throw new InvalidOperationException($"The test admin could not create an API key: {created.Outcome} {created.Message}");
    }

    /// <summary>Gives an existing user the Admin role in the database and returns them as the caller.</summary>
    public static async Task<Caller> GrantAsync(IDbContextFactory<ShaveTrackerDbContext> factory, User user)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await factory.CreateDbContextAsync();
        if (!await db.UserRoles.AnyAsync(r => r.UserId == user.Id && r.Role == Roles.Admin))
        {
            db.UserRoles.Add(new UserRole { UserId = user.Id, Role = Roles.Admin, GrantedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        return new Caller(user.Id, user.DisplayName, IsStaff: false, IsAdmin: true);
    }
}
