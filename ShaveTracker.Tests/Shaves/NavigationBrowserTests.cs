using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;

namespace ShaveTracker.Tests.Shaves;

/// <summary>
/// Every way of moving between the pages lands on the page asked for: the static shave list and the interactive
/// shave page, its trace, the dashboard and the log explorer, by link, by code (as a page's own navigation does)
/// and by the browser's back and forward buttons.
/// </summary>
public sealed class NavigationBrowserTests(WebAppFixture app) : WebTest(app)
{
    [BrowserFact]
    public async Task Links_code_and_history_move_between_the_list_a_shave_its_trace_the_dashboard_and_the_explorer()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        await CreateLocalUserAsync("ada@example.test", "Ada Admin", Roles.Admin);
        var printer = await CreateShaveForAsync(alice, "Printer prints blank pages", ShaveStatus.Failed);
        await CreateShaveForAsync(alice, "Wi-Fi drops", ShaveStatus.Completed);
        await using var browser = await OpenBrowserAsync("ada@example.test");
        var page = browser.Page;
        var count = page.Locator("[data-testid=shave-count]");
        var title = page.Locator("[data-testid=shave-title]");

        // From the interactive dashboard to the static list, by code (the way a page's own NavigateTo goes).
        await Expect(page.Locator("[data-testid=dashboard-window]")).ToBeVisibleAsync();
        await NavigateByCodeAsync(page, "/shaves?status=Failed");
        await Expect(count).ToHaveTextAsync("1 matching shave");

        // From the list to a shave, by link; to its trace by the tab; back to the same filtered list by the breadcrumb.
        await page.ClickAsync(page.Locator("[data-testid=shave-link]", new() { HasText = "Printer prints blank pages" }));
        await page.WaitForUrlAsync(url => url.Contains($"/shaves/{printer}", StringComparison.Ordinal));
        await Expect(title).ToHaveTextAsync("Printer prints blank pages");
        await page.ClickAsync(page.Locator(".mud-tab", new() { HasText = "Trace" }));
        await page.WaitForUrlAsync(url => url.Contains("tab=trace", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=trace]")).ToBeVisibleAsync();
        await page.ClickAsync(page.Locator(".mud-breadcrumbs a", new() { HasText = "Shaves" }));
        await page.WaitForUrlAsync(url => new Uri(url).PathAndQuery == "/shaves?status=Failed");
        await Expect(count).ToHaveTextAsync("1 matching shave");

        // Back to the trace, forward to the list again.
        await page.GoBackAsync();
        await Expect(page.Locator("[data-testid=trace]")).ToBeVisibleAsync();
        await page.Page.GoForwardAsync();
        await page.WaitUntilReadyAsync();
        await Expect(count).ToHaveTextAsync("1 matching shave");

        // The menu: dashboard, explorer, then the list again by its menu link.
        await page.ClickAsync("a.mud-nav-link[href='/']");
        await page.WaitForUrlAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(page.Locator("[data-testid=dashboard-window]")).ToBeVisibleAsync();
        await page.ClickAsync("a.mud-nav-link[href='/logs']");
        await page.WaitForUrlAsync(url => url.EndsWith("/logs", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=log-count]")).ToBeVisibleAsync();
        await page.ClickAsync("a.mud-nav-link[href='/shaves']");
        await page.WaitForUrlAsync(url => url.EndsWith("/shaves", StringComparison.Ordinal));
        await Expect(count).ToHaveTextAsync("2 matching shaves");

        // From the trace and from the explorer to a filtered list, by code.
        await page.GotoAsync($"/shaves/{printer}?tab=trace");
        await Expect(page.Locator("[data-testid=trace]")).ToBeVisibleAsync();
        await NavigateByCodeAsync(page, "/shaves?q=printer");
        await Expect(count).ToHaveTextAsync("1 matching shave");
        await page.GotoAsync("/logs");
        await NavigateByCodeAsync(page, "/shaves?status=Completed");
        await Expect(page.Locator("[data-testid=shave-link]")).ToHaveTextAsync(["Wi-Fi drops"]);

        // From the static list to an interactive page, by code.
        await NavigateByCodeAsync(page, $"/shaves/{printer}");
        await Expect(title).ToHaveTextAsync("Printer prints blank pages");
        await Expect(page.Locator("text=There is nothing at this address")).ToHaveCountAsync(0);
    }

    /// <summary>An in-app navigation from script, as <c>NavigationManager.NavigateTo</c> makes one.</summary>
    private static async Task NavigateByCodeAsync(AppPage page, string target)
    {
        await page.WaitUntilReadyAsync();
        await page.Page.EvaluateAsync("target => Blazor.navigateTo(target)", target);
        await page.WaitForUrlAsync(url => new Uri(url).PathAndQuery == target);
    }
}
