using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Tests.Infrastructure;
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

    [Fact]
    public async Task Each_open_page_is_an_active_circuit_until_the_browser_leaves_it()
    {
        await LocalSignIn.CreateUserAsync(_app.Database.Factory, "alice@example.test", "Alice Requester");
        using var metrics = new MetricCapture(_app.Services.GetRequiredService<IMeterFactory>(), M.MeterName);
        double Active() => metrics.Sum(M.ActiveCircuitsName);

        // Signing in lands on the dashboard, an interactive page (the sign-in form itself is not).
        var (context, first) = await _app.OpenBrowserAsync(await shared.GetBrowserAsync(), "alice@example.test");
        await using var _ = context;
        await Eventually(() => Active() == 1, "the first page's circuit to open");

        var second = await context.NewPageAsync();
        await second.GotoAsync("/shaves");
        await Eventually(() => Active() == 2, "the second page's circuit to open");

        // Leaving a page tells the server (Blazor's disconnect beacon): its circuit ends at once.
        await first.GotoAsync("about:blank");
        await Eventually(() => Active() == 1, "the first page's circuit to close");
        await second.GotoAsync("about:blank");
        await Eventually(() => Active() == 0, "the second page's circuit to close");
    }

    /// <summary>Waits for something the browser and the server do in their own time; fails if it never happens.</summary>
    private static async Task Eventually(Func<bool> condition, string what)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            Assert.False(patience.IsCancellationRequested, $"Waited in vain for {what}.");
            await Task.Delay(50, CancellationToken.None);
        }
    }
}
