using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;

namespace ShaveTracker.Web.Shared;

/// <summary>ShaveTracker's roles. Everyone signed in is a requester; these add to it.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Staff = "Staff";

    public static readonly IReadOnlyList<string> Assignable = [Staff, Admin];

    /// <summary>Entra app-role values (the token's <c>roles</c> claim) and the role each one grants.</summary>
    public static readonly IReadOnlyDictionary<string, string> FromEntraAppRoles = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["ShaveTracker.Admin"] = Admin,
        ["ShaveTracker.Staff"] = Staff,
    };
}

/// <summary>What a person may do in ShaveTracker. <see cref="Caller.May"/> answers it; the policies are built from it.</summary>
public enum Capability
{
    /// <summary>See every shave, not only one's own.</summary>
    SeeAllShaves,
    ManageShaves,
    DeleteShaves,
    ManageProjects,
    ReviewAiLogs,
    ManageUsers,
    ManageApiKeys,

    /// <summary>Set what each model's tokens cost.</summary>
    ManagePrices,
}

/// <summary>
/// Authorization policies, named after what they allow. Each person policy is one <see cref="Capability"/> asked of
/// the <see cref="Caller"/> (so a page, an endpoint and a service answer alike); <see cref="CanIngest"/> is the
/// machine clients' (an API key or an Entra token with the ingest role), not a person's.
/// </summary>
public static class Policies
{
    public const string CanManageProjects = nameof(CanManageProjects);
    public const string CanReviewAiLogs = nameof(CanReviewAiLogs);
    public const string CanManageUsers = nameof(CanManageUsers);
    public const string CanManageApiKeys = nameof(CanManageApiKeys);
    public const string CanManagePrices = nameof(CanManagePrices);
    public const string CanIngest = nameof(CanIngest);

    /// <summary>The person policies and the capability each one requires.</summary>
    public static readonly IReadOnlyDictionary<string, Capability> ForPeople = new Dictionary<string, Capability>(StringComparer.Ordinal)
    {
        [CanManageProjects] = Capability.ManageProjects,
        [CanReviewAiLogs] = Capability.ReviewAiLogs,
        [CanManageUsers] = Capability.ManageUsers,
        [CanManageApiKeys] = Capability.ManageApiKeys,
        [CanManagePrices] = Capability.ManagePrices,
    };

    /// <summary>The person policies this caller meets.</summary>
    public static IEnumerable<string> GrantedTo(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return ForPeople.Where(p => caller.May(p.Value)).Select(p => p.Key);
    }
}

/// <summary>The claim types of ShaveTracker's own sign-in cookie.</summary>
public static class ClaimNames
{
    public const string UserId = "st_uid";

    /// <summary>
    /// The user id again, under the standard subject claim type. Antiforgery tokens are bound to this one claim when
    /// it is present, and to every claim otherwise: without it, the role refresh (which rewrites
    /// <see cref="RolesCheckedAt"/> every minute) would void the sign-out form of every page older than a minute.
    /// </summary>
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string Provider = "st_provider";
    public const string UserName = "st_username";

    /// <summary>App roles the Entra token carried, kept so that a role refresh from the database does not lose them.</summary>
    public const string EntraRole = "st_entra_role";

    public const string RolesCheckedAt = "st_roles_at";

    /// <summary>
    /// Roles that do not come from <c>user_roles</c> (Entra app roles, the bootstrap admin list): what a re-read of
    /// the database (<see cref="ActingUser"/>) adds to the stored roles.
    /// </summary>
    public const string FixedRole = "st_fixed_role";

    /// <summary>The <c>user_sessions</c> row of this sign-in: signing out ends it on the server.</summary>
    public const string SessionId = "st_sid";
    public const string AuthenticationType = "ShaveTracker";
}

/// <summary>
/// Who is asking, as every service call sees it, and what they may do: the one permission model. Built from the
/// signed-in principal on the server; the policies (<see cref="Policies"/>), the pages and the services all ask
/// <see cref="May"/>, so hiding a button is never the only check. Roles are Staff and Admin (see docs/domain.md).
/// </summary>
public sealed record Caller(Guid UserId, string DisplayName, bool IsStaff, bool IsAdmin)
{
    /// <summary>Roles the database does not hold (Entra app roles, bootstrap admin): kept when roles are re-read.</summary>
    public IReadOnlyList<string> FixedRoles { get; init; } = [];

    public bool May(Capability capability) => capability switch
    {
        Capability.SeeAllShaves or Capability.ManageShaves or Capability.ManageProjects => IsStaff || IsAdmin,
        Capability.DeleteShaves or Capability.ReviewAiLogs or Capability.ManageUsers or Capability.ManageApiKeys or Capability.ManagePrices => IsAdmin,
        _ => false,
    };

    /// <summary>Staff and admins see every shave; a requester sees their own.</summary>
    public bool CanSeeAllShaves => May(Capability.SeeAllShaves);

    public bool CanManageShaves => May(Capability.ManageShaves);

    public bool CanDeleteShaves => May(Capability.DeleteShaves);

    public bool CanManageProjects => May(Capability.ManageProjects);

    public bool CanReviewAiLogs => May(Capability.ReviewAiLogs);

    public bool CanManageUsers => May(Capability.ManageUsers);

    public bool CanManageApiKeys => May(Capability.ManageApiKeys);

    public bool CanManagePrices => May(Capability.ManagePrices);

    public static Caller? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true ||
            !Guid.TryParse(principal.FindFirst(ClaimNames.UserId)?.Value, out var id))
        {
            return null;
        }

        return new Caller(
            id,
            principal.FindFirst(ClaimNames.Name)?.Value ?? "",
            principal.IsInRole(Roles.Staff),
            principal.IsInRole(Roles.Admin))
        {
            FixedRoles = [.. principal.FindAll(ClaimNames.FixedRole).Select(c => c.Value)],
        };
    }
}

/// <summary>
/// The acting user as the database knows them now, for privileged writes (role grants, API keys, deletes): a page
/// open since before a role was removed, or a request racing the removal, must not act on the old roles.
/// </summary>
public static class ActingUser
{
    /// <summary>The caller with today's roles, or null when the user no longer exists.</summary>
    public static async Task<Caller?> RereadAsync(ShaveTrackerDbContext db, Caller caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(caller);
        if (!await db.Users.AnyAsync(u => u.Id == caller.UserId, ct))
        {
            return null;
        }

        var stored = await db.UserRoles.AsNoTracking().Where(r => r.UserId == caller.UserId).Select(r => r.Role).ToListAsync(ct);
        var roles = stored.Where(r => Roles.Assignable.Contains(r)).Concat(caller.FixedRoles).ToHashSet(StringComparer.Ordinal);
        return caller with { IsStaff = roles.Contains(Roles.Staff), IsAdmin = roles.Contains(Roles.Admin) };
    }

    /// <summary>True when the user still exists and may do this now, by the roles the database holds today.</summary>
    public static async Task<bool> MayNowAsync(ShaveTrackerDbContext db, Caller caller, Capability capability, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.May(capability) && await RereadAsync(db, caller, ct) is { } now && now.May(capability);
    }
}
