using System.Text;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Shaves.Trace;

/// <summary>
/// Downloads of the trace: the whole trace as JSON, and one whole payload (the panel shows only the first 256 KB of
/// a big one). Admin only, by policy and again in <see cref="TraceService"/>; everything sent is masked.
/// </summary>
public static class TraceEndpoints
{
    public static IEndpointRouteBuilder MapTraceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/shaves/{id:guid}/trace.json", async (Guid id, HttpContext http, TraceService trace) =>
        {
            var caller = Caller.From(http.User);
            if (caller is null || !await trace.CanExportAsync(caller, id, http.RequestAborted))
            {
                return Results.NotFound();
            }

            NoStore(http);
            return Results.Stream(
                async body => await trace.WriteExportAsync(caller, id, body, http.RequestAborted),
                "application/json; charset=utf-8",
                $"shave-{id}-trace.json");
        }).RequireAuthorization(Policies.CanReviewAiLogs);

        app.MapGet("/shaves/{id:guid}/trace/{recordId:guid}/{part}", async (Guid id, Guid recordId, string part, HttpContext http, TraceService trace) =>
        {
            var caller = Caller.From(http.User);
            if (caller is null || !Enum.TryParse<TracePayloadPart>(part, ignoreCase: true, out var which) || !Enum.IsDefined(which) ||
                int.TryParse(part, out _))
            {
                return Results.NotFound();
            }

            var file = await trace.GetPayloadFileAsync(caller, id, recordId, which, http.RequestAborted);
            if (file is null)
            {
                return Results.NotFound();
            }

            NoStore(http);
            return Results.File(Encoding.UTF8.GetBytes(file.Text), file.ContentType, file.FileName);
        }).RequireAuthorization(Policies.CanReviewAiLogs);

        return app;
    }

    /// <summary>Masked or not, logs are not for shared caches or the browser's disk cache.</summary>
    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store, private";
}
