using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>The signed-in user of a bUnit component test: a real users row, and the claims the app reads from it.</summary>
public static class BunitSignIn
{
    /// <summary>Signs the user in; the returned context changes their roles later, as a role removed in an open tab.</summary>
    public static BunitAuthorizationContext SignIn(BunitContext context, User user, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        var auth = context.AddAuthorization();
        auth.SetAuthorized(user.DisplayName);
        SetRoles(auth, user, roles);
        return auth;
    }

    /// <summary>
    /// The user's roles from now on, as one change of authentication state (the pages open get it). The roles are role
    /// claims beside the user's own: bUnit's SetRoles would replace the claims, showing the pages a user with no id
    /// in between.
    /// </summary>
    public static void SetRoles(BunitAuthorizationContext auth, User user, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(user);
        auth.SetClaims([
            new Claim(ClaimNames.UserId, user.Id.ToString()), new Claim(ClaimNames.Name, user.DisplayName),
            .. roles.Select(r => new Claim(ClaimTypes.Role, r)),
        ]);
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
