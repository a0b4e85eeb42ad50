using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Identity.Web;
using Scalar.AspNetCore;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Web.Features.Ingestion;

public static class IngestionSetup
{
    /// <summary>The /api/v1 source: its write path, API keys, authentication schemes, policy, rate limits and OpenAPI.</summary>
    public static WebApplicationBuilder AddIngestionFeature(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddShaveWritePath(builder.Configuration);
        services.AddSingleton<ApiKeyService>();

        var auth = services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var azureAd = builder.Configuration.GetSection("AzureAd");
        var entra = !string.IsNullOrWhiteSpace(azureAd["ClientId"]);
        if (entra)
        {
            // Entra ID bearer tokens for the API (the app role Shaves.Ingest), beside the web sign-in cookie.
            auth.AddMicrosoftIdentityWebApi(azureAd, JwtBearerDefaults.AuthenticationScheme);
        }

        string[] schemes = entra
            ? [JwtBearerDefaults.AuthenticationScheme, ApiKeyAuthenticationHandler.SchemeName]
            : [ApiKeyAuthenticationHandler.SchemeName];
        services.AddAuthorizationBuilder().AddPolicy(Policies.CanIngest, p => p
            .AddAuthenticationSchemes(schemes)
            .RequireAuthenticatedUser()
            .RequireAssertion(c => c.User.IsInRole(IngestionEndpoints.IngestRole) || c.User.HasClaim("roles", IngestionEndpoints.IngestRole)));

        var limits = builder.Configuration.GetSection(IngestionOptions.SectionName).Get<IngestionOptions>() ?? new IngestionOptions();
        services.AddRateLimiter(o => IngestionHttp.ConfigureRateLimiting(o, limits));
        services.AddProblemDetails();
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "ShaveTracker ingestion API";
            doc.Info.Description = "How the pipeline reports shaves. Authenticate with X-Api-Key (created by an admin) or an Entra ID bearer token with the Shaves.Ingest app role.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication MapIngestionFeature(this WebApplication app)
    {
        app.MapIngestionEndpoints();
        if (app.Environment.IsDevelopment())
        {
            // The interactive reference is for developers; production does not advertise its API surface.
            app.MapOpenApi().AllowAnonymous();
            // Scalar's default fonts come from its CDN; the page keeps to its own origin (see SecurityHeaders).
            app.MapScalarApiReference("/api/docs", o => o.WithTitle("ShaveTracker API").DisableDefaultFonts()).AllowAnonymous();
        }

        return app;
    }
}
