using System.Globalization;
using CsvHelper;
using ShaveTracker.Data;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Shaves;

public static class ShaveEndpoints
{
    private static readonly string[] Header =
        ["id", "title", "status", "project", "requester", "created_at_utc", "updated_at_utc", "work_item_url", "work_item_source", "video_seconds"];

    public static IEndpointRouteBuilder MapShaveEndpoints(this IEndpointRouteBuilder app)
    {
        // The current filtered view as CSV: same URL parameters as /shaves, same caller rules (a requester exports
        // only their own shaves). Streamed row by row, so a large export does not sit in memory.
        app.MapGet("/shaves/export.csv", async (HttpContext http, ShavesService shaves,
            string? status, string? project, string? requester, string? from, string? to, string? q, string? sort, string? dir) =>
        {
            var caller = Caller.From(http.User);
            if (caller is null)
            {
                return Results.Unauthorized();
            }

            var query = ShaveListUrl.Parse(status, project, requester, from, to, q, sort, dir, 1, null);
            // A list of people's shaves is not for shared caches or the browser's disk cache.
            http.Response.Headers.CacheControl = "no-store, private";
            return Results.Stream(async body =>
            {
                // Escape-injection: a title such as "=HYPERLINK(...)" must not become a formula in a spreadsheet.
                await using var csv = CsvWriter.Create(body, new CsvWriterOptions { Injection = CsvInjection.Escape, WriteByteOrderMark = true }, leaveOpen: true);
                csv.WriteHeader(Header);
                await foreach (var row in shaves.ExportAsync(caller, query, http.RequestAborted))
                {
                    await csv.WriteRecordAsync(
                    [
                        row.Id.ToString(),
                        // Masked as in the trace export: an export leaves the app, and a title or URL from the
                        // pipeline can carry a token.
                        SecretMasker.Apply(row.Title) ?? "",
                        row.Status.ToDb(),
                        row.ProjectName ?? "",
                        row.RequesterName,
                        row.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                        row.UpdatedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "",
                        SecretMasker.Apply(row.WorkItemUrl) ?? "",
                        row.WorkItemSource,
                        row.VideoDurationSeconds.ToString(CultureInfo.InvariantCulture),
                    ], http.RequestAborted);
                }
            }, "text/csv; charset=utf-8", $"shaves-{http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow():yyyyMMdd-HHmm}.csv");
        });

        // The list's project and requester filters search as the user types (shave-list.js): at most 20 names, by the
        // same service calls and caller rules the filters always used (a requester finds only themself).
        app.MapGet("/shaves/filter-options/projects", async (HttpContext http, ShavesService shaves, string? q) =>
            Caller.From(http.User) is not { } caller ? Results.Unauthorized() : Results.Ok(await shaves.SearchProjectsAsync(caller, q, http.RequestAborted)));
        app.MapGet("/shaves/filter-options/requesters", async (HttpContext http, ShavesService shaves, string? q) =>
            Caller.From(http.User) is not { } caller ? Results.Unauthorized() : Results.Ok(await shaves.SearchRequestersAsync(caller, q, http.RequestAborted)));
        return app;
    }
}
