using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;
using static ShaveTracker.Tests.Infrastructure.PipelineRecords;

namespace ShaveTracker.Tests.Logs;

/// <summary>The log explorer in Chromium, through the real sign-in.</summary>
public sealed class LogExplorerBrowserTests(WebAppFixture app) : WebTest(app)
{
    [Theory]
    [InlineData("rita@example.test")]
    [InlineData("stan@example.test")]
    public async Task Staff_and_requesters_cannot_reach_the_log_explorer(string userName)
    {
        var rita = await CreateLocalUserAsync("rita@example.test", "Rita Requester");
        await CreateLocalUserAsync("stan@example.test", "Stan Staff", Roles.Staff);
        var shave = await CreateShaveForAsync(rita, "Printer prints blank pages", ShaveStatus.Failed);
        await AddToolCallsAsync(shave);
        var (context, page) = await OpenBrowserAsync(userName);
        await using var _ = context;

        await page.GotoAsync("/logs?tab=tools");

        await page.WaitForURLAsync(url => url.Contains("/account/access-denied", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        await Expect(page.Locator("text=create_issue")).ToHaveCountAsync(0);
        await Expect(page.Locator("a.mud-nav-link[href='/logs']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Admin_filters_failed_tool_calls_and_opens_one_in_its_shaves_trace()
    {
        var rita = await CreateLocalUserAsync("rita@example.test", "Rita Requester");
        await CreateLocalUserAsync("ada@example.test", "Ada Admin", Roles.Admin);
        var shaveId = await CreateShaveForAsync(rita, "Printer prints blank pages", ShaveStatus.Failed);
        var failedId = await AddToolCallsAsync(shaveId);
        var (context, page) = await OpenBrowserAsync("ada@example.test");
        await using var _ = context;
        // The browser's own errors go to the test output: when this test fails, they say why.
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                Console.WriteLine($"browser {m.Type}: {m.Text}");
            }
        };
        page.PageError += (_, e) => Console.WriteLine($"browser page error: {e}");

        // Opened from its address, not from the dashboard's navigation link: that click intermittently left the
        // dashboard's markup on screen with the explorer stuck at "Counting…" (about 1 run in 4 of this class, never
        // reproduced with the browser's console attached); it is recorded as an open problem in the issue notes.
        await page.GotoAsync("/logs");
        await Expect(page.Locator("[data-testid=log-count]")).ToContainTextAsync("1 model call");
        await page.ClickAsync("[data-testid=tab-tools]");
        await page.WaitForURLAsync(url => url.Contains("tab=tools", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=log-count]")).ToContainTextAsync("2 tool calls");

        await page.ClickAsync("[data-testid=filter-success]");
        await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('Failed')");
        await page.WaitForURLAsync(url => url.Contains("success=false", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=log-count]")).ToContainTextAsync("1 tool call");
        var link = page.Locator("[data-testid=log-link]");
        await Expect(link).ToHaveCountAsync(1);
        await Expect(link).ToHaveAttributeAsync("href", $"/shaves/{shaveId}?tab=trace&record={failedId}");

        await link.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/shaves/{shaveId}?tab=trace&record={failedId}", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=shave-title]")).ToHaveTextAsync("Printer prints blank pages");

        // Back returns to the filtered grid, rebuilt from its URL.
        await page.GoBackAsync();
        await page.WaitForURLAsync(url => url.Contains("success=false", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=log-count]")).ToContainTextAsync("1 tool call");
    }

    /// <summary>A model call and two tool calls of the shave, one failed; returns the failed call's id.</summary>
    private async Task<Guid> AddToolCallsAsync(Guid shaveId)
    {
        await using var db = await Factory.CreateDbContextAsync();
        var shave = await db.Shaves.AsNoTracking().SingleAsync(s => s.Id == shaveId);
        var now = DateTime.UtcNow;
        var log = AiLog(shave, "gpt-4o", now.AddMinutes(-3), 4_200);
        var failed = ToolCall(shave, "create_issue", "github", now.AddMinutes(-2), success: false, durationMs: 30_000, aiLog: log);
        db.AddRange(log, failed, ToolCall(shave, "search_issues", "github", now.AddMinutes(-1), durationMs: 800, aiLog: log));
        await db.SaveChangesAsync();
        return failed.Id;
    }
}
