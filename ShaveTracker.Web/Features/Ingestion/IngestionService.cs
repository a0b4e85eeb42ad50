using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Shared.Telemetry;

namespace ShaveTracker.Web.Features.Ingestion;

public enum IngestOutcome
{
    Ok,
    NotFound,
    Invalid,
}

public sealed record IngestResult<T>(IngestOutcome Outcome, T? Value = default, IDictionary<string, string[]>? Errors = null);

/// <summary>
/// What the pipeline reports, written idempotently: the client supplies the ids, a replay finds them and changes
/// nothing, a tool call is identified by (shave_id, tool_call_id). Each request is one transaction: it is written
/// whole or not at all. Its change goes into the change feed in the same transaction (for pages on other instances)
/// and is published to this instance's pages once committed.
/// </summary>
public sealed partial class IngestionService(
    IDbContextFactory<ShaveTrackerDbContext> factory,
    IOptions<IngestionOptions> options,
    IShaveChangeNotifier notifier,
    ShaveChangeFeed feed,
    TimeProvider clock,
    ShaveTrackerMetrics metrics,
    ILogger<IngestionService> logger)
{
    private const int MaxTitle = 500;
    private const int MaxFigure = 2000;

    // ---- Shaves ---------------------------------------------------------------------------------------------

    public Task<IngestResult<ShaveState>> PutShaveAsync(string client, Guid shaveId, ShaveReport report, CancellationToken ct) =>
        RetryOnConflictAsync(() => PutShaveOnceAsync(client, shaveId, report, ct), ct);

    private async Task<IngestResult<ShaveState>> PutShaveOnceAsync(string client, Guid shaveId, ShaveReport report, CancellationToken ct)
    {
        var errors = new Errors();
        var status = ShaveStatus.Pending;
        if (string.IsNullOrWhiteSpace(report.Title))
        {
            errors.Add("title", "The title is required.");
        }
        else if (report.Title.Trim().Length > MaxTitle)
        {
            errors.Add("title", $"The title is longer than {MaxTitle} characters.");
        }

        if (report.Status is not null && !EnumStrings.TryParseShaveStatus(report.Status, out status))
        {
            errors.Add("status", $"'{report.Status}' is not a shave status: use one of {string.Join(", ", Enum.GetNames<ShaveStatus>())}.");
        }
        else if (report.Status is null)
        {
            errors.Add("status", "The status is required.");
        }

        CheckUrl(errors, "workItemUrl", report.WorkItemUrl);
        CheckUrl(errors, "videoEmbedUrl", report.VideoEmbedUrl);
        if (report.WorkItemSource?.Length > 100)
        {
            errors.Add("workItemSource", "The work item source is longer than 100 characters.");
        }

        if (report.WorkItem is { } workItem)
        {
            CheckUrl(errors, "workItem.screenshotUrl", workItem.ScreenshotUrl);
            Payload(errors, "workItem.description", workItem.Description, options.Value.MaxPayloadFieldChars);
            if (workItem.ScreenshotFigure?.Length > MaxFigure)
            {
                errors.Add("workItem.screenshotFigure", $"The screenshot's caption is longer than {MaxFigure} characters.");
            }
        }

        if (report.Requester is null)
        {
            errors.Add("requester", "The requester is required (userId, objectId or userName).");
        }
        else if (report.Requester.UserId is null && report.Requester.ObjectId is null && string.IsNullOrWhiteSpace(report.Requester.UserName))
        {
            errors.Add("requester", "Give the requester's userId, Entra objectId or local userName.");
        }

        if (report.VideoFile is { } v)
        {
            if (string.IsNullOrWhiteSpace(v.FileName))
            {
                errors.Add("videoFile.fileName", "The video file name is required.");
            }

            if (v.Duration is null or < 0)
            {
                errors.Add("videoFile.duration", "The video duration (seconds, 0 or more) is required.");
            }
        }

        if (errors.Any)
        {
            return new IngestResult<ShaveState>(IngestOutcome.Invalid, Errors: errors.ToDictionary());
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        var shave = await db.Shaves.Include(s => s.VideoFile).Include(s => s.WorkItem).FirstOrDefaultAsync(s => s.Id == shaveId, ct);
        if (shave is null && report.VideoFile is null)
        {
            errors.Add("videoFile", "A new shave needs its video file (fileName, duration).");
        }

        if (report.ProjectId is { } projectId && !await db.Projects.AnyAsync(p => p.Id == projectId, ct))
        {
            errors.Add("projectId", "No project has this id.");
        }

        var requesterId = await ResolveRequesterAsync(db, report.Requester!, errors, now, ct);
        if (errors.Any)
        {
            return new IngestResult<ShaveState>(IngestOutcome.Invalid, Errors: errors.ToDictionary());
        }

        var kind = ShaveChangeKind.Updated;
        if (shave is null)
        {
            var video = new VideoFile
            {
                Id = report.VideoFile!.Id ?? Ids.NewId(),
                FileName = report.VideoFile.FileName!.Trim(),
                FilePath = report.VideoFile.FilePath,
                FileHash = report.VideoFile.FileHash,
                Duration = report.VideoFile.Duration!.Value,
                CreatedAt = now,
            };
            if (await db.VideoFiles.AnyAsync(f => f.Id == video.Id, ct))
            {
                errors.Add("videoFile.id", "This video file already belongs to another shave.");
                return new IngestResult<ShaveState>(IngestOutcome.Invalid, Errors: errors.ToDictionary());
            }

            shave = new Shave
            {
                Id = shaveId,
                VideoFileId = video.Id,
                CreatedAt = report.CreatedAt?.ToUniversalTime() ?? now,
            };
            db.VideoFiles.Add(video);
            db.Shaves.Add(shave);
            Apply(shave, report, status, requesterId);
            db.UserActivities.Add(Activity(shave.Id, "shave.created", now, null, new { title = shave.Title, status = status.ToDb() }));
            kind = ShaveChangeKind.Created;
        }
        else
        {
            var before = shave.ShaveStatus;
            Apply(shave, report, status, requesterId);
            if (report.VideoFile is { } file && shave.VideoFile is { } existing)
            {
                // A moved file keeps its hash and gets a new path.
                existing.FileName = file.FileName!.Trim();
                existing.FilePath = file.FilePath;
                existing.FileHash = file.FileHash;
                existing.Duration = file.Duration!.Value;
            }

            if (before != status)
            {
                db.UserActivities.Add(Activity(shave.Id, "shave.status_changed", now, new { status = before.ToDb() }, new { status = status.ToDb() }));
                kind = ShaveChangeKind.StatusChanged;
            }
        }

        var change = db.ChangeTracker.HasChanges() ? new ShaveChange(shaveId, kind, now) : null;
        if (change is not null)
        {
            feed.Record(db, change);
        }

        await db.SaveChangesAsync(ct);
        if (change is not null)
        {
            LogWrite(logger, "shave", shaveId, client, 1, 0);
            notifier.Publish(change);
        }

        return new IngestResult<ShaveState>(IngestOutcome.Ok, (await ReadStateAsync(db, shaveId, ct))!);
    }

    public async Task<ShaveState?> GetShaveAsync(Guid shaveId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await ReadStateAsync(db, shaveId, ct);
    }

    /// <summary>Pending shaves, oldest first (a re-queued shave goes back in line by its last change).</summary>
    public async Task<IReadOnlyList<PendingShave>> ListPendingAsync(int limit, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await PendingQuery(db, Math.Clamp(limit, 1, 500)).ToListAsync(ct);
    }

    internal static IQueryable<PendingShave> PendingQuery(ShaveTrackerDbContext db, int limit) =>
        db.Shaves.AsNoTracking()
            .Where(s => s.ShaveStatus == ShaveStatus.Pending)
            .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)
            .Take(limit)
            .Select(s => new PendingShave(s.Id, s.Title, s.RequesterId, s.ProjectId, s.CreatedAt, s.UpdatedAt));

    // ---- Steps ----------------------------------------------------------------------------------------------

    public Task<IngestResult<StepState>> PutStepAsync(string client, Guid shaveId, Guid stepId, StepReport report, CancellationToken ct) =>
        RetryOnConflictAsync(() => PutStepOnceAsync(client, shaveId, stepId, report, ct), ct);

    private async Task<IngestResult<StepState>> PutStepOnceAsync(string client, Guid shaveId, Guid stepId, StepReport report, CancellationToken ct)
    {
        var errors = new Errors();
        var status = ProcessStatus.NotStarted;
        if (string.IsNullOrWhiteSpace(report.StepName))
        {
            errors.Add("stepName", "The step name is required (e.g. transcribing).");
        }
        else if (report.StepName.Length > 100)
        {
            errors.Add("stepName", "The step name is longer than 100 characters.");
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

        if (report.ErrorMessage?.Length > 8000)
        {
            errors.Add("errorMessage", "The error message is longer than 8000 characters.");
        }

        if (errors.Any)
        {
            return new IngestResult<StepState>(IngestOutcome.Invalid, Errors: errors.ToDictionary());
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Shaves.AnyAsync(s => s.Id == shaveId, ct))
        {
            return new IngestResult<StepState>(IngestOutcome.NotFound);
        }

        var step = await db.ProcessSteps.FirstOrDefaultAsync(p => p.Id == stepId, ct);
        if (step is not null && step.ShaveId != shaveId)
        {
            errors.Add("id", "This step id belongs to another shave.");
            return new IngestResult<StepState>(IngestOutcome.Invalid, Errors: errors.ToDictionary());
        }

        if (step is null)
        {
            step = new ProcessStep { Id = stepId, ShaveId = shaveId };
            db.ProcessSteps.Add(step);
        }

        step.StepName = report.StepName!.Trim();
        step.ProcessStatus = status;
        step.StartedAt = report.StartedAt!.Value.ToUniversalTime();
        step.CompletedAt = report.CompletedAt?.ToUniversalTime();
        step.ErrorMessage = report.ErrorMessage;

        var change = db.ChangeTracker.HasChanges() ? new ShaveChange(shaveId, ShaveChangeKind.StepsChanged, clock.GetUtcNow().UtcDateTime) : null;
        if (change is not null)
        {
            feed.Record(db, change);
        }

        await db.SaveChangesAsync(ct);
        if (change is not null)
        {
            LogWrite(logger, "step", shaveId, client, 1, 0);
            notifier.Publish(change);
        }

        return new IngestResult<StepState>(IngestOutcome.Ok, new StepState(step.Id, step.StepName, step.ProcessStatus.ToDb(), step.StartedAt, step.CompletedAt, step.ErrorMessage));
    }

    // ---- AI logs and tool calls -----------------------------------------------------------------------------

    public async Task<IngestResult<BatchResult>> AppendRecordsAsync(string client, Guid shaveId, RecordBatch batch, CancellationToken ct)
    {
        var result = await RetryOnConflictAsync(() => AppendRecordsOnceAsync(client, shaveId, batch, ct), ct);
        if (result is { Outcome: IngestOutcome.Ok, Value: { } accepted })
        {
            // Counted once per request, after the retries: a batch that lost a race and was written on the second
            // try is one batch.
            metrics.RecordsAccepted(IngestedRecordKind.AiLog, accepted.AiLogsCreated, accepted.AiLogsUnchanged);
            metrics.RecordsAccepted(IngestedRecordKind.ToolCall, accepted.ToolCallsCreated, accepted.ToolCallsUnchanged);
        }

        return result;
    }

    private async Task<IngestResult<BatchResult>> AppendRecordsOnceAsync(string client, Guid shaveId, RecordBatch batch, CancellationToken ct)
    {
        var aiLogs = batch.AiLogs ?? [];
        var toolCalls = batch.ToolCalls ?? [];
        var o = options.Value;
        var errors = new Errors();
        if (aiLogs.Count + toolCalls.Count == 0)
        {
            errors.Add("", "The batch is empty: send aiLogs and/or toolCalls.");
        }
        else if (aiLogs.Count + toolCalls.Count > o.MaxBatchRecords)
        {
            errors.Add("", $"A batch holds at most {o.MaxBatchRecords} records; this one has {aiLogs.Count + toolCalls.Count}.");
        }

        if (errors.Any)
        {
            return new IngestResult<BatchResult>(IngestOutcome.Invalid, Errors: errors.ToDictionary());
        }

        var now = clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < aiLogs.Count; i++)
        {
            var log = aiLogs[i];
            var at = $"aiLogs[{i}]";
            if (log is null)
            {
                errors.Add(at, "The record is null.");
                continue;
            }

            if (log.Id is null)
            {
                errors.Add($"{at}.id", "The id (a UUID chosen by the client) is required.");
            }

            Required(errors, $"{at}.modelName", log.ModelName, 200);
            Payload(errors, $"{at}.promptText", log.PromptText, o.MaxPayloadFieldChars);
            Payload(errors, $"{at}.responseText", log.ResponseText, o.MaxPayloadFieldChars);
            if (log.DurationMs < 0)
            {
                errors.Add($"{at}.durationMs", "The duration cannot be negative.");
            }
        }

        var batchLogIds = aiLogs.Where(l => l?.Id is not null).Select(l => l.Id!.Value).ToHashSet();
        var toolCallIdsSeen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < toolCalls.Count; i++)
        {
            var call = toolCalls[i];
            var at = $"toolCalls[{i}]";
            if (call is null)
            {
                errors.Add(at, "The record is null.");
                continue;
            }

            Required(errors, $"{at}.toolCallId", call.ToolCallId, 200);
            Required(errors, $"{at}.toolName", call.ToolName, 200);
            Required(errors, $"{at}.serviceName", call.ServiceName, 200);
            if (call.Success is null)
            {
                errors.Add($"{at}.success", "Say whether the call succeeded (true or false).");
            }

            Payload(errors, $"{at}.args", JsonText(call.Args), o.MaxPayloadFieldChars);
            Payload(errors, $"{at}.result", JsonText(call.Result), o.MaxPayloadFieldChars);
            if (call.ToolCallId is not null && !toolCallIdsSeen.Add(call.ToolCallId))
            {
                errors.Add($"{at}.toolCallId", $"'{call.ToolCallId}' appears twice in this batch.");
            }
        }

        if (errors.Any)
        {
            return new IngestResult<BatchResult>(IngestOutcome.Invalid, Errors: errors.ToDictionary());
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Shaves.AnyAsync(s => s.Id == shaveId, ct))
        {
            return new IngestResult<BatchResult>(IngestOutcome.NotFound);
        }

        // References are checked with one query per table, never one per record.
        var stepIds = aiLogs.Select(l => l.ProcessStepId).Concat(toolCalls.Select(c => c.ProcessStepId)).OfType<Guid>().Distinct().ToList();
        var knownSteps = stepIds.Count == 0 ? [] : (await db.ProcessSteps.Where(p => p.ShaveId == shaveId && stepIds.Contains(p.Id))
            .Select(p => p.Id).ToListAsync(ct)).ToHashSet();
        var existingLogs = batchLogIds.Count == 0 ? [] : (await db.AiLogs.Where(l => batchLogIds.Contains(l.Id))
            .Select(l => new { l.Id, l.ShaveId }).ToListAsync(ct)).ToDictionary(l => l.Id, l => l.ShaveId);
        var referencedLogIds = toolCalls.Select(c => c.AiLogId).OfType<Guid>().Where(id => !batchLogIds.Contains(id)).Distinct().ToList();
        var knownLogs = referencedLogIds.Count == 0 ? [] : (await db.AiLogs.Where(l => l.ShaveId == shaveId && referencedLogIds.Contains(l.Id))
            .Select(l => l.Id).ToListAsync(ct)).ToHashSet();
        var callIds = toolCalls.Select(c => c.ToolCallId!).ToList();
        var existingCalls = callIds.Count == 0 ? [] : (await db.ToolCalls.Where(c => c.ShaveId == shaveId && callIds.Contains(c.ToolCallId))
            .Select(c => c.ToolCallId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var callRowIds = toolCalls.Select(c => c.Id).OfType<Guid>().ToList();
        var takenCallRowIds = callRowIds.Count == 0 ? [] : (await db.ToolCalls.Where(c => callRowIds.Contains(c.Id))
            .Select(c => new { c.Id, c.ShaveId, c.ToolCallId }).ToListAsync(ct)).ToDictionary(c => c.Id);

        var newLogs = new List<AiLog>();
        for (var i = 0; i < aiLogs.Count; i++)
        {
            var log = aiLogs[i];
            if (log.ProcessStepId is { } step && !knownSteps.Contains(step))
            {
                errors.Add($"aiLogs[{i}].processStepId", "No step of this shave has this id.");
            }

            if (existingLogs.TryGetValue(log.Id!.Value, out var owner))
            {
                if (owner != shaveId)
                {
                    errors.Add($"aiLogs[{i}].id", "This id belongs to an AI log of another shave.");
                }

                continue;
            }

            newLogs.Add(new AiLog
            {
                Id = log.Id.Value,
                ShaveId = shaveId,
                ProcessStepId = log.ProcessStepId,
                ModelName = log.ModelName!.Trim(),
                PromptText = log.PromptText,
                ResponseText = log.ResponseText,
                DurationMs = log.DurationMs,
                CreatedAt = log.CreatedAt?.ToUniversalTime() ?? now,
            });
        }

        var newCalls = new List<ToolCall>();
        for (var i = 0; i < toolCalls.Count; i++)
        {
            var call = toolCalls[i];
            if (call.ProcessStepId is { } step && !knownSteps.Contains(step))
            {
                errors.Add($"toolCalls[{i}].processStepId", "No step of this shave has this id.");
            }

            if (call.AiLogId is { } logId && !batchLogIds.Contains(logId) && !knownLogs.Contains(logId))
            {
                errors.Add($"toolCalls[{i}].aiLogId", "No AI log of this shave has this id.");
            }

            if (call.Id is { } rowId && takenCallRowIds.TryGetValue(rowId, out var taken) &&
                (taken.ShaveId != shaveId || taken.ToolCallId != call.ToolCallId))
            {
                errors.Add($"toolCalls[{i}].id", "This id belongs to another tool call.");
            }

            if (existingCalls.Contains(call.ToolCallId!))
            {
                continue;
            }

            newCalls.Add(new ToolCall
            {
                Id = call.Id ?? Ids.NewId(),
                ShaveId = shaveId,
                ProcessStepId = call.ProcessStepId,
                AiLogId = call.AiLogId,
                ToolCallId = call.ToolCallId!,
                ToolName = call.ToolName!.Trim(),
                ServiceName = call.ServiceName!.Trim(),
                ArgsJson = JsonText(call.Args),
                ResultJson = JsonText(call.Result),
                Success = call.Success!.Value,
                DurationMs = call.DurationMs,
                CreatedAt = call.CreatedAt?.ToUniversalTime() ?? now,
            });
        }

        if (errors.Any)
        {
            return new IngestResult<BatchResult>(IngestOutcome.Invalid, Errors: errors.ToDictionary());
        }

        if (newLogs.Count + newCalls.Count > 0)
        {
            // Large batches: EF batches the INSERTs; change tracking of hundreds of new rows is not needed after.
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.AiLogs.AddRange(newLogs);
            db.ToolCalls.AddRange(newCalls);
            var change = new ShaveChange(shaveId, ShaveChangeKind.RecordsAdded, now);
            feed.Record(db, change);
            await db.SaveChangesAsync(ct);
            LogWrite(logger, "records", shaveId, client, newLogs.Count + newCalls.Count, aiLogs.Count + toolCalls.Count - newLogs.Count - newCalls.Count);
            notifier.Publish(change);
        }

        return new IngestResult<BatchResult>(IngestOutcome.Ok, new BatchResult(newLogs.Count, aiLogs.Count - newLogs.Count, newCalls.Count, toolCalls.Count - newCalls.Count));
    }

    // ---- Transcript -----------------------------------------------------------------------------------------

    /// <summary>Attaches the transcript, replacing any earlier one of the shave. The id makes a replay a no-op.</summary>
    public Task<IngestResult<Guid>> PutTranscriptAsync(string client, Guid shaveId, TranscriptReport report, CancellationToken ct) =>
        RetryOnConflictAsync(() => PutTranscriptOnceAsync(client, shaveId, report, ct), ct);

    private async Task<IngestResult<Guid>> PutTranscriptOnceAsync(string client, Guid shaveId, TranscriptReport report, CancellationToken ct)
    {
        var errors = new Errors();
        if (report.Id is null)
        {
            errors.Add("id", "The id (a UUID chosen by the client) is required.");
        }

        if (string.IsNullOrWhiteSpace(report.Text))
        {
            errors.Add("text", "The text is required.");
        }

        Payload(errors, "text", report.Text, options.Value.MaxPayloadFieldChars);
        if (errors.Any)
        {
            return new IngestResult<Guid>(IngestOutcome.Invalid, Errors: errors.ToDictionary());
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Shaves.AnyAsync(s => s.Id == shaveId, ct))
        {
            return new IngestResult<Guid>(IngestOutcome.NotFound);
        }

        var existing = await db.Transcripts.Where(t => t.ShaveId == shaveId).ToListAsync(ct);
        var current = existing.FirstOrDefault(t => t.Id == report.Id);
        if (current is null && await db.Transcripts.AnyAsync(t => t.Id == report.Id, ct))
        {
            errors.Add("id", "This id belongs to another shave's transcript.");
            return new IngestResult<Guid>(IngestOutcome.Invalid, Errors: errors.ToDictionary());
        }

        db.Transcripts.RemoveRange(existing.Where(t => t.Id != report.Id));
        if (current is null)
        {
            db.Transcripts.Add(new Transcript { Id = report.Id!.Value, ShaveId = shaveId, Text = report.Text!, CreatedAt = report.CreatedAt?.ToUniversalTime() ?? clock.GetUtcNow().UtcDateTime });
        }
        else
        {
            current.Text = report.Text!;
        }

        var change = db.ChangeTracker.HasChanges() ? new ShaveChange(shaveId, ShaveChangeKind.TranscriptChanged, clock.GetUtcNow().UtcDateTime) : null;
        if (change is not null)
        {
            feed.Record(db, change);
        }

        await db.SaveChangesAsync(ct);
        if (change is not null)
        {
            LogWrite(logger, "transcript", shaveId, client, 1, 0);
            notifier.Publish(change);
        }

        return new IngestResult<Guid>(IngestOutcome.Ok, report.Id!.Value);
    }

    // ---- Helpers --------------------------------------------------------------------------------------------

    /// <summary>
    /// Two clients reporting the same new thing at the same moment (a retry racing its original, two workers naming
    /// the same new requester) meet at a unique key: the loser's transaction wrote nothing, and running it again
    /// finds the winner's row and answers as a replay.
    /// </summary>
    private static async Task<T> RetryOnConflictAsync<T>(Func<Task<T>> write, CancellationToken ct)
    {
        // One report can meet two races in a row (the new requester, then the new shave), so a few tries.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await write();
            }
            catch (DbUpdateException) when (attempt < 3 && !ct.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>
    /// Title, status and requester are always given; an optional field left out (null) keeps its current value, so
    /// a pipeline that only reports a new status does not erase the work item or the video link.
    /// </summary>
    private static void Apply(Shave shave, ShaveReport report, ShaveStatus status, Guid requesterId)
    {
        shave.Title = report.Title!.Trim();
        shave.ShaveStatus = status;
        shave.RequesterId = requesterId;
        shave.ProjectId = report.ProjectId ?? shave.ProjectId;
        shave.WorkItemUrl = report.WorkItemUrl?.Trim() ?? shave.WorkItemUrl;
        shave.WorkItemSource = report.WorkItemSource?.Trim() ?? shave.WorkItemSource ?? "";
        shave.VideoEmbedUrl = report.VideoEmbedUrl?.Trim() ?? shave.VideoEmbedUrl;
        if (report.WorkItem is { } item && (item.Description ?? item.ScreenshotUrl ?? item.ScreenshotFigure) is not null)
        {
            shave.WorkItem ??= new ShaveWorkItem { ShaveId = shave.Id };
            shave.WorkItem.Description = item.Description ?? shave.WorkItem.Description;
            shave.WorkItem.ScreenshotUrl = item.ScreenshotUrl?.Trim() ?? shave.WorkItem.ScreenshotUrl;
            shave.WorkItem.ScreenshotFigure = item.ScreenshotFigure?.Trim() ?? shave.WorkItem.ScreenshotFigure;
        }
    }

    private static async Task<Guid> ResolveRequesterAsync(ShaveTrackerDbContext db, RequesterReport requester, Errors errors, DateTime now, CancellationToken ct)
    {
        if (requester.UserId is { } userId)
        {
            if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
            {
                errors.Add("requester.userId", "No user has this id.");
            }

            return userId;
        }

        var displayName = string.IsNullOrWhiteSpace(requester.DisplayName) ? null : requester.DisplayName.Trim();
        if (displayName?.Length > 256)
        {
            errors.Add("requester.displayName", "The display name is longer than 256 characters.");
            return Guid.Empty;
        }

        if (requester.ObjectId is { } objectId)
        {
            // An Entra user who has not signed in yet: the row their first sign-in would create, created now.
            if (!await db.Users.AnyAsync(u => u.Id == objectId, ct))
            {
                db.Users.Add(new User { Id = objectId, AuthProvider = AuthProvider.Microsoft, DisplayName = displayName ?? "Microsoft user", CreatedAt = now });
            }

            return objectId;
        }

        var userName = requester.UserName!.Trim().ToLowerInvariant();
        if (userName.Length > 256)
        {
            errors.Add("requester.userName", "The username is longer than 256 characters.");
            return Guid.Empty;
        }

        var account = await db.LocalAccounts.FirstOrDefaultAsync(a => a.UserName == userName, ct);
        if (account is not null)
        {
            return account.UserId;
        }

        // A local user without a password yet: an admin sets one before they can sign in (an empty hash never verifies).
        var user = new User { Id = Ids.NewId(), AuthProvider = AuthProvider.Local, DisplayName = displayName ?? userName, CreatedAt = now };
        db.Users.Add(user);
        db.LocalAccounts.Add(new LocalAccount { UserId = user.Id, UserName = userName, PasswordHash = "" });
        return user.Id;
    }

    private static async Task<ShaveState?> ReadStateAsync(ShaveTrackerDbContext db, Guid shaveId, CancellationToken ct)
    {
        var shave = await db.Shaves.AsNoTracking().Where(s => s.Id == shaveId)
            .Select(s => new
            {
                s.Id, s.Title, s.ShaveStatus, s.RequesterId, s.ProjectId, s.VideoFileId, s.WorkItemUrl, s.WorkItemSource, s.VideoEmbedUrl,
                s.CreatedAt, s.UpdatedAt,
                AiLogs = s.AiLogs.Count(),
                ToolCalls = s.ToolCalls.Count(),
                HasTranscript = s.Transcripts.Any(),
            })
            .FirstOrDefaultAsync(ct);
        if (shave is null)
        {
            return null;
        }

        var steps = await db.ProcessSteps.AsNoTracking().Where(p => p.ShaveId == shaveId)
            .OrderBy(p => p.StartedAt).ThenBy(p => p.Id)
            .Select(p => new { p.Id, p.StepName, p.ProcessStatus, p.StartedAt, p.CompletedAt, p.ErrorMessage })
            .ToListAsync(ct);
        return new ShaveState(shave.Id, shave.Title, shave.ShaveStatus.ToDb(), shave.RequesterId, shave.ProjectId, shave.VideoFileId,
            shave.WorkItemUrl, shave.WorkItemSource, shave.VideoEmbedUrl, shave.CreatedAt, shave.UpdatedAt,
            steps.Select(p => new StepState(p.Id, p.StepName, p.ProcessStatus.ToDb(), p.StartedAt, p.CompletedAt, p.ErrorMessage)).ToList(),
            shave.AiLogs, shave.ToolCalls, shave.HasTranscript);
    }

    private static UserActivity Activity(Guid shaveId, string type, DateTime now, object? before, object after) => new()
    {
        Id = Ids.NewId(),
        ShaveId = shaveId,
        UserId = null,
        ActivityType = type,
        TargetTable = "shaves",
        TargetId = shaveId,
        DetailsJson = JsonSerializer.Serialize(new { before, after }),
        CreatedAt = now,
    };

    private static string? JsonText(JsonElement? value) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { } v => v.GetRawText(),
    };

    private static void CheckUrl(Errors errors, string field, string? url)
    {
        if (!string.IsNullOrWhiteSpace(url) && UrlRules.Check(url, 2048) is { } message)
        {
            errors.Add(field, message);
        }
    }

    private static void Required(Errors errors, string field, string? value, int max)
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

    private static void Payload(Errors errors, string field, string? value, int max)
    {
        if (value?.Length > max)
        {
            errors.Add(field, $"This field has {value.Length:N0} characters; the limit is {max:N0} (Ingestion:MaxPayloadFieldChars).");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest {Operation} for shave {ShaveId} by {Client}: {Written} written, {Unchanged} unchanged")]
    private static partial void LogWrite(ILogger logger, string operation, Guid shaveId, string client, int written, int unchanged);

    /// <summary>Field errors in the shape ValidationProblemDetails wants.</summary>
    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public bool Any => _errors.Count > 0;

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                _errors[field] = list = [];
            }

            list.Add(message);
        }

        public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }
}
