using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Events;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;
using M = ShaveTracker.Web.Infrastructure.Telemetry.ShaveTrackerMetrics;

namespace ShaveTracker.Tests.Production;

/// <summary>
/// Pages are closed while the pipeline's changes reach them: the live refresh of a list, the row selection handed to
/// the bulk-actions island and the live shave page race the closing circuit. None of it may end in an error, in the
/// browser or on the server. On its own app, so that its log and its circuits are this test's alone.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ClosingPagesTests(WebAppFixture shared) : IAsyncLifetime
{
    private const string StaffName = "staff@example.test";
    private IsolatedWebApp _app = default!;

    public async Task InitializeAsync() => _app = await IsolatedWebApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [BrowserFact]
    public async Task Pages_closed_while_changes_arrive_leave_no_error_in_the_browser_or_on_the_server()
    {
        var staff = await LocalSignIn.CreateUserAsync(_app.Database.Factory, StaffName, "Stan Staff");
        await using (var db = await _app.Database.Factory.CreateDbContextAsync())
        {
            db.UserRoles.Add(new ShaveTracker.Data.Entities.UserRole { UserId = staff.Id, Role = Roles.Staff, GrantedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var key = await TestAdmin.CreateApiKeyAsync(_app.Services, "pipeline");
        using var api = _app.CreateClient();
        api.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key.Key);
        Guid[] shaves = [Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7()];
        foreach (var id in shaves)
        {
            await ReportAsync(api, id, "Processing");
        }

        using var metrics = new MetricCapture(_app.Services.GetRequiredService<IMeterFactory>(), M.MeterName);
        var mark = _app.Logs.Mark();
        await using var browser = await _app.OpenBrowserAsync(await shared.GetBrowserAsync(), StaffName);
        var closed = new List<AppPage>();
        for (var round = 0; round < 3; round++)
        {
            var list = await browser.NewPageAsync();
            await list.GotoAsync("/shaves");
            await Expect(list.Locator("[data-testid=shave-link]")).ToHaveCountAsync(3);
            // A ticked row is handed to the bulk-actions island; the page closes with the hand-over under way.
            var tick = list.Locator("[data-testid=row-select]").First.CheckAsync();
            var detail = await browser.NewPageAsync();
            await detail.GotoAsync($"/shaves/{shaves[round]}");
            await Expect(detail.Locator("[data-testid=shave-title]")).ToBeVisibleAsync();

            // Changes to rows on screen (the list refreshes itself) and to the open shave, sent while both pages close.
            var changes = Task.WhenAll(shaves.Select(id => ReportAsync(api, id, round % 2 == 0 ? "Failed" : "Processing")));
            await tick;
            await Task.WhenAll(list.Page.CloseAsync(), detail.Page.CloseAsync());
            await changes;
            closed.AddRange([list, detail]);
        }

        await browser.Page.LeaveAsync();
        await Eventually.TrueAsync(() => metrics.Sum(M.ActiveCircuitsName) == 0, "every circuit to close");

        var problems = _app.Logs.EventsSince(mark).Where(e => e.Level >= LogEventLevel.Warning).Select(e => e.RenderMessage()).ToList();
        Assert.True(problems.Count == 0, "The server logged: " + string.Join(" | ", problems));
        var browserErrors = closed.SelectMany(p => p.ConsoleMessages)
            .Where(m => m.StartsWith("[error]", StringComparison.Ordinal) || m.StartsWith("[page error]", StringComparison.Ordinal)).ToList();
        Assert.True(browserErrors.Count == 0, "The browser said: " + string.Join(" | ", browserErrors));
    }

    private static async Task ReportAsync(HttpClient api, Guid shaveId, string status)
    {
        using var response = await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", new
        {
            title = $"Shave {shaveId:N}"[..20],
            status,
            requester = new { userName = "alice@example.test", displayName = "Alice Requester" },
            videoFile = new { fileName = "recording.mp4", duration = 95 },
            workItemSource = "GitHub",
        });
        response.EnsureSuccessStatusCode();
    }
}
