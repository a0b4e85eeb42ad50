using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;

namespace ShaveTracker.Tests.Shaves;

/// <summary>The shave pages in Chromium, through the real sign-in, as staff and as requesters use them.</summary>
public sealed class ShaveBrowserTests(WebAppFixture app) : WebTest(app)
{
    [BrowserFact]
    public async Task Staff_filters_the_list_opens_a_shave_edits_its_title_and_sees_the_activity_row()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        await CreateShaveForAsync(alice, "Printer prints blank pages", ShaveStatus.Failed);
        await CreateShaveForAsync(alice, "Dark mode colours", ShaveStatus.Completed);
        await using var browser = await OpenBrowserAsync("staff@example.test");
        var page = browser.Page;

        await page.GotoAsync("/shaves");
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("2 matching shaves");
        await Expect(page.Locator("[data-testid=quick-all]")).ToHaveAttributeAsync("aria-current", "page");
        await page.ClickAsync("[data-testid=quick-failed]");
        await page.WaitForUrlAsync(url => url.Contains("status=Failed", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("1 matching shave");
        // The quick view showing now says so, in more than colour; the others do not.
        await Expect(page.Locator("[data-testid=quick-failed]")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.Locator("[aria-label='Quick views'] [aria-current]")).ToHaveCountAsync(1);

        await page.ClickAsync("[data-testid=shave-link] >> text=Printer prints blank pages");
        await Expect(page.Locator("[data-testid=shave-title]")).ToHaveTextAsync("Printer prints blank pages");
        await page.ClickAsync("[data-testid=edit-shave]");
        await page.FillAsync("input[data-testid=edit-title]", "Level 3 printer prints blank pages");
        await page.ClickAsync("[data-testid=save-shave]");

        await Expect(page.Locator("[data-testid=shave-title]")).ToHaveTextAsync("Level 3 printer prints blank pages");
        var activity = page.Locator("[data-activity='shave.updated']");
        await Expect(activity).ToContainTextAsync("Stan Staff");
        await Expect(activity).ToContainTextAsync("Stan Staff renamed it from “Printer prints blank pages” to “Level 3 printer prints blank pages”.");
    }

    [BrowserFact]
    public async Task Requester_sees_only_their_own_shaves_and_gets_not_found_for_someone_elses()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        var bob = await CreateLocalUserAsync("bob@example.test", "Bob Requester");
        await CreateShaveForAsync(alice, "Alice's first");
        await CreateShaveForAsync(alice, "Alice's second");
        var bobs = await CreateShaveForAsync(bob, "Bob's secret");
        await using var browser = await OpenBrowserAsync("alice@example.test");
        var page = browser.Page;

        await page.GotoAsync("/shaves");
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("2 matching shaves");
        await Expect(page.Locator("[data-testid=shave-link]")).ToHaveCountAsync(2);
        await Expect(page.Locator("text=Bob's secret")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=filter-requester]")).ToHaveCountAsync(0);

        var response = await page.GotoAsync($"/shaves/{bobs}");
        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("text=Bob's secret")).ToHaveCountAsync(0);
        await Expect(page.Locator("h1", new() { HasText = "Not found" })).ToBeVisibleAsync();
    }

    [BrowserFact]
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

    [BrowserFact]
    public async Task A_copied_filtered_and_sorted_url_reopens_the_same_view_and_back_returns_to_the_previous_one()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        foreach (var title in new[] { "Printer jams", "Printer prints blank pages", "Printer offline", "Wi-Fi drops" })
        {
            await CreateShaveForAsync(alice, title, ShaveStatus.Completed);
        }

        await using var browser = await OpenBrowserAsync("staff@example.test");
        var page = browser.Page;
        await page.GotoAsync("/shaves");
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("4 matching shaves");

        await page.FillAsync("input[data-testid=filter-search]", "printer");
        await page.WaitForUrlAsync(url => url.Contains("q=printer", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("3 matching shaves");
        await page.ClickAsync("[data-testid=sort-title]");
        await page.WaitForUrlAsync(url => url.Contains("sort=title", StringComparison.Ordinal));
        var sortedUrl = page.Url;
        string[] titles = ["Printer jams", "Printer offline", "Printer prints blank pages"];
        await Expect(page.Locator("[data-testid=shave-link]")).ToHaveTextAsync(titles);

        var copy = await browser.NewPageAsync();
        await copy.GotoAsync(sortedUrl);
        await Expect(copy.Locator("[data-testid=shave-count]")).ToHaveTextAsync("3 matching shaves");
        await Expect(copy.Locator("[data-testid=shave-link]")).ToHaveTextAsync(titles);
        await Expect(copy.Locator("input[data-testid=filter-search]")).ToHaveValueAsync("printer");

        await page.GoBackAsync();
        await page.WaitForUrlAsync(url => !url.Contains("sort=title", StringComparison.Ordinal));
        await page.GoBackAsync();
        await page.WaitForUrlAsync(url => !url.Contains("q=printer", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("4 matching shaves");
    }

    [BrowserFact]
    public async Task Staff_filters_by_a_project_and_a_requester_picked_from_suggestions_found_on_the_server()
    {
        var staff = await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        var bob = await CreateLocalUserAsync("bob@example.test", "Bob Requester");
        var storefront = await CreateProjectAsync(staff, "Storefront Web");
        var payroll = await CreateProjectAsync(staff, "Payroll");
        await CreateShaveForAsync(alice, "Alice's storefront bug", projectId: storefront);
        await CreateShaveForAsync(bob, "Bob's storefront bug", projectId: storefront);
        await CreateShaveForAsync(alice, "Alice's payroll bug", projectId: payroll);
        await using var browser = await OpenBrowserAsync("staff@example.test");
        var page = browser.Page;
        await page.GotoAsync("/shaves");
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("3 matching shaves");

        var project = page.Locator("[data-testid=filter-project] input[role=combobox]");
        await page.FillAsync(project, "store");
        await Expect(page.Locator("[data-testid=filter-project] [role=option]")).ToHaveTextAsync(["Storefront Web"]);
        await page.PressAsync("ArrowDown", project);
        await page.PressAsync("Enter", project);
        await page.WaitForUrlAsync(url => url.Contains($"project={storefront}", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("2 matching shaves");
        await Expect(project).ToHaveValueAsync("Storefront Web");

        var requester = page.Locator("[data-testid=filter-requester] input[role=combobox]");
        await page.FillAsync(requester, "bob");
        await page.ClickAsync(page.Locator("[data-testid=filter-requester] [role=option]", new() { HasText = "Bob Requester" }));
        await page.WaitForUrlAsync(url => url.Contains($"requester={bob.Id}", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=shave-link]")).ToHaveTextAsync(["Bob's storefront bug"]);

        // Emptying a field removes its filter.
        await page.FillAsync(project, "");
        await page.BlurAsync(project);
        await page.WaitForUrlAsync(url => !url.Contains("project=", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("1 matching shave");
    }

    [BrowserFact]
    public async Task Filter_suggestions_follow_the_callers_rules()
    {
        var staff = await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        await CreateLocalUserAsync("bob@example.test", "Bob Requester");
        await CreateProjectAsync(staff, "Storefront Web");

        using var asStaff = await SignedInClientAsync("staff@example.test");
        using var asAlice = await SignedInClientAsync("alice@example.test");

        Assert.Equal(["Bob Requester"], await NamesAsync(asStaff, "/shaves/filter-options/requesters?q=bob"));
        // A requester only ever filters by themself: nobody else's name comes back.
        Assert.Equal(["Alice Requester"], await NamesAsync(asAlice, "/shaves/filter-options/requesters?q=bob"));
        // Nor another's project: Alice has no shave in Storefront Web, so she is not told it exists.
        Assert.Empty(await NamesAsync(asAlice, "/shaves/filter-options/projects?q=store"));

        static async Task<string[]> NamesAsync(HttpClient client, string url) =>
            (await client.GetFromJsonAsync<JsonElement[]>(new Uri(url, UriKind.Relative)))!.Select(o => o.GetProperty("name").GetString()!).ToArray();
    }

    [BrowserFact]
    public async Task Staff_selects_rows_requeues_them_and_moves_one_to_a_project_each_once_confirmed()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        var staff = await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        await CreateProjectAsync(staff, "Storefront Web");
        await CreateShaveForAsync(alice, "Printer prints blank pages", ShaveStatus.Failed);
        await CreateShaveForAsync(alice, "Wi-Fi drops", ShaveStatus.Cancelled);
        await CreateShaveForAsync(alice, "Dark mode colours", ShaveStatus.Completed);
        await using var browser = await OpenBrowserAsync("staff@example.test");
        var page = browser.Page;
        await page.GotoAsync("/shaves?sort=title&dir=asc");
        await Expect(page.Locator("[data-testid=live-updates]")).ToBeAttachedAsync();
        await Expect(page.Locator("[data-testid=bulk-bar]")).ToHaveCountAsync(0);

        await page.CheckAsync(page.Locator("tr", new() { HasText = "Printer prints blank pages" }).Locator("[data-testid=row-select]"));
        await page.CheckAsync(page.Locator("tr", new() { HasText = "Wi-Fi drops" }).Locator("[data-testid=row-select]"));
        await Expect(page.Locator("[data-testid=selected-count]")).ToHaveTextAsync("2 selected");
        await page.ClickAsync("[data-testid=bulk-requeue]");
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("Re-queue 2 shaves?");
        await page.ClickAsync(dialog.Locator("button", new() { HasText = "Re-queue" }));

        await Expect(page.Locator("[data-testid=bulk-outcome]")).ToContainTextAsync("2 shaves re-queued.");
        // The rows are rendered again with their new status, nothing is left selected.
        await Expect(page.Locator("tr", new() { HasText = "Printer prints blank pages" }).Locator("[data-status]")).ToHaveTextAsync("Pending");
        await Expect(page.Locator("tr", new() { HasText = "Wi-Fi drops" }).Locator("[data-status]")).ToHaveTextAsync("Pending");
        await Expect(page.Locator("[data-testid=row-select]:checked")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=bulk-bar]")).ToHaveCountAsync(0);
        await using (var db = await Factory.CreateDbContextAsync())
        {
            Assert.Equal(ShaveStatus.Completed, (await db.Shaves.SingleAsync(s => s.Title == "Dark mode colours")).ShaveStatus);
        }

        // The project picker is a MudBlazor select in the island: its list opens over the page.
        await page.CheckAsync(page.Locator("tr", new() { HasText = "Dark mode colours" }).Locator("[data-testid=row-select]"));
        await page.ClickAsync("[data-testid=bulk-project]");
        await page.ClickAsync(".mud-popover-open .mud-list-item:has-text('Storefront Web')");
        await page.ClickAsync("[data-testid=bulk-move]");
        await page.ClickAsync(page.Locator(".mud-dialog button", new() { HasText = "Move" }));
        await Expect(page.Locator("[data-testid=bulk-outcome]")).ToContainTextAsync("1 shave moved.");
        await Expect(page.Locator("tr", new() { HasText = "Dark mode colours" })).ToContainTextAsync("Storefront Web");
    }

    [BrowserFact]
    public async Task Staff_requeue_every_shave_matching_the_filter_not_only_the_page_once_the_count_is_confirmed()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        var staff = await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        for (var i = 1; i <= 30; i++)
        {
            await CreateShaveForAsync(alice, $"Printer fails {i:00}", ShaveStatus.Failed);
        }

        await CreateShaveForAsync(alice, "Dark mode colours", ShaveStatus.Completed);
        await using var browser = await OpenBrowserAsync("staff@example.test");
        var page = browser.Page;
        await page.GotoAsync("/shaves?status=Failed");
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("30 matching shaves");
        await Expect(page.Locator("[data-testid=row-select]")).ToHaveCountAsync(25);

        await page.CheckAsync(page.Locator("[data-testid=select-all]"));
        await Expect(page.Locator("[data-testid=selected-count]")).ToHaveTextAsync("25 selected");
        await page.ClickAsync("[data-testid=select-all-matching]");
        await Expect(page.Locator("[data-testid=selected-count]")).ToHaveTextAsync("All 30 matching shaves selected");
        await page.ClickAsync("[data-testid=bulk-requeue]");
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("Re-queue 30 shaves?");
        await Expect(dialog).ToContainTextAsync("All 30 shaves matching this view.");
        await page.ClickAsync(dialog.Locator("button", new() { HasText = "Re-queue" }));

        await Expect(page.Locator("[data-testid=bulk-outcome]")).ToContainTextAsync("30 shaves re-queued.");
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("0 matching shaves");
        await using var db = await Factory.CreateDbContextAsync();
        Assert.Equal(30, await db.Shaves.CountAsync(s => s.ShaveStatus == ShaveStatus.Pending));
        Assert.Equal(ShaveStatus.Completed, (await db.Shaves.SingleAsync(s => s.Title == "Dark mode colours")).ShaveStatus);
        var audit = await db.UserActivities.ToListAsync();
        Assert.Equal(30, audit.Count);
        Assert.All(audit, a => Assert.Equal((staff.Id, "shave.status_changed"), (a.UserId!.Value, a.ActivityType)));
    }

    [BrowserFact]
    public async Task An_open_list_shows_new_shaves_and_changed_rows_without_a_page_load()
    {
        await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        var key = await TestAdmin.CreateApiKeyAsync(App.Factory.Services, "live");
        using var api = App.CreateClient();
        api.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key.Key);
        var running = Guid.CreateVersion7();
        (await api.PutAsJsonAsync($"/api/v1/shaves/{running}", Report("Printer prints blank pages", "Processing"))).EnsureSuccessStatusCode();
        await using var browser = await OpenBrowserAsync("staff@example.test");
        var page = browser.Page;
        await page.GotoAsync("/shaves");
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("1 matching shave");
        await Expect(page.Locator("[data-testid=live-updates]")).ToBeAttachedAsync();
        // A page load would lose this mark.
        await page.Page.EvaluateAsync("() => window.__notReloaded = true");

        (await api.PutAsJsonAsync($"/api/v1/shaves/{Guid.CreateVersion7()}", Report("Wi-Fi drops", "Pending"))).EnsureSuccessStatusCode();
        await Expect(page.Locator("[data-testid=new-shaves]")).ToContainTextAsync("1 new shave matches this view.");
        await page.ClickAsync("[data-testid=show-new-shaves]");
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("2 matching shaves");
        await Expect(page.Locator("[data-testid=new-shaves]")).ToHaveCountAsync(0);

        (await api.PutAsJsonAsync($"/api/v1/shaves/{running}", Report("Printer prints blank pages", "Failed"))).EnsureSuccessStatusCode();
        await Expect(page.Locator("tr", new() { HasText = "Printer prints blank pages" }).Locator("[data-status]")).ToHaveTextAsync("Failed");
        Assert.True(await page.Page.EvaluateAsync<bool>("() => window.__notReloaded === true"));

        static object Report(string title, string status) => new
        {
            title,
            status,
            requester = new { userName = "alice@example.test", displayName = "Alice Requester" },
            videoFile = new { fileName = "recording.mp4", duration = 95 },
            workItemSource = "GitHub",
        };
    }

    [BrowserFact]
    public async Task An_admin_who_deletes_a_shave_lands_on_the_list_that_says_so()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        await CreateLocalUserAsync("ada@example.test", "Ada Admin", Roles.Admin);
        var id = await CreateShaveForAsync(alice, "Printer prints blank pages", ShaveStatus.Failed);
        await CreateShaveForAsync(alice, "Wi-Fi drops", ShaveStatus.Failed);
        await using var browser = await OpenBrowserAsync("ada@example.test");
        var page = browser.Page;
        await page.GotoAsync($"/shaves/{id}");
        await Expect(page.Locator("[data-testid=shave-title]")).ToHaveTextAsync("Printer prints blank pages");

        var confirm = page.Locator(".mud-dialog button", new() { HasText = "Delete" });
        await page.ClickAsync("[data-testid=delete-shave]");
        await page.ClickAsync(confirm);

        await page.WaitForUrlAsync(url => url.EndsWith("/shaves", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=list-notice]")).ToHaveTextAsync("“Printer prints blank pages” was deleted.");
        await Expect(page.Locator("[data-testid=shave-link]")).ToHaveTextAsync(["Wi-Fi drops"]);
        // Shown once.
        await page.ReloadAsync();
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("1 matching shave");
        await Expect(page.Locator("[data-testid=list-notice]")).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task The_theme_picked_on_the_list_is_kept_by_the_next_pages()
    {
        await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        await using var browser = await OpenBrowserAsync("staff@example.test");
        var page = browser.Page;
        await page.GotoAsync("/shaves");
        var toggle = page.Locator("[data-testid=theme-toggle]");
        await Expect(toggle).ToHaveAttributeAsync("data-theme-next", "dark");

        await page.ClickAsync(toggle);

        // The static page reloads in the dark theme, and the interactive dashboard opens in it too.
        await Expect(toggle).ToHaveAttributeAsync("data-theme-next", "light");
        await page.GotoAsync("/");
        await Expect(page.Locator("[data-testid=theme-toggle]")).ToHaveAttributeAsync("data-theme-next", "light");
        // Back to light from an interactive page: the next static page opens light.
        await page.ClickAsync("[data-testid=theme-toggle]");
        await Expect(page.Locator("[data-testid=theme-toggle]")).ToHaveAttributeAsync("data-theme-next", "dark");
        await page.GotoAsync("/shaves");
        await Expect(page.Locator("[data-testid=theme-toggle]")).ToHaveAttributeAsync("data-theme-next", "dark");
    }

    [BrowserFact]
    public async Task On_a_narrow_screen_the_list_fits_opens_with_the_menu_closed_and_the_open_menu_dims_the_page_until_dismissed()
    {
        await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        await using var browser = await OpenBrowserAsync("staff@example.test");
        var page = browser.Page;
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/shaves");
        var drawer = page.Locator(".mud-drawer");
        var overlay = page.Locator("[data-drawer-overlay]");
        await Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--closed"));
        await Expect(overlay).ToHaveCountAsync(0);
        // The app bar fits: the name gives way, Sign out is wholly on screen.
        await Expect(page.Locator("[data-testid=user-name]")).ToBeHiddenAsync();
        await Expect(page.Locator("[data-testid=signout]")).ToBeInViewportAsync(new() { Ratio = 1 });

        await page.ClickAsync("[data-drawer-toggle]");
        await Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--open"));
        await Expect(overlay).ToBeVisibleAsync();

        // A click on the dimmed page beside the menu closes it.
        await page.Page.Mouse.ClickAsync(370, 600);
        await Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--closed"));
        await Expect(overlay).ToHaveCountAsync(0);

        // So does Escape.
        await page.ClickAsync("[data-drawer-toggle]");
        await Expect(overlay).ToBeVisibleAsync();
        await page.PressAsync("Escape");
        await Expect(overlay).ToHaveCountAsync(0);
        await Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--closed"));
    }

    private async Task<Guid> CreateProjectAsync(User owner, string name)
    {
        var project = new Project
        {
            Id = Ids.NewId(), UserId = owner.Id, Name = name, BacklogUrl = "https://github.com/contoso/" + name.Replace(' ', '-').ToLowerInvariant(),
            Source = ProjectSources.Remote, CreatedAt = DateTime.UtcNow,
        };
        await using var db = await Factory.CreateDbContextAsync();
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        return project.Id;
    }
}
