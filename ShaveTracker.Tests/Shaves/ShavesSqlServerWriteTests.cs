using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.WritePath;
using ShaveTracker.Web.Infrastructure.LiveUpdates;

namespace ShaveTracker.Tests.Shaves;

/// <summary>
/// The SQL Server SQL of the staff's changes to shaves (edit, cancel, re-queue, bulk move/cancel/re-queue, delete),
/// as EF Core's SQL Server provider generates it for the change sets the service really makes.
/// </summary>
public sealed class ShavesSqlServerWriteTests(SqliteDatabaseFixture database) : SqlServerWriteTest(database)
{
    // The change feed as SQL Server deployments run it, so its rows are part of each write's SQL.
    private ShavesService Service => new(RecordingFactory, TestShaveChanges.Writer(feed: TestShaveChanges.Feed(LiveUpdateMode.Database)), TimeProvider.System,
        NullLogger<ShavesService>.Instance);

    private static Caller Staff(User u) => new(u.Id, u.DisplayName, IsStaff: true, IsAdmin: false);

    [Fact]
    public async Task An_edit_updates_the_shave_under_its_concurrency_token_and_adds_one_activity_per_kind_of_change()
    {
        var staff = await CreateUserAsync("Stan");
        var project = await CreateProjectAsync();
        var shave = await CreateShaveAsync(status: ShaveStatus.Failed);
        var edit = new ShaveEdit("Login fails on Safari 17", project.Id, ShaveStatus.Pending, "https://github.com/contoso/web/issues/7", "GitHub", shave.UpdatedAt);

        var writes = await SaveAndAssertSqlServerWritesAsync(async () =>
            Assert.Equal(CommandOutcome.Succeeded, (await Service.UpdateAsync(Staff(staff), shave.Id, edit, default)).Outcome));

        AssertWrites(writes, "UPDATE shaves", "INSERT user_activities", "INSERT user_activities", "INSERT user_activities", "INSERT shave_changes");
        var sql = Recorder.Commands.Single(c => c.Sql.Contains("UPDATE [shaves]", StringComparison.Ordinal)).Sql;
        Assert.Contains("[updated_at] IS NULL", sql, StringComparison.Ordinal);
        Assert.Contains("SELECT @@ROWCOUNT", sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_and_requeue_update_the_status_with_an_activity()
    {
        var staff = await CreateUserAsync("Stan");
        var shave = await CreateShaveAsync(status: ShaveStatus.Processing);

        var cancelled = await SaveAndAssertSqlServerWritesAsync(async () =>
            Assert.Equal(CommandOutcome.Succeeded, (await Service.CancelAsync(Staff(staff), shave.Id, null, default)).Outcome));
        await using (var db = await NewContextAsync())
        {
            var version = await db.Shaves.Where(s => s.Id == shave.Id).Select(s => s.UpdatedAt).SingleAsync();
            var requeued = await SaveAndAssertSqlServerWritesAsync(async () =>
                Assert.Equal(CommandOutcome.Succeeded, (await Service.RequeueAsync(Staff(staff), shave.Id, version, default)).Outcome));
            AssertWrites(requeued, "UPDATE shaves", "INSERT user_activities", "INSERT shave_changes");
        }

        AssertWrites(cancelled, "UPDATE shaves", "INSERT user_activities", "INSERT shave_changes");
    }

    private static readonly string[] PerChangedShave = ["UPDATE shaves", "INSERT user_activities", "INSERT shave_changes"];

    [Fact]
    public async Task Bulk_move_cancel_and_requeue_update_every_eligible_shave_in_one_transaction()
    {
        var staff = await CreateUserAsync("Stan");
        var project = await CreateProjectAsync();
        var pending = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => CreateShaveAsync(title: $"Pending {i}")));
        var completed = await CreateShaveAsync(title: "Done", status: ShaveStatus.Completed);
        Guid[] all = [.. pending.Select(s => s.Id), completed.Id];

        var moved = await SaveAndAssertSqlServerWritesAsync(async () =>
            Assert.Equal(4, (await Service.BulkMoveAsync(Staff(staff), all, project.Id, default)).Changed));
        var cancelled = await SaveAndAssertSqlServerWritesAsync(async () =>
            Assert.Equal(3, (await Service.BulkCancelAsync(Staff(staff), all, default)).Changed));
        var requeued = await SaveAndAssertSqlServerWritesAsync(async () =>
            Assert.Equal(3, (await Service.BulkRequeueAsync(Staff(staff), all, default)).Changed));

        // Per changed shave: its update, its activity row and its change-feed row.
        static string[] Each(int n) => [.. Enumerable.Range(0, n).SelectMany(_ => PerChangedShave)];
        AssertWrites(moved, Each(4));
        AssertWrites(cancelled, Each(3));
        AssertWrites(requeued, Each(3));
    }

    [Fact]
    public async Task Delete_removes_the_shave_and_its_video_file_in_one_transaction()
    {
        var admin = await CreateUserAsync("Ada");
        var shave = await CreateShaveAsync();

        var writes = await SaveAndAssertSqlServerWritesAsync(async () =>
        {
            await using var db = Recorder.CreateContext();
            var feed = TestShaveChanges.Feed(LiveUpdateMode.Database);
            await ShaveWriter.DeleteRowsAsync(db, shave.Id, shave.VideoFileId,
                () => feed.Record(db, new ShaveChange(shave.Id, ShaveChangeKind.Deleted, DateTime.UtcNow)), default);
        });

        // The feed's row commits with the delete: other instances hear of it exactly when it happened.
        Assert.Equal(["DELETE shaves", "DELETE video_files", "INSERT shave_changes"], writes);
        Assert.Equal(3, Recorder.Commands.Count);
        // The same statements on SQLite, through the service, do delete both rows.
        var result = await Service.DeleteAsync(await TestAdmin.GrantAsync(Factory, admin), shave.Id, default);
        Assert.Equal(CommandOutcome.Succeeded, result.Outcome);
        await using var sqlite = await NewContextAsync();
        Assert.False(await sqlite.Shaves.AnyAsync());
        Assert.False(await sqlite.VideoFiles.AnyAsync());
        Assert.Equal("Deleted", Assert.Single(await sqlite.ShaveChanges.Where(c => c.ShaveId == shave.Id).ToListAsync()).Kind);
    }
}
