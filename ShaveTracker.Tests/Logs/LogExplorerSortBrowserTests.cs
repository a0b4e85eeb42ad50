using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;
using static ShaveTracker.Tests.Infrastructure.PipelineRecords;

namespace ShaveTracker.Tests.Logs;

/// <summary>
/// The explorer's header sorting in Chromium: wherever a sortable header is clicked (its label or its arrow), the
/// arrow, <c>aria-sort</c>, the URL and the rows agree, for every sortable column, both directions.
/// </summary>
public sealed class LogExplorerSortBrowserTests(WebAppFixture app) : WebTest(app)
{
    // Time order (newest first): o3-mini, claude-sonnet-4, gpt-4o. Every other column orders them differently.
    private static readonly string[] NewestFirst = ["o3-mini", "claude-sonnet-4", "gpt-4o"];

    // Each sortable header: the URL's sort name ("" for time, the default) and the rows ascending (by model name).
    private static readonly (string Header, string Sort, string[] Ascending)[] Columns =
    [
        ("Duration", "duration", ["claude-sonnet-4", "gpt-4o", "o3-mini"]),
        ("Cost", "cost", ["gpt-4o", "o3-mini", "claude-sonnet-4"]),
        ("Model", "name", ["claude-sonnet-4", "gpt-4o", "o3-mini"]),
        ("Time (UTC)", "", ["gpt-4o", "claude-sonnet-4", "o3-mini"]),
    ];

    [BrowserTheory]
    [InlineData("arrow")]
    [InlineData("label")]
    public async Task Clicking_a_sortable_header_sorts_the_rows_by_it_and_the_arrow_and_aria_sort_agree(string target)
    {
        var rita = await CreateLocalUserAsync("rita@example.test", "Rita Requester");
        await CreateLocalUserAsync("ada@example.test", "Ada Admin", Roles.Admin);
        var shaveId = await CreateShaveForAsync(rita, "Printer prints blank pages", ShaveStatus.Completed);
        await AddModelCallsAsync(shaveId);
        await using var browser = await OpenBrowserAsync("ada@example.test");
        var page = browser.Page;
        await page.GotoAsync("/logs");
        var models = page.Locator("[data-testid=ai-grid] tbody tr td:nth-child(2)");
        await Expect(models).ToHaveTextAsync(NewestFirst);
        await ExpectSortedAsync(page, "Time (UTC)", "descending");

        foreach (var (header, sort, ascending) in Columns)
        {
            var th = page.Locator("[data-testid=ai-grid] thead th").Filter(new() { HasText = header });
            var click = target == "arrow" ? th.Locator("button[aria-label=Sort]") : th.GetByText(header, new() { Exact = true });
            var sortParam = sort == "" ? "" : $"sort={sort}";

            await page.ClickAsync(click);
            await page.WaitForUrlAsync(url => url.Contains(sortParam, StringComparison.Ordinal) && url.Contains("dir=asc", StringComparison.Ordinal));
            await Expect(models).ToHaveTextAsync(ascending);
            await ExpectSortedAsync(page, header, "ascending");

            await page.ClickAsync(click);
            await page.WaitForUrlAsync(url => url.Contains(sortParam, StringComparison.Ordinal) && !url.Contains("dir=asc", StringComparison.Ordinal));
            await Expect(models).ToHaveTextAsync(ascending.Reverse().ToArray());
            await ExpectSortedAsync(page, header, "descending");
        }

        // The view comes back from its URL, arrow and all.
        await page.ClickAsync(page.Locator("[data-testid=ai-grid] thead th").Filter(new() { HasText = "Duration" }).GetByText("Duration", new() { Exact = true }));
        await page.WaitForUrlAsync(url => url.Contains("sort=duration&dir=asc", StringComparison.Ordinal));
        await page.ReloadAsync();
        await Expect(models).ToHaveTextAsync(Columns[0].Ascending);
        await ExpectSortedAsync(page, "Duration", "ascending");
    }

    /// <summary>
    /// On a slow database (every read of the AI logs takes a while, as on a big table), a header clicked while the
    /// grid's rows are still loading sorts by that header: the page re-rendering when the earlier load lands must not
    /// hand the grid its old sort.
    /// </summary>
    [BrowserFact]
    public async Task A_header_clicked_while_the_rows_load_on_a_slow_database_sorts_by_that_header()
    {
        var slow = new SlowAiLogReads();
        await using var app = await IsolatedWebApp.StartAsync(services: s =>
            s.ConfigureDbContext<ShaveTracker.Data.SqliteShaveTrackerDbContext>(o => o.AddInterceptors(slow)));
        await using (var db = await app.Database.Factory.CreateDbContextAsync())
        {
            var user = new User { Id = Ids.NewId(), AuthProvider = AuthProvider.Local, DisplayName = "Ada Admin", CreatedAt = DateTime.UtcNow };
            var account = new LocalAccount { UserId = user.Id, UserName = "ada@example.test" };
            account.PasswordHash = ShaveTracker.Web.Features.Account.SignInService.HashPassword(account, Password);
            var video = new VideoFile { Id = Ids.NewId(), FileName = "recording.mp4", Duration = 95, CreatedAt = DateTime.UtcNow };
            var shave = new Shave
            {
                Id = Ids.NewId(), Title = "Printer prints blank pages", VideoFileId = video.Id, RequesterId = user.Id,
                ShaveStatus = ShaveStatus.Completed, WorkItemSource = "GitHub", CreatedAt = DateTime.UtcNow,
            };
            db.AddRange(user, account, new UserRole { UserId = user.Id, Role = Roles.Admin, GrantedAt = DateTime.UtcNow }, video, shave);
            await db.SaveChangesAsync();
            await AddModelCallsAsync(db, shave.Id);
        }

        await using var browser = await app.OpenBrowserAsync(await App.GetBrowserAsync(), "ada@example.test");
        var page = browser.Page;
        // The first rows come with the page (no header to click until the grid has its own); a later load of the grid,
        // here on the way back from the tool calls, is the one a click can overtake.
        await page.GotoAsync("/logs");
        await Expect(page.Locator("[data-testid=ai-grid] tbody tr td:nth-child(2)").First).ToBeVisibleAsync();
        await page.ClickAsync("[data-testid=tab-tools]");
        await Expect(page.Locator("[data-testid=tool-grid]")).ToBeVisibleAsync();
        slow.Arm();
        await page.ClickAsync("[data-testid=tab-ai]");
        await Expect(page.GetByText("Loading model calls…")).ToBeVisibleAsync();

        var th = page.Locator("[data-testid=ai-grid] thead th").Filter(new() { HasText = "Duration" });
        await page.ClickAsync(th.Locator("button[aria-label=Sort]"));

        await page.WaitForUrlAsync(u => u.Contains("sort=duration&dir=asc", StringComparison.Ordinal));
        var models = page.Locator("[data-testid=ai-grid] tbody tr td:nth-child(2)");
        await Expect(models).ToHaveTextAsync(Columns[0].Ascending);
        await ExpectSortedAsync(page, "Duration", "ascending");
    }

    /// <summary>Every read of the AI logs waits a while once armed, as reads of a big table do.</summary>
    private sealed class SlowAiLogReads : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        private volatile bool _armed;

        public void Arm() => _armed = true;

        public override async ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (_armed && command.CommandText.Contains("FROM \"ai_logs\"", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
            }

            return result;
        }
    }

    /// <summary>
    /// Exactly one header says it sorts, and it is <paramref name="header"/>, in <paramref name="direction"/>: its
    /// <c>aria-sort</c>, and the only arrow that shows a direction.
    /// </summary>
    private static async Task ExpectSortedAsync(AppPage page, string header, string direction)
    {
        var sorted = page.Locator("[data-testid=ai-grid] thead th[aria-sort]:not([aria-sort=none])");
        await Expect(sorted).ToHaveCountAsync(1);
        await Expect(sorted).ToContainTextAsync(header);
        await Expect(sorted).ToHaveAttributeAsync("aria-sort", direction);
        var arrows = page.Locator("[data-testid=ai-grid] thead button[aria-label=Sort].mud-direction-asc, [data-testid=ai-grid] thead button[aria-label=Sort].mud-direction-desc");
        await Expect(arrows).ToHaveCountAsync(1);
        await Expect(sorted.Locator("button[aria-label=Sort]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(
            direction == "ascending" ? @"\bmud-direction-asc\b" : @"\bmud-direction-desc\b"));
    }

    /// <summary>Three model calls whose time, duration, model and cost orders all differ.</summary>
    private async Task AddModelCallsAsync(Guid shaveId)
    {
        await using var db = await Factory.CreateDbContextAsync();
        await AddModelCallsAsync(db, shaveId);
    }

    private static async Task AddModelCallsAsync(ShaveTrackerDbContext db, Guid shaveId)
    {
        var shave = await db.Shaves.AsNoTracking().SingleAsync(s => s.Id == shaveId);
        var now = DateTime.UtcNow;
        var gpt = AiLog(shave, "gpt-4o", now.AddMinutes(-3), 4_000);
        var claude = AiLog(shave, "claude-sonnet-4", now.AddMinutes(-2), 1_000);
        var o3 = AiLog(shave, "o3-mini", now.AddMinutes(-1), 9_000);
        db.AddRange(gpt, claude, o3, Price("*", 1, 1, now.Date.AddDays(-1)));
        db.AiLogUsages.AddRange(Usage(gpt, 1_000), Usage(o3, 2_000), Usage(claude, 3_000));
        await db.SaveChangesAsync();
    }

    private static AiLogUsage Usage(AiLog log, int tokens) => new()
    {
        AiLogId = log.Id, ShaveId = log.ShaveId, ModelName = log.ModelName, CreatedAt = log.CreatedAt, InputTokens = tokens, OutputTokens = 0,
    };
}
