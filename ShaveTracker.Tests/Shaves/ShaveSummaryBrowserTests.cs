using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;

namespace ShaveTracker.Tests.Shaves;

/// <summary>The first screen of a shave's page: what happened, and what the reader can do about it.</summary>
public sealed class ShaveSummaryBrowserTests(WebAppFixture app) : WebTest(app)
{
    private const string ProjectError = "No active project matches this recording. Select a project and try again.";

    [BrowserFact]
    public async Task A_requester_on_a_phone_reads_why_her_shave_failed_without_scrolling_and_requeues_and_cancels_it_herself()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        var id = await CreateShaveForAsync(alice, "Printer prints blank pages", ShaveStatus.Failed);
        var started = DateTime.UtcNow.AddHours(-1);
        await AddStepsAsync(id,
            Step(id, "transcribing", ProcessStatus.Completed, started, started.AddMinutes(2)),
            Step(id, "selecting_prompt", ProcessStatus.Failed, started.AddMinutes(3), started.AddMinutes(4), ProjectError),
            Step(id, "executing_task", ProcessStatus.NotStarted, started.AddMinutes(3)));
        await using var browser = await OpenBrowserAsync("alice@example.test");
        var page = browser.Page;
        await page.SetViewportSizeAsync(390, 844);

        await page.GotoAsync($"/shaves/{id}");
        var summary = page.Locator("[data-testid=shave-summary]");
        await Expect(summary.Locator("[data-testid=summary-headline]")).ToContainTextAsync("It failed at “Selecting the prompt” on ");
        await Expect(summary.Locator("[data-testid=summary-error]")).ToHaveTextAsync(ProjectError);
        await Expect(summary.Locator("[data-testid=summary-next]")).ToContainTextAsync("only staff can set a shave's project: ask a member of staff");
        // The reason and the way out are on the first screen of a phone, without scrolling.
        await Expect(summary).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(page.Locator("[data-testid=requeue-shave]")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(page.Locator("[data-testid=edit-shave]")).ToHaveCountAsync(0);
        // Steps in words; one that never ran has no start time.
        await Expect(page.Locator("[data-step=selecting_prompt] td").First).ToHaveTextAsync("Selecting the prompt");
        await Expect(page.Locator("[data-step=executing_task] td").Nth(2)).ToHaveTextAsync("—");

        await page.ClickAsync("[data-testid=requeue-shave]");
        await Expect(summary.Locator("[data-testid=summary-headline]")).ToContainTextAsync("Waiting for the pipeline to pick it up");
        // The failed run is kept apart: its error no longer stands beside the new status.
        await Expect(page.Locator("[data-testid=step-error]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=earlier-run] summary")).ToContainTextAsync("Before it was re-queued on");
        await Expect(page.Locator("[data-testid=activity-sentence]").First).ToHaveTextAsync("Alice Requester re-queued it.");

        // Cancelling asks first; keeping it changes nothing.
        await page.ClickAsync("[data-testid=cancel-shave]");
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("Cancel this shave?");
        await page.ClickAsync(dialog.Locator("button", new() { HasText = "Keep it" }));
        await Expect(dialog).ToHaveCountAsync(0);
        Assert.Equal(ShaveStatus.Pending, await StatusAsync(id));

        await page.ClickAsync("[data-testid=cancel-shave]");
        await page.ClickAsync(page.Locator(".mud-dialog button", new() { HasText = "Cancel shave" }));
        await Expect(summary.Locator("[data-testid=summary-headline]")).ToContainTextAsync("Cancelled by Alice Requester on ");
        Assert.Equal(ShaveStatus.Cancelled, await StatusAsync(id));
        await using var db = await Factory.CreateDbContextAsync();
        Assert.All(await db.UserActivities.Where(a => a.ShaveId == id).ToListAsync(), a => Assert.Equal(alice.Id, a.UserId));
    }

    [BrowserFact]
    public async Task Staff_see_what_is_running_for_how_long_and_cancel_only_once_they_confirm()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        var id = await CreateShaveForAsync(alice, "Dark mode colours", ShaveStatus.Processing);
        await AddStepsAsync(id, Step(id, "transcribing", ProcessStatus.InProgress, DateTime.UtcNow.AddMinutes(-7).AddSeconds(-10)));
        await using var browser = await OpenBrowserAsync("staff@example.test");
        var page = browser.Page;

        await page.GotoAsync($"/shaves/{id}");
        await Expect(page.Locator("[data-testid=summary-headline]")).ToHaveTextAsync("“Transcribing” running for 7 min");
        // The requester is a link to all her shaves.
        await Expect(page.Locator("a[data-testid=shave-requester]")).ToHaveAttributeAsync("href", $"/shaves?requester={alice.Id}");

        await page.ClickAsync("[data-testid=cancel-shave]");
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("The pipeline is working on “Dark mode colours”: it stops");
        await page.ClickAsync(dialog.Locator("button", new() { HasText = "Keep it" }));
        await Expect(dialog).ToHaveCountAsync(0);
        Assert.Equal(ShaveStatus.Processing, await StatusAsync(id));

        await page.ClickAsync("[data-testid=cancel-shave]");
        await page.ClickAsync(page.Locator(".mud-dialog button", new() { HasText = "Cancel shave" }));
        await Expect(page.Locator("[data-testid=summary-headline]")).ToContainTextAsync("Cancelled by Stan Staff on ");
        await Expect(page.Locator("[data-testid=activity-sentence]").First).ToHaveTextAsync("Stan Staff cancelled it.");
    }

    private async Task<ShaveStatus> StatusAsync(Guid id)
    {
        await using var db = await Factory.CreateDbContextAsync();
        return (await db.Shaves.SingleAsync(s => s.Id == id)).ShaveStatus;
    }

    private async Task AddStepsAsync(Guid shaveId, params ProcessStep[] steps)
    {
        await using var db = await Factory.CreateDbContextAsync();
        db.ProcessSteps.AddRange(steps);
        await db.SaveChangesAsync();
    }

    private static ProcessStep Step(Guid shaveId, string name, ProcessStatus status, DateTime started, DateTime? completed = null, string? error = null) => new()
    {
        Id = Ids.NewId(), ShaveId = shaveId, StepName = name, ProcessStatus = status, StartedAt = started, CompletedAt = completed, ErrorMessage = error,
    };
}
