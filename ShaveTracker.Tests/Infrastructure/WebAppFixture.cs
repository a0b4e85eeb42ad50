using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Serilog.Core;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// The real app on a real Kestrel port (so a browser can reach it), on its own SQLite file that tests reset with
/// Respawn, plus one Chromium for the whole run (a new browser context per test) and the demo data, seeded once for
/// the tests that start from it.
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    // Not a SemaphoreSlim: nothing to dispose, and the browser is started once per run.
    private readonly Lock _browserLock = new();
    private Task<IBrowser>? _browserTask;

    public SqliteDatabaseFixture Database { get; } = new();

    /// <summary>The demo data, seeded once for the tests of this app that start from it.</summary>
    public DemoDataSnapshot Demo { get; } = new();

    public ShaveTrackerWebFactory Factory { get; private set; } = default!;

    /// <summary>What the app logs, for the failure report of a browser test.</summary>
    public CapturingLogSink Logs { get; } = new();

    public Uri BaseAddress { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Factory = new ShaveTrackerWebFactory(Database.ConnectionString, testServices: services => services.AddSingleton<ILogEventSink>(Logs));
        Factory.UseKestrel(0);
        Factory.StartServer();
        var addresses = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>An HTTP client on the real port that keeps cookies and does not follow redirects.</summary>
    /// <remarks>A plain HttpClient: the factory's client ignores AllowAutoRedirect when it runs on Kestrel.</remarks>
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The client owns and disposes its handler.")]
    public HttpClient CreateClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }, disposeHandler: true)
        {
            BaseAddress = BaseAddress,
        };

    public Task<IBrowser> GetBrowserAsync()
    {
        lock (_browserLock)
        {
            return _browserTask ??= LaunchAsync();
        }
    }

    private async Task<IBrowser> LaunchAsync()
    {
        // Auto-waiting assertions end as soon as they hold; the ceiling is for a busy 2-core machine, where a circuit
        // can take seconds to answer while other test collections run beside the browser tests.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
        return _browser;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
        await Demo.DisposeAsync();
    }
}

public sealed class ShaveTrackerWebFactory(
    string connectionString,
    IDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? testServices = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Outside Development the host does not read the build's static web assets manifest (MudBlazor's CSS and
        // JS under _content/); a published app has them on disk, a test run does not.
        builder.UseStaticWebAssets();
        // Served with the cache headers of a published app (fingerprinted files immutable): from the build output
        // ASP.NET Core marks them all "no-cache", and every page load of a browser test would fetch MudBlazor's 627 KB
        // style sheet again.
        builder.UseSetting("EnableStaticAssetsDevelopmentCaching", "true");
        // UseSetting, not ConfigureAppConfiguration: the app reads some settings (provider, sign-in methods) while
        // registering services, before configuration callbacks of the factory would be applied.
        builder.UseSetting("ConnectionStrings:ShaveTracker", connectionString);
        // The console gets warnings and errors only: a test run's output stays readable. Every event still reaches
        // the log file and the capturing sinks (a failed browser test saves the server log of its own time).
        builder.UseSetting("Serilog:WriteTo:0:Args:restrictedToMinimumLevel", "Warning");
        builder.UseSetting("Serilog:WriteTo:1:Args:path", Path.Combine(Path.GetTempPath(), "shavetracker-tests", "logs", "web-.log"));
        // Every test signs in from the same loopback address, many times a minute; the tests of the sign-in rate
        // limit set their own low limit below.
        builder.UseSetting("SignIn:RateLimitPermits", "1000000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }
    }
}

[CollectionDefinition(Name)]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix",
    Justification = "xunit's naming for a collection definition; it is not a collection type.")]
public sealed class WebCollection : ICollectionFixture<WebAppFixture>
{
    public const string Name = "Web";
}
