using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Account;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Features.Users;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Account;

/// <summary>
/// A sign-in is a session on the server: signing out ends it for every copy of the cookie, it has an absolute end,
/// and the rights of its requests follow the database within a minute. Through the real pipeline on a fake clock.
/// </summary>
public sealed class SessionLifetimeTests : IAsyncLifetime
{
    private FakeClockWebApp _app = default!;

    public async Task InitializeAsync()
    {
        _app = await FakeClockWebApp.StartAsync();
        await _app.CreateUserAsync("sam@example.test", "Sam Session");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Signing_out_ends_the_session_for_a_copy_of_the_cookie_too()
    {
        var cookies = new CookieContainer();
        using var browser = _app.Factory.CreateDefaultClient(new CookieContainerHandler(cookies));
        using (var signIn = await LocalSignIn.PostAsync(browser, browser.BaseAddress!, browser.BaseAddress!, "sam@example.test"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        // Someone copied the cookie (a shared machine, a stolen profile) before the owner signed out.
        var copied = new CookieContainer();
        copied.Add(cookies.GetAllCookies());
        using var thief = _app.Factory.CreateDefaultClient(new CookieContainerHandler(copied));
        var token = await FakeClockWebApp.SignOutTokenAsync(browser);
        using (var signOut = await FakeClockWebApp.SignOutAsync(browser, token))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        _app.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        using var replay = await thief.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        Assert.Equal("/account/signin", new Uri(thief.BaseAddress!, replay.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task A_session_ends_twelve_hours_after_sign_in_however_active_it_is()
    {
        using var client = await _app.SignedInClientAsync("sam@example.test");
        for (var hour = 3; hour <= 11; hour += 4)
        {
            _app.Clock.Advance(TimeSpan.FromHours(hour == 3 ? 3 : 4));
            using var active = await client.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, active.StatusCode);
        }

        _app.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        using var ended = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal("/account/signin", new Uri(client.BaseAddress!, ended.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public void Interactive_pages_get_the_revalidating_authentication_state()
    {
        // Registered after the framework's own: each circuit's scope must resolve this one, or open tabs keep their roles.
        using var scope = _app.Services.CreateScope();
        Assert.IsType<SessionRevalidatingStateProvider>(scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>());
    }

    [Fact]
    public async Task A_removed_role_ends_its_rights_within_a_minute()
    {
        var staff = await _app.CreateUserAsync("stan@example.test", "Stan Staff", Roles.Staff);
        using var client = await _app.SignedInClientAsync("stan@example.test");
        using (var before = await client.GetAsync(new Uri("/projects", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await using (var db = await _app.Database.Factory.CreateDbContextAsync())
        {
            await db.UserRoles.Where(r => r.UserId == staff.Id).ExecuteDeleteAsync();
        }

        _app.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        using var after = await client.GetAsync(new Uri("/projects", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/account/access-denied", new Uri(client.BaseAddress!, after.Headers.Location!).AbsolutePath);
    }
}

/// <summary>
/// The revalidation of an open interactive page (its circuit's authentication state), driven by a fake clock: the
/// decision and the loop that applies it every minute.
/// </summary>
public sealed class SessionRevalidationTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private SignInService SignIns() => new(
        Factory,
        Options.Create(new LocalAccountOptions()),
        Options.Create(new BootstrapOptions()),
        Options.Create(new SessionOptions()),
        _clock,
        NullLogger<SignInService>.Instance);

    [Fact]
    public async Task An_open_tab_loses_a_removed_role_within_a_minute_and_not_before()
    {
        var user = await StaffUserAsync();
        var signIns = SignIns();
        using var provider = new SessionRevalidatingStateProvider(signIns, _clock, NullLogger<SessionRevalidatingStateProvider>.Instance);
        var principal = await SignInAsync(signIns);
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        Assert.True((await provider.GetAuthenticationStateAsync()).User.IsInRole(Roles.Staff));

        await RemoveRolesAsync(user);
        var changed = NextChange(provider);
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(changed.IsCompleted);
        Assert.True((await provider.GetAuthenticationStateAsync()).User.IsInRole(Roles.Staff));

        _clock.Advance(TimeSpan.FromSeconds(1));
        var state = await changed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(state.User.Identity?.IsAuthenticated);
        Assert.False(state.User.IsInRole(Roles.Staff));
        Assert.False(Caller.From(state.User)!.CanManageShaves);
    }

    [Fact]
    public async Task An_open_tab_is_signed_out_within_a_minute_of_signing_out_elsewhere()
    {
        await StaffUserAsync();
        var signIns = SignIns();
        using var provider = new SessionRevalidatingStateProvider(signIns, _clock, NullLogger<SessionRevalidatingStateProvider>.Instance);
        var principal = await SignInAsync(signIns);
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));

        await signIns.EndSessionAsync(principal, CancellationToken.None);
        var changed = NextChange(provider);
        _clock.Advance(SessionRevalidatingStateProvider.Interval);
        var state = await changed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(state.User.Identity?.IsAuthenticated);
        Assert.Null(Caller.From(state.User));
    }

    [Fact]
    public async Task An_open_tab_of_a_removed_user_is_signed_out()
    {
        var user = await StaffUserAsync();
        var signIns = SignIns();
        var principal = await SignInAsync(signIns);
        await using (var db = await NewContextAsync())
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteDeleteAsync();
        }

        using var provider = new SessionRevalidatingStateProvider(signIns, _clock, NullLogger<SessionRevalidatingStateProvider>.Instance);
        var state = await provider.RevalidateAsync(principal, CancellationToken.None);
        Assert.False(state.User.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task Unchanged_rights_keep_the_same_principal_so_pages_do_not_re_render()
    {
        await StaffUserAsync();
        var signIns = SignIns();
        using var provider = new SessionRevalidatingStateProvider(signIns, _clock, NullLogger<SessionRevalidatingStateProvider>.Instance);
        var principal = await SignInAsync(signIns);
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Same(principal, (await provider.RevalidateAsync(principal, CancellationToken.None)).User);
    }

    [Fact]
    public async Task Privileged_writes_re_read_the_acting_users_roles()
    {
        var admin = await LocalSignIn.CreateUserAsync(Factory, "ada@example.test", "Ada Admin");
        var target = await CreateUserAsync("Rita Requester");
        // The page was opened while Ada was an admin; the role has been removed since.
        var stale = new Caller(admin.Id, "Ada Admin", IsStaff: false, IsAdmin: true);

        var users = new UsersService(Factory, _clock, NullLogger<UsersService>.Instance);
        Assert.Equal(CommandOutcome.Forbidden, (await users.SetRoleAsync(stale, target.Id, Roles.Admin, granted: true, CancellationToken.None)).Outcome);
        Assert.Equal(CommandOutcome.Forbidden, (await users.SetRoleAsync(stale, admin.Id, Roles.Admin, granted: true, CancellationToken.None)).Outcome);
        var keys = new ApiKeyService(Factory, _clock, NullLogger<ApiKeyService>.Instance);
        Assert.Equal(CommandOutcome.Forbidden, (await keys.CreateAsync(stale, "worker", 30, CancellationToken.None)).Outcome);

        await using var db = await NewContextAsync();
        Assert.False(await db.UserRoles.AnyAsync());
        Assert.False(await db.ApiKeys.AnyAsync());

        // An Entra app role (not in the database) still counts: it is carried as a fixed role.
        var entraAdmin = stale with { FixedRoles = [Roles.Admin] };
        Assert.True((await users.SetRoleAsync(entraAdmin, target.Id, Roles.Staff, granted: true, CancellationToken.None)).Succeeded);
        Assert.True(await db.UserRoles.AnyAsync(r => r.UserId == target.Id && r.Role == Roles.Staff));
    }

    private async Task<User> StaffUserAsync()
    {
        var user = await LocalSignIn.CreateUserAsync(Factory, "stan@example.test", "Stan Staff");
        await InsertAsync(new UserRole { UserId = user.Id, Role = Roles.Staff, GrantedAt = DateTime.UtcNow });
        return user;
    }

    private static async Task<ClaimsPrincipal> SignInAsync(SignInService signIns)
    {
        var result = await signIns.SignInLocalAsync("stan@example.test", LocalSignIn.Password, IPAddress.Loopback, CancellationToken.None);
        Assert.Equal(LocalSignInOutcome.Succeeded, result.Outcome);
        return result.Principal!;
    }

    private async Task RemoveRolesAsync(User user)
    {
        await using var db = await NewContextAsync();
        await db.UserRoles.Where(r => r.UserId == user.Id).ExecuteDeleteAsync();
    }

    private static Task<AuthenticationState> NextChange(AuthenticationStateProvider provider)
    {
        var next = new TaskCompletionSource<AuthenticationState>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.AuthenticationStateChanged += async state => next.TrySetResult(await state);
        return next.Task;
    }
}
