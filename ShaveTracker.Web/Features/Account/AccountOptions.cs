using System.ComponentModel.DataAnnotations;

namespace ShaveTracker.Web.Features.Account;

/// <summary>The <c>LocalAccounts</c> section: username + password sign-in for installs without Entra ID.</summary>
public sealed class LocalAccountOptions
{
    public const string SectionName = "LocalAccounts";

    public bool Enabled { get; set; } = true;

    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>
    /// The first lockout of an address on an account, after <see cref="MaxFailedAttempts"/> failures from it; each
    /// further lockout of that address lasts twice as long, up to a day. Other addresses are not locked.
    /// </summary>
    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;
}

/// <summary>The <c>Sessions</c> section: how long a sign-in lasts.</summary>
public sealed class SessionOptions
{
    public const string SectionName = "Sessions";

    /// <summary>A session idle this long ends (the cookie slides: each request moves the end).</summary>
    [Range(1, 24 * 30)]
    public int SlidingExpirationHours { get; set; } = 8;

    /// <summary>
    /// A session ends this long after its sign-in however active it is: roles that come from Entra ID are read at
    /// sign-in only, so this is also the longest an Entra role change takes to reach a signed-in user.
    /// </summary>
    [Range(1, 24 * 30)]
    public int AbsoluteLifetimeHours { get; set; } = 12;

    public TimeSpan SlidingExpiration => TimeSpan.FromHours(SlidingExpirationHours);

    public TimeSpan AbsoluteLifetime => TimeSpan.FromHours(AbsoluteLifetimeHours);
}

/// <summary>The <c>Authorization</c> section.</summary>
public sealed class BootstrapOptions
{
    public const string SectionName = "Authorization";

    /// <summary>Entra object ids or local usernames that are always Admin, so a new install has a first admin.</summary>
    public List<string> BootstrapAdmins { get; set; } = [];

    public bool IsBootstrapAdmin(Guid userId, string? userName) =>
        BootstrapAdmins.Any(a =>
            (Guid.TryParse(a, out var g) && g == userId) ||
            (userName is not null && string.Equals(a.Trim(), userName, StringComparison.OrdinalIgnoreCase)));
}
