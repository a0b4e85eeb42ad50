using System.Net;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;

namespace ShaveTracker.Tests.Account;

public sealed class LocalSignInTests(WebAppFixture app) : WebTest(app)
{
    [Fact]
    public async Task Anonymous_visitor_is_sent_to_the_sign_in_page_with_a_return_url()
    {
        using var client = App.CreateClient();
        using var response = await client.GetAsync(new Uri("/users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("ReturnUrl=%2Fusers", response.Headers.Location!.Query, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Correct_password_signs_in_and_redirects_to_the_local_return_url()
    {
        await CreateLocalUserAsync("carol@example.test", "Carol Example");
        using var client = App.CreateClient();
        using var response = await PostSignInAsync(client, "Carol@Example.test", Password, "/users?x=1");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/users?x=1", response.Headers.Location!.OriginalString.Replace(App.BaseAddress.ToString().TrimEnd('/'), "", StringComparison.Ordinal));

        await using var db = await Factory.CreateDbContextAsync();
        var signIn = await db.UserSignIns.SingleAsync();
        Assert.Equal(1, signIn.SignInCount);
    }

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("//evil.example/steal")]
    [InlineData("/\\evil.example")]
    public async Task Return_url_outside_the_site_is_replaced_by_the_home_page(string returnUrl)
    {
        await CreateLocalUserAsync("dave@example.test", "Dave Example");
        using var client = App.CreateClient();
        using var response = await PostSignInAsync(client, "dave@example.test", Password, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        var target = location.IsAbsoluteUri ? location : new Uri(App.BaseAddress, location);
        Assert.Equal(App.BaseAddress.Authority, target.Authority);
        Assert.Equal("/", target.AbsolutePath);
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_a_message_and_no_cookie()
    {
        await CreateLocalUserAsync("erin@example.test", "Erin Example");
        using var client = App.CreateClient();
        using var response = await PostSignInAsync(client, "erin@example.test", "not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("The username or password is not correct.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var after = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task Unknown_user_gets_the_same_message_as_a_wrong_password()
    {
        using var client = App.CreateClient();
        using var response = await PostSignInAsync(client, "nobody@example.test", "whatever");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("The username or password is not correct.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_passwords_pause_this_address_with_the_same_answer_as_a_wrong_password()
    {
        await CreateLocalUserAsync("frank@example.test", "Frank Example");
        using var client = App.CreateClient();
        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await PostSignInAsync(client, "frank@example.test", "wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            answers.Add(CredentialsError(await wrong.Content.ReadAsStringAsync()));
        }

        // Locked for this address now: even the right password gets the very same answer as a wrong one, and as an
        // unknown user, so that neither the lockout nor the account's existence shows.
        using var right = await PostSignInAsync(client, "frank@example.test", Password);
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        answers.Add(CredentialsError(await right.Content.ReadAsStringAsync()));
        using var unknown = await PostSignInAsync(client, "nobody-at-all@example.test", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        answers.Add(CredentialsError(await unknown.Content.ReadAsStringAsync()));
        Assert.Single(answers.Distinct(StringComparer.Ordinal));

        await using var db = await Factory.CreateDbContextAsync();
        var throttle = await db.SignInThrottles.SingleAsync();
        Assert.True(throttle.LockedUntil > DateTime.UtcNow.AddMinutes(10));
    }

    private static string CredentialsError(string html)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"credentials-error\"[^>]*>([^<]*)<");
        Assert.True(match.Success, "The page shows no credentials error.");
        return match.Groups[1].Value;
    }

    [Fact]
    public async Task Empty_fields_get_messages_next_to_them()
    {
        using var client = App.CreateClient();
        using var response = await PostSignInAsync(client, "", "");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Enter your username.", html, StringComparison.Ordinal);
        Assert.Contains("Enter your password.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_needs_the_antiforgery_token()
    {
        await CreateLocalUserAsync("gina@example.test", "Gina Example");
        using var client = await SignedInClientAsync("gina@example.test");
        using var forged = new FormUrlEncodedContent(new Dictionary<string, string>());
        using var response = await client.PostAsync(new Uri("/account/signout", UriKind.Relative), forged);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var stillIn = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
    }

    [BrowserFact]
    public async Task Signed_in_user_sees_their_name_in_the_browser_and_can_sign_out()
    {
        await CreateLocalUserAsync("hana@example.test", "Hana Example", Roles.Staff);
        await using var browser = await OpenBrowserAsync("hana@example.test");
        var page = browser.Page;
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-testid=user-name]")).ToHaveTextAsync("Hana Example");
        await page.ClickAsync("[data-testid=signout]");
        await page.WaitForUrlAsync(url => url.Contains("/account/signin", StringComparison.Ordinal));
        await Microsoft.Playwright.Assertions.Expect(page.Locator("text=You have signed out.")).ToBeVisibleAsync();
    }
}

internal static class Roles
{
    public const string Staff = ShaveTracker.Web.Shared.Roles.Staff;
    public const string Admin = ShaveTracker.Web.Shared.Roles.Admin;
}
