using Microsoft.Playwright;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;

namespace ShaveTracker.Tests.Shaves;

/// <summary>The shave pages in Chromium, through the real sign-in, as staff and as requesters use them.</summary>
public sealed class ShaveBrowserTests(WebAppFixture app) : WebTest(app)
{
    [Fact]
    public async Task Staff_filters_the_list_opens_a_shave_edits_its_title_and_sees_the_activity_row()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        await CreateShaveForAsync(alice, "Printer prints blank pages", ShaveStatus.Failed);
        await CreateShaveForAsync(alice, "Dark mode colours", ShaveStatus.Completed);
        var (context, page) = await OpenBrowserAsync("staff@example.test");
        await using var _ = context;

        await page.GotoAsync("/shaves");
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("2 matching shaves");
        await page.ClickAsync("[data-testid=quick-failed]");
        await page.WaitForURLAsync(url => url.Contains("status=Failed", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("1 matching shave");

        await page.ClickAsync("[data-testid=shave-link] >> text=Printer prints blank pages");
        await Expect(page.Locator("[data-testid=shave-title]")).ToHaveTextAsync("Printer prints blank pages");
        await page.ClickAsync("[data-testid=edit-shave]");
        await page.FillAsync("input[data-testid=edit-title]", "Level 3 printer prints blank pages");
        await page.ClickAsync("[data-testid=save-shave]");

        await Expect(page.Locator("[data-testid=shave-title]")).ToHaveTextAsync("Level 3 printer prints blank pages");
        var activity = page.Locator("[data-activity='shave.updated']");
        await Expect(activity).ToContainTextAsync("Stan Staff");
        await Expect(activity).ToContainTextAsync("Printer prints blank pages → Level 3 printer prints blank pages");
    }

    [Fact]
    public async Task Requester_sees_only_their_own_shaves_and_gets_not_found_for_someone_elses()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        var bob = await CreateLocalUserAsync("bob@example.test", "Bob Requester");
        await CreateShaveForAsync(alice, "Alice's first");
        await CreateShaveForAsync(alice, "Alice's second");
        var bobs = await CreateShaveForAsync(bob, "Bob's secret");
        var (context, page) = await OpenBrowserAsync("alice@example.test");
        await using var _ = context;

        await page.GotoAsync("/shaves");
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("2 matching shaves");
        await Expect(page.Locator("[data-testid=shave-link]")).ToHaveCountAsync(2);
        await Expect(page.Locator("text=Bob's secret")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=filter-requester]")).ToHaveCountAsync(0);

        var response = await page.GotoAsync($"/shaves/{bobs}");
        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("text=Bob's secret")).ToHaveCountAsync(0);
        await Expect(page.Locator("h4", new() { HasText = "Not found" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Csv_export_has_the_filtered_view_only_the_callers_rows_and_no_live_formulas()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        var bob = await CreateLocalUserAsync("bob@example.test", "Bob Requester");
        await CreateShaveForAsync(alice, "=HYPERLINK(\"http://evil.example\",\"click\")", ShaveStatus.Failed);
        await CreateShaveForAsync(alice, "Printer, \"level 3\"", ShaveStatus.Completed);
        await CreateShaveForAsync(bob, "Bob's own", ShaveStatus.Failed);

        using var client = await SignedInClientAsync("alice@example.test");
        var all = await client.GetStringAsync(new Uri("/shaves/export.csv", UriKind.Relative));
        var failed = await client.GetStringAsync(new Uri("/shaves/export.csv?status=Failed", UriKind.Relative));

        var rows = all.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("id,title,status", rows[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Bob's own", all, StringComparison.Ordinal);
        Assert.Contains("\"Printer, \"\"level 3\"\"\"", all, StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", all, StringComparison.Ordinal);
        Assert.Equal(2, failed.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task A_copied_filtered_and_sorted_url_reopens_the_same_view_and_back_returns_to_the_previous_one()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        foreach (var title in new[] { "Printer jams", "Printer prints blank pages", "Printer offline", "Wi-Fi drops" })
        {
            await CreateShaveForAsync(alice, title, ShaveStatus.Completed);
        }

        var (context, page) = await OpenBrowserAsync("staff@example.test");
        await using var _ = context;
        await page.GotoAsync("/shaves");
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("4 matching shaves");

        await page.FillAsync("input[data-testid=filter-search]", "printer");
        await page.WaitForURLAsync(url => url.Contains("q=printer", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("3 matching shaves");
        await page.ClickAsync("th:has-text('Title') .sortable-column-header, th:has-text('Title') span");
        await page.WaitForURLAsync(url => url.Contains("sort=title", StringComparison.Ordinal));
        var sortedUrl = page.Url;
        string[] titles = ["Printer jams", "Printer offline", "Printer prints blank pages"];
        await Expect(page.Locator("[data-testid=shave-link]")).ToHaveTextAsync(titles);

        var copy = await context.NewPageAsync();
        await copy.GotoAsync(sortedUrl);
        await Expect(copy.Locator("[data-testid=shave-count]")).ToHaveTextAsync("3 matching shaves");
        await Expect(copy.Locator("[data-testid=shave-link]")).ToHaveTextAsync(titles);
        await Expect(copy.Locator("input[data-testid=filter-search]")).ToHaveValueAsync("printer");

        await page.GoBackAsync();
        await page.WaitForURLAsync(url => !url.Contains("sort=title", StringComparison.Ordinal));
        await page.GoBackAsync();
        await page.WaitForURLAsync(url => !url.Contains("q=printer", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("4 matching shaves");
    }
}
