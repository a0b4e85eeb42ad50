namespace ShaveTracker.Web.Features.DemoData;

/// <summary>The step names the real pipeline reports, in the order it runs them.</summary>
internal static class Steps
{
    public const string UploadingVideo = "uploading_video";
    public const string DownloadingVideo = "downloading_video";
    public const string ConvertingAudio = "converting_audio";
    public const string Transcribing = "transcribing";
    public const string OptimizingTranscript = "optimizing_transcript";
    public const string AnalyzingTranscript = "analyzing_transcript";
    public const string SelectingPrompt = "selecting_prompt";
    public const string ExecutingTask = "executing_task";
    public const string UpdatingMetadata = "updating_metadata";

    public static readonly IReadOnlyList<string> All =
    [
        UploadingVideo, DownloadingVideo, ConvertingAudio, Transcribing, OptimizingTranscript,
        AnalyzingTranscript, SelectingPrompt, ExecutingTask, UpdatingMetadata,
    ];
}

internal enum BacklogKind
{
    GitHub,
    AzureDevOps,
}

/// <summary>How the executing_task step's conversation with the backlog ends.</summary>
internal enum ExecutionOutcome
{
    Created,
    SearchFailed,
    CreateFailed,
    NoWorkItem,

    /// <summary>Still running, or cancelled part-way.</summary>
    Interrupted,
}

/// <summary>
/// Why a failed demo shave failed. {model} in <see cref="Message"/> is the shave's main model.
/// <see cref="Kind"/> limits it to one kind of backlog (a GitHub error cannot happen in Azure DevOps).
/// </summary>
internal sealed record Failure(
    string Step,
    string Message,
    int Weight,
    BacklogKind? Kind = null,
    ExecutionOutcome? Outcome = null,
    int? DurationMs = null)
{
    public static readonly IReadOnlyList<Failure> All =
    [
        new(Steps.UploadingVideo, "YouTube upload failed: quotaExceeded (The request cannot be completed because you have exceeded your quota.)", 4),
        new(Steps.UploadingVideo, "Upload interrupted: connection reset by peer after 212 MB of 556 MB", 3),
        new(Steps.DownloadingVideo, "Failed to download video: HTTP 403 Forbidden", 3),
        new(Steps.ConvertingAudio, "No audio detected in this video. Please re-record and make sure the correct microphone is selected and unmuted.", 5),
        new(Steps.ConvertingAudio, "ffmpeg exited with code 1: Invalid data found when processing input", 2),
        new(Steps.Transcribing, "Transcription service timed out after 120s", 6, DurationMs: 120_000),
        new(Steps.Transcribing, "No speech detected in this recording. Please re-record and check your microphone and audio levels.", 4),
        new(Steps.Transcribing, "Whisper API returned 413: audio file exceeds the 25 MB limit", 2),
        new(Steps.AnalyzingTranscript, "Rate limit reached for {model} on tokens per min (TPM): Limit 30000, Used 28940, Requested 4211. Please try again in 6.3s.", 6),
        new(Steps.AnalyzingTranscript, "This model's maximum context length is 128000 tokens. However, your messages resulted in 131907 tokens.", 2),
        new(Steps.SelectingPrompt, "No active project matches this recording. Select a project and try again.", 4),
        new(Steps.ExecutingTask, "GitHub API rate limit exceeded", 6, BacklogKind.GitHub, ExecutionOutcome.SearchFailed),
        new(Steps.ExecutingTask, "MCP tool create_issue returned 422: Validation Failed", 6, BacklogKind.GitHub, ExecutionOutcome.CreateFailed),
        new(Steps.ExecutingTask, "MCP tool search_work_items returned 401: TF400813: The user is not authorized to access this resource.", 4, BacklogKind.AzureDevOps, ExecutionOutcome.SearchFailed),
        new(Steps.ExecutingTask, "MCP server azure-devops disconnected: Connection closed (-32000)", 3, BacklogKind.AzureDevOps, ExecutionOutcome.CreateFailed),
        new(Steps.ExecutingTask, "The model finished without creating or updating a work item (stop reason: end_turn).", 4, Outcome: ExecutionOutcome.NoWorkItem),
        new(Steps.UpdatingMetadata, "YouTube API returned 403: insufficientPermissions (The caller does not have permission to update this video.)", 4),
    ];
}

/// <summary>A GitHub repository or an Azure DevOps project that work items are written into.</summary>
internal sealed class Backlog(BacklogKind kind, string organization, string name, int lastItemNumber)
{
    public BacklogKind Kind => kind;
    public string Organization => organization;
    public string Name => name;

    /// <summary>Other people file items too, so numbers written by the pipeline have gaps.</summary>
    public int LastItemNumber { get; private set; } = lastItemNumber;

    public string Url => kind == BacklogKind.GitHub
        ? $"https://github.com/{organization}/{name}"
        : $"https://dev.azure.com/{organization}/{name}";

    public string WorkItemSource => kind == BacklogKind.GitHub ? "GitHub" : "AzureDevOps";
    public string ServiceName => kind == BacklogKind.GitHub ? "github" : "azure-devops";
    public string SearchTool => kind == BacklogKind.GitHub ? "search_issues" : "search_work_items";
    public string GetTool => kind == BacklogKind.GitHub ? "get_issue" : "get_work_item";
    public string CreateTool => kind == BacklogKind.GitHub ? "create_issue" : "create_work_item";

    public string ItemUrl(int number) => kind == BacklogKind.GitHub
        ? $"{Url}/issues/{number}"
        : $"{Url}/_workitems/edit/{number}";

    public string ItemLabel(int number) => kind == BacklogKind.GitHub ? $"issue #{number}" : $"work item {number}";

    public int AllocateItemNumber(DemoRandom rng)
    {
        LastItemNumber += rng.Next(1, 4);
        return LastItemNumber;
    }
}
