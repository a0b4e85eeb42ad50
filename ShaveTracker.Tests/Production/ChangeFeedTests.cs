using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Infrastructure.LiveUpdates;

namespace ShaveTracker.Tests.Production;

/// <summary>
/// The change feed between instances, one poll at a time: what "this" instance's poller hands to its pages when
/// "other" instances write to <c>shave_changes</c>.
/// </summary>
public sealed class ChangeFeedTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    private static readonly Guid OtherInstance = Guid.NewGuid();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
    private readonly InProcessShaveChangeNotifier _notifier = new(NullLogger<InProcessShaveChangeNotifier>.Instance, TestMetrics.Create());
    private readonly List<ShaveChange> _received = [];
    private ShaveChangeFeed _feed = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _feed = new ShaveChangeFeed(Options.Create(new LiveUpdateOptions { Mode = LiveUpdateMode.Database }));
        // Delivery is synchronous up to the subscriber's first await, and this one never awaits: a change has been
        // received by the time PollOnceAsync returns.
        _notifier.Subscribe(null, change =>
        {
            lock (_received)
            {
                _received.Add(change);
            }

            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task A_new_poller_starts_at_the_end_of_the_feed_and_dispatches_later_changes_in_id_order()
    {
        await WriteAsync(Guid.NewGuid(), ShaveChangeKind.Created);
        var poller = NewPoller();
        Assert.False(await poller.PollOnceAsync(default));
        Assert.Empty(_received);

        var (first, second, third) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await WriteAsync(first, ShaveChangeKind.Created);
        await WriteAsync(second, ShaveChangeKind.StepsChanged);
        await WriteAsync(third, ShaveChangeKind.StatusChanged);
        await poller.PollOnceAsync(default);

        Assert.Equal(
            [(first, ShaveChangeKind.Created), (second, ShaveChangeKind.StepsChanged), (third, ShaveChangeKind.StatusChanged)],
            _received.Select(c => (c.ShaveId, c.Kind)));
        await poller.PollOnceAsync(default);
        Assert.Equal(3, _received.Count);
    }

    [Fact]
    public async Task Changes_this_instance_wrote_are_not_dispatched_again_its_pages_heard_them_at_once()
    {
        var poller = await StartedPollerAsync();
        var mine = Guid.NewGuid();
        var theirs = Guid.NewGuid();

        await using (var db = await NewContextAsync())
        {
            _feed.Record(db, new ShaveChange(mine, ShaveChangeKind.RecordsAdded, DateTime.UtcNow));
            await db.SaveChangesAsync();
        }

        await WriteAsync(theirs, ShaveChangeKind.RecordsAdded);
        await poller.PollOnceAsync(default);

        Assert.Equal([theirs], _received.Select(c => c.ShaveId));
        await using var check = await NewContextAsync();
        Assert.Equal(_feed.InstanceId, (await check.ShaveChanges.SingleAsync(c => c.ShaveId == mine)).OriginInstance);
    }

    [Fact]
    public async Task A_change_is_in_the_feed_only_if_the_write_it_describes_committed()
    {
        var requester = await CreateUserAsync();
        var video = await CreateVideoFileAsync();
        var saved = Guid.NewGuid();
        var failed = Guid.NewGuid();

        await using (var db = await NewContextAsync())
        {
            db.Shaves.Add(NewShave(saved, requester.Id, video.Id));
            _feed.Record(db, new ShaveChange(saved, ShaveChangeKind.Created, DateTime.UtcNow));
            await db.SaveChangesAsync();
        }

        await using (var db = await NewContextAsync())
        {
            // The same video file twice: the unique index fails the save, and the feed row with it.
            db.Shaves.Add(NewShave(failed, requester.Id, video.Id));
            _feed.Record(db, new ShaveChange(failed, ShaveChangeKind.Created, DateTime.UtcNow));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        await using var check = await NewContextAsync();
        Assert.Equal([saved], await check.ShaveChanges.Select(c => c.ShaveId).ToListAsync());
    }

    [Fact]
    public async Task With_live_updates_in_process_nothing_is_written_and_the_poller_does_not_run()
    {
        var options = Options.Create(new LiveUpdateOptions { Mode = LiveUpdateMode.InProcess });
        var feed = new ShaveChangeFeed(options);
        await using (var db = await NewContextAsync())
        {
            feed.Record(db, new ShaveChange(Guid.NewGuid(), ShaveChangeKind.Created, DateTime.UtcNow));
            Assert.False(db.ChangeTracker.HasChanges());
        }

        using var poller = new ShaveChangePoller(Factory, feed, _notifier, options, _clock, NullLogger<ShaveChangePoller>.Instance);
        await poller.StartAsync(default);
        // It returns on its own; a generous limit only so that a poller that loops fails the test instead of hanging it.
        await poller.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(poller.HighWater);
    }

    [Fact]
    public async Task A_change_that_commits_after_a_later_one_is_still_dispatched_when_it_appears()
    {
        var poller = await StartedPollerAsync();
        var start = poller.HighWater!.Value;
        var (early, late, after) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        // Ids start + 1 and + 3 are visible, + 2 is still in a transaction (as a large batch on SQL Server can be).
        await WriteAsync(early, ShaveChangeKind.StepsChanged, id: start + 1);
        await WriteAsync(after, ShaveChangeKind.StepsChanged, id: start + 3);
        await poller.PollOnceAsync(default);
        Assert.Equal([early, after], _received.Select(c => c.ShaveId));
        Assert.Equal(1, poller.OpenGapCount);

        _clock.Advance(TimeSpan.FromSeconds(5));
        await WriteAsync(late, ShaveChangeKind.StatusChanged, id: start + 2);
        await poller.PollOnceAsync(default);

        Assert.Equal([early, after, late], _received.Select(c => c.ShaveId));
        Assert.Equal(0, poller.OpenGapCount);
        await poller.PollOnceAsync(default);
        Assert.Equal(3, _received.Count);
    }

    [Fact]
    public async Task A_hole_that_stays_empty_is_given_up_after_the_gap_timeout()
    {
        var poller = await StartedPollerAsync(new LiveUpdateOptions { Mode = LiveUpdateMode.Database, GapTimeoutSeconds = 10 });
        var start = poller.HighWater!.Value;
        await WriteAsync(Guid.NewGuid(), ShaveChangeKind.Updated, id: start + 5);
        await poller.PollOnceAsync(default);
        Assert.Equal(1, poller.OpenGapCount);

        _clock.Advance(TimeSpan.FromSeconds(9));
        await poller.PollOnceAsync(default);
        Assert.Equal(1, poller.OpenGapCount);

        // A rolled-back insert leaves its id unused for good: the poller stops looking for it.
        _clock.Advance(TimeSpan.FromSeconds(1));
        await poller.PollOnceAsync(default);
        Assert.Equal(0, poller.OpenGapCount);
        Assert.Equal(start + 5, poller.HighWater);
    }

    [Fact]
    public async Task A_backlog_larger_than_one_batch_is_read_batch_after_batch_in_order()
    {
        var poller = await StartedPollerAsync();
        var ids = Enumerable.Range(0, ShaveChangePoller.BatchSize + 7).Select(_ => Guid.NewGuid()).ToList();
        await using (var db = await NewContextAsync())
        {
            db.ShaveChanges.AddRange(ids.Select(id => Entry(id, ShaveChangeKind.RecordsAdded, DateTime.UtcNow)));
            await db.SaveChangesAsync();
        }

        Assert.True(await poller.PollOnceAsync(default));
        Assert.Equal(ShaveChangePoller.BatchSize, _received.Count);
        Assert.False(await poller.PollOnceAsync(default));
        Assert.Equal(ids, _received.Select(c => c.ShaveId));
    }

    [Fact]
    public async Task Changes_older_than_the_retention_are_pruned_and_newer_ones_kept()
    {
        var poller = await StartedPollerAsync(new LiveUpdateOptions { Mode = LiveUpdateMode.Database, RetentionMinutes = 60 });
        var now = _clock.GetUtcNow().UtcDateTime;
        var old = Guid.NewGuid();
        var recent = Guid.NewGuid();
        await WriteAsync(old, ShaveChangeKind.Updated, at: now.AddMinutes(-61));
        await WriteAsync(recent, ShaveChangeKind.Updated, at: now.AddMinutes(-30));

        await poller.PollOnceAsync(default);
        await using (var db = await NewContextAsync())
        {
            Assert.Equal(2, await db.ShaveChanges.CountAsync());
        }

        // Pruning runs once a minute, not on every poll.
        _clock.Advance(ShaveChangePoller.PruneInterval);
        await poller.PollOnceAsync(default);

        await using var check = await NewContextAsync();
        Assert.Equal([recent], await check.ShaveChanges.Select(c => c.ShaveId).ToListAsync());
        Assert.Equal([old, recent], _received.Select(c => c.ShaveId));
    }

    [Fact]
    public async Task A_kind_this_version_does_not_know_arrives_as_an_update()
    {
        var poller = await StartedPollerAsync();
        var shave = Guid.NewGuid();
        await using (var db = await NewContextAsync())
        {
            db.ShaveChanges.Add(new ShaveChangeEntry { ShaveId = shave, Kind = "CommentAdded", ChangedAt = DateTime.UtcNow, OriginInstance = OtherInstance });
            await db.SaveChangesAsync();
        }

        await poller.PollOnceAsync(default);

        Assert.Equal((shave, ShaveChangeKind.Updated), _received.Select(c => (c.ShaveId, c.Kind)).Single());
    }

    [Fact]
    public async Task After_the_feed_goes_back_to_an_older_copy_the_poller_reads_on_from_its_end()
    {
        var poller = await StartedPollerAsync();
        var start = poller.HighWater!.Value;
        for (var i = 1; i <= 3; i++)
        {
            await WriteAsync(Guid.NewGuid(), ShaveChangeKind.Updated, id: start + i);
        }

        await poller.PollOnceAsync(default);
        Assert.Equal(start + 3, poller.HighWater);

        // A restore from a backup taken before those changes were written.
        await using (var db = await NewContextAsync())
        {
            await db.ShaveChanges.Where(c => c.Id > start).ExecuteDeleteAsync();
        }

        await WriteAsync(Guid.NewGuid(), ShaveChangeKind.Updated, id: start + 1);
        await poller.PollOnceAsync(default);
        Assert.Equal(start + 3, poller.HighWater);
        // The check runs when the feed has been quiet for a while, not on every poll.
        _clock.Advance(ShaveChangePoller.RewindCheckInterval);
        await poller.PollOnceAsync(default);
        Assert.Equal(start + 1, poller.HighWater);

        var next = Guid.NewGuid();
        await WriteAsync(next, ShaveChangeKind.StatusChanged, id: start + 2);
        await poller.PollOnceAsync(default);
        Assert.Equal(next, _received.Last().ShaveId);
    }

    [Fact]
    public async Task The_feeds_queries_read_sqlite_through_the_primary_key_and_the_changed_at_index()
    {
        await using var db = await NewContextAsync();

        var next = await PlanAsync(db, ShaveChangePoller.NewRowsQuery(db, 42));
        var gap = await PlanAsync(db, ShaveChangePoller.GapQuery(db, 40, 41));
        var expired = await PlanAsync(db, ShaveChangePoller.ExpiredQuery(db, DateTime.UtcNow).Select(c => c.Id));

        // "SEARCH ... USING INTEGER PRIMARY KEY (rowid>?)": a range read, however long the table.
        Assert.Contains("SEARCH", next, StringComparison.Ordinal);
        Assert.Contains("INTEGER PRIMARY KEY (rowid>?)", next, StringComparison.Ordinal);
        Assert.Contains("INTEGER PRIMARY KEY (rowid>? AND rowid<?)", gap, StringComparison.Ordinal);
        Assert.Contains("ix_shave_changes_changed_at", expired, StringComparison.Ordinal);
    }

    [Fact]
    public void The_feeds_queries_parse_as_sql_server_sql()
    {
        using var db = SqlServerScript.CreateContext();

        var next = ShaveChangePoller.NewRowsQuery(db, 42).ToQueryString();
        SqlServerScript.AssertParses(next);
        SqlServerScript.AssertParses(ShaveChangePoller.GapQuery(db, 40, 41).ToQueryString());
        SqlServerScript.AssertParses(ShaveChangePoller.ExpiredQuery(db, DateTime.UtcNow).Select(c => c.Id).ToQueryString());
        Assert.Contains("ORDER BY [s].[id]", next, StringComparison.Ordinal);
    }

    private static async Task<string> PlanAsync<T>(ShaveTrackerDbContext db, IQueryable<T> query) =>
        string.Join('\n', await SqlitePlan.LinesAsync(db, query));

    private ShaveChangePoller NewPoller(LiveUpdateOptions? options = null) =>
        new(Factory, _feed, _notifier, Options.Create(options ?? new LiveUpdateOptions { Mode = LiveUpdateMode.Database }), _clock,
            NullLogger<ShaveChangePoller>.Instance);

    /// <summary>A poller past its first poll, which only finds where the feed ends.</summary>
    private async Task<ShaveChangePoller> StartedPollerAsync(LiveUpdateOptions? options = null)
    {
        var poller = NewPoller(options);
        await poller.PollOnceAsync(default);
        Assert.NotNull(poller.HighWater);
        return poller;
    }

    /// <summary>A change written by another instance; with <paramref name="id"/>, at that id (as a late commit).</summary>
    private async Task WriteAsync(Guid shaveId, ShaveChangeKind kind, long? id = null, DateTime? at = null)
    {
        var entry = Entry(shaveId, kind, at ?? DateTime.UtcNow);
        entry.Id = id ?? 0;
        await using var db = await NewContextAsync();
        db.ShaveChanges.Add(entry);
        await db.SaveChangesAsync();
    }

    private static ShaveChangeEntry Entry(Guid shaveId, ShaveChangeKind kind, DateTime at) =>
        new() { ShaveId = shaveId, Kind = kind.ToString(), ChangedAt = at, OriginInstance = OtherInstance };

    private static Shave NewShave(Guid id, Guid requesterId, Guid videoFileId) => new()
    {
        Id = id, Title = "Printer prints blank pages", VideoFileId = videoFileId, RequesterId = requesterId,
        ShaveStatus = ShaveStatus.Pending, WorkItemSource = "GitHub", CreatedAt = DateTime.UtcNow,
    };
}
