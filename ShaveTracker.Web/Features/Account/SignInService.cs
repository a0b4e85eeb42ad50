using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Account;

public enum LocalSignInOutcome
{
    Succeeded,
    InvalidCredentials,
    LockedOut,
    Disabled,
}

public sealed record LocalSignInResult(LocalSignInOutcome Outcome, ClaimsPrincipal? Principal = null, DateTime? LockedUntil = null);

/// <summary>
/// Turns a proven identity (an Entra token, or a local username + password) into ShaveTracker's principal: the
/// <c>users</c> row created or kept current, roles from the token, the database and the bootstrap list.
/// </summary>
public sealed partial class SignInService(
    IDbContextFactory<ShaveTrackerDbContext> factory,
    IOptions<LocalAccountOptions> localOptions,
    IOptions<BootstrapOptions> bootstrap,
    TimeProvider clock,
    ILogger<SignInService> logger)
{
    private static readonly PasswordHasher<LocalAccount> Hasher = new();

    // A real hash of a throw-away password: verifying against it costs what a real check costs, so a response's
    // timing does not tell whether a username exists.
    private static readonly string DummyHash = Hasher.HashPassword(new LocalAccount(), Guid.NewGuid().ToString());

    public static string HashPassword(LocalAccount account, string password) => Hasher.HashPassword(account, password);

    public async Task<ClaimsPrincipal> SignInMicrosoftAsync(Guid objectId, string? displayName, string? tenantId,
        IEnumerable<string> appRoles, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var name = string.IsNullOrWhiteSpace(displayName) ? "Microsoft user" : displayName.Trim();
        if (name.Length > 256)
        {
            name = name[..256];
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == objectId, ct);
        if (user is null)
        {
            user = new User { Id = objectId, AuthProvider = AuthProvider.Microsoft, DisplayName = name, CreatedAt = now };
            db.Users.Add(user);
            LogUserCreated(logger, objectId, "microsoft");
        }
        else if (user.DisplayName != name)
        {
            user.DisplayName = name;
        }

        await RecordSignInAsync(db, objectId, now, ct);
        await db.SaveChangesAsync(ct);

        var entraRoles = appRoles
            .Select(r => Roles.FromEntraAppRoles.TryGetValue(r, out var mapped) ? mapped : null)
            .OfType<string>()
            .Distinct()
            .ToList();
        var roles = await ResolveRolesAsync(db, objectId, null, entraRoles, ct);

        var claims = new List<Claim> { new("oid", objectId.ToString()) };
        if (!string.IsNullOrEmpty(tenantId))
        {
            claims.Add(new Claim("tid", tenantId));
        }

        claims.AddRange(entraRoles.Select(r => new Claim(ClaimNames.EntraRole, r)));
        return BuildPrincipal(user.Id, user.DisplayName, AuthProvider.Microsoft, null, roles, now, claims);
    }

    public async Task<LocalSignInResult> SignInLocalAsync(string userName, string password, CancellationToken ct)
    {
        if (!localOptions.Value.Enabled)
        {
            return new LocalSignInResult(LocalSignInOutcome.Disabled);
        }

        var normalized = userName.Trim().ToLowerInvariant();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        var account = await db.LocalAccounts.Include(a => a.User).FirstOrDefaultAsync(a => a.UserName == normalized, ct);
        if (account?.User is null)
        {
            Hasher.VerifyHashedPassword(new LocalAccount(), DummyHash, password);
            LogLocalSignInFailed(logger, normalized, "unknown user");
            return new LocalSignInResult(LocalSignInOutcome.InvalidCredentials);
        }

        if (account.LockoutEndsAt is { } until && until > now)
        {
            LogLocalSignInFailed(logger, normalized, "locked out");
            return new LocalSignInResult(LocalSignInOutcome.LockedOut, LockedUntil: until);
        }

        var verdict = Hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            account.FailedSignInCount++;
            var o = localOptions.Value;
            if (account.FailedSignInCount >= o.MaxFailedAttempts)
            {
                account.LockoutEndsAt = now.AddMinutes(o.LockoutMinutes);
                account.FailedSignInCount = 0;
                await db.SaveChangesAsync(ct);
                LogLockedOut(logger, normalized, account.LockoutEndsAt.Value);
                return new LocalSignInResult(LocalSignInOutcome.LockedOut, LockedUntil: account.LockoutEndsAt);
            }

            await db.SaveChangesAsync(ct);
            LogLocalSignInFailed(logger, normalized, "wrong password");
            return new LocalSignInResult(LocalSignInOutcome.InvalidCredentials);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.PasswordHash = Hasher.HashPassword(account, password);
        }

        account.FailedSignInCount = 0;
        account.LockoutEndsAt = null;
        await RecordSignInAsync(db, account.UserId, now, ct);
        await db.SaveChangesAsync(ct);

        var roles = await ResolveRolesAsync(db, account.UserId, account.UserName, [], ct);
        LogSignedIn(logger, account.UserId, "local");
        return new LocalSignInResult(LocalSignInOutcome.Succeeded,
            BuildPrincipal(account.UserId, account.User.DisplayName, AuthProvider.Local, account.UserName, roles, now, []));
    }

    /// <summary>
    /// Re-reads a signed-in user's roles (called by the cookie every minute), so a grant or removal takes effect
    /// without a new sign-in. Null when the user no longer exists: the cookie is then rejected.
    /// </summary>
    public async Task<ClaimsPrincipal?> RefreshAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirst(ClaimNames.UserId)?.Value, out var userId))
        {
            return null;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return null;
        }

        var userName = principal.FindFirst(ClaimNames.UserName)?.Value;
        var entraRoles = principal.FindAll(ClaimNames.EntraRole).Select(c => c.Value).ToList();
        var roles = await ResolveRolesAsync(db, userId, userName, entraRoles, ct);
        var keep = principal.Claims.Where(c => c.Type is "oid" or "tid" or ClaimNames.EntraRole).ToList();
        return BuildPrincipal(userId, user.DisplayName, user.AuthProvider, userName, roles, clock.GetUtcNow().UtcDateTime, keep);
    }

    private async Task<List<string>> ResolveRolesAsync(ShaveTrackerDbContext db, Guid userId, string? userName,
        IReadOnlyCollection<string> entraRoles, CancellationToken ct)
    {
        var stored = await db.UserRoles.AsNoTracking().Where(r => r.UserId == userId).Select(r => r.Role).ToListAsync(ct);
        var roles = new HashSet<string>(entraRoles, StringComparer.Ordinal);
        roles.UnionWith(stored.Where(r => Roles.Assignable.Contains(r)));
        if (bootstrap.Value.IsBootstrapAdmin(userId, userName))
        {
            roles.Add(Roles.Admin);
        }

        return [.. roles.Order(StringComparer.Ordinal)];
    }

    private static async Task RecordSignInAsync(ShaveTrackerDbContext db, Guid userId, DateTime now, CancellationToken ct)
    {
        var signIn = await db.UserSignIns.FirstOrDefaultAsync(s => s.UserId == userId, ct);
        if (signIn is null)
        {
            db.UserSignIns.Add(new UserSignIn { UserId = userId, LastSignInAt = now, SignInCount = 1 });
        }
        else
        {
            signIn.LastSignInAt = now;
            signIn.SignInCount++;
        }
    }

    private static ClaimsPrincipal BuildPrincipal(Guid userId, string displayName, AuthProvider provider, string? userName,
        IEnumerable<string> roles, DateTime now, IEnumerable<Claim> extra)
    {
        var claims = new List<Claim>
        {
            new(ClaimNames.UserId, userId.ToString()),
            new(ClaimNames.Subject, userId.ToString()),
            new(ClaimNames.Name, displayName),
            new(ClaimNames.Provider, provider.ToDb()),
            new(ClaimNames.RolesCheckedAt, now.ToString("O", CultureInfo.InvariantCulture)),
        };
        if (userName is not null)
        {
            claims.Add(new Claim(ClaimNames.UserName, userName));
        }

        claims.AddRange(roles.Select(r => new Claim(ClaimNames.Role, r)));
        claims.AddRange(extra);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, ClaimNames.AuthenticationType, ClaimNames.Name, ClaimNames.Role));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit: user {UserId} created on first {Provider} sign-in")]
    private static partial void LogUserCreated(ILogger logger, Guid userId, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed in ({Provider})")]
    private static partial void LogSignedIn(ILogger logger, Guid userId, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local sign-in for {UserName} refused: {Reason}")]
    private static partial void LogLocalSignInFailed(ILogger logger, string userName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit: local account {UserName} locked out until {Until:o}")]
    private static partial void LogLockedOut(ILogger logger, string userName, DateTime until);
}
