using System.Globalization;
using System.Net;
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

    /// <summary>
    /// Unknown user, wrong password, or too many failures from this address: one answer for all three, so that the
    /// answer does not tell whether an account exists or is being attacked.
    /// </summary>
    Refused,
    Disabled,
}

public sealed record LocalSignInResult(LocalSignInOutcome Outcome, ClaimsPrincipal? Principal = null);

/// <summary>
/// Turns a proven identity (an Entra token, or a local username + password) into ShaveTracker's principal: the
/// <c>users</c> row created or kept current, roles from the token, the database and the bootstrap list.
/// </summary>
public sealed partial class SignInService(
    IDbContextFactory<ShaveTrackerDbContext> factory,
    IOptions<LocalAccountOptions> localOptions,
    IOptions<BootstrapOptions> bootstrap,
    IOptions<SessionOptions> sessions,
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
        var session = StartSession(db, objectId, now);
        await db.SaveChangesAsync(ct);

        var entraRoles = appRoles
            .Select(r => Roles.FromEntraAppRoles.TryGetValue(r, out var mapped) ? mapped : null)
            .OfType<string>()
            .Distinct()
            .ToList();
        var roles = await ResolveRolesAsync(db, objectId, null, entraRoles, ct);

        var claims = new List<Claim> { new("oid", objectId.ToString()), new(ClaimNames.SessionId, session.ToString()) };
        if (!string.IsNullOrEmpty(tenantId))
        {
            claims.Add(new Claim("tid", tenantId));
        }

        claims.AddRange(entraRoles.Select(r => new Claim(ClaimNames.EntraRole, r)));
        claims.AddRange(FixedRoleClaims(objectId, null, entraRoles));
        return BuildPrincipal(user.Id, user.DisplayName, AuthProvider.Microsoft, null, roles, now, claims);
    }

    /// <param name="client">The client's network address: failures are counted per account and address.</param>
    public async Task<LocalSignInResult> SignInLocalAsync(string userName, string password, IPAddress? client, CancellationToken ct)
    {
        if (!localOptions.Value.Enabled)
        {
            return new LocalSignInResult(LocalSignInOutcome.Disabled);
        }

        var normalized = userName.Trim().ToLowerInvariant();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        var account = await db.LocalAccounts.AsNoTracking().Include(a => a.User).FirstOrDefaultAsync(a => a.UserName == normalized, ct);
        if (account?.User is null)
        {
            Hasher.VerifyHashedPassword(new LocalAccount(), DummyHash, password);
            LogLocalSignInFailed(logger, normalized, "unknown user");
            return new LocalSignInResult(LocalSignInOutcome.Refused);
        }

        var address = SignInRateLimitPolicy.ClientPartition(client);
        var throttle = db.SignInThrottles.Where(t => t.UserId == account.UserId && t.Client == address);
        var lockedUntil = await throttle.Select(t => t.LockedUntil).FirstOrDefaultAsync(ct);
        // The password is checked even while locked, and its verdict thrown away: a locked account answers in the
        // time a wrong password takes, so timing does not tell that the account exists.
        var verdict = Hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (lockedUntil is { } until && until > now)
        {
            LogLocalSignInFailed(logger, normalized, "locked out for this address");
            return new LocalSignInResult(LocalSignInOutcome.Refused);
        }

        if (verdict == PasswordVerificationResult.Failed)
        {
            await CountFailureAsync(db, account.UserId, address, now, ct);
            LogLocalSignInFailed(logger, normalized, "wrong password");
            return new LocalSignInResult(LocalSignInOutcome.Refused);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            var rehashed = Hasher.HashPassword(account, password);
            await db.LocalAccounts.Where(a => a.UserId == account.UserId)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.PasswordHash, rehashed), ct);
        }

        // Success forgets this address's failures only: an attacker's address elsewhere stays counted.
        await throttle.ExecuteDeleteAsync(ct);
        await RecordSignInAsync(db, account.UserId, now, ct);
        var session = StartSession(db, account.UserId, now);
        await db.SaveChangesAsync(ct);

        var roles = await ResolveRolesAsync(db, account.UserId, account.UserName, [], ct);
        LogSignedIn(logger, account.UserId, "local");
        return new LocalSignInResult(LocalSignInOutcome.Succeeded,
            BuildPrincipal(account.UserId, account.User.DisplayName, AuthProvider.Local, account.UserName, roles, now,
                [new Claim(ClaimNames.SessionId, session.ToString()), .. FixedRoleClaims(account.UserId, account.UserName, [])]));
    }

    /// <summary>
    /// One more failure for this account from this address, counted by the database itself (an UPDATE that adds
    /// one, never a value read and written back), so parallel guesses are each counted. The failure that reaches
    /// the limit locks the address out; each lockout lasts twice as long as the one before, up to a day, and a
    /// quiet day forgets the address's history.
    /// </summary>
    private async Task CountFailureAsync(ShaveTrackerDbContext db, Guid userId, string address, DateTime now, CancellationToken ct)
    {
        var o = localOptions.Value;
        var throttle = db.SignInThrottles.Where(t => t.UserId == userId && t.Client == address);
        await throttle.Where(t => t.LastFailedAt < now - ForgetAfter).ExecuteDeleteAsync(ct);
        var counted = await throttle.ExecuteUpdateAsync(u => u
            .SetProperty(t => t.FailedCount, t => t.FailedCount + 1)
            .SetProperty(t => t.LastFailedAt, now), ct);
        if (counted == 0)
        {
            db.SignInThrottles.Add(new SignInThrottle { UserId = userId, Client = address, FailedCount = 1, LastFailedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // A parallel failure created the row first: count this one on it.
                db.ChangeTracker.Clear();
                await throttle.ExecuteUpdateAsync(u => u
                    .SetProperty(t => t.FailedCount, t => t.FailedCount + 1)
                    .SetProperty(t => t.LastFailedAt, now), ct);
            }
        }

        var row = await throttle.AsNoTracking().Select(t => new { t.FailedCount, t.Lockouts }).FirstAsync(ct);
        if (row.FailedCount < o.MaxFailedAttempts)
        {
            return;
        }

        var lockFor = TimeSpan.FromMinutes(Math.Min(o.LockoutMinutes * Math.Pow(2, Math.Min(row.Lockouts, 16)), MaxLockout.TotalMinutes));
        var until = now + lockFor;
        // Only the request that saw this lockout count sets it: a parallel one finds the count moved on.
        var locked = await throttle.Where(t => t.Lockouts == row.Lockouts && t.FailedCount >= o.MaxFailedAttempts)
            .ExecuteUpdateAsync(u => u
                .SetProperty(t => t.LockedUntil, until)
                .SetProperty(t => t.FailedCount, 0)
                .SetProperty(t => t.Lockouts, row.Lockouts + 1), ct);
        if (locked > 0)
        {
            LogLockedOut(logger, userId, address, until);
        }
    }

    private static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);
    private static readonly TimeSpan MaxLockout = TimeSpan.FromDays(1);

    private static Guid StartSession(ShaveTrackerDbContext db, Guid userId, DateTime now)
    {
        var session = new UserSession { Id = Ids.NewId(), UserId = userId, StartedAt = now };
        db.UserSessions.Add(session);
        return session.Id;
    }

    /// <summary>Ends the principal's session: its cookie, wherever it was copied, and its open tabs lose their rights.</summary>
    public async Task EndSessionAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirst(ClaimNames.SessionId)?.Value, out var sessionId))
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.UserSessions.Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now), ct);
    }

    /// <summary>
    /// Re-reads a signed-in user's roles (called by the cookie every minute, and by every open interactive page), so
    /// a grant or removal takes effect without a new sign-in. Null when the session is over: the user no longer
    /// exists, signed out, or the session has reached its absolute lifetime (however active it was). A principal
    /// without a session (a cookie from before sessions were recorded) is over too.
    /// </summary>
    public async Task<ClaimsPrincipal?> RefreshAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirst(ClaimNames.UserId)?.Value, out var userId) ||
            !Guid.TryParse(principal.FindFirst(ClaimNames.SessionId)?.Value, out var sessionId))
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var startedAfter = now - sessions.Value.AbsoluteLifetime;
        await using var db = await factory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null ||
            !await db.UserSessions.AnyAsync(s => s.Id == sessionId && s.UserId == userId && s.EndedAt == null && s.StartedAt > startedAfter, ct))
        {
            return null;
        }

        var userName = principal.FindFirst(ClaimNames.UserName)?.Value;
        var entraRoles = principal.FindAll(ClaimNames.EntraRole).Select(c => c.Value).ToList();
        var roles = await ResolveRolesAsync(db, userId, userName, entraRoles, ct);
        var keep = principal.Claims.Where(c => c.Type is "oid" or "tid" or ClaimNames.EntraRole or ClaimNames.SessionId).ToList();
        keep.AddRange(FixedRoleClaims(userId, userName, entraRoles));
        return BuildPrincipal(userId, user.DisplayName, user.AuthProvider, userName, roles, now, keep);
    }

    private IEnumerable<Claim> FixedRoleClaims(Guid userId, string? userName, IEnumerable<string> entraRoles)
    {
        var fixedRoles = new HashSet<string>(entraRoles, StringComparer.Ordinal);
        if (bootstrap.Value.IsBootstrapAdmin(userId, userName))
        {
            fixedRoles.Add(Roles.Admin);
        }

        return fixedRoles.Order(StringComparer.Ordinal).Select(r => new Claim(ClaimNames.FixedRole, r));
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit: local account of user {UserId} locked out for {ClientAddress} until {Until:o}")]
    private static partial void LogLockedOut(ILogger logger, Guid userId, string clientAddress, DateTime until);
}
