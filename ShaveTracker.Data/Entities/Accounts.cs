namespace ShaveTracker.Data.Entities;

// Tables for sign-in and roles (docs/data-model.md, "Sign-in and access"). The users table stays as the product's
// model has it; what sign-in needs besides it lives here.

/// <summary>local_accounts: username + password for installs without Entra ID (auth_provider = local).</summary>
public sealed class LocalAccount
{
    public const int UserNameMaxLength = 256;

    public Guid UserId { get; set; }

    /// <summary>Stored lower-cased; unique.</summary>
    public string UserName { get; set; } = "";

    /// <summary>ASP.NET Core Identity's PasswordHasher format.</summary>
    public string PasswordHash { get; set; } = "";

    public User? User { get; set; }
}

/// <summary>user_roles: ShaveTracker's own role assignments (Staff, Admin), next to Entra app roles.</summary>
public sealed class UserRole
{
    public Guid UserId { get; set; }
    public string Role { get; set; } = "";
    public DateTime GrantedAt { get; set; }
    public Guid? GrantedBy { get; set; }

    public User? User { get; set; }
}

/// <summary>user_sign_ins: when a user last signed in (shown on the admin Users page).</summary>
public sealed class UserSignIn
{
    public Guid UserId { get; set; }
    public DateTime LastSignInAt { get; set; }
    public int SignInCount { get; set; }

    public User? User { get; set; }
}

/// <summary>
/// user_sessions: one row per sign-in, so that signing out ends the session on the server (a copied cookie and the
/// open tabs of that browser lose their rights too) and a session has an absolute end however actively it is used.
/// </summary>
public sealed class UserSession
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public DateTime StartedAt { get; set; }

    /// <summary>When the person signed out; null while the session is open.</summary>
    public DateTime? EndedAt { get; set; }

    public User? User { get; set; }
}

/// <summary>
/// sign_in_throttles: failed local sign-ins per account and client address. Counting per address means an attacker
/// who guesses wrong locks out only their own address, not the account's owner signing in from elsewhere.
/// </summary>
public sealed class SignInThrottle
{
    public Guid UserId { get; set; }

    /// <summary>The client's address (IPv4, or the /64 of an IPv6 address).</summary>
    public string Client { get; set; } = "";

    /// <summary>Failures since the last lockout (or since the first failure).</summary>
    public int FailedCount { get; set; }

    /// <summary>How many lockouts this address has had on this account: each one lasts twice as long as the last.</summary>
    public int Lockouts { get; set; }

    public DateTime LastFailedAt { get; set; }
    public DateTime? LockedUntil { get; set; }

    public User? User { get; set; }
}
