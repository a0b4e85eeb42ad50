using System.Text.Json;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.WritePath;

/// <summary>The activity types of a shave's audit trail (<c>user_activities.activity_type</c>).</summary>
public static class ActivityTypes
{
    public const string Created = "shave.created";
    public const string Updated = "shave.updated";
    public const string StatusChanged = "shave.status_changed";
    public const string ProjectChanged = "shave.project_changed";
    public const string TranscriptAdded = "shave.transcript_added";

    /// <summary>A transcript replaced by another: the details keep the earlier text.</summary>
    public const string TranscriptReplaced = "shave.transcript_replaced";
}

/// <summary>
/// Builds every audit row of a shave: who (null for a pipeline or other machine source) did what, with the values
/// before and after as <c>{"before": {...}, "after": {...}}</c>. A row written through a credential (the pipeline's
/// API, the desktop) also names it: <c>"credential": {"id", "name", "scope"}</c> (<see cref="Credential.AuditName"/>).
/// </summary>
public static class ShaveAudit
{
    public const string ShavesTable = "shaves";

    public static UserActivity Entry(Guid shaveId, Guid? userId, string activityType, DateTime at, object? before, object after,
        Credential? credential = null) => new()
    {
        Id = Ids.NewId(),
        ShaveId = shaveId,
        UserId = userId,
        ActivityType = activityType,
        TargetTable = ShavesTable,
        TargetId = shaveId,
        DetailsJson = credential is null
            ? JsonSerializer.Serialize(new { before, after })
            : JsonSerializer.Serialize(new { before, after, credential = credential.AuditName }),
        CreatedAt = at,
    };

    public static UserActivity Created(Guid shaveId, Guid? userId, string title, ShaveStatus status, DateTime at, Credential? credential = null) =>
        Entry(shaveId, userId, ActivityTypes.Created, at, null, new { title, status = status.ToDb() }, credential);

    public static UserActivity StatusChanged(Guid shaveId, Guid? userId, ShaveStatus from, ShaveStatus to, DateTime at, Credential? credential = null) =>
        Entry(shaveId, userId, ActivityTypes.StatusChanged, at, new { status = from.ToDb() }, new { status = to.ToDb() }, credential);

    public static UserActivity ProjectChanged(Guid shaveId, Guid? userId, (Guid? Id, string? Name) from, (Guid? Id, string? Name) to, DateTime at,
        Credential? credential = null) =>
        Entry(shaveId, userId, ActivityTypes.ProjectChanged, at,
            new { projectId = from.Id, project = from.Name },
            new { projectId = to.Id, project = to.Name }, credential);

    /// <summary>The first transcript of a shave, or another one replacing <paramref name="earlier"/> (whose text the row keeps).</summary>
    public static UserActivity Transcript(Guid shaveId, Credential credential, Guid transcriptId, int characters, (Guid Id, string Text)? earlier, DateTime at) =>
        earlier is { } replaced
            ? Entry(shaveId, credential.AuditUserId, ActivityTypes.TranscriptReplaced, at,
                new { transcriptId = replaced.Id, text = replaced.Text }, new { transcriptId, characters }, credential)
            : Entry(shaveId, credential.AuditUserId, ActivityTypes.TranscriptAdded, at, null, new { transcriptId, characters }, credential);
}
