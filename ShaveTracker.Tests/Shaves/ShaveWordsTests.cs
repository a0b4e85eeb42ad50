using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Tests.Shaves;

/// <summary>What a shave's page says in words: step names, work items, the activity and the summary at the top.</summary>
public sealed class ShaveWordsTests
{
    private static readonly DateTime Now = new(2026, 12, 4, 10, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("optimizing_transcript", "Optimizing the transcript")]
    [InlineData("executing_task:batch-41", "Executing the task · batch-41")]
    [InlineData("checking_links", "Checking links")]
    [InlineData("checkingLinks", "Checking links")]
    [InlineData("upload-to-CDN", "Upload to CDN")]
    [InlineData("", "Unnamed step")]
    public void Step_names_read_as_words_known_or_not(string stepName, string expected) =>
        Assert.Equal(expected, PipelineWords.Step(stepName));

    [Theory]
    [InlineData("https://github.com/contoso/storefront-web/issues/123", "contoso/storefront-web #123 on GitHub")]
    [InlineData("https://github.com/contoso/storefront-web/pull/7", "contoso/storefront-web #7 on GitHub")]
    [InlineData("https://dev.azure.com/contoso/Storefront/_workitems/edit/4512", "contoso / Storefront #4512 on Azure DevOps")]
    [InlineData("https://contoso.visualstudio.com/Intranet%20Portal/_workitems/edit/88", "contoso / Intranet Portal #88 on Azure DevOps")]
    [InlineData("https://github.com/contoso/storefront-web", null)]
    [InlineData("https://tracker.example.com/browse/ABC-1", null)]
    [InlineData("javascript:alert(1)", null)]
    public void A_work_item_url_gives_its_number_and_host(string url, string? expected) =>
        Assert.Equal(expected, WorkItemReference.Parse(url)?.Label);

    [Fact]
    public void The_work_item_the_model_wrote_is_read_from_the_create_call_of_either_tracker()
    {
        Assert.Equal(new WorkItemDraft("Printer prints blank pages", "## Pain\nBlank pages."),
            WorkItemDraft.FromArgs("""{"owner":"contoso","repo":"office","title":"Printer prints blank pages","body":"## Pain\nBlank pages."}"""));
        Assert.Equal(new WorkItemDraft("Dark mode", "<p>Colours</p>"),
            WorkItemDraft.FromArgs("""{"project":"Intranet","fields":{"System.Title":"Dark mode","System.Description":"<p>Colours</p>"}}"""));
        Assert.Equal(new WorkItemDraft("Dark mode", null),
            WorkItemDraft.FromArgs("""{"fields":[{"name":"System.Title","value":"Dark mode"}]}"""));
        Assert.Null(WorkItemDraft.FromArgs("""{"query":"is:open"}"""));
        Assert.Null(WorkItemDraft.FromArgs("""{"title":"cut off"""));
        Assert.Null(WorkItemDraft.FromArgs(new string('[', 100) + new string(']', 100)));
    }

    [Fact]
    public void Activity_reads_as_sentences_with_projects_named()
    {
        var intranet = Guid.NewGuid();
        var mobile = Guid.NewGuid();
        var names = new Dictionary<Guid, string> { [intranet] = "Intranet", [mobile] = "Mobile App" };

        Assert.Equal("Sam Staff moved it from Intranet to Mobile App.", Sentence("Sam Staff", ActivityTypes.ProjectChanged,
            $$$"""{"before":{"projectId":"{{{intranet}}}","project":"Intranet"},"after":{"projectId":"{{{mobile}}}","project":"Mobile App"}}""", names));
        // The demo data's and older writers' keys, and a project known only by its id.
        Assert.Equal("Sam Staff put it in Mobile App.", Sentence("Sam Staff", ActivityTypes.Updated,
            $$$"""{"before":{"project_id":null,"project_name":null},"after":{"project_id":"{{{mobile}}}","project_name":"Mobile App"}}""", names));
        Assert.Equal("Ada created it as “Printer”, in Intranet.", Sentence("Ada", ActivityTypes.Created,
            $$$"""{"before":null,"after":{"title":"Printer","project_id":"{{{intranet}}}","shave_status":"Pending"}}""", names));
        Assert.Equal("Sam Staff re-queued it.", Sentence("Sam Staff", ActivityTypes.StatusChanged,
            """{"before":{"status":"Failed"},"after":{"status":"Pending"}}""", names));
        Assert.Equal("Ada cancelled it.", Sentence("Ada", ActivityTypes.StatusChanged,
            """{"before":{"shave_status":"Processing"},"after":{"shave_status":"Cancelled"}}""", names));
        Assert.Equal("Sam Staff renamed it from “a” to “b” and set its work item to https://github.com/c/r/issues/1.", Sentence("Sam Staff", ActivityTypes.Updated,
            """{"before":{"title":"a","workItemUrl":null,"workItemSource":"GitHub"},"after":{"title":"b","workItemUrl":"https://github.com/c/r/issues/1","workItemSource":"GitHub"}}""", names));
        Assert.Equal("The pipeline (Build agent) added the transcript (1,234 characters).", Sentence(null, ActivityTypes.TranscriptAdded,
            """{"before":null,"after":{"transcriptId":"x","characters":1234},"credential":{"id":"k","name":"Build agent","scope":"ingest"}}""", names));
        Assert.Equal("Sam Staff changed priority from low to high.", Sentence("Sam Staff", "shave.prioritised",
            """{"before":{"priority":"low"},"after":{"priority":"high"}}""", names));
        Assert.Equal("Sam Staff archived (its details could not be read).", Sentence("Sam Staff", "shave.archived", "not json", names));
    }

    [Fact]
    public void A_failed_shave_says_which_step_failed_why_and_when_and_who_can_fix_a_missing_project()
    {
        var failedAt = Now.AddMinutes(-30);
        var shave = Shave(ShaveStatus.Failed, projectId: null,
            Step("transcribing", ProcessStatus.Completed, Now.AddHours(-1), Now.AddMinutes(-50)),
            Step("selecting_prompt", ProcessStatus.Failed, Now.AddMinutes(-31), failedAt, "No project matched. Select a project and try again."),
            Step("executing_task", ProcessStatus.NotStarted, Now.AddMinutes(-31)));

        var requester = ShaveSummary.Of(shave, Now, readerIsStaff: false);
        Assert.Equal("It failed at “Selecting the prompt” on 2026-12-04 09:30 UTC", requester.Headline);
        Assert.Equal("No project matched. Select a project and try again.", requester.Error);
        Assert.True(requester.NeedsStaff);
        Assert.Contains("only staff can set a shave's project", requester.Next, StringComparison.Ordinal);

        var staff = ShaveSummary.Of(shave, Now, readerIsStaff: true);
        Assert.False(staff.NeedsStaff);
        Assert.Equal("It needs a project: set one with Edit, then re-queue it.", staff.Next);

        var withProject = ShaveSummary.Of(shave with { ProjectId = Guid.NewGuid(), ProjectName = "Intranet" }, Now, readerIsStaff: false);
        Assert.Equal("Re-queue it to run the pipeline again.", withProject.Next);
    }

    [Fact]
    public void A_running_shave_says_what_runs_for_how_long_and_an_unknown_one_what_that_means()
    {
        var running = Shave(ShaveStatus.Processing, projectId: null,
            Step("transcribing", ProcessStatus.Completed, Now.AddMinutes(-20), Now.AddMinutes(-12)),
            Step("analyzing_transcript", ProcessStatus.InProgress, Now.AddMinutes(-12).AddSeconds(-30)));
        var summary = ShaveSummary.Of(running, Now, readerIsStaff: false);
        Assert.Equal("“Analyzing the transcript” running for 12 min", summary.Headline);
        Assert.Equal("Started 2026-12-04 09:47 UTC. 1 of 2 steps done.", summary.Detail);
        Assert.Equal("“Analyzing the transcript” running for 1 h 12 min", ShaveSummary.Of(running, Now.AddHours(1), false).Headline);

        var unknown = ShaveSummary.Of(Shave(ShaveStatus.Unknown, projectId: null), Now, readerIsStaff: false);
        Assert.Equal("Its state is not known", unknown.Headline);
        Assert.Contains("has not reported how this shave is going", unknown.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void After_a_requeue_the_earlier_runs_steps_are_kept_apart_from_the_current_run()
    {
        var requeuedAt = Now.AddMinutes(-10);
        var shave = Shave(ShaveStatus.Processing, projectId: null,
            Step("transcribing", ProcessStatus.Failed, Now.AddHours(-1), Now.AddMinutes(-55), "Timed out"),
            Step("transcribing", ProcessStatus.InProgress, Now.AddMinutes(-5))) with
        {
            Activity = [new ActivityRow(Guid.NewGuid(), ActivityTypes.StatusChanged, Guid.NewGuid(), "Ada", "shaves", null,
                """{"before":{"status":"Failed"},"after":{"status":"Pending"}}""", requeuedAt)],
        };

        var (current, earlier) = ShaveRuns.Split(shave);
        Assert.Equal(ProcessStatus.InProgress, Assert.Single(current).Status);
        Assert.Equal("Timed out", Assert.Single(earlier).ErrorMessage);
        Assert.Equal("0 of 1 steps done.", ShaveSummary.Of(shave, Now, false).Detail![^18..]);
    }

    private static string Sentence(string? who, string type, string details, IReadOnlyDictionary<Guid, string> names) =>
        ActivitySentences.Describe(new ActivityRow(Guid.NewGuid(), type, who is null ? null : Guid.NewGuid(), who, "shaves", null, details, Now), names);

    private static StepRow Step(string name, ProcessStatus status, DateTime started, DateTime? completed = null, string? error = null) =>
        new(Guid.NewGuid(), name, status, started, completed, error);

    private static ShaveDetail Shave(ShaveStatus status, Guid? projectId, params StepRow[] steps) =>
        new(Guid.NewGuid(), "Printer prints blank pages", status, projectId, null, false, Guid.NewGuid(), "Ada", Now.AddHours(-2), Now.AddMinutes(-1),
            null, "YakShaver Desktop", null, new VideoFileInfo(Guid.NewGuid(), "a.mp4", null, null, 60), [], steps, [], []);
}
