using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// The app on its own SQLite file with a <see cref="FakeTimeProvider"/> in place of the clock, served in memory
/// (the whole HTTP pipeline, no port): for the rules that change with time (cookie expiry, role refresh, session
/// lifetime, sign-in lockouts), tested by moving the clock instead of waiting.
/// </summary>
public sealed partial class FakeClockWebApp : IAsyncDisposable
{
    private FakeClockWebApp(SqliteDatabaseFixture database, ShaveTrackerWebFactory factory, FakeTimeProvider clock)
    {
        Database = database;
        Factory = factory;
        Clock = clock;
    }

    public SqliteDatabaseFixture Database { get; }

    public ShaveTrackerWebFactory Factory { get; }

    public FakeTimeProvider Clock { get; }

    public IServiceProvider Services => Factory.Services;

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The returned app owns and disposes both.")]
    public static async Task<FakeClockWebApp> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var database = new SqliteDatabaseFixture();
        await database.InitializeAsync();
        // Now, not a fixed date: the data-protection key ring and the rows the tests write are dated by the real
        // clock, and a fake clock far from it would make them look expired or from the future.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var factory = new ShaveTrackerWebFactory(database.ConnectionString, settings, services => services.AddSingleton<TimeProvider>(clock));
        _ = factory.Server;
        return new FakeClockWebApp(database, factory, clock);
    }

    /// <summary>A client that keeps cookies and does not follow redirects.</summary>
    public HttpClient CreateClient() =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public async Task<HttpClient> SignedInClientAsync(string userName)
    {
        var client = CreateClient();
        using var response = await LocalSignIn.PostAsync(client, client.BaseAddress!, client.BaseAddress!, userName);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public async Task<User> CreateUserAsync(string userName, string displayName, params string[] roles)
    {
        var user = await LocalSignIn.CreateUserAsync(Database.Factory, userName, displayName);
        await using var db = await Database.Factory.CreateDbContextAsync();
        db.UserRoles.AddRange(roles.Select(r => new UserRole { UserId = user.Id, Role = r, GrantedAt = DateTime.UtcNow }));
        await db.SaveChangesAsync();
        return user;
    }

    /// <summary>The antiforgery token of the sign-out form on <paramref name="path"/>, as the open page holds it.</summary>
    public static async Task<string> SignOutTokenAsync(HttpClient client, string path = "/")
    {
        ArgumentNullException.ThrowIfNull(client);
        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        var form = SignOutForm().Match(html);
        Assert.True(form.Success, $"{path} has no sign-out form with an antiforgery token.");
        return WebUtility.HtmlDecode(form.Groups[1].Value);
    }

    /// <summary>The sign-out form posted with <paramref name="token"/>.</summary>
    public static async Task<HttpResponseMessage> SignOutAsync(HttpClient client, string token)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        return await client.PostAsync(new Uri("/account/signout", UriKind.Relative), form);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }

    [GeneratedRegex("action=\"/account/signout\"[^>]*>\\s*<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex SignOutForm();
}
