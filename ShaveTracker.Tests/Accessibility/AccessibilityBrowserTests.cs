using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Features.DemoData;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;

namespace ShaveTracker.Tests.Accessibility;

/// <summary>
/// Every routable page, on the demo data, in the light and the dark theme: axe-core finds no serious or critical
/// violation, and each page has one <c>h1</c> and a skip link to its content.
/// </summary>
/// <remarks>
/// Its own app, database and browser (a collection of its own): the pages are many and the demo data large, and run
/// beside the other browser tests instead of after them, the suite stays within its time.
/// </remarks>
[Collection(AccessibilityCollection.Name)]
public sealed class AccessibilityBrowserTests(WebAppFixture app) : WebTest(app)
{
    private static readonly string[] Themes = ["light", "dark"];

    [BrowserFact]
    public async Task Every_page_is_free_of_serious_and_critical_axe_violations_in_both_themes()
    {
        await SeedDemoDataAsync();
        Guid heavy, heavyModelCall, aliceFailed, project;
        await using (var db = await Factory.CreateDbContextAsync())
        {
            heavy = await db.Shaves.Where(s => s.Title == DemoDataGenerator.HeavyFailedTitle).Select(s => s.Id).SingleAsync();
            // A model call open in the trace's panel: its prompt and response as a conversation.
            heavyModelCall = await db.AiLogs.Where(l => l.ShaveId == heavy && l.ProcessStep!.StepName == "executing_task:batch-02")
                .OrderBy(l => l.CreatedAt).Select(l => l.Id).FirstAsync();
            aliceFailed = await db.Shaves.Where(s => s.RequesterId == DemoAccounts.Alice.Id && s.ShaveStatus == ShaveTracker.Data.Entities.ShaveStatus.Failed)
                .OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
            project = await db.Projects.OrderBy(p => p.Name).Select(p => p.Id).FirstAsync();
        }

        string[] adminPages =
        [
            // The trace narrowed and zoomed (the failures chip on, the count, clear filters, reset zoom); the record's
            // address below has the whole list.
            "/", "/shaves", "/shaves?status=Failed", $"/shaves/{heavy}", $"/shaves/{heavy}?tab=trace&failed=1&q=batch&from=0&to=7200000",
            $"/shaves/{heavy}?tab=trace&record={heavyModelCall}", "/logs", "/projects", $"/projects/{project}",
            "/projects/new", $"/projects/{project}/edit", "/users", "/admin/api-keys", "/admin/prices", "/no-such-page",
        ];
        // The two themes are two people's sessions, swept side by side: each page waits on its circuit and on axe, and
        // a sweep's waits leave room for the other's.
        var found = (await Task.WhenAll(Themes.Select(theme => SweepAsync(theme, adminPages, aliceFailed)))).SelectMany(f => f).ToList();

        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [BrowserFact]
    public async Task The_first_tab_stop_is_a_skip_link_to_the_pages_content()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        await CreateShaveForAsync(alice, "Printer prints blank pages");
        await using var browser = await OpenBrowserAsync("alice@example.test");
        var page = browser.Page;
        foreach (var path in new[] { "/shaves", "/" })
        {
            await page.GotoAsync(path);
            // A page opens with the focus on its h1 (past the menu). From the app bar's first control, one step back
            // is the skip link: it is the first Tab stop of the page.
            await page.Locator(".mud-appbar button").First.FocusAsync();
            await page.Keyboard.PressAsync("Shift+Tab");
            var skip = page.Locator("a.skip-link");
            await Expect(skip).ToBeFocusedAsync();
            await Expect(skip).ToBeInViewportAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#main")).ToBeFocusedAsync();
            // The next Tab stop is in the content, not back in the app bar.
            await page.Keyboard.PressAsync("Tab");
            Assert.True(await page.Page.EvaluateAsync<bool>("() => document.getElementById('main').contains(document.activeElement)"), path);
        }
    }

    private async Task<List<string>> SweepAsync(string theme, string[] adminPages, Guid aliceFailed)
    {
        var found = new List<string>();
        await using (var admin = await OpenBrowserAsync(DemoAccounts.Admin.UserName))
        {
            await SetThemeAsync(admin, theme);
            foreach (var path in adminPages)
            {
                found.AddRange(await CheckAsync(admin.Page, path, theme));
            }
        }

        await using (var alice = await OpenBrowserAsync(DemoAccounts.Alice.UserName))
        {
            await SetThemeAsync(alice, theme);
            found.AddRange(await CheckAsync(alice.Page, "/shaves", theme));
            found.AddRange(await CheckAsync(alice.Page, $"/shaves/{aliceFailed}", theme));
            found.AddRange(await CheckAsync(alice.Page, "/", theme));
        }

        await using (var anonymous = await OpenBrowserAsync())
        {
            await SetThemeAsync(anonymous, theme);
            found.AddRange(await CheckAsync(anonymous.Page, "/account/signin", theme));
        }

        return found;
    }

    private async Task SetThemeAsync(BrowserSession session, string theme) =>
        await session.Context.AddCookiesAsync([new Cookie { Name = "ShaveTracker.Theme", Value = theme, Url = App.BaseAddress.ToString() }]);

    private static async Task<IReadOnlyList<string>> CheckAsync(AppPage page, string path, string theme)
    {
        await page.GotoAsync(path);
        // The page's data is on screen: no loading bar left.
        await Expect(page.Locator("[role=progressbar]")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        var problems = new List<string>();
        // The dark theme changes colours only: its pages are checked for what colours decide (contrast, links told
        // apart from text); the light theme's run checks everything else once.
        // Only the violations are read: asked for those alone, axe names one node of each passing rule instead of every
        // one, which on a long page is much of its work.
        var result = theme == "dark"
            ? await page.Page.RunAxe(new AxeRunOptions
            {
                RunOnly = new RunOnlyOptions { Type = "rule", Values = ["color-contrast", "link-in-text-block"] },
                ResultTypes = [ResultType.Violations],
            })
            : await page.Page.RunAxe(new AxeRunOptions { ResultTypes = [ResultType.Violations] });
        foreach (var v in result.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            var nodes = string.Join(" | ", v.Nodes.Take(3).Select(n => $"{n.Target} {Cut(n.Html)} {Cut(string.Join("; ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message)))}"));
            problems.Add($"{theme} {path}: {v.Id} ({v.Impact}, {v.Nodes.Length} nodes) {nodes}");
        }

        if (await page.Locator("h1").CountAsync() != 1)
        {
            problems.Add($"{theme} {path}: {await page.Locator("h1").CountAsync()} h1 elements");
        }

        if (await page.Locator("a.skip-link[href='#main']").CountAsync() != 1)
        {
            problems.Add($"{theme} {path}: no skip link");
        }

        return problems;
    }

    private static string Cut(string? s) => s is null ? "" : s.Length > 160 ? s[..160] + "…" : s.ReplaceLineEndings(" ");
}

[CollectionDefinition(Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix",
    Justification = "xunit's naming for a collection definition; it is not a collection type.")]
public sealed class AccessibilityCollection : ICollectionFixture<WebAppFixture>
{
    public const string Name = "Accessibility";
}
