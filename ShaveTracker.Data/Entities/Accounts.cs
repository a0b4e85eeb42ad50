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

    public int FailedSignInCount { get; set; }
    public DateTime? LockoutEndsAt { get; set; }

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
