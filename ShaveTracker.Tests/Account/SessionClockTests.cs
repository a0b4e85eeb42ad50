using System.Net;
using Microsoft.Extensions.Time.Testing;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Account;

/// <summary>
/// The first hours of a session, through the real HTTP pipeline, with the app's clock in the test's hand: the
/// clock is moved to just before and just after each moment where the rules change (the one-minute role refresh,
/// the eight-hour sliding expiry) instead of waiting for it.
/// </summary>
public sealed class SessionClockTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private IsolatedWebApp _app = default!;

    // The absolute lifetime (12 h by default) would end the sliding test's day of use first; it has tests of its own
    // (SessionTests), so here it is set out of the way to show the sliding expiry alone.
    public async Task InitializeAsync() => _app = await IsolatedWebApp.StartAsync(
        new Dictionary<string, string?> { ["Sessions:AbsoluteLifetimeHours"] = "48" }, _clock);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_role_granted_or_removed_while_signed_in_takes_effect_at_the_next_request_after_the_minute()
    {
        var rita = await LocalSignIn.CreateUserAsync(_app.Database.Factory, "rita@example.test", "Rita Requester");
        using var client = await SignedInAsync("rita@example.test");
        Assert.Equal(Outcome.Denied, await UsersPageAsync(client));

        await SetAdminAsync(rita, admin: true);
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(Outcome.Denied, await UsersPageAsync(client));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(Outcome.Ok, await UsersPageAsync(client));

        await SetAdminAsync(rita, admin: false);
        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(Outcome.Denied, await UsersPageAsync(client));
    }

    [Fact]
    public async Task A_session_in_use_slides_past_eight_hours_and_one_left_idle_for_eight_hours_must_sign_in_again()
    {
        await LocalSignIn.CreateUserAsync(_app.Database.Factory, "sam@example.test", "Sam Example");
        using var client = await SignedInAsync("sam@example.test");

        // Used every five hours: each use past half the lifetime renews the cookie.
        for (var i = 0; i < 3; i++)
        {
            _clock.Advance(TimeSpan.FromHours(5));
            Assert.Equal(Outcome.Ok, await HomeAsync(client));
        }

        // Then left alone: at 7 h 59 min it still works; the next use, 8 h after the last renewal, no longer does.
        _clock.Advance(TimeSpan.FromHours(7) + TimeSpan.FromMinutes(59));
        Assert.Equal(Outcome.Ok, await HomeAsync(client));
        _clock.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));
        Assert.Equal(Outcome.SignIn, await HomeAsync(client));
    }

    private enum Outcome
    {
        Ok,
        Denied,
        SignIn,
        Other,
    }

    private async Task<HttpClient> SignedInAsync(string userName)
    {
        var client = _app.CreateClient();
        using var response = await LocalSignIn.PostAsync(client, _app.BaseAddress, _app.BaseAddress, userName);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    private static Task<Outcome> UsersPageAsync(HttpClient client) => GetAsync(client, "/users");

    private static Task<Outcome> HomeAsync(HttpClient client) => GetAsync(client, "/");

    private static async Task<Outcome> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.OK => Outcome.Ok,
            HttpStatusCode.Redirect when location.Contains("/account/access-denied", StringComparison.Ordinal) => Outcome.Denied,
            HttpStatusCode.Redirect when location.Contains("/account/signin", StringComparison.Ordinal) => Outcome.SignIn,
            _ => Outcome.Other,
        };
    }

    private async Task SetAdminAsync(User user, bool admin)
    {
        await using var db = await _app.Database.Factory.CreateDbContextAsync();
        if (admin)
        {
            db.UserRoles.Add(new UserRole { UserId = user.Id, Role = ShaveTracker.Web.Shared.Roles.Admin, GrantedAt = _clock.GetUtcNow().UtcDateTime });
        }
        else
        {
            db.UserRoles.RemoveRange(db.UserRoles.Where(r => r.UserId == user.Id));
        }

        await db.SaveChangesAsync();
    }
}
