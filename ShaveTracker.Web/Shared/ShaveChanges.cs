using ShaveTracker.Web.Infrastructure.LiveUpdates;

namespace ShaveTracker.Web.Shared;

public enum ShaveChangeKind
{
    Created,
    Updated,
    StatusChanged,
    StepsChanged,
    RecordsAdded,
    TranscriptChanged,
    Deleted,
}

public sealed record ShaveChange(Guid ShaveId, ShaveChangeKind Kind, DateTime At);

/// <summary>
/// "Shave X changed", published after a change is committed and delivered to the pages of this instance that watch
/// it, at once. Pages on other instances hear of it through the change feed (<see cref="ShaveChangeFeed"/>, written
/// in the change's own transaction), whose poller (<see cref="ShaveChangePoller"/>) publishes here what other
/// instances wrote.
/// </summary>
public interface IShaveChangeNotifier
{
    void Publish(ShaveChange change);

    /// <summary>Watch one shave, or every shave when <paramref name="shaveId"/> is null. Dispose to stop watching.</summary>
    IDisposable Subscribe(Guid? shaveId, Func<ShaveChange, Task> onChange);
}

/// <summary>
/// Runs a page's refresh when changes arrive, never two at once: changes that arrive during a refresh cause exactly
/// one more, so a burst of reports costs at most two reloads and the page is never more than one reload behind.
/// </summary>
public sealed class CoalescingRefresher(Func<Task> refresh)
{
    private int _state; // 0 idle, 1 running, 2 running with another change waiting

    public async Task RequestAsync()
    {
        if (Interlocked.Increment(ref _state) > 1)
        {
            Interlocked.Exchange(ref _state, 2);
            return;
        }

        do
        {
            Interlocked.Exchange(ref _state, 1);
            await refresh();
        }
        while (Interlocked.CompareExchange(ref _state, 0, 1) != 1);
    }
}
