using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Features.DemoData;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Prices;

/// <summary>An admin prices the models, and the demo's calls get a cost in the trace and on the dashboard.</summary>
public sealed class ModelPricesBrowserTests(WebAppFixture app) : WebTest(app)
{
    [BrowserFact]
    public async Task An_admin_sets_a_price_and_the_calls_of_a_shave_show_their_cost_in_its_trace_and_on_the_dashboard()
    {
        await SeedDemoDataAsync();
        Guid shaveId;
        await using (var db = await Factory.CreateDbContextAsync())
        {
            shaveId = await db.Shaves.Where(s => s.Title == DemoDataGenerator.HeavyFailedTitle).Select(s => s.Id).SingleAsync();
            Assert.Empty(await db.ModelPrices.ToListAsync());
        }

        await using var browser = await OpenBrowserAsync(DemoAccounts.Admin.UserName);
        var page = browser.Page;

        // Before any price, the trace counts the tokens and says there is no price.
        await page.GotoAsync($"/shaves/{shaveId}?tab=trace");
        await Assertions.Expect(page.Locator("[data-testid=trace-cost]")).ToContainTextAsync("no price");

        // The prices page lists the models called without a price; one click fills the pattern.
        await page.GotoAsync("/admin/prices");
        await Assertions.Expect(page.Locator("[data-testid=unpriced-models]")).ToBeVisibleAsync();
        await page.FillAsync("input[data-testid=price-pattern]", "*");
        await page.FillAsync("input[data-testid=price-input]", "1000");
        await page.FillAsync("input[data-testid=price-output]", "abc");
        await page.FillAsync("input[data-testid=price-from]", "2020-01-01");
        await page.ClickAsync("[data-testid=price-add]");
        await Assertions.Expect(page.Locator(".mud-input-control", new() { Has = page.Locator("input[data-testid=price-output]") }))
            .ToContainTextAsync("Enter the price in US dollars per million tokens");
        await page.FillAsync("input[data-testid=price-output]", "2000");
        await page.ClickAsync("[data-testid=price-add]");
        await Assertions.Expect(page.Locator("[data-testid=price-row-pattern]")).ToHaveTextAsync("*");
        await Assertions.Expect(page.Locator("[data-testid=unpriced-models]")).ToHaveCountAsync(0);

        // The trace prices every call now: the shave's total, and each call's on its row.
        await page.GotoAsync($"/shaves/{shaveId}?tab=trace");
        await Assertions.Expect(page.Locator("[data-testid=trace-cost]")).ToContainTextAsync("$");
        await Assertions.Expect(page.Locator("[data-testid=trace-cost]")).Not.ToContainTextAsync("no price");
        await Assertions.Expect(page.Locator("[data-testid=trace-record-cost]").First).ToContainTextAsync("$");

        // The dashboard's 30 days: a total, and the models and projects it went to.
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("[data-testid=ai-cost-total]")).ToContainTextAsync("$");
        await Assertions.Expect(page.Locator("[data-testid=ai-cost-model-row]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=ai-cost-project-row]").First).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task Staff_cannot_open_the_prices_page()
    {
        await SeedDemoDataAsync();
        await using var browser = await OpenBrowserAsync(DemoAccounts.Staff.UserName);

        await browser.Page.GotoAsync("/admin/prices");

        await Assertions.Expect(browser.Page.Locator("[data-testid=price-form]")).ToHaveCountAsync(0);
        await Assertions.Expect(browser.Page.Locator("a[href='/admin/prices']")).ToHaveCountAsync(0);
    }
}
