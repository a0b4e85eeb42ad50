using MudBlazor.Services;
using Serilog;
using ShaveTracker.Web.Components;
using ShaveTracker.Web.Features.Account;
using ShaveTracker.Web.Features.Dashboard;
using ShaveTracker.Web.Features.DemoData;
using ShaveTracker.Web.Features.Logs;
using ShaveTracker.Web.Features.Projects;
using ShaveTracker.Web.Features.Users;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Features.Health;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Features.Shaves;

namespace ShaveTracker.Web.Infrastructure;

/// <summary>What Program.cs calls: the app's services, its pipeline, and its start-up work, each in one place.</summary>
public static class ShaveTrackerHosting
{
    public static WebApplicationBuilder AddShaveTracker(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, lc) => lc
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext());

        builder.AddShaveTrackerDatabase();
        builder.Services.AddShaveTrackerHealth();

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.AddShaveTrackerAuthentication();
        builder.AddShaveTrackerIngestion();
        builder.Services.AddScoped<UsersService>();
        builder.Services.AddScoped<ShavesService>();
        builder.Services.AddScoped<ProjectsService>();
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        builder.Services.AddTransient<DemoDataSeeder>();
        builder.Services.AddOptions<VideoEmbedOptions>().Bind(builder.Configuration.GetSection(VideoEmbedOptions.SectionName));
        builder.Services.AddScoped<DashboardService>();
        builder.Services.AddMemoryCache();
        builder.Services.AddScoped<LogsService>();
        return builder;
    }

    public static WebApplication UseShaveTracker(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseIngestionBodyLimit();
        // The API answers errors as ProblemDetails; pages show the error page with the request id, which is also
        // the RequestId property of the logged exception.
        app.UseWhen(IsApi, api => api.UseExceptionHandler());
        app.UseWhen(http => !IsApi(http), pages =>
        {
            pages.UseExceptionHandler("/Error", createScopeForErrors: true);
            pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        });
        app.UseSerilogRequestLogging(o =>
            o.EnrichDiagnosticContext = (diag, http) => diag.Set("RequestId", http.TraceIdentifier));

        // Routing after the error/status-code handlers: a re-executed request (/not-found, /Error) is routed again,
        // so it reaches its own (anonymous) page instead of the fallback sign-in policy.
        app.UseRouting();

        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization: the API's policy has authenticated the client, so limits are per client.
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapShaveTrackerHealth();
        app.MapAccountEndpoints();
        app.MapShaveEndpoints();
        app.MapShaveTrackerIngestion();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments("/api");

    /// <summary>Migrates (SQLite, or when configured) and, in Development only, seeds the demo data once.</summary>
    public static async Task InitializeShaveTrackerAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
        // Demo data is for a developer's machine: never outside Development, whatever the setting says.
        if (app.Environment.IsDevelopment() &&
            scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DemoOptions>>().Value.Seed)
        {
            await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(ct);
        }
    }
}
