using System.Threading.RateLimiting;

namespace ShaveTracker.Web.Infrastructure;

/// <summary>
/// A fixed-window rate limiter (N permits per window, no queue) that reads the app's <see cref="TimeProvider"/>.
/// The framework's FixedWindowRateLimiter measures its windows with its own stopwatch, so no test could move past a
/// window without waiting for it; this one starts a new window when the clock says so. A rejected lease carries
/// RetryAfter: the time left in the window.
/// </summary>
public sealed class ClockedFixedWindowLimiter(int permitLimit, TimeSpan window, TimeProvider clock) : RateLimiter
{
    private readonly Lock _lock = new();
    private DateTimeOffset _windowEnds = DateTimeOffset.MinValue;
    private int _used;
    private long _successful;
    private long _failed;

    /// <summary>How long the limiter has had nothing to remember (its window is over); null while a window runs.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            var now = clock.GetUtcNow();
            lock (_lock)
            {
                return now >= _windowEnds ? now - _windowEnds : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = clock.GetUtcNow() >= _windowEnds ? permitLimit : permitLimit - _used,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, permitLimit);
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (now >= _windowEnds)
            {
                _windowEnds = now + window;
                _used = 0;
            }

            if (_used + permitCount <= permitLimit)
            {
                _used += permitCount;
                _successful++;
                return Lease.Granted;
            }

            _failed++;
            return new Lease(false, _windowEnds - now);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
