using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;
using static ShaveTracker.Tests.Infrastructure.PipelineRecords;

namespace ShaveTracker.Tests.Shaves;

/// <summary>A phone, 390 px wide: the list shows shaves in its first screen, and no page scrolls sideways.</summary>
public sealed class PhoneBrowserTests(WebAppFixture app) : WebTest(app)
{
    [BrowserFact]
    public async Task On_a_phone_the_list_shows_five_shaves_in_its_first_screen_with_the_filters_folded_away()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        await CreateLocalUserAsync("stan@example.test", "Stan Staff", Roles.Staff);
        for (var i = 1; i <= 8; i++)
        {
            await CreateShaveForAsync(alice, $"Shave number {i} with a title long enough to wrap onto a second line on a phone",
                i % 3 == 0 ? ShaveStatus.Failed : ShaveStatus.Processing);
        }

        foreach (var user in new[] { "alice@example.test", "stan@example.test" })
        {
            await using var browser = await OpenBrowserAsync(user);
            var page = browser.Page;
            await page.SetViewportSizeAsync(390, 844);
            await page.GotoAsync("/shaves");

            await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("8 matching shaves");
            var links = page.Locator("[data-testid=shave-link]");
            for (var i = 0; i < 5; i++)
            {
                await Expect(links.Nth(i)).ToBeInViewportAsync(new() { Ratio = 1 });
            }

            // Folded: the filters are a toggle away, and the toggle says when some are on.
            var search = page.Locator("input[data-testid=filter-search]");
            await Expect(search).ToBeHiddenAsync();
            var toggle = page.Locator("label[for=st-show-filters]");
            await Expect(toggle).ToHaveTextAsync("Filters");
            await page.ClickAsync(toggle);
            await Expect(search).ToBeVisibleAsync();
            Assert.Equal(0, await SidewaysAsync(page));

            await page.GotoAsync("/shaves?status=Failed&q=shave");
            await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("2 matching shaves");
            await Expect(page.Locator("label[for=st-show-filters]")).ToHaveTextAsync("Filters (2 on)");
        }

        // Wide enough, the filters are simply there, and no toggle is shown.
        await using (var wide = await OpenBrowserAsync("stan@example.test"))
        {
            await wide.Page.GotoAsync("/shaves");
            await Expect(wide.Page.Locator("input[data-testid=filter-search]")).ToBeVisibleAsync();
            await Expect(wide.Page.Locator("label[for=st-show-filters]")).ToBeHiddenAsync();
        }
    }

    [BrowserFact]
    public async Task On_a_phone_no_page_scrolls_sideways()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        await CreateLocalUserAsync("ada@example.test", "Ada Admin", Roles.Admin);
        var id = await CreateShaveForAsync(alice, "Import forty batches of legacy bugs into the storefront backlog", ShaveStatus.Failed);
        await using (var db = await Factory.CreateDbContextAsync())
        {
            var shave = await db.Shaves.SingleAsync(s => s.Id == id);
            var start = DateTime.UtcNow.AddHours(-3);
            var step = Step(shave, "executing_task:batch-41", start, 3 * 3_600_000, ProcessStatus.Failed,
                "The work item service refused the batch: 422 Unprocessable Entity, a field was too long for it");
            var log = AiLog(shave, "gpt-4o-2024-08-06-with-a-long-deployment-name", start.AddMinutes(1), step: step);
            db.AddRange(step, log, ToolCall(shave, "create_issue_with_a_long_tool_name", "github", start.AddMinutes(2), success: false, step: step, aiLog: log));
            await db.SaveChangesAsync();
        }

        await using var browser = await OpenBrowserAsync("ada@example.test");
        var page = browser.Page;
        await page.SetViewportSizeAsync(390, 844);
        (string Path, string Content)[] pages =
        [
            ("/", "h1"), ("/shaves", "[data-testid=shave-link]"), ($"/shaves/{id}", "[data-testid=shave-summary]"),
            ($"/shaves/{id}?tab=trace", "[data-testid=trace-step]"), ("/logs", "[data-testid=log-link]"), ("/projects", "h1"),
            ("/users", "h1"), ("/admin/api-keys", "h1"), ("/admin/prices", "h1"),
        ];
        foreach (var (path, content) in pages)
        {
            await page.GotoAsync(path);
            await Expect(page.Locator(content).First).ToBeVisibleAsync();
            Assert.True(await SidewaysAsync(page) == 0, $"{path} scrolls sideways by {await SidewaysAsync(page)} px");
        }
    }

    /// <summary>How far the page scrolls sideways (0 when it fits its window).</summary>
    private static Task<int> SidewaysAsync(AppPage page) =>
        page.Page.EvaluateAsync<int>("() => Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)");
}
