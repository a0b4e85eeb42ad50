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
/// Runs a page's refresh when changes arrive, never two at once and at most one per <see cref="Pace"/>: changes
/// that arrive during a refresh, or within the pace of the last one, cause exactly one more, when the pace allows.
/// A pipeline reports many times a second; a person reads a page at most about once a second, and a page (its
/// queries on the server, its layout in the browser) redrawn back to back for every report costs both ends for
/// nothing. A page is never more than one refresh, and so about a second, behind.
/// </summary>
public sealed class CoalescingRefresher(Func<Task> refresh, TimeProvider clock)
{
    /// <summary>The least time from the start of one refresh to the start of the next.</summary>
    public static readonly TimeSpan Pace = TimeSpan.FromSeconds(1);

    private int _state; // 0 idle, 1 running, 2 running with another change waiting
    private long _lastStart = long.MinValue;

    public async Task RequestAsync()
    {
        if (Interlocked.Increment(ref _state) > 1)
        {
            Interlocked.Exchange(ref _state, 2);
            return;
        }

        do
        {
            if (_lastStart != long.MinValue)
            {
                var wait = Pace - clock.GetElapsedTime(_lastStart);
                if (wait > TimeSpan.Zero)
                {
                    // Changes that arrive meanwhile are read by the refresh that follows: they ask for nothing more.
                    await Task.Delay(wait, clock);
                }
            }

            Interlocked.Exchange(ref _state, 1);
            _lastStart = clock.GetTimestamp();
            try
            {
                await refresh();
            }
            catch
            {
                // The failure is the caller's to report; the next change must still refresh.
                Interlocked.Exchange(ref _state, 0);
                throw;
            }
        }
        while (Interlocked.CompareExchange(ref _state, 0, 1) != 1);
    }
}
