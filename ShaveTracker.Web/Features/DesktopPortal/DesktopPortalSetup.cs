using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;

namespace ShaveTracker.Web.Features.DesktopPortal;

/// <summary>
/// ShaveTracker as the portal of YakShaver Desktop (<c>YakShaverDesktop:Enabled</c>): the desktop's users sign in with
/// Microsoft and their tokens are checked by the same Entra bearer scheme as the ingestion API's. A source of shave
/// data like the ingestion API: it writes through the write path (see docs/architecture.md).
/// </summary>
public static class DesktopPortalSetup
{
    public static WebApplicationBuilder AddDesktopPortalFeature(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<DesktopPortalOptions>, DesktopPortalOptionsValidator>();
        services.AddOptions<DesktopPortalOptions>().Bind(builder.Configuration.GetSection(DesktopPortalOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        if (!builder.Configuration.GetSection(DesktopPortalOptions.SectionName).GetValue<bool>(nameof(DesktopPortalOptions.Enabled)))
        {
            return builder;
        }

        services.AddScoped<DesktopPortalService>();
        services.AddSingleton<DesktopScreenshots>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, DesktopAuthorizationResultHandler>();
        services.AddRequiredScopeAuthorization();

        // Defence in depth, as for the web sign-in: the issuer check already pins a single-tenant app to its tenant.
        var tenant = Guid.TryParse(builder.Configuration["AzureAd:TenantId"], out var t) ? t.ToString() : null;
        services.AddAuthorizationBuilder().AddPolicy(DesktopPortalEndpoints.Policy, p => p
            .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireScope(DesktopPortalEndpoints.Scope)
            .RequireAssertion(c => DesktopPortalEndpoints.DesktopUserFrom(c.User) is { } user &&
                (tenant is null || string.Equals(user.TenantId, tenant, StringComparison.OrdinalIgnoreCase))));
        return builder;
    }

    public static WebApplication MapDesktopPortalFeature(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<DesktopPortalOptions>>().Value;
        if (options.Enabled)
        {
            app.MapDesktopPortalEndpoints(options);
        }

        return app;
    }
}
