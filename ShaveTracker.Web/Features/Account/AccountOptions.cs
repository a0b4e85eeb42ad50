using System.ComponentModel.DataAnnotations;

namespace ShaveTracker.Web.Features.Account;

/// <summary>The <c>LocalAccounts</c> section: username + password sign-in for installs without Entra ID.</summary>
public sealed class LocalAccountOptions
{
    public const string SectionName = "LocalAccounts";

    public bool Enabled { get; set; } = true;

    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;
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
