namespace ShaveTracker.Web.Shared;

/// <summary>A demo local account: signs in with <see cref="UserName"/> and <see cref="DemoOptions.Password"/>.</summary>
public sealed record DemoAccount(Guid Id, string UserName, string DisplayName, string? Role);

/// <summary>
/// The demo data's local accounts. Their ids are fixed so that the seeder can tell whether it has already run and
/// tests can sign in as a known person.
/// </summary>
public static class DemoAccounts
{
    public const string AdminRole = Roles.Admin;
    public const string StaffRole = Roles.Staff;

    public static readonly DemoAccount Admin =
        new(new Guid("00000000-de30-4000-8000-000000000001"), "admin@demo.local", "Ada Admin", AdminRole);

    public static readonly DemoAccount Staff =
        new(new Guid("00000000-de30-4000-8000-000000000002"), "staff@demo.local", "Sam Staff", StaffRole);

    /// <summary>A requester with many shaves, none of them shared with <see cref="Bob"/>.</summary>
    public static readonly DemoAccount Alice =
        new(new Guid("00000000-de30-4000-8000-000000000003"), "alice@demo.local", "Alice Requester", null);

    /// <summary>A requester with many shaves, none of them shared with <see cref="Alice"/>.</summary>
    public static readonly DemoAccount Bob =
        new(new Guid("00000000-de30-4000-8000-000000000004"), "bob@demo.local", "Bob Requester", null);

    public static readonly IReadOnlyList<DemoAccount> All = [Admin, Staff, Alice, Bob];
}
