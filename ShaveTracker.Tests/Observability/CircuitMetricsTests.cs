using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using M = ShaveTracker.Web.Infrastructure.Telemetry.ShaveTrackerMetrics;

namespace ShaveTracker.Tests.Observability;

/// <summary>
/// The active-circuits gauge follows the interactive sessions a browser opens and leaves. On its own app, so that
/// sessions of other tests are not counted.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class CircuitMetricsTests(WebAppFixture shared) : IAsyncLifetime
{
    private IsolatedWebApp _app = default!;

    public async Task InitializeAsync() => _app = await IsolatedWebApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [BrowserFact]
    public async Task Each_open_page_is_an_active_circuit_until_the_browser_leaves_it()
    {
        await LocalSignIn.CreateUserAsync(_app.Database.Factory, "alice@example.test", "Alice Requester");
        using var metrics = new MetricCapture(_app.Services.GetRequiredService<IMeterFactory>(), M.MeterName);
        double Active() => metrics.Sum(M.ActiveCircuitsName);

        // Signing in lands on the dashboard, an interactive page (the sign-in form itself is not).
        await using var browser = await _app.OpenBrowserAsync(await shared.GetBrowserAsync(), "alice@example.test");
        var first = browser.Page;
        await Eventually.TrueAsync(() => Active() == 1, "the first page's circuit to open");

        var second = await browser.NewPageAsync();
        await second.GotoAsync("/shaves");
        await Eventually.TrueAsync(() => Active() == 2, "the second page's circuit to open");

        // Leaving a page tells the server (Blazor's disconnect beacon): its circuit ends at once.
        await first.LeaveAsync();
        await Eventually.TrueAsync(() => Active() == 1, "the first page's circuit to close");
        await second.LeaveAsync();
        await Eventually.TrueAsync(() => Active() == 0, "the second page's circuit to close");
    }
}
