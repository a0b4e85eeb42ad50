using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Features.Account;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// Base for tests through the running app: the database is emptied before each test; users are local accounts
/// signed in through the real sign-in form.
/// </summary>
[Collection(WebCollection.Name)]
public abstract class WebTest(WebAppFixture app) : IAsyncLifetime
{
    public const string Password = "Test-Password-1";

    protected WebAppFixture App { get; } = app;

    protected IDbContextFactory<ShaveTrackerDbContext> Factory => App.Database.Factory;

    public virtual Task InitializeAsync() => App.Database.ResetAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The demo data without the long shave; its accounts sign in with <see cref="Password"/>.</summary>
    protected Task SeedDemoDataAsync() => App.Demo.CopyIntoAsync(App.Database);

    /// <summary>A user with a local account (password <see cref="Password"/>) and the given roles.</summary>
    protected async Task<User> CreateLocalUserAsync(string userName, string displayName, params string[] roles)
    {
        var user = new User { Id = Ids.NewId(), AuthProvider = AuthProvider.Local, DisplayName = displayName, CreatedAt = DateTime.UtcNow };
        var account = new LocalAccount { UserId = user.Id, UserName = userName.ToLowerInvariant() };
        account.PasswordHash = SignInService.HashPassword(account, Password);
        await using var db = await Factory.CreateDbContextAsync();
        db.Users.Add(user);
        db.LocalAccounts.Add(account);
        db.UserRoles.AddRange(roles.Select(r => new UserRole { UserId = user.Id, Role = r, GrantedAt = DateTime.UtcNow }));
        await db.SaveChangesAsync();
        return user;
    }

    /// <summary>A shave of <paramref name="requester"/> with its own video file.</summary>
    protected async Task<Guid> CreateShaveForAsync(User requester, string title = "Login button does nothing on Safari",
        ShaveStatus status = ShaveStatus.Pending, Guid? projectId = null)
    {
        var video = new VideoFile { Id = Ids.NewId(), FileName = "recording.mp4", Duration = 95, CreatedAt = DateTime.UtcNow };
        var shave = new Shave
        {
            Id = Ids.NewId(), Title = title, VideoFileId = video.Id, RequesterId = requester.Id, ProjectId = projectId,
            ShaveStatus = status, WorkItemSource = "GitHub", CreatedAt = DateTime.UtcNow,
        };
        await using var db = await Factory.CreateDbContextAsync();
        db.AddRange(video, shave);
        await db.SaveChangesAsync();
        return shave.Id;
    }

    /// <summary>Signs in through the sign-in form (antiforgery token and all); returns the response to the POST.</summary>
    protected static Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string userName, string password, string? returnUrl = null) =>
        LocalSignIn.PostAsync(client, client.BaseAddress!, client.BaseAddress!, userName, password, returnUrl);

    protected async Task<HttpClient> SignedInClientAsync(string userName)
    {
        var client = App.CreateClient();
        using var response = await PostSignInAsync(client, userName, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>A fresh browser context (own cookies) on the shared app, signed in through the real form when a user is given.</summary>
    protected async Task<BrowserSession> OpenBrowserAsync(string? userName = null, BrowserNewContextOptions? options = null) =>
        await BrowserSession.OpenAsync(await App.GetBrowserAsync(), App.BaseAddress, userName, App.Logs, options);
}
