using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Production;

/// <summary>
/// Behind a load balancer that ends TLS, the app hears plain http from the balancer. It must take the browser's
/// scheme and address from X-Forwarded-Proto / X-Forwarded-For when, and only when, they come from a proxy it trusts.
/// The requests come over a real socket from 127.0.0.1, the "proxy" of these tests.
/// </summary>
public sealed class ForwardedHeadersTests(WebAppFixture app) : WebTest(app)
{
    private const string PublicHost = "shavetracker.example";

    [Fact]
    public async Task Behind_a_known_proxy_a_request_forwarded_as_https_gets_hsts_a_wss_socket_source_and_the_browsers_address()
    {
        var seen = await SendForwardedAsync(new()
        {
            ["ForwardedHeaders:Enabled"] = "true",
            ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        }, forwardedFor: "203.0.113.7");

        Assert.StartsWith("max-age=", seen.Hsts, StringComparison.Ordinal);
        Assert.Contains($"wss://{PublicHost}", seen.Csp, StringComparison.Ordinal);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), seen.RemoteAddress);
    }

    [Fact]
    public async Task From_a_proxy_that_is_not_known_the_forwarded_headers_are_ignored()
    {
        var seen = await SendForwardedAsync(new()
        {
            ["ForwardedHeaders:Enabled"] = "true",
            ["ForwardedHeaders:KnownProxies:0"] = "10.20.30.40",
            ["ForwardedHeaders:KnownNetworks:0"] = "192.168.0.0/16",
        }, forwardedFor: "203.0.113.7");

        Assert.Null(seen.Hsts);
        Assert.Contains($"ws://{PublicHost}", seen.Csp, StringComparison.Ordinal);
        Assert.True(IPAddress.IsLoopback(seen.RemoteAddress!), $"The address was taken from the header: {seen.RemoteAddress}");
    }

    [Fact]
    public async Task Without_the_setting_forwarded_headers_are_ignored_even_from_loopback()
    {
        var seen = await SendForwardedAsync([], forwardedFor: "203.0.113.7");

        Assert.Null(seen.Hsts);
        Assert.True(IPAddress.IsLoopback(seen.RemoteAddress!));
    }

    [Fact]
    public async Task With_app_services_switch_the_headers_are_read_once_taking_the_address_the_nearest_proxy_added()
    {
        // ASPNETCORE_FORWARDEDHEADERS_ENABLED=true, as App Service sets it. The first address is whatever the browser
        // claimed; only the last was added by the proxy. Reading the header twice would take the browser's claim.
        var seen = await SendForwardedAsync(new() { ["ForwardedHeaders_Enabled"] = "true" }, forwardedFor: "198.51.100.1, 203.0.113.7");

        Assert.StartsWith("max-age=", seen.Hsts, StringComparison.Ordinal);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), seen.RemoteAddress);
    }

    [Fact]
    public async Task A_proxy_given_by_name_stops_the_app_naming_the_setting()
    {
        await using var host = new ShaveTrackerWebFactory(App.Database.ConnectionString, new Dictionary<string, string?>
        {
            ["ForwardedHeaders:Enabled"] = "true",
            ["ForwardedHeaders:KnownProxies:0"] = "lb.internal",
        });

        var error = Assert.Throws<OptionsValidationException>(host.StartServer);
        Assert.Contains("ForwardedHeaders:KnownProxies", error.Message, StringComparison.Ordinal);
    }

    private sealed record Seen(string? Hsts, string Csp, IPAddress? RemoteAddress);

    /// <summary>
    /// A request for the public host, forwarded as https from a browser at <paramref name="forwardedFor"/>; what the
    /// response said and which address the app took for the browser's.
    /// </summary>
    private async Task<Seen> SendForwardedAsync(Dictionary<string, string?> settings, string forwardedFor)
    {
        var probe = new RemoteAddressProbe();
        await using var host = new ShaveTrackerWebFactory(App.Database.ConnectionString, settings,
            services => services.AddSingleton<IStartupFilter>(probe));
        host.UseKestrel(0);
        host.StartServer();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient
        {
            BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal)),
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        // HSTS is never sent for localhost; the balancer forwards the public host name.
        request.Headers.Host = PublicHost;
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", forwardedFor);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new Seen(
            response.Headers.TryGetValues("Strict-Transport-Security", out var hsts) ? hsts.Single() : null,
            response.Headers.GetValues("Content-Security-Policy").Single(),
            probe.RemoteAddress);
    }

    /// <summary>Outermost middleware: after the app has handled the request, the address the app took for the browser's.</summary>
    private sealed class RemoteAddressProbe : IStartupFilter
    {
        public IPAddress? RemoteAddress { get; private set; }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                await inner(context);
                var remote = context.Connection.RemoteIpAddress;
                RemoteAddress = remote is { IsIPv4MappedToIPv6: true } ? remote.MapToIPv4() : remote;
            });
            next(app);
        };
    }
}
