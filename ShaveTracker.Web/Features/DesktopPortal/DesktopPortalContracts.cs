using System.Text.Json.Serialization;

namespace ShaveTracker.Web.Features.DesktopPortal;

// What YakShaver Desktop sends and expects, as its portal client reads and writes it (camelCase JSON).

/// <summary>
/// <c>POST {api}/desktopapp/post-task-record</c>: sent once the desktop has written the work item. All ten keys are
/// always present; the last six may be null.
/// </summary>
public sealed record DesktopTaskRecord(
    string ProjectName,
    Guid ProjectId,
    string Title,
    string Description,
    string? WorkItemUrl,
    string? ImageUrl,
    string? ImageFigure,
    string? UploadedVideoProvider,
    string? UploadedVideoEmbedUrl,
    string? UploadedVideoUrl)
{
    /// <summary>The keys in the desktop's spelling, each required in the body.</summary>
    public static readonly string[] Keys =
    [
        "projectName", "projectId", "title", "description", "workItemUrl",
        "imageUrl", "imageFigure", "uploadedVideoProvider", "uploadedVideoEmbedUrl", "uploadedVideoUrl",
    ];

    /// <summary>The keys whose value must be a string (the others may also be null).</summary>
    public static readonly string[] NonNullKeys = ["projectName", "projectId", "title", "description"];
}

/// <summary>The answer the desktop requires: the id it sends back to cancel (an RFC 4122 UUID).</summary>
public sealed record DesktopTaskRecordAccepted(Guid WorkItemId);

public sealed record DesktopWorkItemCancelled(Guid WorkItemId, string Status);

/// <summary>An element of <c>GET {api}/projects/summaries</c>.</summary>
public sealed record DesktopProjectSummary(
    Guid Id,
    string Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description);

/// <summary>
/// <c>GET {api}/projects/{id}</c>: the desktop appends <see cref="DesktopAgentProjectPrompt"/> to its agent's prompt and
/// passes the rest to the model as the project's context. No <c>selectedMcpServerIds</c>: every MCP server of the
/// desktop may be used.
/// </summary>
public sealed record DesktopProjectDetails(
    Guid Id,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BacklogUrl,
    IReadOnlyList<string> Members,
    string VideoHostType,
    int RecentWorkItemsCount,
    bool AllowWebhooks,
    bool AllowCreatePbi,
    bool PlaceItemOnTopOfProductBacklog,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DesktopAgentProjectPrompt);

/// <summary>The answer to a screenshot upload: where anyone (the work item's readers) can fetch it.</summary>
public sealed record DesktopScreenshotUploaded(Uri Url);

/// <summary>The signed-in desktop user, from their Entra access token.</summary>
public sealed record DesktopUser(Guid ObjectId, string? DisplayName, string? TenantId, IReadOnlyList<string> AppRoles);
