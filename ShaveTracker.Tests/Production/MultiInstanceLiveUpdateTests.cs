using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;

namespace ShaveTracker.Tests.Production;

/// <summary>
/// Two instances of the app on one database, as behind a load balancer: the pipeline reports to instance A, a person
/// watches on instance B. Nothing but the database connects them (the change feed). The shared test app is used only
/// for its Chromium; the two instances have a database of their own.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class MultiInstanceLiveUpdateTests(WebAppFixture app) : IAsyncLifetime
{
    /// <summary>Generous: a poll every 200 ms on a busy 2-core machine; the wait ends as soon as the page shows it.</summary>
    private const float Patience = 20_000;

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

    [Fact]
    public async Task A_report_posted_to_one_instance_updates_the_pages_open_on_another_without_reload()
    {
        await LocalSignIn.CreateUserAsync(_database.Factory, "alice@example.test", "Alice Requester");
        var (a, _) = StartInstance();
        var (b, hostB) = StartInstance();
        var key = await TestAdmin.CreateApiKeyAsync(_hosts[0].Services, "pipeline");
        using var api = new HttpClient { BaseAddress = a };
        api.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key.Key);
        var shaveId = Guid.CreateVersion7();
        await PutShaveAsync(api, shaveId, "Printer on level 3 prints blank pages", "Processing");

        var browser = await app.GetBrowserAsync();
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = b.ToString() });
        var detail = await SignInAsync(context);
        await detail.GotoAsync($"/shaves/{shaveId}");
        await Expect(detail.Locator("[data-testid=shave-title]")).ToHaveTextAsync("Printer on level 3 prints blank pages");
        await MarkInteractiveAsync(detail);
        var list = await context.NewPageAsync();
        await list.GotoAsync("/shaves");
        await Expect(list.Locator("[data-testid=shave-count]")).ToHaveTextAsync("1 matching shave");
        await MarkInteractiveAsync(list);

        // A step reported to A appears on B's open shave page.
        var stepId = Guid.CreateVersion7();
        (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}/steps/{stepId}",
            new { stepName = "transcribing", status = "in_progress", startedAt = DateTime.UtcNow })).EnsureSuccessStatusCode();
        await Expect(detail.Locator("[data-step=transcribing]")).ToBeVisibleAsync(new() { Timeout = Patience });
        await Expect(detail.Locator("[data-testid=shave-progress]")).ToContainTextAsync("transcribing", new() { Timeout = Patience });

        // The status reported to A changes the page and the list row on B.
        await PutShaveAsync(api, shaveId, "Printer on level 3 prints blank pages", "Completed");
        await Expect(detail.Locator("[data-status=Completed]")).ToBeVisibleAsync(new() { Timeout = Patience });
        await Expect(list.Locator("[data-testid=shave-grid] [data-status=Completed]")).ToBeVisibleAsync(new() { Timeout = Patience });

        // A new shave reported to A is announced on B's list.
        await PutShaveAsync(api, Guid.CreateVersion7(), "VPN drops every hour", "Pending");
        await Expect(list.Locator("[data-testid=new-shaves]")).ToContainTextAsync("1 new shave", new() { Timeout = Patience });

        Assert.True(await detail.EvaluateAsync<bool>("() => window.__notReloaded === true"));
        Assert.True(await list.EvaluateAsync<bool>("() => window.__notReloaded === true"));

        // Leaving the pages ends their circuits, and their subscriptions on B go with them.
        var notifier = (InProcessShaveChangeNotifier)hostB.Services.GetRequiredService<IShaveChangeNotifier>();
        Assert.True(notifier.SubscriberCount >= 2);
        await detail.GotoAsync("about:blank");
        await list.GotoAsync("about:blank");
        await Until(() => notifier.SubscriberCount == 0, "B's pages unsubscribed");
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

    private static async Task<IPage> SignInAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/signin");
        await page.FillAsync("#username", "alice@example.test");
        await page.FillAsync("#password", LocalSignIn.Password);
        await page.ClickAsync("[data-testid=signin-local]");
        await page.WaitForURLAsync(url => !url.Contains("/account/signin", StringComparison.Ordinal));
        return page;
    }

    /// <summary>Waits for the circuit, then marks the document: a reload would lose the mark.</summary>
    private static async Task MarkInteractiveAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await page.EvaluateAsync("() => window.__notReloaded = true");
    }

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

    private static async Task Until(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(Patience));
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"Waited {Patience / 1000} s for: {what}.");
            await Task.Delay(50);
        }
    }
}
