using System.Net;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Account;

/// <summary>
/// Signing out from a page that has stood open for a while, with the clock moved rather than waited for: the role
/// refresh rewrites the cookie every minute, and the sign-out form's token must outlive it.
/// </summary>
public sealed class SignOutTests : IAsyncLifetime
{
    private FakeClockWebApp _app = default!;

    public async Task InitializeAsync()
    {
        _app = await FakeClockWebApp.StartAsync();
        await _app.CreateUserAsync("sam@example.test", "Sam Shared-Machine");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Sign_out_works_from_a_page_opened_before_the_role_refresh_rewrote_the_cookie()
    {
        using var client = await _app.SignedInClientAsync("sam@example.test");
        var token = await FakeClockWebApp.SignOutTokenAsync(client);

        // Past two minutes, with a role granted meanwhile: the cookie is refreshed (new roles, new check time) on the
        // next request, the page in the browser still holds the form it was rendered with.
        _app.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(5));
        await GrantAsync("sam@example.test", Roles.Staff);
        using (var refreshed = await client.GetAsync(new Uri("/projects", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        }

        _app.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(5));
        using var signOut = await FakeClockWebApp.SignOutAsync(client, token);
        AssertSignedOutAnswer(signOut);
        using var after = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/account/signin", new Uri(client.BaseAddress!, after.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task Sign_out_works_from_a_page_left_open_for_hours_within_the_sliding_lifetime()
    {
        using var client = await _app.SignedInClientAsync("sam@example.test");
        var token = await FakeClockWebApp.SignOutTokenAsync(client);

        _app.Clock.Advance(TimeSpan.FromHours(7) + TimeSpan.FromMinutes(50));
        using var signOut = await FakeClockWebApp.SignOutAsync(client, token);
        AssertSignedOutAnswer(signOut);
        using var after = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task A_session_that_expired_while_the_page_stood_open_is_told_it_is_signed_out_not_shown_an_error()
    {
        using var client = await _app.SignedInClientAsync("sam@example.test");
        var token = await FakeClockWebApp.SignOutTokenAsync(client);

        // The cookie slides for 8 hours: idle longer, and the cookie handler (on the same clock) no longer accepts it.
        _app.Clock.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));
        using var signOut = await FakeClockWebApp.SignOutAsync(client, token);
        AssertSignedOutAnswer(signOut);
    }

    [Fact]
    public async Task The_cookie_expires_after_eight_idle_hours_on_the_apps_clock()
    {
        using var client = await _app.SignedInClientAsync("sam@example.test");
        _app.Clock.Advance(TimeSpan.FromHours(7));
        using (var stillIn = await client.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        }

        _app.Clock.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));
        using var expired = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.Equal("/account/signin", new Uri(client.BaseAddress!, expired.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task A_forged_sign_out_without_the_token_still_does_nothing()
    {
        using var client = await _app.SignedInClientAsync("sam@example.test");
        _app.Clock.Advance(TimeSpan.FromMinutes(3));
        using var forged = await FakeClockWebApp.SignOutAsync(client, "not-a-token");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var stillIn = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
    }

    private static void AssertSignedOutAnswer(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/signin?signedOut=true", response.Headers.Location!.OriginalString);
    }

    private async Task GrantAsync(string userName, string role)
    {
        await using var db = await _app.Database.Factory.CreateDbContextAsync();
        var account = await db.LocalAccounts.SingleAsync(a => a.UserName == userName);
        db.UserRoles.Add(new UserRole { UserId = account.UserId, Role = role, GrantedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }
}
