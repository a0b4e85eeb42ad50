using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Features.Account;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// Local accounts and the sign-in form for tests that run their own app hosts on their own database (the ones
/// on the shared test app use <see cref="WebTest"/>).
/// </summary>
public static partial class LocalSignIn
{
    public const string Password = WebTest.Password;

    public static async Task<User> CreateUserAsync(IDbContextFactory<ShaveTrackerDbContext> factory, string userName, string displayName)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var user = new User { Id = Ids.NewId(), AuthProvider = AuthProvider.Local, DisplayName = displayName, CreatedAt = DateTime.UtcNow };
        var account = new LocalAccount { UserId = user.Id, UserName = userName.ToLowerInvariant() };
        account.PasswordHash = SignInService.HashPassword(account, Password);
        await using var db = await factory.CreateDbContextAsync();
        db.AddRange(user, account);
        await db.SaveChangesAsync();
        return user;
    }

    /// <summary>
    /// The sign-in form as a browser submits it: the page (with its antiforgery cookie and token) from
    /// <paramref name="formFrom"/>, the post to <paramref name="postTo"/> — the same app, or another instance of it.
    /// </summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, Uri formFrom, Uri postTo, string userName) =>
        PostAsync(client, formFrom, postTo, userName, Password, returnUrl: null);

    /// <summary>
    /// The same with any password, posting back to the page's own address with its query string (returnUrl), as a
    /// browser does.
    /// </summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, Uri formFrom, Uri postTo, string userName, string password,
        string? returnUrl)
    {
        ArgumentNullException.ThrowIfNull(client);
        var page = await client.GetStringAsync(new Uri(formFrom, "/account/signin"));
        var token = AntiforgeryToken().Match(page);
        Assert.True(token.Success, "The sign-in page has no antiforgery token.");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "local-signin",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        });
        var action = returnUrl is null ? "/account/signin" : $"/account/signin?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        return await client.PostAsync(new Uri(postTo, action), form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
