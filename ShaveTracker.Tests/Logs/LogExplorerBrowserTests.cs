using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Features.Logs;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;
using static ShaveTracker.Tests.Infrastructure.PipelineRecords;

namespace ShaveTracker.Tests.Logs;

/// <summary>The log explorer in Chromium, through the real sign-in.</summary>
public sealed class LogExplorerBrowserTests(WebAppFixture app) : WebTest(app)
{
    [BrowserTheory]
    [InlineData("rita@example.test")]
    [InlineData("stan@example.test")]
    public async Task Staff_and_requesters_cannot_reach_the_log_explorer(string userName)
    {
        var rita = await CreateLocalUserAsync("rita@example.test", "Rita Requester");
        await CreateLocalUserAsync("stan@example.test", "Stan Staff", Roles.Staff);
        var shave = await CreateShaveForAsync(rita, "Printer prints blank pages", ShaveStatus.Failed);
        await AddToolCallsAsync(shave);
        await using var browser = await OpenBrowserAsync(userName);
        var page = browser.Page;

        await page.GotoAsync("/logs?tab=tools");

        await page.WaitForUrlAsync(url => url.Contains("/account/access-denied", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        await Expect(page.Locator("text=create_issue")).ToHaveCountAsync(0);
        await Expect(page.Locator("a.mud-nav-link[href='/logs']")).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task Admin_filters_failed_tool_calls_and_opens_one_in_its_shaves_trace()
    {
        var rita = await CreateLocalUserAsync("rita@example.test", "Rita Requester");
        await CreateLocalUserAsync("ada@example.test", "Ada Admin", Roles.Admin);
        var shaveId = await CreateShaveForAsync(rita, "Printer prints blank pages", ShaveStatus.Failed);
        var failedId = await AddToolCallsAsync(shaveId);
        await using var browser = await OpenBrowserAsync("ada@example.test");
        var page = browser.Page;
        // From the dashboard's navigation, as an admin gets there.
        await page.GotoAsync("/");
        await page.ClickAsync("a.mud-nav-link[href='/logs']");
        await page.WaitForUrlAsync(url => url.EndsWith("/logs", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=log-count]")).ToContainTextAsync("1 model call");
        await page.ClickAsync("[data-testid=tab-tools]");
        await page.WaitForUrlAsync(url => url.Contains("tab=tools", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=log-count]")).ToContainTextAsync("2 tool calls");

        await page.ClickAsync("[data-testid=filter-success]");
        await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('Failed')");
        await page.WaitForUrlAsync(url => url.Contains("success=false", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=log-count]")).ToContainTextAsync("1 tool call");
        var link = page.Locator("[data-testid=log-link]");
        await Expect(link).ToHaveCountAsync(1);
        await Expect(link).ToHaveAttributeAsync("href", $"/shaves/{shaveId}?tab=trace&record={failedId}");

        await page.ClickAsync(link);
        await page.WaitForUrlAsync(url => url.Contains($"/shaves/{shaveId}?tab=trace&record={failedId}", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=shave-title]")).ToHaveTextAsync("Printer prints blank pages");

        // Back returns to the filtered grid, rebuilt from its URL.
        await page.GoBackAsync();
        await page.WaitForUrlAsync(url => url.Contains("success=false", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=log-count]")).ToContainTextAsync("1 tool call");
    }

    [BrowserFact]
    public async Task Admin_searches_a_word_of_a_response_and_opens_that_call_in_its_shaves_trace()
    {
        var rita = await CreateLocalUserAsync("rita@example.test", "Rita Requester");
        await CreateLocalUserAsync("ada@example.test", "Ada Admin", Roles.Admin);
        var shaveId = await CreateShaveForAsync(rita, "Printer prints blank pages", ShaveStatus.Completed);
        Guid wanted;
        await using (var db = await Factory.CreateDbContextAsync())
        {
            var shave = await db.Shaves.AsNoTracking().SingleAsync(s => s.Id == shaveId);
            // Two months old: outside the explorer's default days, found by a search of all time.
            var log = AiLog(shave, "gpt-4o", DateTime.UtcNow.AddDays(-60), prompt: "Write the work item",
                response: "## Pain\nThe toner cartridge on level 3 is empty, so every page comes out blank.");
            db.AddRange(log, AiLog(shave, "o3-mini", DateTime.UtcNow.AddMinutes(-1), response: "Nothing about ink"));
            await db.SaveChangesAsync();
            wanted = log.Id;
        }

        // The readiness signal of the index: the app's own indexer has indexed everything queued.
        await App.Factory.Services.GetRequiredService<LogSearchIndexer>().CatchUpAsync(default);
        await using var browser = await OpenBrowserAsync("ada@example.test");
        var page = browser.Page;
        await page.GotoAsync("/logs");
        await Expect(page.Locator("[data-testid=log-count]")).ToContainTextAsync("1 model call");

        await page.FillAsync("input[data-testid=filter-search]", "toner");
        await page.WaitForUrlAsync(url => url.Contains("q=toner", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=log-count]")).ToContainTextAsync("1 model call, all time");
        await Expect(page.Locator("[data-testid=log-snippet] mark")).ToHaveTextAsync("toner");
        await Expect(page.Locator("[data-testid=log-snippet]")).ToContainTextAsync("Response:");

        var link = page.Locator("[data-testid=log-link]");
        await Expect(link).ToHaveAttributeAsync("href", $"/shaves/{shaveId}?tab=trace&record={wanted}");
        await page.ClickAsync(link);
        await page.WaitForUrlAsync(url => url.Contains($"record={wanted}", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=trace-panel-model]")).ToHaveTextAsync("gpt-4o");
        await Expect(page.Locator("[data-testid=trace-panel]")).ToContainTextAsync("toner cartridge");
    }

    [BrowserFact]
    public async Task A_search_with_an_unclosed_quote_says_what_to_change_beside_the_box()
    {
        await CreateLocalUserAsync("ada@example.test", "Ada Admin", Roles.Admin);
        await using var browser = await OpenBrowserAsync("ada@example.test");
        var page = browser.Page;

        await page.GotoAsync("/logs?q=%22blank%20page");

        await Expect(page.Locator(".mud-input-control:has(input[data-testid=filter-search])")).ToContainTextAsync("A quote is not closed");
        await Expect(page.Locator("[data-testid=empty-state]")).ToBeVisibleAsync();
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
