using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;

namespace ShaveTracker.Tests.Shaves;

/// <summary>The list's filters by keyboard alone.</summary>
public sealed class ListKeyboardBrowserTests(WebAppFixture app) : WebTest(app)
{
    [BrowserFact]
    public async Task Tabbing_through_the_requester_field_leaves_no_suggestion_list_open_over_the_table()
    {
        await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        await CreateShaveForAsync(alice, "Printer prints blank pages");
        await using var browser = await OpenBrowserAsync("staff@example.test");
        var page = browser.Page;
        await page.GotoAsync("/shaves");
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("1 matching shave");

        // The suggestions are held on their way until the keyboard has moved on: the slow answer that used to reopen
        // the list after the field was left.
        var movedOn = new TaskCompletionSource();
        await page.Page.RouteAsync("**/shaves/filter-options/requesters**", async route =>
        {
            await movedOn.Task;
            await route.ContinueAsync();
        });
        var requesterBox = page.Locator("[data-testid=filter-requester]");
        var requester = requesterBox.Locator("input[role=combobox]");
        await requester.FocusAsync();
        await page.PressAsync("Tab", requester);
        await Expect(requester).Not.ToBeFocusedAsync();
        movedOn.SetResult();

        await Expect(requesterBox).ToHaveAttributeAsync("data-suggestions-answered", "1");
        await Expect(requesterBox.Locator(".st-combobox-list")).ToBeHiddenAsync();
        await Expect(requester).ToHaveAttributeAsync("aria-expanded", "false");

        // Back in the field, its suggestions open; Tab closes them and moves on.
        await requester.FocusAsync();
        await Expect(requesterBox.Locator("[role=option]", new() { HasText = "Alice Requester" })).ToBeVisibleAsync();
        await page.PressAsync("Tab", requester);
        await Expect(requesterBox.Locator(".st-combobox-list")).ToBeHiddenAsync();
        await Expect(page.Locator("[data-testid=shave-link]")).ToHaveTextAsync(["Printer prints blank pages"]);
    }
}
