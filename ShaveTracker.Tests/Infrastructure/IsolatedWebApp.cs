using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Serilog.Core;
using ShaveTracker.Tests.Infrastructure.Browser;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// The app on its own SQLite file and its own Kestrel port, with its log events captured: for tests that take the
/// database away, count the host's circuits or read its logs, where the shared test app's other traffic would be in
/// the way. Browsers come from the shared <see cref="WebAppFixture"/>.
/// </summary>
public sealed class IsolatedWebApp : IAsyncDisposable
{
    private IsolatedWebApp(SqliteDatabaseFixture database, ShaveTrackerWebFactory factory, Uri baseAddress, Uri? http2Address, CapturingLogSink logs)
    {
        Database = database;
        Factory = factory;
        BaseAddress = baseAddress;
        Http2Address = http2Address;
        Logs = logs;
    }

    /// <summary>
    /// A second port that speaks HTTP/2 only, without TLS, as a gRPC endpoint is configured behind a proxy (null
    /// unless asked for): a cleartext port serving both versions can only offer HTTP/1.1.
    /// </summary>
    public Uri? Http2Address { get; }

    public SqliteDatabaseFixture Database { get; }

    public ShaveTrackerWebFactory Factory { get; }

    public Uri BaseAddress { get; }

    public CapturingLogSink Logs { get; }

    public IServiceProvider Services => Factory.Services;

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The returned app owns and disposes both.")]
    /// <param name="settings">Configuration on top of the test environment's.</param>
    /// <param name="clock">The app's clock (a FakeTimeProvider moves it by hand); the system clock when null.</param>
    /// <param name="http2Port">Also listen on a cleartext HTTP/2-only port (<see cref="Http2Address"/>).</param>
    /// <param name="services">More test services (a slow or failing database, say).</param>
    public static async Task<IsolatedWebApp> StartAsync(IDictionary<string, string?>? settings = null, TimeProvider? clock = null, bool http2Port = false,
        Action<IServiceCollection>? services = null)
    {
        var database = new SqliteDatabaseFixture();
        await database.InitializeAsync();
        var logs = new CapturingLogSink();
        var factory = new ShaveTrackerWebFactory(database.ConnectionString, settings, s =>
        {
            s.AddSingleton<ILogEventSink>(logs);
            if (clock is not null)
            {
                s.AddSingleton(clock);
            }

            services?.Invoke(s);
        });
        if (http2Port)
        {
            factory.UseKestrel(o =>
            {
                o.Listen(IPAddress.Loopback, 0);
                o.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2);
            });
        }
        else
        {
            factory.UseKestrel(0);
        }

        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal)))
            .ToList();
        return new IsolatedWebApp(database, factory, addresses[0], http2Port ? addresses[1] : null, logs);
    }

    /// <summary>An HTTP client on the real port that keeps cookies and does not follow redirects.</summary>
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The client owns and disposes its handler.")]
    public HttpClient CreateClient(HttpMessageHandler? handler = null) =>
        new(handler ?? new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }, disposeHandler: true)
        {
            BaseAddress = BaseAddress,
        };

    /// <summary>A fresh browser context on this app, signed in through the real form.</summary>
    public Task<BrowserSession> OpenBrowserAsync(IBrowser browser, string userName) =>
        BrowserSession.OpenAsync(browser, BaseAddress, userName, Logs);

    /// <summary>
    /// Takes the database away until the result is disposed: the folder, not the file (SQLite would quietly create a
    /// new empty file in its place), and the pooled connections that still hold the old file open are dropped, as an
    /// unmounted volume would drop them (as in DatabaseOutageTests).
    /// </summary>
    public IDisposable TakeDatabaseAway()
    {
        var folder = Path.GetDirectoryName(new SqliteConnectionStringBuilder(Database.ConnectionString).DataSource)!;
        var away = folder + ".away";
        Directory.Move(folder, away);
        SqliteConnection.ClearAllPools();
        return new Restore(() => Directory.Move(away, folder));
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        private Action? _restore = restore;

        public void Dispose() => Interlocked.Exchange(ref _restore, null)?.Invoke();
    }
}
