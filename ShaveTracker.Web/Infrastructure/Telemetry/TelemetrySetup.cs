using System.Reflection;
using Microsoft.AspNetCore.Components.Server.Circuits;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ShaveTracker.Web.Infrastructure.Telemetry;

/// <summary>
/// Metrics and traces. The app's own metrics (<see cref="ShaveTrackerMetrics"/>) and the log properties are always
/// on; OpenTelemetry (ASP.NET Core, HttpClient, EF Core and runtime instrumentation, exported over OTLP) only when
/// <see cref="OtlpEndpointSetting"/> is set, so an install without a collector runs no exporter and no background
/// export loop.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>The standard OpenTelemetry variable; the exporter also reads the other OTEL_EXPORTER_OTLP_* settings.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string ServiceName = "ShaveTracker";

    public static WebApplicationBuilder AddShaveTrackerTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddShaveTrackerMetrics();
        services.AddScoped<CircuitHandler, CircuitTelemetryHandler>();

        if (!IsOtlpConfigured(builder.Configuration))
        {
            return builder;
        }

        services.AddOpenTelemetry()
            // OTEL_SERVICE_NAME is read here so that it wins over the default name whatever order the resource
            // detectors are merged in. The instance id is a new GUID per process: two instances on one host differ.
            .ConfigureResource(r => r.AddService(
                serviceName: builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : ServiceName,
                serviceVersion: ServiceVersion,
                autoGenerateServiceInstanceId: true))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o =>
                {
                    // Probes and static files would drown the traces that matter; their metrics are still counted.
                    o.Filter = http => !http.Request.Path.StartsWithSegments("/health") &&
                                       !http.Request.Path.StartsWithSegments("/_content") &&
                                       !http.Request.Path.StartsWithSegments("/_framework");
                })
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation()
                // Blazor's own spans: circuits, navigations and event handlers of interactive pages.
                .AddSource("Microsoft.AspNetCore.Components")
                .AddSource("Microsoft.AspNetCore.Components.Server.Circuits")
                .AddOtlpExporter())
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Microsoft.AspNetCore.Components")
                .AddMeter("Microsoft.AspNetCore.Components.Lifecycle")
                .AddMeter("Microsoft.AspNetCore.Components.Server.Circuits")
                .AddMeter("Microsoft.AspNetCore.RateLimiting")
                .AddMeter("Microsoft.EntityFrameworkCore")
                .AddMeter(ShaveTrackerMetrics.MeterName)
                .AddOtlpExporter());
        return builder;
    }

    /// <summary><see cref="ShaveTrackerMetrics"/> and the meter factory it needs (also for component tests).</summary>
    public static IServiceCollection AddShaveTrackerMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<ShaveTrackerMetrics>();
        return services;
    }

    public static bool IsOtlpConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);

    /// <summary>The informational version the build stamped (with the commit, when the build knows it).</summary>
    public static string ServiceVersion { get; } =
        typeof(TelemetrySetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(TelemetrySetup).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
