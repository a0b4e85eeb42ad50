using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Web.Features.Shaves;

// What staff change: each change is validated (ShaveEditRules, ShaveTransitions), built on one context with its audit
// rows (ShaveAudit), and saved through the write path (ShaveWriter), which records and publishes the live update.
public sealed partial class ShavesService
{
    private const string OnlyStaff = "Only staff can change shaves.";
    private const string Gone = "This shave no longer exists.";

    public async Task<CommandResult<ShaveDetail>> UpdateAsync(Caller caller, Guid id, ShaveEdit edit, CancellationToken ct)
    {
        if (!caller.CanManageShaves)
        {
            return CommandResult<ShaveDetail>.Forbidden(OnlyStaff);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var shave = await db.Shaves.Include(s => s.Project).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (shave is null)
        {
            return CommandResult<ShaveDetail>.NotFound(Gone);
        }

        var errors = ShaveEditRules.Validate(edit);
        string? newProjectName = shave.Project?.Name;
        if (edit.ProjectId is { } projectId && projectId != shave.ProjectId)
        {
            var project = await db.Projects.Where(p => p.Id == projectId).Select(p => new { p.IsActive, p.Name }).FirstOrDefaultAsync(ct);
            newProjectName = project?.Name;
            if (ShaveEditRules.ProjectError(project?.IsActive) is { } projectError)
            {
                errors[nameof(ShaveEdit.ProjectId)] = projectError;
            }
        }

        if (errors.Count > 0)
        {
            return CommandResult<ShaveDetail>.Invalid(errors);
        }

        // The version the editor loaded, not the one just read: a stale copy then updates no row.
        db.Entry(shave).Property(s => s.UpdatedAt).OriginalValue = edit.ExpectedUpdatedAt;
        var before = Snapshot(shave);
        shave.Title = edit.Title.Trim();
        shave.ProjectId = edit.ProjectId;
        shave.ShaveStatus = edit.Status;
        shave.WorkItemUrl = string.IsNullOrWhiteSpace(edit.WorkItemUrl) ? null : edit.WorkItemUrl.Trim();
        shave.WorkItemSource = edit.WorkItemSource?.Trim() ?? "";
        var after = Snapshot(shave) with { ProjectName = edit.ProjectId is null ? null : newProjectName };
        var now = clock.GetUtcNow().UtcDateTime;
        AuditEdit(db, shave.Id, caller.UserId, before, after, now);
        if (!db.ChangeTracker.HasChanges())
        {
            return CommandResult<ShaveDetail>.Success(await LoadDetailAsync(db, caller, id, ct));
        }

        try
        {
            await writer.SaveAsync(db, new ShaveChange(id, before.Status != after.Status ? ShaveChangeKind.StatusChanged : ShaveChangeKind.Updated, now), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await factory.CreateDbContextAsync(ct);
            var current = await LoadDetailAsync(fresh, caller, id, ct);
            return current is null
                ? CommandResult<ShaveDetail>.NotFound("This shave was deleted while you were editing it.")
                : CommandResult<ShaveDetail>.Conflict(current,
                    "Someone else saved this shave while you were editing it. Nothing of yours was saved: review their values and apply your changes again.");
        }

        LogShaveChanged(logger, caller.UserId, "updated", id);
        return CommandResult<ShaveDetail>.Success(await LoadDetailAsync(db, caller, id, ct));
    }

    /// <summary>
    /// Staff cancel any shave; a requester cancels their own (audited as theirs). Someone else's shave is not found
    /// for a requester, as everywhere.
    /// </summary>
    public Task<CommandResult<ShaveDetail>> CancelAsync(Caller caller, Guid id, DateTime? expectedUpdatedAt, CancellationToken ct) =>
        TransitionAsync(caller, id, expectedUpdatedAt, ShaveTransitions.Cancel, ct);

    /// <summary>Staff re-queue any shave; a requester re-queues their own, as with <see cref="CancelAsync"/>.</summary>
    public Task<CommandResult<ShaveDetail>> RequeueAsync(Caller caller, Guid id, DateTime? expectedUpdatedAt, CancellationToken ct) =>
        TransitionAsync(caller, id, expectedUpdatedAt, ShaveTransitions.Requeue, ct);

    /// <summary>
    /// The requester takes back a shave of their own (<see cref="ShaveTransitions.Withdraw"/>): audited as theirs;
    /// another person's shave is not found, as everywhere.
    /// </summary>
    public Task<CommandResult<ShaveDetail>> WithdrawOwnAsync(Caller caller, Guid id, CancellationToken ct) =>
        TransitionAsync(caller, id, expectedUpdatedAt: null, ShaveTransitions.Withdraw, ct);

    private async Task<CommandResult<ShaveDetail>> TransitionAsync(Caller caller, Guid id, DateTime? expectedUpdatedAt, ShaveTransition transition,
        CancellationToken ct)
    {
        // Staff act on every shave; everyone else on their own only (the page offers them nothing more).
        var own = transition.ByRequester || !caller.CanManageShaves;
        await using var db = await factory.CreateDbContextAsync(ct);
        var shave = await db.Shaves.FirstOrDefaultAsync(s => s.Id == id && (!own || s.RequesterId == caller.UserId), ct);
        if (shave is null)
        {
            return CommandResult<ShaveDetail>.NotFound(Gone);
        }

        if (transition.ByRequester && shave.ShaveStatus == transition.To)
        {
            return CommandResult<ShaveDetail>.Success(await LoadDetailAsync(db, caller, id, ct));
        }

        if (!transition.AllowedFrom(shave.ShaveStatus))
        {
            return CommandResult<ShaveDetail>.Invalid("Status", $"A {shave.ShaveStatus} shave cannot become {transition.To}.");
        }

        // A person acts on the version they loaded; the desktop's Undo on what is there now (the version just read).
        if (!transition.ByRequester)
        {
            db.Entry(shave).Property(s => s.UpdatedAt).OriginalValue = expectedUpdatedAt;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        db.UserActivities.Add(ShaveAudit.StatusChanged(id, caller.UserId, shave.ShaveStatus, transition.To, now));
        shave.ShaveStatus = transition.To;
        try
        {
            await writer.SaveAsync(db, new ShaveChange(id, ShaveChangeKind.StatusChanged, now), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await factory.CreateDbContextAsync(ct);
            return CommandResult<ShaveDetail>.Conflict(await LoadDetailAsync(fresh, caller, id, ct),
                "Someone else changed this shave a moment ago. Nothing was changed: check its current state and try again.");
        }

        LogShaveChanged(logger, caller.UserId, transition.Name, id);
        return CommandResult<ShaveDetail>.Success(await LoadDetailAsync(db, caller, id, ct));
    }

    /// <summary>Removes the shave, every row that belongs to it, and its video file row, in one transaction.</summary>
    public async Task<CommandResult<Done>> DeleteAsync(Caller caller, Guid id, CancellationToken ct)
    {
        if (!caller.CanDeleteShaves)
        {
            return CommandResult<Done>.Forbidden("Only admins can delete shaves.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await ActingUser.MayNowAsync(db, caller, Capability.DeleteShaves, ct))
        {
            return CommandResult<Done>.Forbidden("Only admins can delete shaves, and you are no longer an admin.");
        }

        var shave = await db.Shaves.AsNoTracking().Where(s => s.Id == id)
            .Select(s => new { s.Id, s.Title, s.VideoFileId, s.RequesterId, s.ShaveStatus })
            .FirstOrDefaultAsync(ct);
        if (shave is null)
        {
            return CommandResult<Done>.NotFound(Gone);
        }

        await writer.DeleteAsync(db, id, shave.VideoFileId, clock.GetUtcNow().UtcDateTime, ct);
        LogShaveDeleted(logger, caller.UserId, id, shave.Title, shave.RequesterId, shave.ShaveStatus.ToDb());
        return CommandResult<Done>.Success(Done.Value);
    }

    public Task<BulkResult> BulkMoveAsync(Caller caller, IReadOnlyCollection<Guid> ids, Guid? projectId, CancellationToken ct) =>
        BulkMoveAsync(caller, BulkTarget.Rows(ids), projectId, ct);

    public async Task<BulkResult> BulkMoveAsync(Caller caller, BulkTarget target, Guid? projectId, CancellationToken ct)
    {
        if (!caller.CanManageShaves)
        {
            return target.Refused(OnlyStaff);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        string? projectName = null;
        if (projectId is not null)
        {
            var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, ct);
            if (project is null || !project.IsActive)
            {
                return target.Refused("Choose an active project.");
            }

            projectName = project.Name;
        }

        var (shaves, refusal) = await BulkShavesAsync(db, caller, target, ct);
        if (refusal is not null)
        {
            return target.Refused(refusal);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var changes = new List<ShaveChange>();
        foreach (var shave in shaves.Where(s => s.ProjectId != projectId))
        {
            db.UserActivities.Add(ShaveAudit.ProjectChanged(shave.Id, caller.UserId, (shave.ProjectId, shave.Project?.Name), (projectId, projectName), now));
            shave.ProjectId = projectId;
            changes.Add(new ShaveChange(shave.Id, ShaveChangeKind.Updated, now));
        }

        await writer.SaveAsync(db, changes, ct);
        LogBulk(logger, caller.UserId, "moved", changes.Count);
        return new BulkResult(changes.Count, target.Count - changes.Count, []);
    }

    public Task<BulkResult> BulkCancelAsync(Caller caller, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        BulkTransitionAsync(caller, BulkTarget.Rows(ids), ShaveTransitions.Cancel, ct);

    public Task<BulkResult> BulkCancelAsync(Caller caller, BulkTarget target, CancellationToken ct) =>
        BulkTransitionAsync(caller, target, ShaveTransitions.Cancel, ct);

    public Task<BulkResult> BulkRequeueAsync(Caller caller, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        BulkTransitionAsync(caller, BulkTarget.Rows(ids), ShaveTransitions.Requeue, ct);

    public Task<BulkResult> BulkRequeueAsync(Caller caller, BulkTarget target, CancellationToken ct) =>
        BulkTransitionAsync(caller, target, ShaveTransitions.Requeue, ct);

    /// <summary>One transaction: each eligible shave changes with its activity row; the others are reported as skipped.</summary>
    private async Task<BulkResult> BulkTransitionAsync(Caller caller, BulkTarget target, ShaveTransition transition, CancellationToken ct)
    {
        if (!caller.CanManageShaves)
        {
            return target.Refused(OnlyStaff);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var (shaves, refusal) = await BulkShavesAsync(db, caller, target, ct);
        if (refusal is not null)
        {
            return target.Refused(refusal);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var messages = new List<string>();
        var changes = new List<ShaveChange>();
        foreach (var shave in shaves)
        {
            if (!transition.AllowedFrom(shave.ShaveStatus))
            {
                messages.Add($"“{shave.Title}” is {shave.ShaveStatus}: left as it is.");
                continue;
            }

            db.UserActivities.Add(ShaveAudit.StatusChanged(shave.Id, caller.UserId, shave.ShaveStatus, transition.To, now));
            shave.ShaveStatus = transition.To;
            changes.Add(new ShaveChange(shave.Id, ShaveChangeKind.StatusChanged, now));
        }

        await writer.SaveAsync(db, changes, ct);
        LogBulk(logger, caller.UserId, transition.Name, changes.Count);
        return new BulkResult(changes.Count, target.Count - changes.Count, messages);
    }

    /// <summary>
    /// The shaves a bulk action applies to, tracked on <paramref name="db"/>: the ticked rows, or every shave the view
    /// matches now (the same filter as the list, for this caller). A view that matches another number of shaves than
    /// the one the person confirmed is refused whole: they agreed to change that many, not what has arrived since.
    /// </summary>
    private static async Task<(List<Shave> Shaves, string? Refusal)> BulkShavesAsync(ShaveTrackerDbContext db, Caller caller, BulkTarget target,
        CancellationToken ct)
    {
        if (target.View is not { } view)
        {
            var ids = target.Ids;
            return (await db.Shaves.Include(s => s.Project).Where(s => ids.Contains(s.Id)).ToListAsync(ct), null);
        }

        var shaves = await Matching(db, caller, view).Include(s => s.Project).OrderBy(s => s.Id).Take(BulkTarget.MaxMatching + 1).ToListAsync(ct);
        if (shaves.Count > BulkTarget.MaxMatching)
        {
            return ([], $"More than {BulkTarget.MaxMatching:N0} shaves match this view: narrow the filters and try again. Nothing was changed.");
        }

        return shaves.Count == target.Count
            ? (shaves, null)
            : ([], $"{shaves.Count:N0} shave{(shaves.Count == 1 ? "" : "s")} match this view now, not the {target.Count:N0} you confirmed. " +
                   "Nothing was changed: look at the list again and confirm.");
    }

    private sealed record EditSnapshot(string Title, Guid? ProjectId, string? ProjectName, string Status, string? WorkItemUrl, string WorkItemSource);

    private static EditSnapshot Snapshot(Shave s) => new(s.Title, s.ProjectId, s.Project?.Name, s.ShaveStatus.ToDb(), s.WorkItemUrl, s.WorkItemSource);

    /// <summary>One audit row per kind of change an edit made: its status, its project, its other fields.</summary>
    private static void AuditEdit(ShaveTrackerDbContext db, Guid shaveId, Guid userId, EditSnapshot before, EditSnapshot after, DateTime now)
    {
        if (before.Status != after.Status)
        {
            db.UserActivities.Add(ShaveAudit.Entry(shaveId, userId, ActivityTypes.StatusChanged, now, new { status = before.Status }, new { status = after.Status }));
        }

        if (before.ProjectId != after.ProjectId)
        {
            db.UserActivities.Add(ShaveAudit.ProjectChanged(shaveId, userId, (before.ProjectId, before.ProjectName), (after.ProjectId, after.ProjectName), now));
        }

        if (before.Title != after.Title || before.WorkItemUrl != after.WorkItemUrl || before.WorkItemSource != after.WorkItemSource)
        {
            db.UserActivities.Add(ShaveAudit.Entry(shaveId, userId, ActivityTypes.Updated, now,
                new { title = before.Title, workItemUrl = before.WorkItemUrl, workItemSource = before.WorkItemSource },
                new { title = after.Title, workItemUrl = after.WorkItemUrl, workItemSource = after.WorkItemSource }));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shave {ShaveId} {Change} by {ActorUserId}")]
    private static partial void LogShaveChanged(ILogger logger, Guid actorUserId, string change, Guid shaveId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Audit: shave {ShaveId} ({Title}, requester {RequesterId}, status {Status}) deleted with all its rows by admin {ActorUserId}")]
    private static partial void LogShaveDeleted(ILogger logger, Guid actorUserId, Guid shaveId, string title, Guid requesterId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk: {Count} shaves {Change} by {ActorUserId}")]
    private static partial void LogBulk(ILogger logger, Guid actorUserId, string change, int count);
}
