using System.Text.Json;

namespace ShaveTracker.Web.WritePath;

// What a source reports: the /api/v1 JSON is exactly this, and every other source translates what it receives into
// it. Every field is nullable so that a missing required field is reported by name (ProblemDetails errors) instead
// of failing deserialization as a whole. Enum-like values are strings, checked by ReportRules.

public sealed record RequesterReport(Guid? UserId, Guid? ObjectId, string? UserName, string? DisplayName);

public sealed record VideoFileReport(Guid? Id, string? FileName, string? FilePath, string? FileHash, int? Duration);

public sealed record ShaveReport(
    string? Title,
    string? Status,
    RequesterReport? Requester,
    Guid? ProjectId,
    VideoFileReport? VideoFile,
    string? WorkItemUrl,
    string? WorkItemSource,
    string? VideoEmbedUrl,
    DateTime? CreatedAt,
    WorkItemReport? WorkItem = null);

/// <summary>The work item's body (markdown) and the screenshot it shows, with its caption.</summary>
public sealed record WorkItemReport(string? Description, string? ScreenshotUrl, string? ScreenshotFigure);

public sealed record StepReport(string? StepName, string? Status, DateTime? StartedAt, DateTime? CompletedAt, string? ErrorMessage);

/// <remarks>The tokens the call used are optional (stored beside the log when either is given).</remarks>
public sealed record AiLogReport(
    Guid? Id,
    Guid? ProcessStepId,
    string? ModelName,
    string? PromptText,
    string? ResponseText,
    int? DurationMs,
    DateTime? CreatedAt,
    int? InputTokens = null,
    int? OutputTokens = null);

/// <summary><c>args</c>/<c>result</c> may be any JSON (stored as its text) or a string (stored as is).</summary>
public sealed record ToolCallReport(
    Guid? Id,
    Guid? ProcessStepId,
    Guid? AiLogId,
    string? ToolCallId,
    string? ToolName,
    string? ServiceName,
    JsonElement? Args,
    JsonElement? Result,
    bool? Success,
    int? DurationMs,
    DateTime? CreatedAt);

public sealed record RecordBatch(IReadOnlyList<AiLogReport>? AiLogs, IReadOnlyList<ToolCallReport>? ToolCalls);

public sealed record TranscriptReport(Guid? Id, string? Text, DateTime? CreatedAt);

// What a write answers (the API returns it as JSON).

public sealed record StepState(Guid Id, string StepName, string Status, DateTime StartedAt, DateTime? CompletedAt, string? ErrorMessage);

public sealed record ShaveState(
    Guid Id,
    string Title,
    string Status,
    Guid RequesterId,
    Guid? ProjectId,
    Guid VideoFileId,
    string? WorkItemUrl,
    string WorkItemSource,
    string? VideoEmbedUrl,
    DateTime CreatedAt,
    DateTime? UpdatedAt,
    IReadOnlyList<StepState> Steps,
    int AiLogCount,
    int ToolCallCount,
    bool HasTranscript);

public sealed record BatchResult(int AiLogsCreated, int AiLogsUnchanged, int ToolCallsCreated, int ToolCallsUnchanged);

public sealed record PendingShave(Guid Id, string Title, Guid RequesterId, Guid? ProjectId, DateTime CreatedAt, DateTime? UpdatedAt);
