using Microsoft.AspNetCore.Http.HttpResults;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Web.Features.Ingestion;

/// <summary>
/// <c>/api/v1</c>: how the pipeline reports shaves. JSON in, JSON or RFC 7807 ProblemDetails out; API key or Entra
/// bearer token with the <see cref="IngestRole"/> role; rate limited per client. Each handler only translates HTTP
/// into a call of the write path (<see cref="IngestionService"/>) and its result back into HTTP.
/// </summary>
public static class IngestionEndpoints
{
    public const string Prefix = "/api/v1";
    public const string IngestRole = "Shaves.Ingest";
    public const string RateLimitPolicy = "ingest";

    public static RouteGroupBuilder MapIngestionEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix)
            .RequireAuthorization(Policies.CanIngest)
            .RequireRateLimiting(RateLimitPolicy)
            .DisableAntiforgery()
            .WithTags("Ingestion");

        api.MapPut("/shaves/{shaveId:guid}", PutShaveAsync).Accepts<ShaveReport>("application/json")
            .WithSummary("Create or update a shave with its video file, requester, project, status and URLs.");
        api.MapGet("/shaves/{shaveId:guid}", GetShaveAsync)
            .WithSummary("Read back a shave, its status and its steps (to resume).");
        api.MapGet("/shaves", ListPendingAsync)
            .WithSummary("List Pending shaves (new and re-queued), oldest first, for a worker to pick up.");
        api.MapPut("/shaves/{shaveId:guid}/steps/{stepId:guid}", PutStepAsync).Accepts<StepReport>("application/json")
            .WithSummary("Report a process step: started (in_progress), completed, failed (with error message) or skipped.");
        api.MapPost("/shaves/{shaveId:guid}/records", AppendRecordsAsync).Accepts<RecordBatch>("application/json")
            .WithSummary("Append AI logs and tool calls in one batch (hundreds per request); all or nothing.");
        api.MapPost("/shaves/{shaveId:guid}/ai-logs", AppendAiLogAsync).Accepts<AiLogReport>("application/json")
            .WithSummary("Append one AI log.");
        api.MapPost("/shaves/{shaveId:guid}/tool-calls", AppendToolCallAsync).Accepts<ToolCallReport>("application/json")
            .WithSummary("Append one tool call (identified by its toolCallId within the shave).");
        api.MapPut("/shaves/{shaveId:guid}/transcript", PutTranscriptAsync).Accepts<TranscriptReport>("application/json")
            .WithSummary("Attach the transcript, replacing an earlier one.");
        return api;
    }

    public static async Task<Results<Ok<ShaveState>, ProblemHttpResult>> PutShaveAsync(Guid shaveId, HttpContext http, IngestionService ingest)
    {
        var (report, problem) = await IngestionHttp.ReadAsync<ShaveReport>(http);
        return problem is not null ? problem : Answer(await ingest.PutShaveAsync(IngestionHttp.CredentialFor(http), shaveId, report!, http.RequestAborted), shaveId);
    }

    public static async Task<Results<Ok<ShaveState>, ProblemHttpResult>> GetShaveAsync(Guid shaveId, HttpContext http, IngestionService ingest) =>
        await ingest.GetShaveAsync(IngestionHttp.CredentialFor(http), shaveId, http.RequestAborted) is { } state ? TypedResults.Ok(state) : ShaveNotFound(shaveId);

    public static async Task<Results<Ok<IReadOnlyList<PendingShave>>, ProblemHttpResult>> ListPendingAsync(string? status, int? limit,
        HttpContext http, IngestionService ingest, CancellationToken ct) =>
        !string.Equals(status ?? "Pending", "Pending", StringComparison.OrdinalIgnoreCase)
            ? IngestionHttp.Invalid(new Dictionary<string, string> { ["status"] = "Only Pending shaves are listed for workers." }, title: null)
            : TypedResults.Ok(await ingest.ListPendingAsync(IngestionHttp.CredentialFor(http), limit ?? 50, ct));

    public static async Task<Results<Ok<StepState>, ProblemHttpResult>> PutStepAsync(Guid shaveId, Guid stepId, HttpContext http, IngestionService ingest)
    {
        var (report, problem) = await IngestionHttp.ReadAsync<StepReport>(http);
        return problem is not null ? problem : Answer(await ingest.PutStepAsync(IngestionHttp.CredentialFor(http), shaveId, stepId, report!, http.RequestAborted), shaveId);
    }

    public static async Task<Results<Ok<BatchResult>, ProblemHttpResult>> AppendRecordsAsync(Guid shaveId, HttpContext http, IngestionService ingest)
    {
        var (batch, problem) = await IngestionHttp.ReadAsync<RecordBatch>(http);
        return problem is not null ? problem : Answer(await ingest.AppendRecordsAsync(IngestionHttp.CredentialFor(http), shaveId, batch!, http.RequestAborted), shaveId);
    }

    public static async Task<Results<Ok<BatchResult>, ProblemHttpResult>> AppendAiLogAsync(Guid shaveId, HttpContext http, IngestionService ingest)
    {
        var (log, problem) = await IngestionHttp.ReadAsync<AiLogReport>(http);
        return problem is not null ? problem : Answer(await ingest.AppendRecordsAsync(IngestionHttp.CredentialFor(http), shaveId, new RecordBatch([log!], null), http.RequestAborted), shaveId);
    }

    public static async Task<Results<Ok<BatchResult>, ProblemHttpResult>> AppendToolCallAsync(Guid shaveId, HttpContext http, IngestionService ingest)
    {
        var (call, problem) = await IngestionHttp.ReadAsync<ToolCallReport>(http);
        return problem is not null ? problem : Answer(await ingest.AppendRecordsAsync(IngestionHttp.CredentialFor(http), shaveId, new RecordBatch(null, [call!]), http.RequestAborted), shaveId);
    }

    public static async Task<Results<Ok<TranscriptAccepted>, ProblemHttpResult>> PutTranscriptAsync(Guid shaveId, HttpContext http, IngestionService ingest)
    {
        var (transcript, problem) = await IngestionHttp.ReadAsync<TranscriptReport>(http);
        if (problem is not null)
        {
            return problem;
        }

        var result = await ingest.PutTranscriptAsync(IngestionHttp.CredentialFor(http), shaveId, transcript!, http.RequestAborted);
        return result.Succeeded ? TypedResults.Ok(new TranscriptAccepted(result.Current)) : Refused(result, shaveId);
    }

    /// <summary>What PUT .../transcript answers.</summary>
    public sealed record TranscriptAccepted(Guid Id);

    private static Results<Ok<T>, ProblemHttpResult> Answer<T>(CommandResult<T> result, Guid shaveId) =>
        result.Succeeded ? TypedResults.Ok(result.Current!) : Refused(result, shaveId);

    private static ProblemHttpResult Refused<T>(CommandResult<T> result, Guid shaveId) => result.Outcome switch
    {
        CommandOutcome.NotFound => ShaveNotFound(shaveId),
        _ => IngestionHttp.Invalid(result.Errors ?? new Dictionary<string, string>(), "The report was not accepted; nothing was written."),
    };

    private static ProblemHttpResult ShaveNotFound(Guid shaveId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Shave not found",
            detail: $"No shave has the id {shaveId}. Create it first with PUT {Prefix}/shaves/{shaveId}.");
}
