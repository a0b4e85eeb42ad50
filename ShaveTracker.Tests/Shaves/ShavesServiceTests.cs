using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.WritePath;
using ShaveTracker.Web.Infrastructure.LiveUpdates;

namespace ShaveTracker.Tests.Shaves;

public sealed class ShavesServiceTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    private readonly InProcessShaveChangeNotifier _notifier = TestShaveChanges.Notifier();
    private ShaveChangeFeed _feed = TestShaveChanges.Feed();

    private ShavesService Service => new(Factory, TestShaveChanges.Writer(_notifier, _feed), TimeProvider.System, NullLogger<ShavesService>.Instance);

    private static Caller Staff(User u) => new(u.Id, u.DisplayName, IsStaff: true, IsAdmin: false);

    private static Caller Admin(User u) => new(u.Id, u.DisplayName, IsStaff: false, IsAdmin: true);

    private static Caller Requester(User u) => new(u.Id, u.DisplayName, IsStaff: false, IsAdmin: false);

    [Fact]
    public async Task Requester_lists_only_their_own_shaves_even_when_filtering_by_someone_else()
    {
        var alice = await CreateUserAsync("Alice");
        var bob = await CreateUserAsync("Bob");
        await CreateShaveAsync(alice, title: "Alice 1");
        await CreateShaveAsync(alice, title: "Alice 2");
        await CreateShaveAsync(bob, title: "Bob 1");

        var own = await Service.ListAsync(Requester(alice), new ShaveListQuery(), default);
        Assert.Equal(2, own.TotalCount);
        Assert.All(own.Rows, r => Assert.Equal(alice.Id, r.RequesterId));

        var probing = await Service.ListAsync(Requester(alice), new ShaveListQuery { RequesterId = bob.Id }, default);
        Assert.Equal(0, probing.TotalCount);
        Assert.Empty(probing.Rows);
    }

    [Fact]
    public async Task Staff_sees_every_shave_and_filters_by_status_project_requester_dates_and_title()
    {
        var staff = await CreateUserAsync("Stan");
        var alice = await CreateUserAsync("Alice");
        var bob = await CreateUserAsync("Bob");
        var project = await CreateProjectAsync(name: "Web");
        var day = new DateTime(2026, 10, 10, 12, 0, 0, DateTimeKind.Utc);
        await CreateShaveAsync(alice, project, title: "Login fails on Safari", status: ShaveStatus.Failed, createdAt: day);
        await CreateShaveAsync(alice, title: "Export 100% broken", status: ShaveStatus.Completed, createdAt: day.AddDays(1));
        await CreateShaveAsync(bob, project, title: "Dark mode colours", status: ShaveStatus.Processing, createdAt: day.AddDays(2));

        var caller = Staff(staff);
        Assert.Equal(3, (await Service.ListAsync(caller, new ShaveListQuery(), default)).TotalCount);
        Assert.Equal(2, (await Service.ListAsync(caller, new ShaveListQuery { Statuses = [ShaveStatus.Failed, ShaveStatus.Processing] }, default)).TotalCount);
        Assert.Equal(2, (await Service.ListAsync(caller, new ShaveListQuery { ProjectId = project.Id }, default)).TotalCount);
        Assert.Equal(1, (await Service.ListAsync(caller, new ShaveListQuery { RequesterId = bob.Id }, default)).TotalCount);
        var window = await Service.ListAsync(caller, new ShaveListQuery { CreatedFrom = new DateOnly(2026, 10, 11), CreatedTo = new DateOnly(2026, 10, 11) }, default);
        Assert.Equal("Export 100% broken", Assert.Single(window.Rows).Title);
        Assert.Equal("Login fails on Safari", Assert.Single((await Service.ListAsync(caller, new ShaveListQuery { Search = "safari" }, default)).Rows).Title);
        // LIKE wildcards in the search are literal characters.
        Assert.Equal("Export 100% broken", Assert.Single((await Service.ListAsync(caller, new ShaveListQuery { Search = "100%" }, default)).Rows).Title);
        Assert.Empty((await Service.ListAsync(caller, new ShaveListQuery { Search = "_" }, default)).Rows);
    }

    [Fact]
    public async Task Pages_are_stable_and_complete_when_many_shaves_share_a_timestamp()
    {
        var requester = await CreateUserAsync();
        var at = new DateTime(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 23; i++)
        {
            await CreateShaveAsync(requester, title: $"Shave {i:00}", createdAt: at);
        }

        var caller = Staff(requester);
        var seen = new List<Guid>();
        for (var page = 0; page < 3; page++)
        {
            var result = await Service.ListAsync(caller, new ShaveListQuery { Page = page, PageSize = 10 }, default);
            Assert.Equal(23, result.TotalCount);
            seen.AddRange(result.Rows.Select(r => r.Id));
        }

        Assert.Equal(23, seen.Distinct().Count());
        Assert.Equal(seen.OrderByDescending(id => id.ToString(), StringComparer.OrdinalIgnoreCase), seen);
    }

    [Theory]
    [InlineData(ShaveSort.Title, false)]
    [InlineData(ShaveSort.Title, true)]
    [InlineData(ShaveSort.Created, false)]
    [InlineData(ShaveSort.Created, true)]
    public async Task Sorts_are_done_by_the_database_in_the_requested_direction(ShaveSort sort, bool descending)
    {
        var requester = await CreateUserAsync();
        var at = new DateTime(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc);
        await CreateShaveAsync(requester, title: "Bravo", createdAt: at.AddHours(1));
        await CreateShaveAsync(requester, title: "Alpha", createdAt: at.AddHours(3));
        await CreateShaveAsync(requester, title: "Charlie", createdAt: at.AddHours(2));

        var rows = (await Service.ListAsync(Staff(requester), new ShaveListQuery { Sort = sort, Descending = descending }, default)).Rows;
        var expected = sort == ShaveSort.Title ? new[] { "Alpha", "Bravo", "Charlie" } : ["Bravo", "Charlie", "Alpha"];
        Assert.Equal(descending ? expected.Reverse() : expected, rows.Select(r => r.Title));
    }

    [Fact]
    public async Task Requester_opening_another_requesters_shave_gets_the_same_null_as_a_missing_one()
    {
        var alice = await CreateUserAsync("Alice");
        var bob = await CreateUserAsync("Bob");
        var bobs = await CreateShaveAsync(bob);

        Assert.Null(await Service.GetAsync(Requester(alice), bobs.Id, default));
        Assert.Null(await Service.GetAsync(Requester(alice), Guid.NewGuid(), default));
        Assert.NotNull(await Service.GetAsync(Requester(bob), bobs.Id, default));
        Assert.NotNull(await Service.GetAsync(Staff(alice), bobs.Id, default));
    }

    [Fact]
    public async Task Detail_lists_other_shaves_recorded_from_the_same_file_hash()
    {
        var requester = await CreateUserAsync();
        var original = await CreateShaveAsync(requester, videoFile: await CreateVideoFileAsync("a.mp4", fileHash: "abc123"));
        var moved = await CreateShaveAsync(requester, videoFile: await CreateVideoFileAsync("moved/a.mp4", fileHash: "abc123"));
        await CreateShaveAsync(requester, videoFile: await CreateVideoFileAsync("b.mp4", fileHash: "zzz"));

        var detail = await Service.GetAsync(Staff(requester), original.Id, default);
        Assert.Equal(moved.Id, Assert.Single(detail!.SameFile).Id);
    }

    [Fact]
    public async Task Editing_writes_the_change_and_its_activity_rows_together()
    {
        var staff = await CreateUserAsync("Stan");
        var project = await CreateProjectAsync(name: "Mobile");
        var shave = await CreateShaveAsync(title: "Old title");
        var edit = new ShaveEdit("New title", project.Id, ShaveStatus.Failed, "https://github.com/org/repo/issues/7", "GitHub", null);

        var result = await Service.UpdateAsync(Staff(staff), shave.Id, edit, default);

        Assert.Equal(CommandOutcome.Succeeded, result.Outcome);
        await using var db = await NewContextAsync();
        var saved = await db.Shaves.SingleAsync(s => s.Id == shave.Id);
        Assert.Equal("New title", saved.Title);
        Assert.Equal(project.Id, saved.ProjectId);
        Assert.NotNull(saved.UpdatedAt);
        var activities = await db.UserActivities.Where(a => a.ShaveId == shave.Id).ToListAsync();
        Assert.Equal(["shave.project_changed", "shave.status_changed", "shave.updated"], activities.Select(a => a.ActivityType).Order());
        Assert.All(activities, a =>
        {
            Assert.Equal(staff.Id, a.UserId);
            Assert.Equal("shaves", a.TargetTable);
            Assert.Equal(shave.Id, a.TargetId);
        });
        var updated = JsonDocument.Parse(activities.Single(a => a.ActivityType == "shave.updated").DetailsJson!).RootElement;
        Assert.Equal("Old title", updated.GetProperty("before").GetProperty("title").GetString());
        Assert.Equal("New title", updated.GetProperty("after").GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_stale_edit_is_refused_with_the_current_values_and_overwrites_nothing()
    {
        var staff = await CreateUserAsync("Stan");
        var shave = await CreateShaveAsync(title: "Original");
        var loadedByBoth = (await Service.GetAsync(Staff(staff), shave.Id, default))!.UpdatedAt;

        var first = await Service.UpdateAsync(Staff(staff), shave.Id, new ShaveEdit("First editor", null, ShaveStatus.Pending, null, "GitHub", loadedByBoth), default);
        Assert.Equal(CommandOutcome.Succeeded, first.Outcome);

        var second = await Service.UpdateAsync(Staff(staff), shave.Id, new ShaveEdit("Second editor", null, ShaveStatus.Pending, null, "GitHub", loadedByBoth), default);
        Assert.Equal(CommandOutcome.Conflict, second.Outcome);
        Assert.Equal("First editor", second.Current!.Title);

        await using var db = await NewContextAsync();
        Assert.Equal("First editor", (await db.Shaves.SingleAsync()).Title);
        Assert.Single(await db.UserActivities.ToListAsync());
    }

    [Theory]
    [InlineData("", null, "Title")]
    [InlineData("   ", null, "Title")]
    [InlineData("ok", "javascript:alert(1)", "WorkItemUrl")]
    [InlineData("ok", "ftp://files.example/x", "WorkItemUrl")]
    [InlineData("ok", "/relative/path", "WorkItemUrl")]
    public async Task Invalid_edits_are_refused_field_by_field_and_change_nothing(string title, string? url, string field)
    {
        var staff = await CreateUserAsync("Stan");
        var shave = await CreateShaveAsync(title: "Keep me");
        var result = await Service.UpdateAsync(Staff(staff), shave.Id, new ShaveEdit(title, null, ShaveStatus.Pending, url, "GitHub", null), default);

        Assert.Equal(CommandOutcome.Invalid, result.Outcome);
        Assert.True(result.Errors!.ContainsKey(field));
        await using var db = await NewContextAsync();
        Assert.Equal("Keep me", (await db.Shaves.SingleAsync()).Title);
        Assert.Empty(await db.UserActivities.ToListAsync());
    }

    [Fact]
    public async Task Title_longer_than_the_limit_and_an_inactive_project_are_refused()
    {
        var staff = await CreateUserAsync("Stan");
        var inactive = await CreateProjectAsync(name: "Old", isActive: false);
        var shave = await CreateShaveAsync();
        var result = await Service.UpdateAsync(Staff(staff), shave.Id,
            new ShaveEdit(new string('x', Shave.TitleMaxLength + 1), inactive.Id, ShaveStatus.Pending, null, "", null), default);
        Assert.Equal(CommandOutcome.Invalid, result.Outcome);
        Assert.Contains("Title", result.Errors!.Keys);
        Assert.Contains("ProjectId", result.Errors!.Keys);
    }

    [Fact]
    public async Task Requesters_cannot_edit_or_delete_shaves_even_their_own()
    {
        var alice = await CreateUserAsync("Alice");
        var shave = await CreateShaveAsync(alice, status: ShaveStatus.Failed);
        Assert.Equal(CommandOutcome.Forbidden, (await Service.UpdateAsync(Requester(alice), shave.Id, new ShaveEdit("x", null, ShaveStatus.Pending, null, "", null), default)).Outcome);
        Assert.Equal(CommandOutcome.Forbidden, (await Service.DeleteAsync(Requester(alice), shave.Id, default)).Outcome);
        Assert.Equal(CommandOutcome.Forbidden, (await Service.DeleteAsync(Staff(alice), shave.Id, default)).Outcome);
    }

    [Fact]
    public async Task A_requester_requeues_and_cancels_their_own_shave_audited_as_theirs_and_finds_no_one_elses()
    {
        var alice = await CreateUserAsync("Alice");
        var bob = await CreateUserAsync("Bob");
        var own = await CreateShaveAsync(alice, status: ShaveStatus.Failed);
        var bobs = await CreateShaveAsync(bob, status: ShaveStatus.Failed);

        var requeued = await Service.RequeueAsync(Requester(alice), own.Id, own.UpdatedAt, default);
        Assert.Equal(CommandOutcome.Succeeded, requeued.Outcome);
        Assert.Equal(ShaveStatus.Pending, requeued.Current!.Status);
        var cancelled = await Service.CancelAsync(Requester(alice), own.Id, requeued.Current.UpdatedAt, default);
        Assert.Equal(CommandOutcome.Succeeded, cancelled.Outcome);
        Assert.Equal(ShaveStatus.Cancelled, cancelled.Current!.Status);

        // Someone else's shave is not found, exactly as if it did not exist; a stale copy of one's own is a conflict.
        Assert.Equal(CommandOutcome.NotFound, (await Service.RequeueAsync(Requester(alice), bobs.Id, bobs.UpdatedAt, default)).Outcome);
        Assert.Equal(CommandOutcome.NotFound, (await Service.CancelAsync(Requester(alice), bobs.Id, bobs.UpdatedAt, default)).Outcome);
        Assert.Equal(CommandOutcome.Conflict, (await Service.RequeueAsync(Requester(alice), own.Id, requeued.Current.UpdatedAt, default)).Outcome);

        await using var db = await NewContextAsync();
        Assert.Equal(ShaveStatus.Failed, (await db.Shaves.SingleAsync(s => s.Id == bobs.Id)).ShaveStatus);
        var audit = await db.UserActivities.Where(a => a.ShaveId == own.Id).OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync();
        Assert.Equal(2, audit.Count);
        Assert.All(audit, a => Assert.Equal(alice.Id, a.UserId));
        Assert.Empty(await db.UserActivities.Where(a => a.ShaveId == bobs.Id).ToListAsync());
    }

    [Fact]
    public async Task Cancel_and_requeue_follow_the_allowed_transitions()
    {
        var staff = await CreateUserAsync("Stan");
        var processing = await CreateShaveAsync(status: ShaveStatus.Processing);
        var completed = await CreateShaveAsync(status: ShaveStatus.Completed);

        Assert.Equal(CommandOutcome.Succeeded, (await Service.CancelAsync(Staff(staff), processing.Id, null, default)).Outcome);
        Assert.Equal(CommandOutcome.Invalid, (await Service.CancelAsync(Staff(staff), completed.Id, null, default)).Outcome);
        Assert.Equal(CommandOutcome.Invalid, (await Service.RequeueAsync(Staff(staff), completed.Id, null, default)).Outcome);

        var cancelled = (await Service.GetAsync(Staff(staff), processing.Id, default))!;
        Assert.Equal(ShaveStatus.Cancelled, cancelled.Status);
        Assert.Equal(CommandOutcome.Succeeded, (await Service.RequeueAsync(Staff(staff), processing.Id, cancelled.UpdatedAt, default)).Outcome);
        Assert.Equal(ShaveStatus.Pending, (await Service.GetAsync(Staff(staff), processing.Id, default))!.Status);
    }

    [Fact]
    public async Task Bulk_requeue_changes_only_eligible_shaves_and_reports_the_rest()
    {
        var staff = await CreateUserAsync("Stan");
        var failed = await CreateShaveAsync(status: ShaveStatus.Failed);
        var done = await CreateShaveAsync(status: ShaveStatus.Completed);

        var result = await Service.BulkRequeueAsync(Staff(staff), [failed.Id, done.Id], default);

        Assert.Equal(1, result.Changed);
        Assert.Equal(1, result.Skipped);
        await using var db = await NewContextAsync();
        Assert.Equal(ShaveStatus.Pending, (await db.Shaves.SingleAsync(s => s.Id == failed.Id)).ShaveStatus);
        Assert.Equal(ShaveStatus.Completed, (await db.Shaves.SingleAsync(s => s.Id == done.Id)).ShaveStatus);
        Assert.Equal(failed.Id, (await db.UserActivities.SingleAsync()).ShaveId);
    }

    [Fact]
    public async Task Bulk_requeue_of_all_matching_finds_the_views_shaves_again_on_the_server_and_audits_each()
    {
        var staff = await CreateUserAsync("Stan");
        var alice = await CreateUserAsync("Alice");
        var bob = await CreateUserAsync("Bob");
        var alices = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            alices.Add((await CreateShaveAsync(alice, title: $"Alice {i}", status: ShaveStatus.Failed)).Id);
        }

        var alicesDone = await CreateShaveAsync(alice, title: "Alice done", status: ShaveStatus.Completed);
        var bobs = await CreateShaveAsync(bob, title: "Bob's", status: ShaveStatus.Failed);
        // The page showed 25 of them; the view is what counts, not its page.
        var view = new ShaveListQuery { RequesterId = alice.Id, Statuses = [ShaveStatus.Failed], PageSize = 25 };

        var result = await Service.BulkRequeueAsync(Staff(staff), BulkTarget.AllMatching(view, 30), default);

        Assert.Equal((30, 0), (result.Changed, result.Skipped));
        await using var db = await NewContextAsync();
        Assert.All(await db.Shaves.Where(s => alices.Contains(s.Id)).ToListAsync(), s => Assert.Equal(ShaveStatus.Pending, s.ShaveStatus));
        Assert.Equal(ShaveStatus.Completed, (await db.Shaves.SingleAsync(s => s.Id == alicesDone.Id)).ShaveStatus);
        Assert.Equal(ShaveStatus.Failed, (await db.Shaves.SingleAsync(s => s.Id == bobs.Id)).ShaveStatus);
        var audit = await db.UserActivities.ToListAsync();
        Assert.Equal(alices.Order(), audit.Select(a => a.ShaveId).Order());
        Assert.All(audit, a => Assert.Equal((staff.Id, ActivityTypes.StatusChanged), (a.UserId!.Value, a.ActivityType)));
    }

    [Fact]
    public async Task Bulk_action_on_all_matching_changes_nothing_when_the_view_no_longer_matches_what_was_confirmed()
    {
        var staff = await CreateUserAsync("Stan");
        var project = await CreateProjectAsync(name: "Web");
        await CreateShaveAsync(title: "First", status: ShaveStatus.Failed);
        await CreateShaveAsync(title: "Second", status: ShaveStatus.Failed);
        var view = new ShaveListQuery { Statuses = [ShaveStatus.Failed] };
        // One more arrived after the person read "2 shaves" in the dialog.
        await CreateShaveAsync(title: "Third", status: ShaveStatus.Failed);

        var requeue = await Service.BulkRequeueAsync(Staff(staff), BulkTarget.AllMatching(view, 2), default);
        var move = await Service.BulkMoveAsync(Staff(staff), BulkTarget.AllMatching(view, 2), project.Id, default);

        Assert.Equal(0, requeue.Changed);
        Assert.Contains("3 shaves match this view now, not the 2 you confirmed", Assert.Single(requeue.Messages), StringComparison.Ordinal);
        Assert.Equal(0, move.Changed);
        await using var db = await NewContextAsync();
        Assert.All(await db.Shaves.ToListAsync(), s => Assert.Equal((ShaveStatus.Failed, (Guid?)null), (s.ShaveStatus, s.ProjectId)));
        Assert.Empty(await db.UserActivities.ToListAsync());
    }

    [Fact]
    public async Task Bulk_action_on_all_matching_is_for_staff_only()
    {
        var alice = await CreateUserAsync("Alice");
        await CreateShaveAsync(alice, title: "Her own", status: ShaveStatus.Failed);

        var result = await Service.BulkRequeueAsync(Requester(alice), BulkTarget.AllMatching(new ShaveListQuery(), 1), default);

        Assert.Equal(0, result.Changed);
        Assert.Equal("Only staff can change shaves.", Assert.Single(result.Messages));
        await using var db = await NewContextAsync();
        Assert.Equal(ShaveStatus.Failed, (await db.Shaves.SingleAsync()).ShaveStatus);
    }

    [Fact]
    public async Task Staff_changes_reach_open_pages_here_and_through_the_feed_but_refused_ones_do_not()
    {
        _feed = TestShaveChanges.Feed(LiveUpdateMode.Database);
        var staff = await CreateUserAsync("Stan");
        var processing = await CreateShaveAsync(status: ShaveStatus.Processing);
        var failed = await CreateShaveAsync(status: ShaveStatus.Failed);
        var done = await CreateShaveAsync(status: ShaveStatus.Completed);
        var heard = new List<ShaveChange>();
        using var subscription = _notifier.Subscribe(null, change =>
        {
            lock (heard)
            {
                heard.Add(change);
            }

            return Task.CompletedTask;
        });

        Assert.Equal(CommandOutcome.Succeeded, (await Service.CancelAsync(Staff(staff), processing.Id, null, default)).Outcome);
        Assert.Equal(CommandOutcome.Invalid, (await Service.CancelAsync(Staff(staff), done.Id, null, default)).Outcome);
        Assert.Equal(1, (await Service.BulkRequeueAsync(Staff(staff), [failed.Id, done.Id], default)).Changed);
        var loaded = (await Service.GetAsync(Staff(staff), done.Id, default))!;
        Assert.Equal(CommandOutcome.Succeeded, (await Service.UpdateAsync(Staff(staff), done.Id,
            new ShaveEdit("A better title", null, ShaveStatus.Completed, null, "", loaded.UpdatedAt), default)).Outcome);

        var expected = new[] { (processing.Id, ShaveChangeKind.StatusChanged), (failed.Id, ShaveChangeKind.StatusChanged), (done.Id, ShaveChangeKind.Updated) };
        // Delivery is fire-and-forget on the writer's side: wait for it, do not time it.
        await WaitUntilAsync(() => { lock (heard) { return heard.Count >= expected.Length; } });
        lock (heard)
        {
            Assert.Equal(expected.Order(), heard.Select(c => (c.ShaveId, c.Kind)).Order());
        }

        await using var db = await NewContextAsync();
        Assert.Equal(expected.Select(e => (e.Item1, e.Item2.ToString())).Order(),
            (await db.ShaveChanges.Select(c => new { c.ShaveId, c.Kind }).ToListAsync()).Select(c => (c.ShaveId, c.Kind)).Order());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Bulk_move_refuses_an_inactive_project()
    {
        var staff = await CreateUserAsync("Stan");
        var inactive = await CreateProjectAsync(name: "Old", isActive: false);
        var shave = await CreateShaveAsync();
        var result = await Service.BulkMoveAsync(Staff(staff), [shave.Id], inactive.Id, default);
        Assert.Equal(0, result.Changed);
        await using var db = await NewContextAsync();
        Assert.Null((await db.Shaves.SingleAsync()).ProjectId);
    }

    [Fact]
    public async Task Admin_delete_removes_the_shave_its_rows_and_its_video_file_only()
    {
        var admin = await CreateUserAsync("Ada");
        var doomed = await CreateShaveAsync(title: "Doomed");
        var kept = await CreateShaveAsync(title: "Kept");
        await InsertAsync(
            new ProcessStep { Id = Ids.NewId(), ShaveId = doomed.Id, StepName = "transcribing", ProcessStatus = ProcessStatus.Completed, StartedAt = DateTime.UtcNow },
            new Transcript { Id = Ids.NewId(), ShaveId = doomed.Id, Text = "hello", CreatedAt = DateTime.UtcNow },
            new AiLog { Id = Ids.NewId(), ShaveId = doomed.Id, ModelName = "gpt-4o", CreatedAt = DateTime.UtcNow },
            new UserActivity { Id = Ids.NewId(), ShaveId = doomed.Id, ActivityType = "shave.created", CreatedAt = DateTime.UtcNow });

        Assert.Equal(CommandOutcome.Succeeded, (await Service.DeleteAsync(await TestAdmin.GrantAsync(Factory, admin), doomed.Id, default)).Outcome);

        await using var db = await NewContextAsync();
        Assert.Equal(kept.Id, (await db.Shaves.SingleAsync()).Id);
        Assert.Empty(await db.ProcessSteps.ToListAsync());
        Assert.Empty(await db.Transcripts.ToListAsync());
        Assert.Empty(await db.AiLogs.ToListAsync());
        Assert.Empty(await db.UserActivities.ToListAsync());
        Assert.Equal(kept.VideoFileId, (await db.VideoFiles.SingleAsync()).Id);
    }

    [Fact]
    public async Task Counts_kept_by_triggers_match_the_rows_after_inserts_updates_and_deletes()
    {
        var staff = await CreateUserAsync("Stan");
        var alice = await CreateUserAsync("Alice");
        var bob = await CreateUserAsync("Bob");
        var web = await CreateProjectAsync(name: "Web");
        var mobile = await CreateProjectAsync(name: "Mobile");
        var shaves = new List<Shave>();
        foreach (var (who, project, status) in new[]
        {
            (alice, web, ShaveStatus.Failed), (alice, web, ShaveStatus.Completed), (alice, (Project?)null, ShaveStatus.Failed),
            (bob, mobile, ShaveStatus.Pending), (bob, web, ShaveStatus.Failed),
        })
        {
            shaves.Add(await CreateShaveAsync(who, project, status: status));
        }

        var service = Service;
        await service.UpdateAsync(Staff(staff), shaves[0].Id, new ShaveEdit("moved", mobile.Id, ShaveStatus.Cancelled, null, "", null), default);
        await service.BulkMoveAsync(Staff(staff), [shaves[2].Id], web.Id, default);
        await service.DeleteAsync(await TestAdmin.GrantAsync(Factory, staff), shaves[4].Id, default);

        // After the changes: alice web Completed, alice mobile Cancelled, alice web Failed, bob mobile Pending.
        var views = new (ShaveListQuery Query, Caller Caller)[]
        {
            (new ShaveListQuery(), Staff(staff)),
            (new ShaveListQuery { Statuses = [ShaveStatus.Failed] }, Staff(staff)),
            (new ShaveListQuery { ProjectId = web.Id }, Staff(staff)),
            (new ShaveListQuery { ProjectId = mobile.Id, Statuses = [ShaveStatus.Cancelled, ShaveStatus.Pending] }, Staff(staff)),
            (new ShaveListQuery { RequesterId = alice.Id }, Staff(staff)),
            (new ShaveListQuery(), Requester(bob)),
            (new ShaveListQuery { Statuses = [ShaveStatus.Failed] }, Requester(alice)),
        };
        var expected = new[] { 4, 1, 2, 2, 3, 1, 1 };
        await using var db = await NewContextAsync();
        for (var i = 0; i < views.Length; i++)
        {
            var (total, exact) = await ShavesService.CountAsync(db, views[i].Caller, views[i].Query, default);
            Assert.True(exact);
            Assert.Equal(expected[i], total);
            Assert.Equal(expected[i], await ShavesService.Matching(db, views[i].Caller, views[i].Query).CountAsync());
        }
    }

    [Fact]
    public async Task The_last_pages_read_from_the_other_end_give_the_same_rows_as_offset_paging()
    {
        var requester = await CreateUserAsync();
        var at = new DateTime(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 23; i++)
        {
            await CreateShaveAsync(requester, title: $"Shave {i:00}", createdAt: at.AddMinutes(i % 7));
        }

        await using var db = await NewContextAsync();
        var caller = Staff(requester);
        var all = await ShavesService.ListQuery(db, caller, new ShaveListQuery(), skip: 0, take: 100).Select(r => r.Id).ToListAsync();
        for (var page = 0; page < 3; page++)
        {
            var rows = (await Service.ListAsync(caller, new ShaveListQuery { Page = page, PageSize = 10 }, default)).Rows.Select(r => r.Id);
            Assert.Equal(all.Skip(page * 10).Take(10), rows);
        }
    }

    [Fact]
    public async Task Title_search_finds_words_and_prefixes_and_ignores_search_operators()
    {
        var staff = await CreateUserAsync("Stan");
        await CreateShaveAsync(title: "Printer on level 3 prints blank pages");
        await CreateShaveAsync(title: "Café menu shows the wrong prices");
        await CreateShaveAsync(title: "Export 100% broken");
        var caller = Staff(staff);
        async Task<string[]> Find(string text) =>
            (await Service.ListAsync(caller, new ShaveListQuery { Search = text }, default)).Rows.Select(r => r.Title).ToArray();

        Assert.Equal(["Printer on level 3 prints blank pages"], await Find("print blank"));
        Assert.Equal(["Café menu shows the wrong prices"], await Find("cafe"));
        Assert.Empty(await Find("printer wrong"));
        Assert.Empty(await Find("\"NEAR(\" OR *"));
        Assert.Equal(["Export 100% broken"], await Find("100%"));
    }

    [Fact]
    public async Task Unknown_and_malformed_url_parameters_fall_back_to_defaults()
    {
        var q = ShaveListUrl.Parse("Failed,bogus,7", "not-a-guid", null, "2026-13-45", "2026-11-02", "  hi  ", "'; DROP TABLE shaves;--", "sideways", -3, 33);
        Assert.Equal([ShaveStatus.Failed], q.Statuses);
        Assert.Null(q.ProjectId);
        Assert.Null(q.CreatedFrom);
        Assert.Equal(new DateOnly(2026, 11, 2), q.CreatedTo);
        Assert.Equal("hi", q.Search);
        Assert.Equal(ShaveSort.Created, q.Sort);
        Assert.Equal(0, q.Page);
        Assert.Equal(ShaveListQuery.DefaultPageSize, q.PageSize);
        await Task.CompletedTask;
    }

    [Fact]
    public void A_view_round_trips_through_its_url()
    {
        var view = new ShaveListQuery
        {
            Statuses = [ShaveStatus.Failed, ShaveStatus.Cancelled],
            ProjectId = Guid.NewGuid(),
            CreatedFrom = new DateOnly(2026, 10, 1),
            Search = "safari & chrome",
            Sort = ShaveSort.Title,
            Descending = false,
            Page = 3,
            PageSize = 50,
        };
        var url = ShaveListUrl.ToQueryString(view);
        var query = System.Web.HttpUtility.ParseQueryString(url);
        var back = ShaveListUrl.Parse(query["status"], query["project"], query["requester"], query["from"], query["to"], query["q"],
            query["sort"], query["dir"], int.Parse(query["page"]!, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(query["size"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(url, ShaveListUrl.ToQueryString(back));
        Assert.Equal(view.Search, back.Search);
        Assert.Equal(3, back.Page);
    }

    [Fact]
    public async Task List_and_detail_queries_translate_to_sql_server_sql_that_parses()
    {
        await using var db = SqlServerScript.CreateContext();
        var caller = new Caller(Guid.NewGuid(), "x", false, false);
        var query = new ShaveListQuery
        {
            Statuses = [ShaveStatus.Failed], ProjectId = Guid.NewGuid(), CreatedFrom = new DateOnly(2026, 1, 1),
            CreatedTo = new DateOnly(2026, 2, 1), Search = "50%_off", Sort = ShaveSort.Title, Page = 2,
        };
        SqlServerScript.AssertParses(ShavesService.ListQuery(db, caller, query).ToQueryString());
        SqlServerScript.AssertParses(ShavesService.Filter(ShavesService.Visible(db, caller), query).Select(s => s.Id).ToQueryString());
        SqlServerScript.AssertParses(ShavesService.DetailHeaderQuery(db, caller, Guid.NewGuid()).ToQueryString());
        SqlServerScript.AssertParses(ShavesService.ListQuery(db, caller, query, reversed: true, skip: 10, take: 25).ToQueryString());
        SqlServerScript.AssertParses(ShavesService.CounterQuery(db, query, caller.UserId).Select(c => c.Total).ToQueryString());
        SqlServerScript.AssertParses(ShavesService.Matching(db, caller, query).Take(ShavesService.CountCap + 1).Select(s => s.Id).ToQueryString());
        await Task.CompletedTask;
    }
}
