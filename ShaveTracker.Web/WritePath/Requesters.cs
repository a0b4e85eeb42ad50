using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.WritePath;

/// <summary>Who a report names as the requester, found or created (a person who has not signed in yet).</summary>
internal static class Requesters
{
    /// <summary>The requester's user id; the lengths were checked by <see cref="ReportRules"/>.</summary>
    public static async Task<Guid> ResolveAsync(ShaveTrackerDbContext db, RequesterReport requester, FieldErrors errors, DateTime now, CancellationToken ct)
    {
        if (requester.UserId is { } userId)
        {
            if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
            {
                errors.Add("requester.userId", "No user has this id.");
            }

            return userId;
        }

        var displayName = string.IsNullOrWhiteSpace(requester.DisplayName) ? null : requester.DisplayName.Trim();
        if (requester.ObjectId is { } objectId)
        {
            // An Entra user who has not signed in yet: the row their first sign-in would create, created now.
            if (!await db.Users.AnyAsync(u => u.Id == objectId, ct))
            {
                db.Users.Add(new User { Id = objectId, AuthProvider = AuthProvider.Microsoft, DisplayName = displayName ?? "Microsoft user", CreatedAt = now });
            }

            return objectId;
        }

        var userName = requester.UserName!.Trim().ToLowerInvariant();
        var account = await db.LocalAccounts.FirstOrDefaultAsync(a => a.UserName == userName, ct);
        if (account is not null)
        {
            return account.UserId;
        }

        // A local user without a password yet: an admin sets one before they can sign in (an empty hash never verifies).
        var user = new User { Id = Ids.NewId(), AuthProvider = AuthProvider.Local, DisplayName = displayName ?? userName, CreatedAt = now };
        db.Users.Add(user);
        db.LocalAccounts.Add(new LocalAccount { UserId = user.Id, UserName = userName, PasswordHash = "" });
        return user.Id;
    }
}
