using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Account;

/// <summary>Which sign-in methods this install offers, decided from configuration at start.</summary>
public sealed record SignInMethods(bool Microsoft, bool Local);

public static class AuthenticationSetup
{
    private static readonly TimeSpan RoleRefreshInterval = TimeSpan.FromMinutes(1);

    public static WebApplicationBuilder AddShaveTrackerAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddOptions<LocalAccountOptions>().Bind(config.GetSection(LocalAccountOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SessionOptions>().Bind(config.GetSection(SessionOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.AbsoluteLifetimeHours >= o.SlidingExpirationHours,
                "Sessions:AbsoluteLifetimeHours must be at least Sessions:SlidingExpirationHours.")
            .ValidateOnStart();
        services.AddOptions<BootstrapOptions>().Bind(config.GetSection(BootstrapOptions.SectionName));
        services.AddOptions<SignInRateLimitOptions>().Bind(config.GetSection(SignInRateLimitOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        // The sign-in form (SignIn.razor) and the Microsoft sign-in endpoint opt in by the policy's name.
        services.AddRateLimiter(o => o.AddPolicy<string, SignInRateLimitPolicy>(SignInRateLimitPolicy.Name));
        services.AddSingleton<SignInService>();

        var azureAd = config.GetSection("AzureAd");
        var microsoft = !string.IsNullOrWhiteSpace(azureAd["ClientId"]);
        var local = config.GetSection(LocalAccountOptions.SectionName).GetValue("Enabled", true);
        if (!microsoft && !local)
        {
            throw new OptionsValidationException("LocalAccounts:Enabled", typeof(LocalAccountOptions),
                ["No sign-in method: set AzureAd:ClientId (with Instance and TenantId) or LocalAccounts:Enabled=true."]);
        }

        if (microsoft)
        {
            foreach (var required in new[] { "Instance", "TenantId" })
            {
                if (string.IsNullOrWhiteSpace(azureAd[required]))
                {
                    throw new OptionsValidationException($"AzureAd:{required}", typeof(MicrosoftIdentityOptions),
                        [$"AzureAd:ClientId is set but AzureAd:{required} is missing."]);
                }
            }
        }

        services.AddSingleton(new SignInMethods(microsoft, local));

        // The cookie is the default scheme and the default challenge: an anonymous visitor is sent to the
        // sign-in page, which offers what this install has (Microsoft, local, or both).
        var auth = services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme);
        if (microsoft)
        {
            auth.AddMicrosoftIdentityWebApp(azureAd, OpenIdConnectDefaults.AuthenticationScheme,
                CookieAuthenticationDefaults.AuthenticationScheme);
            services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, ConfigureOpenIdConnect);
        }
        else
        {
            auth.AddCookie(CookieAuthenticationDefaults.AuthenticationScheme);
        }

        // The cookie handler's clock is the TimeProvider in DI (the framework sets it on every scheme's options), so
        // the sliding expiry, the role refresh and the session's absolute lifetime all move with one clock.
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<SessionOptions>>((o, sessions) => o.ExpireTimeSpan = sessions.Value.SlidingExpiration);
        services.Configure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o =>
        {
            o.LoginPath = "/account/signin";
            o.AccessDeniedPath = "/account/access-denied";
            o.Cookie.Name = "ShaveTracker.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = SecureCookies.Policy(builder.Environment);
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = RefreshRolesAsync;
        });

        var authorization = services.AddAuthorizationBuilder()
            // Every endpoint needs a ShaveTracker sign-in unless it says [AllowAnonymous].
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim(ClaimNames.UserId).Build());
        foreach (var (name, capability) in Policies.ForPeople)
        {
            // Built from the Caller, the one permission model: the policy allows what the services allow.
            authorization.AddPolicy(name, p => p.RequireClaim(ClaimNames.UserId)
                .RequireAssertion(c => Caller.From(c.User)?.May(capability) == true));
        }

        services.AddCascadingAuthenticationState();
        // After AddRazorComponents (which adds the non-revalidating provider only if none is registered).
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, SessionRevalidatingStateProvider>();
        return builder;
    }

    private static void ConfigureOpenIdConnect(OpenIdConnectOptions o)
    {
        var previousTokenValidated = o.Events.OnTokenValidated;
        o.Events.OnTokenValidated = async context =>
        {
            await previousTokenValidated(context);
            if (context.Result is { Failure: not null } || context.Principal is null)
            {
                return;
            }

            if (!Guid.TryParse(context.Principal.GetObjectId(), out var objectId))
            {
                context.Fail("The Microsoft token carries no object id (oid).");
                return;
            }

            // Defence in depth: Microsoft.Identity.Web's issuer check already pins a single-tenant app to its tenant;
            // this keeps other tenants out even if the issuer check is ever loosened.
            var expectedTenant = context.Options.Authority?.Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Select(part => Guid.TryParse(part, out var g) ? g : (Guid?)null).FirstOrDefault(g => g is not null);
            if (expectedTenant is { } tenant && !string.Equals(context.Principal.GetTenantId(), tenant.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                context.Fail("The Microsoft token is for another tenant.");
                return;
            }

            var roles = context.Principal.Claims
                .Where(c => c.Type is "roles" or "role" or System.Security.Claims.ClaimTypes.Role)
                .Select(c => c.Value);
            var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInService>();
            context.Principal = await signIn.SignInMicrosoftAsync(
                objectId,
                context.Principal.FindFirst("name")?.Value ?? context.Principal.GetDisplayName(),
                context.Principal.GetTenantId(),
                roles,
                context.HttpContext.RequestAborted);
        };

        o.Events.OnRemoteFailure = context =>
        {
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>()
                .CreateLogger(typeof(AuthenticationSetup))
                .LogWarning(context.Failure, "Microsoft sign-in failed");
            context.Response.Redirect("/account/signin?error=microsoft");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    private static async Task RefreshRolesAsync(CookieValidatePrincipalContext context)
    {
        if (context.HttpContext.Request.Path.StartsWithSegments("/_blazor/disconnect"))
        {
            // A closing page's beacon ends its circuit and grants nothing: it needs no fresh roles, and it must work
            // while the database is away, or the circuit lingers and disposes itself against a page that is gone.
            return;
        }

        var checkedAt = context.Principal?.FindFirst(ClaimNames.RolesCheckedAt)?.Value;
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        if (DateTime.TryParse(checkedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) &&
            clock.GetUtcNow().UtcDateTime - at < RoleRefreshInterval)
        {
            return;
        }

        var signIn = context.HttpContext.RequestServices.GetRequiredService<SignInService>();
        var refreshed = context.Principal is null ? null : await signIn.RefreshAsync(context.Principal, context.HttpContext.RequestAborted);
        if (refreshed is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        context.ReplacePrincipal(refreshed);
        context.ShouldRenew = true;
    }
}
