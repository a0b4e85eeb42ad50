using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Production;

/// <summary>
/// Two instances of the app behind one address (as behind a load balancer, or before and after a restart): a
/// cookie or a form token issued by one must be accepted by the other. Their only shared state is the database,
/// where the data-protection keys live. Each test has its own database file, so the key table starts empty and
/// shows which instance wrote the key.
/// </summary>
public sealed class MultiInstanceTests : IAsyncLifetime
{
    private readonly SqliteDatabaseFixture _database = new();
    private readonly List<ShaveTrackerWebFactory> _hosts = [];

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await LocalSignIn.CreateUserAsync(_database.Factory, "alice@example.test", "Alice Requester");
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_sign_in_cookie_from_one_instance_is_accepted_by_another()
    {
        var a = StartInstance();
        Assert.Equal(1, await KeyCountAsync());
        var b = StartInstance();
        using var client = NewBrowserLikeClient();

        using var signIn = await LocalSignIn.PostAsync(client, formFrom: a, postTo: a, "alice@example.test");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        using var home = await client.GetAsync(new Uri(b, "/"));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("Alice Requester", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // B read A's key from the database instead of making its own (or using one from its file system).
        Assert.Equal(1, await KeyCountAsync());
    }

    [Fact]
    public async Task A_form_token_from_one_instance_is_accepted_by_the_other_instances_form_post()
    {
        var a = StartInstance();
        var b = StartInstance();
        using var client = NewBrowserLikeClient();

        using var signIn = await LocalSignIn.PostAsync(client, formFrom: a, postTo: b, "alice@example.test");

        // 400 would mean B could not decrypt A's antiforgery cookie or token.
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", new Uri(b, signIn.Headers.Location!).AbsolutePath);
        using var home = await client.GetAsync(new Uri(a, "/"));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("Alice Requester", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await KeyCountAsync());
    }

    /// <summary>The real app on its own Kestrel port, on the shared database file.</summary>
    private Uri StartInstance()
    {
        var host = new ShaveTrackerWebFactory(_database.ConnectionString);
        _hosts.Add(host);
        host.UseKestrel(0);
        host.StartServer();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>
    /// One cookie jar for both instances: cookies are not port-specific, so, like a browser in front of a load
    /// balancer, the client sends what one instance set to the other.
    /// </summary>
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The client owns and disposes its handler.")]
    private static HttpClient NewBrowserLikeClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }, disposeHandler: true);

    private async Task<int> KeyCountAsync()
    {
        await using var db = await _database.Factory.CreateDbContextAsync();
        return await db.DataProtectionKeys.CountAsync();
    }
}
