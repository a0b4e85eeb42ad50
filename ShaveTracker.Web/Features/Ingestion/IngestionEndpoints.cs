using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ShaveTracker.Web.Shared.Telemetry;
using ShaveTracker.Web.Infrastructure;

namespace ShaveTracker.Web.Features.Ingestion;

/// <summary>
/// <c>/api/v1</c>: how the pipeline reports shaves. JSON in, JSON or RFC 7807 ProblemDetails out; API key or Entra
/// bearer token with the <see cref="IngestRole"/> role; rate limited per client.
/// </summary>
public static class IngestionEndpoints
{
    public const string IngestRole = "Shaves.Ingest";
    public const string Policy = "CanIngest";
    public const string RateLimitPolicy = "ingest";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // A field the API does not know is an error, not silently dropped data.
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static RouteGroupBuilder MapIngestionEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(Policy)
            .RequireRateLimiting(RateLimitPolicy)
            .DisableAntiforgery()
            .WithTags("Ingestion");

        api.MapPut("/shaves/{shaveId:guid}", async (Guid shaveId, HttpContext http, IngestionService ingest) =>
            await ReadAsync<ShaveReport>(http) is var (report, problem) && problem is not null
                ? problem
                : ToResult(await ingest.PutShaveAsync(Client(http), shaveId, report!, http.RequestAborted), v => Results.Ok(v)))
            .Accepts<ShaveReport>("application/json")
            .Produces<ShaveState>()
            .ProducesValidationProblem()
            .WithSummary("Create or update a shave with its video file, requester, project, status and URLs.");

        api.MapGet("/shaves/{shaveId:guid}", async (Guid shaveId, IngestionService ingest, CancellationToken ct) =>
            await ingest.GetShaveAsync(shaveId, ct) is { } state ? Results.Ok(state) : ShaveNotFound(shaveId))
            .Produces<ShaveState>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Read back a shave, its status and its steps (to resume).");

        api.MapGet("/shaves", async (string? status, int? limit, IngestionService ingest, CancellationToken ct) =>
            !string.Equals(status ?? "Pending", "Pending", StringComparison.OrdinalIgnoreCase)
                ? Results.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["Only Pending shaves are listed for workers."] })
                : Results.Ok(await ingest.ListPendingAsync(limit ?? 50, ct)))
            .Produces<IReadOnlyList<PendingShave>>()
            .WithSummary("List Pending shaves (new and re-queued), oldest first, for a worker to pick up.");

        api.MapPut("/shaves/{shaveId:guid}/steps/{stepId:guid}", async (Guid shaveId, Guid stepId, HttpContext http, IngestionService ingest) =>
            await ReadAsync<StepReport>(http) is var (report, problem) && problem is not null
                ? problem
                : ToResult(await ingest.PutStepAsync(Client(http), shaveId, stepId, report!, http.RequestAborted), v => Results.Ok(v), shaveId))
            .Accepts<StepReport>("application/json")
            .Produces<StepState>()
            .ProducesValidationProblem()
            .WithSummary("Report a process step: started (in_progress), completed, failed (with error message) or skipped.");

        api.MapPost("/shaves/{shaveId:guid}/records", async (Guid shaveId, HttpContext http, IngestionService ingest) =>
            await ReadAsync<RecordBatch>(http) is var (batch, problem) && problem is not null
                ? problem
                : ToResult(await ingest.AppendRecordsAsync(Client(http), shaveId, batch!, http.RequestAborted), v => Results.Ok(v), shaveId))
            .Accepts<RecordBatch>("application/json")
            .Produces<BatchResult>()
            .ProducesValidationProblem()
            .WithSummary("Append AI logs and tool calls in one batch (hundreds per request); all or nothing.");

        api.MapPost("/shaves/{shaveId:guid}/ai-logs", async (Guid shaveId, HttpContext http, IngestionService ingest) =>
            await ReadAsync<AiLogReport>(http) is var (log, problem) && problem is not null
                ? problem
                : ToResult(await ingest.AppendRecordsAsync(Client(http), shaveId, new RecordBatch([log!], null), http.RequestAborted), v => Results.Ok(v), shaveId))
            .Accepts<AiLogReport>("application/json")
            .Produces<BatchResult>()
            .ProducesValidationProblem()
            .WithSummary("Append one AI log.");

        api.MapPost("/shaves/{shaveId:guid}/tool-calls", async (Guid shaveId, HttpContext http, IngestionService ingest) =>
            await ReadAsync<ToolCallReport>(http) is var (call, problem) && problem is not null
                ? problem
                : ToResult(await ingest.AppendRecordsAsync(Client(http), shaveId, new RecordBatch(null, [call!]), http.RequestAborted), v => Results.Ok(v), shaveId))
            .Accepts<ToolCallReport>("application/json")
            .Produces<BatchResult>()
            .ProducesValidationProblem()
            .WithSummary("Append one tool call (identified by its toolCallId within the shave).");

        api.MapPut("/shaves/{shaveId:guid}/transcript", async (Guid shaveId, HttpContext http, IngestionService ingest) =>
            await ReadAsync<TranscriptReport>(http) is var (transcript, problem) && problem is not null
                ? problem
                : ToResult(await ingest.PutTranscriptAsync(Client(http), shaveId, transcript!, http.RequestAborted), id => Results.Ok(new { id }), shaveId))
            .Accepts<TranscriptReport>("application/json")
            .ProducesValidationProblem()
            .WithSummary("Attach the transcript, replacing an earlier one.");

        return api;
    }

    /// <summary>Body limit for the API only (413 ProblemDetails before a byte of an oversized body is read).</summary>
    public static IApplicationBuilder UseIngestionBodyLimit(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/api"))
            {
                var limit = http.RequestServices.GetRequiredService<IOptions<IngestionOptions>>().Value.MaxBodyBytes;
                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                {
                    feature.MaxRequestBodySize = limit;
                }

                if (http.Request.ContentLength > limit)
                {
                    await TooLarge(limit).ExecuteAsync(http);
                    return;
                }
            }

            await next(http);
        });

    /// <summary>
    /// Counts the write requests of the API that did not succeed (<see cref="ShaveTrackerMetrics.RejectedName"/>), by
    /// the status they were answered with: invalid reports, unknown shaves, bad keys, oversized bodies, rate limits,
    /// failures. Outside the API's own handlers, so that it sees what authorization, the rate limiter and the body
    /// limit refuse as well as what the endpoints answer.
    /// </summary>
    public static IApplicationBuilder UseIngestionMetrics(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (!http.Request.Path.StartsWithSegments("/api/v1") || HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            {
                await next(http);
                return;
            }

            var completed = false;
            try
            {
                await next(http);
                completed = true;
            }
            finally
            {
                var status = completed ? http.Response.StatusCode : StatusCodes.Status500InternalServerError;
                if (status >= 400)
                {
                    http.RequestServices.GetRequiredService<ShaveTrackerMetrics>().RequestRejected(status);
                }
            }
        });

    public static void ConfigureRateLimiting(RateLimiterOptions o, IngestionOptions limits)
    {
        o.AddPolicy(RateLimitPolicy, http => RateLimitPartition.Get(Client(http), _ => new ClockedFixedWindowLimiter(
            limits.RateLimitPermits, TimeSpan.FromSeconds(limits.RateLimitWindowSeconds), http.RequestServices.GetRequiredService<TimeProvider>())));
        o.OnRejected = async (context, ct) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(limits.RateLimitWindowSeconds);
            context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await context.HttpContext.Response.WriteAsJsonAsync(new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This client may make {limits.RateLimitPermits} requests per {limits.RateLimitWindowSeconds} s. Retry after the Retry-After header's seconds.",
            }, options: null, contentType: "application/problem+json", cancellationToken: ct);
        };
    }

    /// <summary>Who is calling: the API key's id, or the Entra application/user of the token.</summary>
    public static string Client(HttpContext http)
    {
        if (http.User.FindFirst(ApiKeyAuthenticationHandler.ClientClaim)?.Value is { } key)
        {
            return key;
        }

        var app = http.User.FindFirst("azp")?.Value ?? http.User.FindFirst("appid")?.Value;
        return app is not null ? $"app:{app}" : http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    /// <summary>
    /// Reads the JSON body with clear ProblemDetails for what goes wrong: not JSON, malformed JSON (with the line and
    /// path), a value of the wrong type, an unknown field, a body over the limit.
    /// </summary>
    private static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext http)
        where T : class
    {
        if (http.Request.HasJsonContentType() is false)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send JSON",
                detail: "The body must be JSON with Content-Type: application/json."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, Json, http.RequestAborted);
            return value is null
                ? (null, Results.ValidationProblem(new Dictionary<string, string[]> { [""] = ["The body is empty or null."] }, title: "Invalid request body"))
                : (value, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : ex.Path.TrimStart('$', '.');
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : "";
            return (null, Results.ValidationProblem(
                new Dictionary<string, string[]> { [field] = [$"The JSON is malformed or a value has the wrong type{where}."] },
                title: "Invalid request body"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(http.RequestServices.GetRequiredService<IOptions<IngestionOptions>>().Value.MaxBodyBytes));
        }
    }

    private static IResult ToResult<T>(IngestResult<T> result, Func<T, IResult> ok, Guid? shaveId = null) => result.Outcome switch
    {
        IngestOutcome.Ok => ok(result.Value!),
        IngestOutcome.NotFound => ShaveNotFound(shaveId ?? Guid.Empty),
        _ => Results.ValidationProblem(result.Errors!, title: "The report was not accepted; nothing was written."),
    };

    private static IResult ShaveNotFound(Guid shaveId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Shave not found",
            detail: $"No shave has the id {shaveId}. Create it first with PUT /api/v1/shaves/{shaveId}.");

    private static IResult TooLarge(long limit) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
            detail: $"The body may be at most {limit:N0} bytes (Ingestion:MaxBodyBytes). Split the batch.");
}
