using System.Security.Claims;
using Bunit;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>The signed-in user of a bUnit component test: a real users row, and the claims the app reads from it.</summary>
public static class BunitSignIn
{
    public static void SignIn(BunitContext context, User user, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        var auth = context.AddAuthorization();
        auth.SetAuthorized(user.DisplayName);
        // Roles first: in bUnit 2 a later SetRoles replaces the claims set before it.
        auth.SetRoles(roles);
        auth.SetClaims(new Claim(ClaimNames.UserId, user.Id.ToString()), new Claim(ClaimNames.Name, user.DisplayName));
    }

    public static async Task<User> AddUserAsync(SqliteDatabaseFixture database, string name)
    {
        ArgumentNullException.ThrowIfNull(database);
        var user = new User { Id = Ids.NewId(), AuthProvider = AuthProvider.Microsoft, DisplayName = name, CreatedAt = DateTime.UtcNow };
        await using var db = await database.Factory.CreateDbContextAsync();
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }
}
