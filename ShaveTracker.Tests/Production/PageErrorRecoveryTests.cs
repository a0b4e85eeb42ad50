using Microsoft.Playwright;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Tests.Observability;
using ShaveTracker.Web.Components.Shared;
using ShaveTracker.Web.Infrastructure.Telemetry;
using static ShaveTracker.Tests.Infrastructure.CapturingLogSink;

namespace ShaveTracker.Tests.Production;

/// <summary>
/// The database goes away while a page is open in the browser: the page says so with a reference and a Retry
/// button instead of the session dying, and Retry brings the data back once the database has returned.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class PageErrorRecoveryTests(WebAppFixture shared) : IAsyncLifetime
{
    private const string AdminName = "admin@example.test";
    private IsolatedWebApp _app = default!;

    public async Task InitializeAsync() =>
        _app = await IsolatedWebApp.StartAsync(new Dictionary<string, string?> { ["Authorization:BootstrapAdmins:0"] = AdminName });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [BrowserFact]
    public async Task A_database_failure_in_an_open_page_shows_a_reference_and_Retry_brings_the_data_back()
    {
        var admin = await LocalSignIn.CreateUserAsync(_app.Database.Factory, AdminName, "Ada Admin");
        var shaveId = await ObservedShaves.CreateAsync(_app.Database, admin, "Printer prints blank pages");
        await using var browser = await _app.OpenBrowserAsync(await shared.GetBrowserAsync(), AdminName);
        var page = browser.Page;
        await page.GotoAsync($"/shaves/{shaveId}?tab=trace");
        await Assertions.Expect(page.Locator("[data-testid=trace-ai-log-count]")).ToHaveTextAsync("2 AI logs");

        string reference;
        using (_app.TakeDatabaseAway())
        {
            // Reloading the trace in the open page needs the database.
            await page.ClickAsync("[data-testid=trace-refresh]");
            var panel = page.Locator("[data-testid=page-error]");
            await Assertions.Expect(panel).ToBeVisibleAsync();
            await Assertions.Expect(panel).ToContainTextAsync("Something went wrong");
            reference = (await page.Locator("[data-testid=page-error-reference]").InnerTextAsync()).Trim();
            Assert.Matches("^[0-9A-F]{8}$", reference);
            Assert.DoesNotContain("SqliteException", await panel.InnerTextAsync(), StringComparison.Ordinal);
            // The session is alive: no reconnect dialog, no "unhandled error" bar.
            await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        }

        // The reference on the screen finds the exception in the logs, with who and which session it was.
        var logged = Assert.Single(_app.Logs.Events, e => Property(e, PageErrorBoundary.ReferenceProperty) == reference);
        Assert.NotNull(logged.Exception);
        Assert.Equal(admin.Id.ToString(), Property(logged, LogProperties.UserId));
        Assert.False(string.IsNullOrEmpty(Property(logged, LogProperties.CircuitId)), "The logged failure has no circuit id.");
        Assert.NotNull(logged.TraceId);

        await page.ClickAsync("[data-testid=page-error-retry]");
        await Assertions.Expect(page.Locator("[data-testid=page-error]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=shave-title]")).ToHaveTextAsync("Printer prints blank pages");
        await Assertions.Expect(page.Locator("[data-testid=trace-ai-log-count]")).ToHaveTextAsync("2 AI logs");
    }

    [BrowserFact]
    public async Task After_an_error_another_page_opens_normally()
    {
        var admin = await LocalSignIn.CreateUserAsync(_app.Database.Factory, AdminName, "Ada Admin");
        var shaveId = await ObservedShaves.CreateAsync(_app.Database, admin, "Printer prints blank pages");
        await using var browser = await _app.OpenBrowserAsync(await shared.GetBrowserAsync(), AdminName);
        var page = browser.Page;
        await page.GotoAsync($"/shaves/{shaveId}?tab=trace");
        await Assertions.Expect(page.Locator("[data-testid=trace-ai-log-count]")).ToHaveTextAsync("2 AI logs");
        using (_app.TakeDatabaseAway())
        {
            await page.ClickAsync("[data-testid=trace-refresh]");
            await Assertions.Expect(page.Locator("[data-testid=page-error]")).ToBeVisibleAsync();
        }

        // Navigating in the same session (the menu, not a reload) leaves the error behind.
        await page.ClickAsync(page.GetByRole(AriaRole.Link, new() { Name = "Projects", Exact = true }));
        await page.WaitForUrlAsync(url => url.EndsWith("/projects", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=page-error]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=empty-state]")).ToContainTextAsync("No projects yet");
    }
}
