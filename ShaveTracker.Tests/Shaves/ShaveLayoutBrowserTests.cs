using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;

namespace ShaveTracker.Tests.Shaves;

/// <summary>What staff click next stays where it was: notices and the bulk bar take no place a button or a row is in.</summary>
public sealed class ShaveLayoutBrowserTests(WebAppFixture app) : WebTest(app)
{
    /// <summary>The shave's action buttons that a notice's box overlaps (their text), in the page as it is now.</summary>
    private const string CoveredActions = """
        () => {
          const notices = [...document.querySelectorAll('.mud-snackbar')].map(n => n.getBoundingClientRect());
          return [...document.querySelectorAll('[data-testid=shave-actions] button')]
            .filter(b => {
              const r = b.getBoundingClientRect();
              return notices.some(n => r.left < n.right && n.left < r.right && r.top < n.bottom && n.top < r.bottom);
            })
            .map(b => b.textContent.trim());
        }
        """;

    /// <summary>Scrolls the window until the shave's actions are just under the app bar, as after reading down the summary.</summary>
    private const string ScrollActionsToTop = """
        () => {
          const actions = document.querySelector('[data-testid=shave-actions]').getBoundingClientRect();
          const bar = document.querySelector('.mud-appbar').getBoundingClientRect();
          window.scrollBy(0, actions.top - bar.bottom - 4);
        }
        """;

    [BrowserTheory]
    [InlineData(1440, 700)]
    [InlineData(390, 844)]
    public async Task A_notice_never_covers_the_shave_actions(int width, int height)
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        var id = await CreateShaveForAsync(alice, "Printer prints blank pages", ShaveStatus.Failed);
        await AddStepsAsync(id, 8);
        await using var browser = await OpenBrowserAsync("staff@example.test");
        var page = browser.Page;
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync($"/shaves/{id}");
        await Expect(page.Locator("[data-testid=requeue-shave]")).ToBeVisibleAsync();
        await page.Page.EvaluateAsync(ScrollActionsToTop);

        await page.ClickAsync("[data-testid=requeue-shave]");

        var notice = page.Locator(".mud-snackbar");
        await Expect(notice).ToContainTextAsync("Shave re-queued");
        await Expect(notice).ToBeInViewportAsync(new() { Ratio = 1 });
        // The next things to do are right there, uncovered: cancel what was just re-queued, or edit it.
        await Expect(page.Locator("[data-testid=cancel-shave]")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(page.Locator("[data-testid=edit-shave]")).ToBeInViewportAsync(new() { Ratio = 1 });
        Assert.Empty(await page.Page.EvaluateAsync<string[]>(CoveredActions));
    }

    [BrowserTheory]
    [InlineData(1440, 900)]
    [InlineData(390, 844)]
    public async Task Ticking_a_row_moves_no_row_on_the_list(int width, int height)
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        foreach (var title in new[] { "Dark mode colours", "Printer prints blank pages", "Wi-Fi drops" })
        {
            await CreateShaveForAsync(alice, title, ShaveStatus.Failed);
        }

        await using var browser = await OpenBrowserAsync("staff@example.test");
        var page = browser.Page;
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync("/shaves?sort=title&dir=asc");
        var boxes = page.Locator("[data-testid=row-select]");
        await Expect(boxes).ToHaveCountAsync(3);
        var before = await RowTopsAsync(page);
        var second = (await boxes.Nth(1).BoundingBoxAsync())!;

        await page.CheckAsync(boxes.First);

        await Expect(page.Locator("[data-testid=bulk-bar]")).ToBeVisibleAsync();
        Assert.Equal(before, await RowTopsAsync(page));
        if (width >= 1000)
        {
            // The mouse where the second row's box was a moment ago ticks that row, not another.
            await page.Page.Mouse.ClickAsync(second.X + (second.Width / 2), second.Y + (second.Height / 2));
            await Expect(boxes.Nth(1)).ToBeCheckedAsync();
            await Expect(page.Locator("[data-testid=selected-count]")).ToHaveTextAsync("2 selected");
        }
    }

    private static async Task<double[]> RowTopsAsync(AppPage page) =>
        await page.Page.EvaluateAsync<double[]>("() => [...document.querySelectorAll('tr[data-shave-id]')].map(r => r.getBoundingClientRect().top)");

    private async Task AddStepsAsync(Guid shaveId, int count)
    {
        var started = DateTime.UtcNow.AddHours(-1);
        await using var db = await Factory.CreateDbContextAsync();
        db.ProcessSteps.AddRange(Enumerable.Range(0, count).Select(i => new ProcessStep
        {
            Id = Ids.NewId(), ShaveId = shaveId, StepName = $"step_{i}", StartedAt = started.AddMinutes(i),
            ProcessStatus = i == count - 1 ? ProcessStatus.Failed : ProcessStatus.Completed, CompletedAt = started.AddMinutes(i + 1),
            ErrorMessage = i == count - 1 ? "The model did not answer." : null,
        }));
        await db.SaveChangesAsync();
    }
}
