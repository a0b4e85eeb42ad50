using System.Net;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Account;

/// <summary>
/// The Microsoft (Entra ID) sign-in end to end, over HTTP: ShaveTracker's challenge, a real OpenID Connect provider
/// on loopback (<see cref="FakeEntraProvider"/>), the callback, the token's validation, the users row and the
/// cookie. Run once per flow the README documents (see the two classes at the end).
/// </summary>
public abstract class MicrosoftSignInTests(MicrosoftSignInFixture app) : IAsyncLifetime
{
    private const string AdminAppRole = "ShaveTracker.Admin";
    private const string AuthCookie = "ShaveTracker.Auth";

    protected MicrosoftSignInFixture App { get; } = app;

    public Task InitializeAsync() => App.Database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Anonymous_visitor_is_sent_to_the_sign_in_page_which_starts_the_microsoft_sign_in()
    {
        using var session = App.CreateSession();

        using var home = await session.Http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/account/signin?ReturnUrl=%2F", home.Headers.Location!.PathAndQuery);

        var page = await session.Http.GetStringAsync(home.Headers.Location);
        Assert.Contains("href=\"/account/signin/microsoft?returnUrl=%2F\"", page, StringComparison.Ordinal);

        using var challenge = await session.Http.GetAsync(new Uri("/account/signin/microsoft?returnUrl=/users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.Equal($"{App.Provider.Instance.AbsoluteUri}{FakeEntraProvider.TenantId}/oauth2/v2.0/authorize", authorize.GetLeftPart(UriPartial.Path));
        var query = System.Web.HttpUtility.ParseQueryString(authorize.Query);
        Assert.Equal(FakeEntraProvider.ClientId, query["client_id"]);
        Assert.Equal(new Uri(App.BaseAddress, MicrosoftSignInFixture.CallbackPath).AbsoluteUri, query["redirect_uri"]);
        Assert.Equal("form_post", query["response_mode"]);
        Assert.False(string.IsNullOrEmpty(query["nonce"]));
        if (App.ConfidentialClient)
        {
            Assert.Equal("code", query["response_type"]);
            Assert.Equal("S256", query["code_challenge_method"]);
        }
        else
        {
            Assert.Equal("id_token", query["response_type"]);
        }
    }

    [Fact]
    public async Task Microsoft_sign_in_creates_the_user_row_from_the_token()
    {
        var user = NewUser("Grace Hopper");
        App.Provider.NextUser = user;
        using var session = App.CreateSession();

        using var callback = await App.SignInWithMicrosoftAsync(session.Http, "/users");

        AssertRedirectedTo("/users", callback);
        Assert.NotNull(AuthCookieOf(session));
        await using var db = await App.Database.Factory.CreateDbContextAsync();
        var row = await db.Users.SingleAsync();
        Assert.Equal(user.ObjectId, row.Id);
        Assert.Equal(AuthProvider.Microsoft, row.AuthProvider);
        Assert.Equal("Grace Hopper", row.DisplayName);
        var signIn = await db.UserSignIns.SingleAsync();
        Assert.Equal(user.ObjectId, signIn.UserId);
        Assert.Equal(1, signIn.SignInCount);
    }

    [Fact]
    public async Task Admin_app_role_in_the_token_opens_the_users_page()
    {
        App.Provider.NextUser = NewUser("Grace Hopper", AdminAppRole);
        using var session = App.CreateSession();
        using var callback = await App.SignInWithMicrosoftAsync(session.Http, "/users");
        AssertRedirectedTo("/users", callback);

        using var users = await session.Http.GetAsync(new Uri("/users", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        Assert.Contains("Grace Hopper", await users.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_without_app_roles_is_denied_the_users_page()
    {
        App.Provider.NextUser = NewUser("Alan Turing");
        using var session = App.CreateSession();
        using var callback = await App.SignInWithMicrosoftAsync(session.Http, "/users");
        AssertRedirectedTo("/users", callback);

        using var users = await session.Http.GetAsync(new Uri("/users", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, users.StatusCode);
        Assert.Equal("/account/access-denied", users.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Signing_in_again_with_a_changed_name_updates_the_display_name()
    {
        var user = NewUser("Ada Byron");
        App.Provider.NextUser = user;
        using (var first = App.CreateSession())
        {
            using var callback = await App.SignInWithMicrosoftAsync(first.Http, "/");
            AssertRedirectedTo("/", callback);
        }

        App.Provider.NextUser = user with { Name = "Ada Lovelace" };
        using var second = App.CreateSession();
        using var again = await App.SignInWithMicrosoftAsync(second.Http, "/");
        AssertRedirectedTo("/", again);

        await using var db = await App.Database.Factory.CreateDbContextAsync();
        var row = await db.Users.SingleAsync();
        Assert.Equal(user.ObjectId, row.Id);
        Assert.Equal("Ada Lovelace", row.DisplayName);
        Assert.Equal(2, (await db.UserSignIns.SingleAsync()).SignInCount);
    }

    [Fact]
    public async Task Token_from_another_tenant_is_refused()
    {
        App.Provider.NextUser = NewUser("Mallory Other-Tenant", AdminAppRole) with { TenantId = Guid.NewGuid() };

        await AssertRefusedAsync();
    }

    [Fact]
    public async Task Token_for_another_application_is_refused()
    {
        App.Provider.NextUser = NewUser("Mallory Other-App", AdminAppRole) with { Audience = Guid.NewGuid().ToString() };

        await AssertRefusedAsync();
    }

    private async Task AssertRefusedAsync()
    {
        using var session = App.CreateSession();
        var answeredBefore = App.Provider.AuthorizationCount;

        using var callback = await App.SignInWithMicrosoftAsync(session.Http, "/users");

        Assert.Equal(answeredBefore + 1, App.Provider.AuthorizationCount);
        AssertRedirectedTo("/account/signin?error=microsoft", callback);
        Assert.Null(AuthCookieOf(session));
        await using (var db = await App.Database.Factory.CreateDbContextAsync())
        {
            Assert.False(await db.Users.AnyAsync());
            Assert.False(await db.UserSignIns.AnyAsync());
        }

        using var users = await session.Http.GetAsync(new Uri("/users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, users.StatusCode);
        Assert.Equal("/account/signin", users.Headers.Location!.AbsolutePath);
    }

    private static FakeEntraUser NewUser(string name, params string[] roles) =>
        new(Guid.NewGuid(), name, $"{name.Split(' ')[0].ToLowerInvariant()}@contoso.test", roles);

    private void AssertRedirectedTo(string pathAndQuery, HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        var target = location.IsAbsoluteUri ? location : new Uri(App.BaseAddress, location);
        Assert.Equal(App.BaseAddress.Authority, target.Authority);
        Assert.Equal(pathAndQuery, target.PathAndQuery);
    }

    private Cookie? AuthCookieOf(BrowserlessSession session) =>
        session.Cookies.GetCookies(App.BaseAddress).FirstOrDefault(c => c.Name.StartsWith(AuthCookie, StringComparison.Ordinal));
}

public sealed class MicrosoftSignInWithCodeFlowTests(CodeFlowMicrosoftSignInFixture app)
    : MicrosoftSignInTests(app), IClassFixture<CodeFlowMicrosoftSignInFixture>;

public sealed class MicrosoftSignInWithIdTokenTests(IdTokenMicrosoftSignInFixture app)
    : MicrosoftSignInTests(app), IClassFixture<IdTokenMicrosoftSignInFixture>;
