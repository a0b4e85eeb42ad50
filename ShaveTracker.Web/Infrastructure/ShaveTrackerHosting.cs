using MudBlazor.Services;
using Serilog;
using ShaveTracker.Web.Components;
using ShaveTracker.Web.Features.Account;
using ShaveTracker.Web.Features.Dashboard;
using ShaveTracker.Web.Features.DemoData;
using ShaveTracker.Web.Features.Users;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Features.Health;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Features.Shaves.Trace;

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
        builder.Services.AddScoped<UsersService>();
        builder.Services.AddScoped<ShavesService>();
        builder.Services.AddScoped<TraceService>();
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        builder.Services.AddTransient<DemoDataSeeder>();
        builder.Services.AddOptions<VideoEmbedOptions>().Bind(builder.Configuration.GetSection(VideoEmbedOptions.SectionName));
        builder.Services.AddScoped<DashboardService>();
        return builder;
    }

    public static WebApplication UseShaveTracker(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        // The error page shows the request's id; the same id is on the logged exception (RequestId property).
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseSerilogRequestLogging(o =>
            o.EnrichDiagnosticContext = (diag, http) => diag.Set("RequestId", http.TraceIdentifier));
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapShaveTrackerHealth();
        app.MapAccountEndpoints();
        app.MapShaveEndpoints();
        app.MapTraceEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

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
