using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Infrastructure.LiveUpdates;

/// <summary>
/// Reads <c>shave_changes</c> on every instance and hands each change written by another instance to this
/// instance's pages (through <see cref="IShaveChangeNotifier.Publish"/>, the same path a local write takes).
/// Each poll is a range read on the primary key (<c>id &gt; last seen</c>), so its cost does not grow with the table.
/// </summary>
/// <remarks>
/// Ids are assigned at insert and become visible at commit, which need not be in id order on SQL Server: a reader
/// can see 12 before 11. So the poller remembers the holes below the highest id it has seen and looks into each of
/// them again on every poll, until it fills or <see cref="LiveUpdateOptions.GapTimeoutSeconds"/> pass (a rolled-back
/// insert leaves a hole for good). On SQLite writes are serialised and holes do not arise, but nothing here depends
/// on that. While the database does not answer, the poller logs once, waits longer after each failed try (up to
/// <see cref="LiveUpdateOptions.MaxBackoffSeconds"/>) and carries on from where it was when it answers again.
/// </remarks>
public sealed partial class ShaveChangePoller(
    IDbContextFactory<ShaveTrackerDbContext> factory,
    ShaveChangeFeed feed,
    IShaveChangeNotifier notifier,
    IOptions<LiveUpdateOptions> options,
    TimeProvider clock,
    ILogger<ShaveChangePoller> logger) : BackgroundService
{
    /// <summary>Rows read per query; a full batch is followed at once by the next (a backlog after an outage).</summary>
    internal const int BatchSize = 500;

    /// <summary>
    /// Holes looked into on each poll at most (one small primary-key read each). More open at once means many
    /// rolled-back writes in a short time; the oldest are given up first.
    /// </summary>
    internal const int MaxOpenGaps = 32;

    internal static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    /// <summary>How often an idle poller checks that the feed has not gone back (a database restored from a backup).</summary>
    internal static readonly TimeSpan RewindCheckInterval = TimeSpan.FromSeconds(30);

    private readonly List<Gap> _gaps = [];
    private long? _highWater;
    private DateTimeOffset _lastPrune;
    private DateTimeOffset _lastRewindCheck;

    /// <summary>The highest id seen, once the poller has found where the feed ends.</summary>
    internal long? HighWater => _highWater;

    internal int OpenGapCount => _gaps.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.Mode != LiveUpdateMode.Database)
        {
            return;
        }

        var interval = TimeSpan.FromMilliseconds(o.PollIntervalMilliseconds);
        var maxBackoff = TimeSpan.FromSeconds(Math.Max(o.MaxBackoffSeconds, interval.TotalSeconds));
        var failures = 0;
        var failingSince = DateTimeOffset.MinValue;
        LogStarted(logger, feed.InstanceId, o.PollIntervalMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var more = await PollOnceAsync(stoppingToken);
                if (failures > 0)
                {
                    LogResumed(logger, failures, clock.GetUtcNow() - failingSince);
                    failures = 0;
                }

                if (more)
                {
                    continue;
                }

                wait = interval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Whatever the database throws, the poller must outlive it: it is the only one.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (failures++ == 0)
                {
                    failingSince = clock.GetUtcNow();
                    LogPollFailed(logger, ex);
                }
                else
                {
                    LogStillFailing(logger, failures, ex.Message);
                }

                // Doubling from the poll interval: a blip costs a second or two, a long outage one try per maxBackoff.
                wait = TimeSpan.FromTicks(Math.Min(maxBackoff.Ticks, interval.Ticks << Math.Min(failures, 20)));
            }

            try
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>
    /// One poll: new rows, then the open holes; dispatches other instances' changes in id order, prunes now and
    /// then. Returns true when a full batch was read and more may be waiting.
    /// </summary>
    internal async Task<bool> PollOnceAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        if (_highWater is null)
        {
            // Start at the end: a page opened on this instance loads the current state, there is nothing older to
            // tell it.
            _highWater = await db.ShaveChanges.MaxAsync(c => (long?)c.Id, ct) ?? 0;
            _lastPrune = _lastRewindCheck = now;
            return false;
        }

        // Every read comes before any change of state: a poll that fails half-way leaves nothing half-done.
        var last = _highWater.Value;
        var fresh = await NewRowsQuery(db, last).ToListAsync(ct);
        var late = new List<FeedRow>();
        foreach (var gap in _gaps)
        {
            late.AddRange(await GapQuery(db, gap.From, gap.To).ToListAsync(ct));
        }

        // Late rows are all below the high-water mark and new ones above it: together they are in id order.
        foreach (var row in late.Concat(fresh))
        {
            Accept(row.Id, now);
            if (row.OriginInstance != feed.InstanceId)
            {
                notifier.Publish(ShaveChangeFeed.ToChange(row.ShaveId, row.Kind, row.ChangedAt));
            }
        }

        ForgetOldGaps(now);
        if (fresh.Count == 0 && late.Count == 0 && now - _lastRewindCheck >= RewindCheckInterval)
        {
            _lastRewindCheck = now;
            await CheckRewoundAsync(db, ct);
        }

        if (now - _lastPrune >= PruneInterval)
        {
            _lastPrune = now;
            await PruneAsync(db, now, ct);
        }

        return fresh.Count == BatchSize;
    }

    /// <summary>The next batch after <paramref name="last"/>: a range read on the primary key.</summary>
    internal static IQueryable<FeedRow> NewRowsQuery(ShaveTrackerDbContext db, long last) =>
        Rows(db.ShaveChanges.Where(c => c.Id > last).OrderBy(c => c.Id).Take(BatchSize));

    /// <summary>What has appeared in a hole since: a range read on the primary key.</summary>
    internal static IQueryable<FeedRow> GapQuery(ShaveTrackerDbContext db, long from, long to) =>
        Rows(db.ShaveChanges.Where(c => c.Id >= from && c.Id <= to).OrderBy(c => c.Id));

    /// <summary>Rows past the retention, found through the changed_at index.</summary>
    internal static IQueryable<ShaveChangeEntry> ExpiredQuery(ShaveTrackerDbContext db, DateTime cutoff) =>
        db.ShaveChanges.Where(c => c.ChangedAt < cutoff);

    private static IQueryable<FeedRow> Rows(IQueryable<ShaveChangeEntry> query) =>
        query.AsNoTracking().Select(c => new FeedRow(c.Id, c.ShaveId, c.Kind, c.ChangedAt, c.OriginInstance));

    /// <summary>Marks <paramref name="id"/> seen: above the mark it moves the mark (leaving a hole behind when it jumps), below it fills a hole.</summary>
    private void Accept(long id, DateTimeOffset now)
    {
        var last = _highWater!.Value;
        if (id > last)
        {
            if (id > last + 1)
            {
                _gaps.Add(new Gap(last + 1, id - 1, now));
            }

            _highWater = id;
            return;
        }

        var index = _gaps.FindIndex(g => g.From <= id && id <= g.To);
        if (index < 0)
        {
            return;
        }

        var gap = _gaps[index];
        _gaps.RemoveAt(index);
        if (gap.From < id)
        {
            _gaps.Add(gap with { To = id - 1 });
        }

        if (id < gap.To)
        {
            _gaps.Add(gap with { From = id + 1 });
        }
    }

    private void ForgetOldGaps(DateTimeOffset now)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.GapTimeoutSeconds);
        _gaps.RemoveAll(g => now - g.Since >= timeout);
        if (_gaps.Count > MaxOpenGaps)
        {
            _gaps.Sort((a, b) => a.Since.CompareTo(b.Since));
            _gaps.RemoveRange(0, _gaps.Count - MaxOpenGaps);
        }
    }

    /// <summary>
    /// Ids never go back (identity, AUTOINCREMENT), unless the database was restored or the table emptied and its
    /// counter reset: then the poller would wait for ids it will never see. It starts again from the end instead.
    /// </summary>
    private async Task CheckRewoundAsync(ShaveTrackerDbContext db, CancellationToken ct)
    {
        var max = await db.ShaveChanges.MaxAsync(c => (long?)c.Id, ct);
        if (max is { } m && m < _highWater)
        {
            LogRewound(logger, _highWater!.Value, m);
            _highWater = m;
            _gaps.Clear();
        }
    }

    /// <summary>
    /// Every instance prunes: deleting rows already deleted costs nothing, and no instance has to be the one that
    /// stays up. The cut-off is far behind every poller, so no row is deleted before the instances have read it.
    /// </summary>
    private async Task PruneAsync(ShaveTrackerDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var cutoff = now.UtcDateTime.AddMinutes(-options.Value.RetentionMinutes);
        var deleted = await ExpiredQuery(db, cutoff).ExecuteDeleteAsync(ct);
        if (deleted > 0)
        {
            LogPruned(logger, deleted, cutoff);
        }
    }

    internal sealed record FeedRow(long Id, Guid ShaveId, string Kind, DateTime ChangedAt, Guid OriginInstance);

    /// <summary>Ids <see cref="From"/>..<see cref="To"/> not seen yet, below ids that were, since <see cref="Since"/>.</summary>
    private sealed record Gap(long From, long To, DateTimeOffset Since);

    [LoggerMessage(Level = LogLevel.Information, Message = "Live updates: instance {InstanceId} polls the change feed every {IntervalMs} ms")]
    private static partial void LogStarted(ILogger logger, Guid instanceId, int intervalMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live updates: the change feed could not be read; retrying with back-off. Pages on this instance miss other instances' changes until it can")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Live updates: the change feed still cannot be read ({Failures} tries): {Error}")]
    private static partial void LogStillFailing(ILogger logger, int failures, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Live updates: the change feed is read again after {Failures} failed tries ({Outage})")]
    private static partial void LogResumed(ILogger logger, int failures, TimeSpan outage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live updates: the change feed went back from id {HighWater} to {Max} (database restored?); reading on from there")]
    private static partial void LogRewound(ILogger logger, long highWater, long max);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Live updates: pruned {Deleted} changes older than {Cutoff:o}")]
    private static partial void LogPruned(ILogger logger, int deleted, DateTime cutoff);
}
