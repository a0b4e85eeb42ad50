using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Infrastructure.Telemetry;

namespace ShaveTracker.Web.WritePath;

/// <summary>
/// What a source reports about a shave (the pipeline's API today; every new source translates into these calls),
/// written idempotently: the client supplies the ids, a replay finds them and changes nothing, a tool call is
/// identified by (shave_id, tool_call_id). Each call checks the report (<see cref="ReportRules"/>), loads what it
/// refers to, builds the rows and saves them through <see cref="ShaveWriter"/>: written whole or not at all, with
/// its change in the change feed of the same transaction. The <see cref="Credential"/> of each call says what it may
/// write (a person's own credential: only that person's shaves; a worker's: any shave, but not its requester once
/// set) and is named in the logs and in every audit row the call writes.
/// </summary>
public sealed partial class IngestionService(
    IDbContextFactory<ShaveTrackerDbContext> factory,
    IOptions<IngestionOptions> options,
    ShaveWriter writer,
    TimeProvider clock,
    ShaveTrackerMetrics metrics,
    ILogger<IngestionService> logger)
{
    // ---- Shaves ---------------------------------------------------------------------------------------------

    public Task<CommandResult<ShaveState>> PutShaveAsync(Credential credential, Guid shaveId, ShaveReport report, CancellationToken ct) =>
        ShaveWriter.RetryOnConflictAsync(() => PutShaveOnceAsync(credential, shaveId, report, ct), ct);

    private async Task<CommandResult<ShaveState>> PutShaveOnceAsync(Credential credential, Guid shaveId, ShaveReport report, CancellationToken ct)
    {
        var errors = ReportRules.Shave(report, options.Value, out var status);
        if (errors.Any)
        {
            return errors.ToResult<ShaveState>();
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

        if (shave is not null && !credential.MayWriteShaveOf(shave.RequesterId))
        {
            // Someone else's shave is, to a person's own credential, a shave that does not exist.
            return CommandResult<ShaveState>.NotFound();
        }

        var requesterId = await Requesters.ResolveAsync(db, report.Requester!, errors, now, ct);
        CheckRequester(credential, shave, requesterId, errors);
        if (shave is null && !errors.Any && report.VideoFile!.Id is { } fileId && await db.VideoFiles.AnyAsync(f => f.Id == fileId, ct))
        {
            if (await db.Shaves.AnyAsync(s => s.Id == shaveId, ct))
            {
                // The same new shave, committed a moment ago by a report racing this one (a retry sent before its
                // original was answered): this report is its replay, as it would be had it come a moment later.
                return await PutShaveOnceAsync(credential, shaveId, report, ct);
            }

            errors.Add("videoFile.id", "This video file already belongs to another shave.");
        }

        if (errors.Any)
        {
            return errors.ToResult<ShaveState>();
        }

        var kind = shave is null ? ShaveChangeKind.Created : ShaveChangeKind.Updated;
        if (shave is null)
        {
            shave = NewShave(db, shaveId, report, now);
            Apply(shave, report, status, requesterId);
            db.UserActivities.Add(ShaveAudit.Created(shave.Id, credential.AuditUserId, shave.Title, status, now, credential));
        }
        else
        {
            var before = shave.ShaveStatus;
            var projectBefore = shave.ProjectId;
            Apply(shave, report, status, requesterId);
            UpdateVideo(shave, report.VideoFile);
            if (before != status)
            {
                db.UserActivities.Add(ShaveAudit.StatusChanged(shave.Id, credential.AuditUserId, before, status, now, credential));
                kind = ShaveChangeKind.StatusChanged;
            }

            if (projectBefore != shave.ProjectId)
            {
                var names = await db.Projects.Where(p => p.Id == projectBefore || p.Id == shave.ProjectId).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
                db.UserActivities.Add(ShaveAudit.ProjectChanged(shave.Id, credential.AuditUserId,
                    (projectBefore, projectBefore is { } from ? names.GetValueOrDefault(from) : null),
                    (shave.ProjectId, shave.ProjectId is { } to ? names.GetValueOrDefault(to) : null), now, credential));
            }
        }

        if (await writer.SaveAsync(db, new ShaveChange(shaveId, kind, now), ct))
        {
            LogWrite(logger, "shave", shaveId, credential.Id, 1, 0);
        }

        return CommandResult<ShaveState>.Success(await ReadStateAsync(db, shaveId, ct));
    }

    /// <summary>
    /// A shave is a person's to write when they requested it, and any worker's. The requester of an existing shave is
    /// not a worker's to change: moving a shave hands its transcript and history to someone else.
    /// </summary>
    private static void CheckRequester(Credential credential, Shave? shave, Guid requesterId, FieldErrors errors)
    {
        if (!credential.MayWriteShaveOf(requesterId))
        {
            errors.Add("requester", "This credential is a person's own: it reports only that person's shaves, so the requester must be them.");
        }
        else if (shave is not null && shave.RequesterId != requesterId)
        {
            errors.Add("requester", "A shave's requester cannot be changed through the API once the shave exists. Send the requester it has.");
        }
    }

    public async Task<ShaveState?> GetShaveAsync(Credential credential, Guid shaveId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(credential);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Shaves.AnyAsync(s => s.Id == shaveId && (credential.PersonId == null || s.RequesterId == credential.PersonId), ct)
            ? await ReadStateAsync(db, shaveId, ct)
            : null;
    }

    /// <summary>True when the shave exists and this credential may write it (to a person's credential, only their own exist).</summary>
    internal static Task<bool> MayWriteAsync(ShaveTrackerDbContext db, Credential credential, Guid shaveId, CancellationToken ct) =>
        credential.PersonId is { } person
            ? db.Shaves.AnyAsync(s => s.Id == shaveId && s.RequesterId == person, ct)
            : db.Shaves.AnyAsync(s => s.Id == shaveId, ct);

    /// <summary>
    /// Pending shaves, oldest first (a re-queued shave goes back in line by its last change): every one for a worker,
    /// the person's own for a person's credential.
    /// </summary>
    public async Task<IReadOnlyList<PendingShave>> ListPendingAsync(Credential credential, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(credential);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await PendingQuery(db, Math.Clamp(limit, 1, 500), credential.PersonId).ToListAsync(ct);
    }

    internal static IQueryable<PendingShave> PendingQuery(ShaveTrackerDbContext db, int limit, Guid? requesterId = null) =>
        db.Shaves.AsNoTracking()
            .Where(s => s.ShaveStatus == ShaveStatus.Pending && (requesterId == null || s.RequesterId == requesterId))
            .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)
            .Take(limit)
            .Select(s => new PendingShave(s.Id, s.Title, s.RequesterId, s.ProjectId, s.CreatedAt, s.UpdatedAt));

    // ---- Steps ----------------------------------------------------------------------------------------------

    public Task<CommandResult<StepState>> PutStepAsync(Credential credential, Guid shaveId, Guid stepId, StepReport report, CancellationToken ct) =>
        ShaveWriter.RetryOnConflictAsync(() => PutStepOnceAsync(credential, shaveId, stepId, report, ct), ct);

    private async Task<CommandResult<StepState>> PutStepOnceAsync(Credential credential, Guid shaveId, Guid stepId, StepReport report, CancellationToken ct)
    {
        var errors = ReportRules.Step(report, out var status);
        if (errors.Any)
        {
            return errors.ToResult<StepState>();
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await MayWriteAsync(db, credential, shaveId, ct))
        {
            return CommandResult<StepState>.NotFound();
        }

        var step = await db.ProcessSteps.FirstOrDefaultAsync(p => p.Id == stepId, ct);
        if (step is not null && step.ShaveId != shaveId)
        {
            return CommandResult<StepState>.Invalid("id", "This step id belongs to another shave.");
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

        if (await writer.SaveAsync(db, new ShaveChange(shaveId, ShaveChangeKind.StepsChanged, clock.GetUtcNow().UtcDateTime), ct))
        {
            LogWrite(logger, "step", shaveId, credential.Id, 1, 0);
        }

        return CommandResult<StepState>.Success(new StepState(step.Id, step.StepName, step.ProcessStatus.ToDb(), step.StartedAt, step.CompletedAt, step.ErrorMessage));
    }

    // ---- Transcript -----------------------------------------------------------------------------------------

    /// <summary>
    /// Attaches the transcript, replacing any earlier one of the shave; the audit trail keeps the text it replaced.
    /// The id makes a replay a no-op.
    /// </summary>
    public Task<CommandResult<Guid>> PutTranscriptAsync(Credential credential, Guid shaveId, TranscriptReport report, CancellationToken ct) =>
        ShaveWriter.RetryOnConflictAsync(() => PutTranscriptOnceAsync(credential, shaveId, report, ct), ct);

    private async Task<CommandResult<Guid>> PutTranscriptOnceAsync(Credential credential, Guid shaveId, TranscriptReport report, CancellationToken ct)
    {
        var errors = ReportRules.Transcript(report, options.Value);
        if (errors.Any)
        {
            return errors.ToResult<Guid>();
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await MayWriteAsync(db, credential, shaveId, ct))
        {
            return CommandResult<Guid>.NotFound();
        }

        var existing = await db.Transcripts.Where(t => t.ShaveId == shaveId).ToListAsync(ct);
        var current = existing.FirstOrDefault(t => t.Id == report.Id);
        if (current is null && await db.Transcripts.AnyAsync(t => t.Id == report.Id, ct))
        {
            return CommandResult<Guid>.Invalid("id", "This id belongs to another shave's transcript.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var id = report.Id!.Value;
        var replaced = existing.Where(t => t.Id != id).ToList();
        db.Transcripts.RemoveRange(replaced);
        if (current is null)
        {
            db.Transcripts.Add(new Transcript { Id = id, ShaveId = shaveId, Text = report.Text!, CreatedAt = report.CreatedAt?.ToUniversalTime() ?? now });
        }
        else if (current.Text != report.Text)
        {
            replaced.Add(new Transcript { Id = id, Text = current.Text });
            current.Text = report.Text!;
        }

        if (current is null && replaced.Count == 0)
        {
            db.UserActivities.Add(ShaveAudit.Transcript(shaveId, credential, id, report.Text!.Length, earlier: null, now));
        }

        foreach (var earlier in replaced)
        {
            db.UserActivities.Add(ShaveAudit.Transcript(shaveId, credential, id, report.Text!.Length, (earlier.Id, earlier.Text), now));
        }

        if (await writer.SaveAsync(db, new ShaveChange(shaveId, ShaveChangeKind.TranscriptChanged, now), ct))
        {
            LogWrite(logger, "transcript", shaveId, credential.Id, 1, 0);
        }

        return CommandResult<Guid>.Success(report.Id!.Value);
    }

    // ---- Helpers --------------------------------------------------------------------------------------------

    private static Shave NewShave(ShaveTrackerDbContext db, Guid shaveId, ShaveReport report, DateTime now)
    {
        var file = report.VideoFile!;
        var video = new VideoFile
        {
            Id = file.Id ?? Ids.NewId(),
            FileName = file.FileName!.Trim(),
            FilePath = file.FilePath,
            FileHash = file.FileHash,
            Duration = file.Duration!.Value,
            CreatedAt = now,
        };
        var shave = new Shave { Id = shaveId, VideoFileId = video.Id, CreatedAt = report.CreatedAt?.ToUniversalTime() ?? now };
        db.VideoFiles.Add(video);
        db.Shaves.Add(shave);
        return shave;
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
        ApplyWorkItem(shave, report.WorkItem);
    }

    /// <summary>The work item's body and screenshot, kept beside the shave (shave_work_items); a field left out keeps its value.</summary>
    private static void ApplyWorkItem(Shave shave, WorkItemReport? item)
    {
        if (item is null || (item.Description ?? item.ScreenshotUrl ?? item.ScreenshotFigure) is null)
        {
            return;
        }

        shave.WorkItem ??= new ShaveWorkItem { ShaveId = shave.Id };
        shave.WorkItem.Description = item.Description ?? shave.WorkItem.Description;
        shave.WorkItem.ScreenshotUrl = item.ScreenshotUrl?.Trim() ?? shave.WorkItem.ScreenshotUrl;
        shave.WorkItem.ScreenshotFigure = item.ScreenshotFigure?.Trim() ?? shave.WorkItem.ScreenshotFigure;
    }

    private static void UpdateVideo(Shave shave, VideoFileReport? file)
    {
        if (file is not null && shave.VideoFile is { } existing)
        {
            // A moved file keeps its hash and gets a new path.
            existing.FileName = file.FileName!.Trim();
            existing.FilePath = file.FilePath;
            existing.FileHash = file.FileHash;
            existing.Duration = file.Duration!.Value;
        }
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

        var steps = await db.StepsInOrder(shaveId)
            .Select(p => new { p.Id, p.StepName, p.ProcessStatus, p.StartedAt, p.CompletedAt, p.ErrorMessage })
            .ToListAsync(ct);
        return new ShaveState(shave.Id, shave.Title, shave.ShaveStatus.ToDb(), shave.RequesterId, shave.ProjectId, shave.VideoFileId,
            shave.WorkItemUrl, shave.WorkItemSource, shave.VideoEmbedUrl, shave.CreatedAt, shave.UpdatedAt,
            steps.Select(p => new StepState(p.Id, p.StepName, p.ProcessStatus.ToDb(), p.StartedAt, p.CompletedAt, p.ErrorMessage)).ToList(),
            shave.AiLogs, shave.ToolCalls, shave.HasTranscript);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest {Operation} for shave {ShaveId} by {Client}: {Written} written, {Unchanged} unchanged")]
    private static partial void LogWrite(ILogger logger, string operation, Guid shaveId, string client, int written, int unchanged);
}
