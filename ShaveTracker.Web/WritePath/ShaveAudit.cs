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
}

/// <summary>
/// Builds every audit row of a shave: who (null for a pipeline or other machine source) did what, with the values
/// before and after as <c>{"before": {...}, "after": {...}}</c>.
/// </summary>
public static class ShaveAudit
{
    public const string ShavesTable = "shaves";

    public static UserActivity Entry(Guid shaveId, Guid? userId, string activityType, DateTime at, object? before, object after) => new()
    {
        Id = Ids.NewId(),
        ShaveId = shaveId,
        UserId = userId,
        ActivityType = activityType,
        TargetTable = ShavesTable,
        TargetId = shaveId,
        DetailsJson = JsonSerializer.Serialize(new { before, after }),
        CreatedAt = at,
    };

    public static UserActivity Created(Guid shaveId, Guid? userId, string title, ShaveStatus status, DateTime at) =>
        Entry(shaveId, userId, ActivityTypes.Created, at, null, new { title, status = status.ToDb() });

    public static UserActivity StatusChanged(Guid shaveId, Guid? userId, ShaveStatus from, ShaveStatus to, DateTime at) =>
        Entry(shaveId, userId, ActivityTypes.StatusChanged, at, new { status = from.ToDb() }, new { status = to.ToDb() });

    public static UserActivity ProjectChanged(Guid shaveId, Guid? userId, (Guid? Id, string? Name) from, (Guid? Id, string? Name) to, DateTime at) =>
        Entry(shaveId, userId, ActivityTypes.ProjectChanged, at,
            new { projectId = from.Id, project = from.Name },
            new { projectId = to.Id, project = to.Name });
}
