using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Antiforgery;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Account;

/// <summary>
/// The two small endpoints Microsoft.Identity.Web.UI would otherwise provide (as in Microsoft's BlazorWebAppEntraBff
/// sample): start a Microsoft sign-in, and sign out. Both keep <c>returnUrl</c> inside this site.
/// </summary>
public static class AccountEndpoints
{
    public const string MicrosoftSignInPath = "/account/signin/microsoft";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account");

        app.MapGet(MicrosoftSignInPath, (string? returnUrl, SignInMethods methods) =>
            methods.Microsoft
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = LocalUrl.OrHome(returnUrl) },
                    [OpenIdConnectDefaults.AuthenticationScheme])
                : Results.NotFound())
            .AllowAnonymous()
            .RequireRateLimiting(SignInRateLimitPolicy.Name);

        // POST only, with the antiforgery token the form carries: a link or an image on another site cannot sign
        // a user out. Checked here rather than by the automatic form check, so a missing token is a clear 400
        // ProblemDetails and not an exception.
        group.MapPost("/signout", async (HttpContext http, IAntiforgery antiforgery, SignInMethods methods, SignInService signIns) =>
        {
            var props = new AuthenticationProperties { RedirectUri = "/account/signin?signedOut=true" };
            // A session that has already ended (the cookie expired while the page stood open) has nothing left to end:
            // the person is told they are signed out, rather than shown an antiforgery error for a token that was
            // bound to the session that is gone. Signing out someone who is not signed in does nothing an attacker
            // could want.
            if (http.User.Identity?.IsAuthenticated != true)
            {
                return Results.SignOut(props, [CookieAuthenticationDefaults.AuthenticationScheme]);
            }

            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Sign-out needs the form's antiforgery token.",
                    detail: "Use the Sign out button in ShaveTracker.");
            }

            // Ended on the server too: a copy of the cookie, and the open tabs of this browser, stop working as well.
            await signIns.EndSessionAsync(http.User, http.RequestAborted);
            var viaMicrosoft = methods.Microsoft && http.User.FindFirst(ClaimNames.Provider)?.Value == "microsoft";
            return viaMicrosoft
                ? Results.SignOut(props, [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme])
                : Results.SignOut(props, [CookieAuthenticationDefaults.AuthenticationScheme]);
        }).AllowAnonymous().DisableAntiforgery();

        return app;
    }
}

public static class LocalUrl
{
    /// <summary>True for "/path" and "~/path" only: never "//host", "/\host" or an absolute URL (no open redirect).</summary>
    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Any(char.IsControl))
        {
            return false;
        }

        if (url[0] == '/')
        {
            return url.Length == 1 || (url[1] != '/' && url[1] != '\\');
        }

        return url.Length > 1 && url[0] == '~' && url[1] == '/' && (url.Length == 2 || (url[2] != '/' && url[2] != '\\'));
    }

    public static string OrHome(string? url) => IsLocal(url) ? (url![0] == '~' ? url[1..] : url) : "/";
}
