using Microsoft.Extensions.Caching.Memory;
using MudBlazor;

namespace ShaveTracker.Web.Features.Shaves;

public sealed record ShaveListNotice(string Message, Severity Severity);

/// <summary>
/// A message for the next shave list a person opens ("Shave deleted."). The list is a static page, so an
/// interactive page that sends someone there (after deleting a shave) cannot show a snackbar that survives the page
/// load; it leaves the message here instead, and the list shows it once. Kept for a minute, in this instance only:
/// at worst the message is not shown.
/// </summary>
public sealed class ShaveListNotices(IMemoryCache cache)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public void Post(Guid userId, string message, Severity severity) =>
        cache.Set(Key(userId), new ShaveListNotice(message, severity), Lifetime);

    public ShaveListNotice? Take(Guid userId)
    {
        if (!cache.TryGetValue(Key(userId), out ShaveListNotice? notice))
        {
            return null;
        }

        cache.Remove(Key(userId));
        return notice;
    }

    private static (Type, Guid) Key(Guid userId) => (typeof(ShaveListNotices), userId);
}
