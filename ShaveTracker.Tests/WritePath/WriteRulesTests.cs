using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Tests.WritePath;

/// <summary>The write path's rules are pure: they are checked here without a database.</summary>
public sealed class WriteRulesTests
{
    private static readonly IngestionOptions Limits = new() { MaxBatchRecords = 3, MaxPayloadFieldChars = 2048 };

    private static ShaveReport Report(string? title = "Printer prints blank pages", string? status = "Pending") =>
        new(title, status, new RequesterReport(null, null, "alice", null), null, new VideoFileReport(null, "a.mp4", null, null, 60), null, null, null, null);

    [Fact]
    public void A_complete_shave_report_has_no_errors_and_its_status_is_parsed()
    {
        var errors = ReportRules.Shave(Report(status: "Processing"), Limits, out var status);

        Assert.False(errors.Any);
        Assert.Equal(ShaveStatus.Processing, status);
    }

    [Fact]
    public void Shave_report_limits_are_the_columns_limits()
    {
        Assert.False(ReportRules.Shave(Report(new string('t', Shave.TitleMaxLength)), Limits, out _).Any);

        var errors = ReportRules.Shave(Report(new string('t', Shave.TitleMaxLength + 1), "Sleeping") with
        {
            WorkItemSource = new string('s', Shave.WorkItemSourceMaxLength + 1),
            VideoFile = new VideoFileReport(null, new string('f', VideoFile.FileNameMaxLength + 1), null, null, -1),
        }, Limits, out _).ToDictionary();

        Assert.Equal(["status", "title", "videoFile.duration", "videoFile.fileName", "workItemSource"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(Shave.TitleMaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture), errors["title"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_work_items_screenshot_must_be_a_web_address_and_its_caption_and_body_within_their_limits()
    {
        var fits = Report() with
        {
            WorkItem = new WorkItemReport(new string('d', Limits.MaxPayloadFieldChars), "https://example.test/shot.png",
                new string('c', ShaveWorkItem.ScreenshotFigureMaxLength)),
        };
        Assert.False(ReportRules.Shave(fits, Limits, out _).Any);

        var errors = ReportRules.Shave(Report() with
        {
            WorkItem = new WorkItemReport(new string('d', Limits.MaxPayloadFieldChars + 1), "javascript:alert(1)",
                new string('c', ShaveWorkItem.ScreenshotFigureMaxLength + 1)),
        }, Limits, out _).ToDictionary();

        Assert.Equal(["workItem.description", "workItem.screenshotFigure", "workItem.screenshotUrl"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_step_cannot_complete_before_it_started()
    {
        var started = new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);
        var errors = ReportRules.Step(new StepReport("transcribing", "completed", started, started.AddSeconds(-1), null), out _).ToDictionary();

        Assert.Equal(["completedAt"], errors.Keys);
    }

    [Fact]
    public void A_batch_over_the_limit_is_refused_as_a_whole_before_its_records_are_read()
    {
        AiLogReport log = new(Guid.NewGuid(), null, null, null, null, null, null);
        var errors = ReportRules.Batch([log, log, log, log], [], Limits).ToDictionary();

        Assert.Equal([""], errors.Keys);
        Assert.Contains("at most 3", errors[""], StringComparison.Ordinal);
    }

    [Fact]
    public void A_tool_call_id_twice_in_one_batch_is_named()
    {
        ToolCallReport call = new(null, null, null, "call_1", "search", "github", null, null, true, 5, null);
        var errors = ReportRules.Batch([], [call, call], Limits).ToDictionary();

        Assert.Equal(["toolCalls[1].toolCallId"], errors.Keys);
    }

    [Fact]
    public void Staff_edit_rules_name_the_fields_of_the_edit()
    {
        var errors = ShaveEditRules.Validate(new ShaveEdit(" ", null, (ShaveStatus)99, "javascript:alert(1)", new string('s', Shave.WorkItemSourceMaxLength + 1), null));

        Assert.Equal([nameof(ShaveEdit.Status), nameof(ShaveEdit.Title), nameof(ShaveEdit.WorkItemSource), nameof(ShaveEdit.WorkItemUrl)],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(ShaveStatus.Pending, true, false)]
    [InlineData(ShaveStatus.Processing, true, false)]
    [InlineData(ShaveStatus.Completed, false, false)]
    [InlineData(ShaveStatus.Failed, false, true)]
    [InlineData(ShaveStatus.Cancelled, false, true)]
    public void Cancel_and_requeue_are_allowed_from_their_statuses_only(ShaveStatus from, bool cancel, bool requeue)
    {
        Assert.Equal(cancel, ShaveTransitions.Cancel.AllowedFrom(from));
        Assert.Equal(requeue, ShaveTransitions.Requeue.AllowedFrom(from));
    }

    [Fact]
    public void Policies_are_what_the_caller_may_do()
    {
        var requester = new Caller(Guid.NewGuid(), "Alice", IsStaff: false, IsAdmin: false);
        var staff = requester with { IsStaff = true };
        var admin = requester with { IsAdmin = true };

        Assert.Empty(Policies.GrantedTo(requester));
        Assert.Equal([Policies.CanManageProjects], Policies.GrantedTo(staff));
        Assert.Equal([Policies.CanManageApiKeys, Policies.CanManagePrices, Policies.CanManageProjects, Policies.CanManageUsers, Policies.CanReviewAiLogs],
            Policies.GrantedTo(admin).Order(StringComparer.Ordinal));
        Assert.True(staff.CanManageShaves);
        Assert.False(staff.CanDeleteShaves);
        Assert.True(admin.CanDeleteShaves);
    }
}
