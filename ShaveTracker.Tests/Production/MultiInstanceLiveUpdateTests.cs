using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;
using ShaveTracker.Web.Infrastructure.LiveUpdates;

namespace ShaveTracker.Tests.Production;

/// <summary>
/// Two instances of the app on one database, as behind a load balancer: the pipeline reports to instance A, a person
/// watches on instance B. Nothing but the database connects them (the change feed). The shared test app is used only
/// for its Chromium; the two instances have a database of their own.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class MultiInstanceLiveUpdateTests(WebAppFixture app) : IAsyncLifetime
{
    private readonly SqliteDatabaseFixture _database = new();
    private readonly List<ShaveTrackerWebFactory> _hosts = [];

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [BrowserFact]
    public async Task A_report_posted_to_one_instance_updates_the_pages_open_on_another_without_reload()
    {
        await LocalSignIn.CreateUserAsync(_database.Factory, "alice@example.test", "Alice Requester");
        var (a, _) = StartInstance();
        var (b, hostB) = StartInstance();
        var notifier = (InProcessShaveChangeNotifier)hostB.Services.GetRequiredService<IShaveChangeNotifier>();
        // What listens with no page open (the payload search indexer waits for new records this way).
        var idle = notifier.SubscriberCount;
        var key = await TestAdmin.CreateApiKeyAsync(_hosts[0].Services, "pipeline");
        using var api = new HttpClient { BaseAddress = a };
        api.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key.Key);
        var shaveId = Guid.CreateVersion7();
        await PutShaveAsync(api, shaveId, "Printer on level 3 prints blank pages", "Processing");

        await using var browser = await BrowserSession.OpenAsync(await app.GetBrowserAsync(), b, "alice@example.test", null);
        var detail = browser.Page;
        await detail.GotoAsync($"/shaves/{shaveId}");
        await Expect(detail.Locator("[data-testid=shave-title]")).ToHaveTextAsync("Printer on level 3 prints blank pages");
        await MarkAsync(detail);
        var list = await browser.NewPageAsync();
        await list.GotoAsync("/shaves");
        await Expect(list.Locator("[data-testid=shave-count]")).ToHaveTextAsync("1 matching shave");
        await MarkAsync(list);

        // A step reported to A appears on B's open shave page.
        var stepId = Guid.CreateVersion7();
        (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}/steps/{stepId}",
            new { stepName = "transcribing", status = "in_progress", startedAt = DateTime.UtcNow })).EnsureSuccessStatusCode();
        await Expect(detail.Locator("[data-step=transcribing]")).ToBeVisibleAsync();
        await Expect(detail.Locator("[data-testid=shave-progress]")).ToContainTextAsync("Transcribing");

        // The status reported to A changes the page and the list row on B.
        await PutShaveAsync(api, shaveId, "Printer on level 3 prints blank pages", "Completed");
        await Expect(detail.Locator("[data-testid=shave-summary][data-status=Completed]")).ToBeVisibleAsync();
        await Expect(list.Locator("[data-testid=shave-grid] [data-status=Completed]")).ToBeVisibleAsync();

        // A new shave reported to A is announced on B's list.
        await PutShaveAsync(api, Guid.CreateVersion7(), "VPN drops every hour", "Pending");
        await Expect(list.Locator("[data-testid=new-shaves]")).ToContainTextAsync("1 new shave");

        Assert.True(await detail.Page.EvaluateAsync<bool>("() => window.__notReloaded === true"));
        Assert.True(await list.Page.EvaluateAsync<bool>("() => window.__notReloaded === true"));

        // Leaving the pages ends their circuits, and their subscriptions on B go with them.
        Assert.True(notifier.SubscriberCount >= idle + 2);
        await detail.LeaveAsync();
        await list.LeaveAsync();
        await Eventually.TrueAsync(() => notifier.SubscriberCount == idle, "B's pages unsubscribed");
    }

    private static async Task PutShaveAsync(HttpClient api, Guid shaveId, string title, string status)
    {
        using var response = await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", new
        {
            title,
            status,
            requester = new { userName = "alice@example.test" },
            videoFile = new { fileName = "2026-11-24 10-00-00.mp4", duration = 192 },
            workItemSource = "GitHub",
        });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Marks the document of a ready page: a reload would lose the mark.</summary>
    private static async Task MarkAsync(AppPage page) => await page.Page.EvaluateAsync("() => window.__notReloaded = true");

    /// <summary>The real app on its own Kestrel port, on the shared database file, with the change feed on.</summary>
    private (Uri Address, ShaveTrackerWebFactory Host) StartInstance()
    {
        var host = new ShaveTrackerWebFactory(_database.ConnectionString, new Dictionary<string, string?>
        {
            ["LiveUpdates:Mode"] = "Database",
            ["LiveUpdates:PollIntervalMilliseconds"] = "200",
        });
        _hosts.Add(host);
        host.UseKestrel(0);
        host.StartServer();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("localhost", "127.0.0.1", StringComparison.Ordinal)), host);
    }
}
