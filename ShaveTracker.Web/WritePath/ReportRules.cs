using System.Text.Json;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.WritePath;

/// <summary>
/// What a report must be before anything is read or written: pure functions of the report, testable without a
/// database. The limits are the columns' (constants on the entities) and the <see cref="IngestionOptions"/>. What
/// needs the database (does the project exist, whose id is this) is checked by the write after this.
/// </summary>
public static class ReportRules
{
    public static FieldErrors Shave(ShaveReport report, IngestionOptions limits, out ShaveStatus status)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(limits);
        var errors = new FieldErrors();
        status = ShaveStatus.Pending;
        if (string.IsNullOrWhiteSpace(report.Title))
        {
            errors.Add("title", "The title is required.");
        }
        else if (report.Title.Trim().Length > Data.Entities.Shave.TitleMaxLength)
        {
            errors.Add("title", $"The title is longer than {Data.Entities.Shave.TitleMaxLength} characters.");
        }

        if (report.Status is not null && !EnumStrings.TryParseShaveStatus(report.Status, out status))
        {
            errors.Add("status", $"'{report.Status}' is not a shave status: use one of {string.Join(", ", Enum.GetNames<ShaveStatus>())}.");
        }
        else if (report.Status is null)
        {
            errors.Add("status", "The status is required.");
        }

        Url(errors, "workItemUrl", report.WorkItemUrl);
        Url(errors, "videoEmbedUrl", report.VideoEmbedUrl);
        if (report.WorkItemSource?.Length > Data.Entities.Shave.WorkItemSourceMaxLength)
        {
            errors.Add("workItemSource", $"The work item source is longer than {Data.Entities.Shave.WorkItemSourceMaxLength} characters.");
        }

        Requester(errors, report.Requester);
        if (report.VideoFile is { } v)
        {
            VideoFile(errors, v);
        }

        if (report.WorkItem is { } workItem)
        {
            WorkItem(errors, workItem, limits);
        }

        return errors;
    }

    public static FieldErrors Step(StepReport report, out ProcessStatus status)
    {
        ArgumentNullException.ThrowIfNull(report);
        var errors = new FieldErrors();
        status = ProcessStatus.NotStarted;
        if (string.IsNullOrWhiteSpace(report.StepName))
        {
            errors.Add("stepName", "The step name is required (e.g. transcribing).");
        }
        else if (report.StepName.Length > ProcessStep.StepNameMaxLength)
        {
            errors.Add("stepName", $"The step name is longer than {ProcessStep.StepNameMaxLength} characters.");
        }

        if (report.Status is null)
        {
            errors.Add("status", "The status is required.");
        }
        else if (!EnumStrings.TryParseProcessStatus(report.Status, out status))
        {
            errors.Add("status", $"'{report.Status}' is not a step status: use not_started, in_progress, completed, failed or skipped.");
        }

        if (report.StartedAt is null)
        {
            errors.Add("startedAt", "The start time is required.");
        }

        if (report.CompletedAt is { } done && report.StartedAt is { } started && done.ToUniversalTime() < started.ToUniversalTime())
        {
            errors.Add("completedAt", "The step cannot complete before it started.");
        }

        if (report.ErrorMessage?.Length > ProcessStep.ErrorMessageMaxLength)
        {
            errors.Add("errorMessage", $"The error message is longer than {ProcessStep.ErrorMessageMaxLength} characters.");
        }

        return errors;
    }

    /// <summary>The batch as a whole (empty, too many records), then each record on its own.</summary>
    public static FieldErrors Batch(IReadOnlyList<AiLogReport> aiLogs, IReadOnlyList<ToolCallReport> toolCalls, IngestionOptions limits)
    {
        ArgumentNullException.ThrowIfNull(aiLogs);
        ArgumentNullException.ThrowIfNull(toolCalls);
        ArgumentNullException.ThrowIfNull(limits);
        var errors = new FieldErrors();
        if (aiLogs.Count + toolCalls.Count == 0)
        {
            errors.Add("", "The batch is empty: send aiLogs and/or toolCalls.");
            return errors;
        }

        if (aiLogs.Count + toolCalls.Count > limits.MaxBatchRecords)
        {
            errors.Add("", $"A batch holds at most {limits.MaxBatchRecords} records; this one has {aiLogs.Count + toolCalls.Count}.");
            return errors;
        }

        for (var i = 0; i < aiLogs.Count; i++)
        {
            AiLog(errors, $"aiLogs[{i}]", aiLogs[i], limits);
        }

        var toolCallIdsSeen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < toolCalls.Count; i++)
        {
            ToolCall(errors, $"toolCalls[{i}]", toolCalls[i], toolCallIdsSeen, limits);
        }

        return errors;
    }

    public static FieldErrors Transcript(TranscriptReport report, IngestionOptions limits)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(limits);
        var errors = new FieldErrors();
        if (report.Id is null)
        {
            errors.Add("id", "The id (a UUID chosen by the client) is required.");
        }

        if (string.IsNullOrWhiteSpace(report.Text))
        {
            errors.Add("text", "The text is required.");
        }

        Payload(errors, "text", report.Text, limits.MaxPayloadFieldChars);
        return errors;
    }

    /// <summary>What a tool call's args or result is stored as: the JSON's text, or a string as it is.</summary>
    public static string? JsonText(JsonElement? value) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { } v => v.GetRawText(),
    };

    private static void Requester(FieldErrors errors, RequesterReport? requester)
    {
        if (requester is null)
        {
            errors.Add("requester", "The requester is required (userId, objectId or userName).");
        }
        else if (requester.UserId is null && requester.ObjectId is null && string.IsNullOrWhiteSpace(requester.UserName))
        {
            errors.Add("requester", "Give the requester's userId, Entra objectId or local userName.");
        }
        else if (requester.UserId is null)
        {
            Longest(errors, "requester.displayName", requester.DisplayName?.Trim(), User.DisplayNameMaxLength, "The display name");
            if (requester.ObjectId is null)
            {
                Longest(errors, "requester.userName", requester.UserName?.Trim(), LocalAccount.UserNameMaxLength, "The username");
            }
        }
    }

    private static void VideoFile(FieldErrors errors, VideoFileReport v)
    {
        if (string.IsNullOrWhiteSpace(v.FileName))
        {
            errors.Add("videoFile.fileName", "The video file name is required.");
        }
        else
        {
            Longest(errors, "videoFile.fileName", v.FileName.Trim(), Data.Entities.VideoFile.FileNameMaxLength, "The file name");
        }

        Longest(errors, "videoFile.filePath", v.FilePath, Data.Entities.VideoFile.FilePathMaxLength, "The file path");
        Longest(errors, "videoFile.fileHash", v.FileHash, Data.Entities.VideoFile.FileHashMaxLength, "The file hash");
        if (v.Duration is null or < 0)
        {
            errors.Add("videoFile.duration", "The video duration (seconds, 0 or more) is required.");
        }
    }

    private static void WorkItem(FieldErrors errors, WorkItemReport item, IngestionOptions limits)
    {
        if (!string.IsNullOrWhiteSpace(item.ScreenshotUrl) &&
            UrlRules.Check(item.ScreenshotUrl, ShaveWorkItem.ScreenshotUrlMaxLength) is { } message)
        {
            errors.Add("workItem.screenshotUrl", message);
        }

        Longest(errors, "workItem.screenshotFigure", item.ScreenshotFigure?.Trim(), ShaveWorkItem.ScreenshotFigureMaxLength, "The screenshot's caption");
        Payload(errors, "workItem.description", item.Description, limits.MaxPayloadFieldChars);
    }

    private static void AiLog(FieldErrors errors, string at, AiLogReport? log, IngestionOptions limits)
    {
        if (log is null)
        {
            errors.Add(at, "The record is null.");
            return;
        }

        if (log.Id is null)
        {
            errors.Add($"{at}.id", "The id (a UUID chosen by the client) is required.");
        }

        Required(errors, $"{at}.modelName", log.ModelName, Data.Entities.AiLog.ModelNameMaxLength);
        Payload(errors, $"{at}.promptText", log.PromptText, limits.MaxPayloadFieldChars);
        Payload(errors, $"{at}.responseText", log.ResponseText, limits.MaxPayloadFieldChars);
        if (log.DurationMs < 0)
        {
            errors.Add($"{at}.durationMs", "The duration cannot be negative.");
        }

        if (log.InputTokens < 0)
        {
            errors.Add($"{at}.inputTokens", "A token count cannot be negative.");
        }

        if (log.OutputTokens < 0)
        {
            errors.Add($"{at}.outputTokens", "A token count cannot be negative.");
        }
    }

    private static void ToolCall(FieldErrors errors, string at, ToolCallReport? call, HashSet<string> idsSeen, IngestionOptions limits)
    {
        if (call is null)
        {
            errors.Add(at, "The record is null.");
            return;
        }

        Required(errors, $"{at}.toolCallId", call.ToolCallId, Data.Entities.ToolCall.NameMaxLength);
        Required(errors, $"{at}.toolName", call.ToolName, Data.Entities.ToolCall.NameMaxLength);
        Required(errors, $"{at}.serviceName", call.ServiceName, Data.Entities.ToolCall.NameMaxLength);
        if (call.Success is null)
        {
            errors.Add($"{at}.success", "Say whether the call succeeded (true or false).");
        }

        Payload(errors, $"{at}.args", JsonText(call.Args), limits.MaxPayloadFieldChars);
        Payload(errors, $"{at}.result", JsonText(call.Result), limits.MaxPayloadFieldChars);
        if (call.ToolCallId is not null && !idsSeen.Add(call.ToolCallId))
        {
            errors.Add($"{at}.toolCallId", $"'{call.ToolCallId}' appears twice in this batch.");
        }
    }

    private static void Url(FieldErrors errors, string field, string? url)
    {
        if (!string.IsNullOrWhiteSpace(url) && UrlRules.Check(url, Data.Entities.Shave.UrlMaxLength) is { } message)
        {
            errors.Add(field, message);
        }
    }

    private static void Required(FieldErrors errors, string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "This field is required.");
        }
        else if (value.Length > max)
        {
            errors.Add(field, $"Longer than {max} characters.");
        }
    }

    private static void Longest(FieldErrors errors, string field, string? value, int max, string what)
    {
        if (value?.Length > max)
        {
            errors.Add(field, $"{what} is longer than {max} characters.");
        }
    }

    /// <summary>A payload (a prompt, a response, a tool call's arguments or result, a text) of at most <paramref name="max"/> characters.</summary>
    public static void Payload(FieldErrors errors, string field, string? value, int max)
    {
        if (value?.Length > max)
        {
            errors.Add(field, $"This field has {value.Length:N0} characters; the limit is {max:N0} (Ingestion:MaxPayloadFieldChars).");
        }
    }
}
