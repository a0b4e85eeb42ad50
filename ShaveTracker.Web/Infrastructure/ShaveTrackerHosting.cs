using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;
using Serilog;
using ShaveTracker.Web.Components;
using ShaveTracker.Web.Components.Shared;
using ShaveTracker.Web.Features.Account;
using ShaveTracker.Web.Features.Dashboard;
using ShaveTracker.Web.Features.DesktopPortal;
using ShaveTracker.Web.Features.DemoData;
using ShaveTracker.Web.Features.Logs;
using ShaveTracker.Web.Features.Projects;
using ShaveTracker.Web.Features.Users;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Infrastructure.Telemetry;
using ShaveTracker.Web.Features.Health;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Features.Otlp;
using ShaveTracker.Web.Features.Prices;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Features.Shaves.Trace;
using ShaveTracker.Web.Infrastructure.LiveUpdates;

namespace ShaveTracker.Web.Infrastructure;

/// <summary>What Program.cs calls: the app's services, its pipeline, and its start-up work, each in one place.</summary>
public static class ShaveTrackerHosting
{
    public static WebApplicationBuilder AddShaveTracker(this WebApplicationBuilder builder)
    {
        // Everything that depends on time reads it from here (tests replace it with a FakeTimeProvider).
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSerilog((services, lc) => lc
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            // The user id and circuit id of requests and interactive sessions are pushed onto the log context
            // (LogProperties); without this enricher they would be dropped.
            .Enrich.FromLogContext(),
            // Each host writes through its own logger, not the process-wide static Log.Logger: with the static one,
            // the last host built in a process (tests run several) would receive every host's events, and disposing
            // any host would silence the others.
            preserveStaticLogger: true);

        builder.AddShaveTrackerTelemetry();
        builder.AddShaveTrackerDatabase();
        builder.Services.AddShaveTrackerHealth();

        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents(o =>
            {
                // A circuit whose browser went away (network blip, laptop lid, deploy) is kept so the page can resume
                // where it was; after 3 minutes a reload is cheaper than the memory it holds.
                o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(3);
                // A team-sized install has tens of open tabs; 100 covers all of them reconnecting at once, and caps
                // the memory a burst of abandoned tabs can pin (the oldest are dropped first).
                o.DisconnectedCircuitMaxRetained = 100;
                // JS calls answer in milliseconds, but a browser starved of CPU (many tabs on a small machine) can take
                // tens of seconds. The framework's own minute stays: a framework component whose disposal call times
                // out (Virtualize catches a lost connection there, not a timeout) ends the whole circuit.
                o.JSInteropDefaultCallTimeout = TimeSpan.FromMinutes(1);
                // Live updates re-render pages unasked; a client that stops acknowledging makes the server hold at
                // most 10 render batches for it before it pauses rendering, instead of queueing without bound.
                o.MaxBufferedUnacknowledgedRenderBatches = 10;
            })
            // The largest thing a browser sends is a text field's value (a pasted title or URL) or a small JS result;
            // 64 KB leaves room for that (Blazor's own default is 32 KB) while bounding each message's memory.
            .AddHubOptions(o => o.MaximumReceiveMessageSize = 64 * 1024);
        builder.AddShaveTrackerAzureSignalR();
        builder.Services.AddMudServices(o => SnackbarPlacement.Apply(o.SnackbarConfiguration));
        builder.AddShaveTrackerAuthentication();
        builder.AddShaveTrackerSecurity();
        builder.AddShaveTrackerForwardedHeaders();
        builder.AddShaveTrackerLiveUpdates();

        // The features, each registering what its pages, endpoints and services need (the component tests call the same).
        builder.AddIngestionFeature();
        builder.AddOtlpFeature();
        builder.AddDesktopPortalFeature();
        builder.Services
            .AddShavesFeature(builder.Configuration)
            .AddProjectsFeature()
            .AddDashboardFeature()
            .AddLogsFeature()
            .AddUsersFeature()
            .AddPricesFeature()
            .AddDemoDataFeature();
        return builder;
    }

    public static WebApplication UseShaveTracker(this WebApplication app)
    {
        app.UseShaveTrackerForwardedHeaders();
        app.UseShaveTrackerSecurityHeaders();
        app.UseUserLogContext();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseIngestionMetrics();
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
        {
            // The host's own logger (see AddSerilog above); the middleware would otherwise use the static one.
            o.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            o.EnrichDiagnosticContext = (diag, http) => diag.Set("RequestId", http.TraceIdentifier);
            o.GetLevel = (http, _, exception) => RequestLogLevel.For(http, exception);
        });

        // Routing after the error/status-code handlers: a re-executed request (/not-found, /Error) is routed again,
        // so it reaches its own (anonymous) page instead of the fallback sign-in policy.
        app.UseRouting();

        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization: the API's policy has authenticated the client, so its limits are per client. Sign-in
        // attempts are limited per client address (SignInRateLimitPolicy).
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapShaveTrackerHealth();
        app.MapAccountEndpoints();
        app.MapShaveEndpoints();
        app.MapIngestionFeature();
        app.MapOtlpFeature();
        app.MapDesktopPortalFeature();
        app.MapTraceEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments("/api") || OtlpEndpoints.IsOtlp(http.Request.Path);

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
