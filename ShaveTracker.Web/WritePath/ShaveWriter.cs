using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Infrastructure.LiveUpdates;

namespace ShaveTracker.Web.WritePath;

/// <summary>
/// The one place a shave's data is saved, whoever sends it (the pipeline's API, a staff edit, any new source). The
/// caller validates (pure functions), loads what it refers to and builds the rows on its own context; then
/// <see cref="SaveAsync(ShaveTrackerDbContext, IReadOnlyCollection{ShaveChange}, CancellationToken)"/> adds the
/// change-feed rows to the same transaction (so a committed change always reaches other instances, and a rolled-back
/// one never does), saves, and publishes to this instance's pages only after the commit. See docs/architecture.md.
/// </summary>
public sealed class ShaveWriter(ShaveChangeFeed feed, IShaveChangeNotifier notifier)
{
    /// <summary>
    /// Whether many new records go to SQLite through prepared inserts (<see cref="NewRows"/>). Off only where a test
    /// replays the saves through SQL Server's provider: it sees what EF saves, which is how they are saved there.
    /// </summary>
    internal bool PreparedInsertsOnSqlite { get; init; } = true;

    /// <summary>Saves what <paramref name="db"/> holds with its one change; false (and nothing written) when it holds nothing new.</summary>
    public Task<bool> SaveAsync(ShaveTrackerDbContext db, ShaveChange change, CancellationToken ct) => SaveAsync(db, [change], ct);

    /// <summary>Saves what <paramref name="db"/> holds with the changes it describes, one transaction; publishes after it.</summary>
    public async Task<bool> SaveAsync(ShaveTrackerDbContext db, IReadOnlyCollection<ShaveChange> changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(changes);
        if (!db.ChangeTracker.HasChanges())
        {
            return false;
        }

        foreach (var change in changes)
        {
            feed.Record(db, change);
        }

        await db.SaveChangesAsync(ct);
        Publish(changes);
        return true;
    }

    /// <summary>
    /// Saves what <paramref name="db"/> holds and the <paramref name="rows"/> of many new records with the changes they
    /// describe, one transaction; publishes after it. False (and nothing written) when there is nothing new.
    /// </summary>
    public async Task<bool> SaveAsync(ShaveTrackerDbContext db, IReadOnlyCollection<ShaveChange> changes, NewRows rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.IsEmpty || !PreparedInsertsOnSqlite || !db.Database.IsSqlite())
        {
            rows.AddTo(db);
            return await SaveAsync(db, changes, ct);
        }

        foreach (var change in changes)
        {
            feed.Record(db, change);
        }

        await db.InWriteTransactionAsync(async () =>
        {
            // One transaction: a failed insert rolls all of it back, so a savepoint before the tracked changes buys nothing.
            db.Database.AutoSavepointsEnabled = false;
            await db.SaveChangesAsync(ct);
            rows.Insert(db, ct);
        }, ct);
        Publish(changes);
        return true;
    }

    /// <summary>Deletes the shave with every row that belongs to it and its video file, in one transaction with its feed row.</summary>
    public async Task DeleteAsync(ShaveTrackerDbContext db, Guid shaveId, Guid videoFileId, DateTime at, CancellationToken ct)
    {
        // Pages open on this shave (here and on other instances) say it is gone; lists showing it drop the row.
        var change = new ShaveChange(shaveId, ShaveChangeKind.Deleted, at);
        await DeleteRowsAsync(db, shaveId, videoFileId, () => feed.Record(db, change), ct);
        Publish([change]);
    }

    /// <summary>
    /// The shave and its video file go in one transaction (internal: the SQL Server test runs it on a recording
    /// connection). Children go by the database's ON DELETE CASCADE; the video file is this shave's alone.
    /// <paramref name="announce"/> adds the change feed's row (when the feed is on), saved in the same transaction.
    /// </summary>
    internal static Task DeleteRowsAsync(ShaveTrackerDbContext db, Guid shaveId, Guid videoFileId, Action announce, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Shaves.Where(s => s.Id == shaveId).ExecuteDeleteAsync(ct);
            await db.VideoFiles.Where(v => v.Id == videoFileId && !v.Shaves.Any()).ExecuteDeleteAsync(ct);
            announce();
            // A failure rolls back the whole transaction: a savepoint before this one insert would buy nothing.
            db.Database.AutoSavepointsEnabled = false;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        });

    /// <summary>
    /// Two sources reporting the same new thing at the same moment (a retry racing its original, two workers naming
    /// the same new requester) meet at a unique key: the loser's transaction wrote nothing, and running it again
    /// finds the winner's row and answers as a replay. One write can meet two races in a row (the new requester,
    /// then the new shave), so a few tries.
    /// </summary>
    public static async Task<T> RetryOnConflictAsync<T>(Func<Task<T>> write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await write();
            }
            catch (DbUpdateException) when (attempt < 3 && !ct.IsCancellationRequested)
            {
            }
        }
    }

    private void Publish(IEnumerable<ShaveChange> changes)
    {
        foreach (var change in changes)
        {
            notifier.Publish(change);
        }
    }
}
