using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ShaveTracker.Web.Features.Health;

public static class HealthEndpoints
{
    /// <summary>Checks that decide whether this instance should get traffic.</summary>
    private const string ReadyTag = "ready";

    public static IServiceCollection AddShaveTrackerHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        return services;
    }

    /// <summary>
    /// Anonymous by design, for load balancers and orchestrators:
    /// <c>/health</c> every check (200, or 503 when the database does not answer);
    /// <c>/health/live</c> the process answers requests, nothing else — a database outage must not make an
    /// orchestrator restart instances that would recover by themselves;
    /// <c>/health/ready</c> the checks an instance needs to serve pages (the database): 503 takes it out of rotation.
    /// </summary>
    public static IEndpointRouteBuilder MapShaveTrackerHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = WriteJson,
        }).DisableHttpMetrics().AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = WriteJson,
        }).DisableHttpMetrics().AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteJson,
        }).DisableHttpMetrics().AllowAnonymous();
        return app;
    }

    private static Task WriteJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
