using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace ShaveTracker.Web.Features.DesktopPortal;

/// <summary>
/// The desktop's routes answer a refused token as ProblemDetails, beside the bearer scheme's own status and
/// <c>WWW-Authenticate</c>: 401 when the token is missing or invalid (signature, issuer, audience, lifetime), 403 when
/// it is valid but lacks the <c>access_as_user</c> scope or is not a user of this tenant. Other routes are answered as
/// before.
/// </summary>
public sealed class DesktopAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Succeeded || context.GetEndpoint()?.Metadata.GetMetadata<DesktopPortalEndpoints.Marker>() is null)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        ProblemDetails problem;
        if (authorizeResult.Challenged)
        {
            await context.ChallengeAsync(JwtBearerDefaults.AuthenticationScheme);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Sign in with Microsoft",
                Detail = "Send an Entra ID access token for ShaveTracker's API (Authorization: Bearer ...): the token is missing, expired, " +
                    "or not issued by this tenant for this API.",
            };
        }
        else
        {
            await context.ForbidAsync(JwtBearerDefaults.AuthenticationScheme);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Not allowed",
                Detail = $"The token must be a user's delegated token of this tenant with the '{DesktopPortalEndpoints.Scope}' scope of ShaveTracker's API.",
            };
        }

        if (!context.Response.HasStarted)
        {
            await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", context.RequestAborted);
        }
    }
}
