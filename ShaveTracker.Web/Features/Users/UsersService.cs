using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Users;

public sealed record UserRow(
    Guid Id,
    string DisplayName,
    AuthProvider Provider,
    string? UserName,
    IReadOnlyList<string> Roles,
    DateTime CreatedAt,
    DateTime? LastSignInAt,
    int ShaveCount);

public sealed partial class UsersService(
    IDbContextFactory<ShaveTrackerDbContext> factory,
    TimeProvider clock,
    ILogger<UsersService> logger)
{
    public async Task<IReadOnlyList<UserRow>> ListAsync(Caller caller, CancellationToken ct)
    {
        EnsureAdmin(caller);
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.Users.AsNoTracking()
            .OrderBy(u => u.DisplayName).ThenBy(u => u.Id)
            .Select(u => new
            {
                u.Id,
                u.DisplayName,
                u.AuthProvider,
                UserName = db.LocalAccounts.Where(a => a.UserId == u.Id).Select(a => a.UserName).FirstOrDefault(),
                u.CreatedAt,
                LastSignInAt = db.UserSignIns.Where(s => s.UserId == u.Id).Select(s => (DateTime?)s.LastSignInAt).FirstOrDefault(),
                ShaveCount = u.Shaves.Count,
            })
            .ToListAsync(ct);
        var roles = await db.UserRoles.AsNoTracking().Select(r => new { r.UserId, r.Role }).ToListAsync(ct);
        var byUser = roles.ToLookup(r => r.UserId, r => r.Role);
        return rows
            .Select(r => new UserRow(r.Id, r.DisplayName, r.AuthProvider, r.UserName,
                byUser[r.Id].Order(StringComparer.Ordinal).ToList(), r.CreatedAt, r.LastSignInAt, r.ShaveCount))
            .ToList();
    }

    /// <summary>Grants or removes Staff/Admin. Idempotent. Audited as a structured log event (no shave involved).</summary>
    public async Task<CommandResult<Done>> SetRoleAsync(Caller caller, Guid userId, string role, bool granted, CancellationToken ct)
    {
        if (!caller.CanManageUsers)
        {
            return CommandResult<Done>.Forbidden(OnlyAdmins);
        }

        if (!Roles.Assignable.Contains(role))
        {
            return CommandResult<Done>.Invalid(nameof(role), $"'{role}' is not a role that can be assigned.");
        }

        if (!granted && role == Roles.Admin && userId == caller.UserId)
        {
            return CommandResult<Done>.Invalid(nameof(role), "You cannot remove your own Admin role; ask another admin.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await ActingUser.MayNowAsync(db, caller, Capability.ManageUsers, ct))
        {
            return CommandResult<Done>.Forbidden("Only admins manage users and roles, and you are no longer an admin.");
        }

        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            return CommandResult<Done>.NotFound("That user no longer exists.");
        }

        var existing = await db.UserRoles.FirstOrDefaultAsync(r => r.UserId == userId && r.Role == role, ct);
        if (granted && existing is null)
        {
            db.UserRoles.Add(new UserRole { UserId = userId, Role = role, GrantedAt = clock.GetUtcNow().UtcDateTime, GrantedBy = caller.UserId });
        }
        else if (!granted && existing is not null)
        {
            db.UserRoles.Remove(existing);
        }
        else
        {
            return CommandResult<Done>.Success(Done.Value);
        }

        await db.SaveChangesAsync(ct);
        LogRoleChanged(logger, caller.UserId, granted ? "granted" : "removed", role, userId);
        return CommandResult<Done>.Success(Done.Value);
    }

    private const string OnlyAdmins = "Only admins manage users and roles.";

    /// <summary>Reads are guarded by the page's policy; a caller without it reaching here is a bug, not a refusal.</summary>
    private static void EnsureAdmin(Caller caller)
    {
        if (!caller.CanManageUsers)
        {
            throw new UnauthorizedAccessException(OnlyAdmins);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Audit: admin {ActorUserId} {Change} role {Role} for user {TargetUserId}")]
    private static partial void LogRoleChanged(ILogger logger, Guid actorUserId, string change, string role, Guid targetUserId);
}
