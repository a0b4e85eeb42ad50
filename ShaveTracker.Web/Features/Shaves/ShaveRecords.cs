using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Shaves;

/// <summary>The sortable columns of the shave list: user text never becomes a sort expression.</summary>
public enum ShaveSort
{
    Created,
    Updated,
    Title,
    Status,
}

/// <summary>One view of the shave list: filters, sort and page. Every field round-trips through the URL.</summary>
public sealed record ShaveListQuery
{
    public IReadOnlyList<ShaveStatus> Statuses { get; init; } = [];
    public Guid? ProjectId { get; init; }
    public Guid? RequesterId { get; init; }
    public DateOnly? CreatedFrom { get; init; }
    public DateOnly? CreatedTo { get; init; }
    public string? Search { get; init; }
    public ShaveSort Sort { get; init; } = ShaveSort.Created;
    public bool Descending { get; init; } = true;

    /// <summary>Zero-based.</summary>
    public int Page { get; init; }

    public int PageSize { get; init; } = DefaultPageSize;

    public const int DefaultPageSize = 25;
    public static readonly IReadOnlyList<int> PageSizes = [10, 25, 50, 100];
    public const int MaxSearchLength = 200;
}

public sealed record ShaveListRow(
    Guid Id,
    string Title,
    ShaveStatus Status,
    Guid? ProjectId,
    string? ProjectName,
    Guid RequesterId,
    string RequesterName,
    DateTime CreatedAt,
    DateTime? UpdatedAt,
    string? WorkItemUrl,
    string WorkItemSource,
    int VideoDurationSeconds);

/// <summary>A page and the view's total; when <see cref="CountIsExact"/> is false there are more than TotalCount.</summary>
public sealed record ShaveListResult(IReadOnlyList<ShaveListRow> Rows, int TotalCount, bool CountIsExact = true);

public sealed record Option(Guid Id, string Name);

public sealed record VideoFileInfo(Guid Id, string FileName, string? FilePath, string? FileHash, int DurationSeconds);

public sealed record RelatedShave(Guid Id, string Title, ShaveStatus Status, DateTime CreatedAt, string FileName, string? FilePath);

public sealed record StepRow(Guid Id, string StepName, ProcessStatus Status, DateTime StartedAt, DateTime? CompletedAt, string? ErrorMessage)
{
    /// <summary>The steps of a shave as the detail page and the trace show them.</summary>
    internal static IQueryable<StepRow> Of(ShaveTrackerDbContext db, Guid shaveId) =>
        db.StepsInOrder(shaveId).Select(p => new StepRow(p.Id, p.StepName, p.ProcessStatus, p.StartedAt, p.CompletedAt, p.ErrorMessage));
}

public sealed record TranscriptInfo(Guid Id, string Text, DateTime CreatedAt);

public sealed record ActivityRow(Guid Id, string ActivityType, Guid? UserId, string? UserName, string? TargetTable, Guid? TargetId,
    string? DetailsJson, DateTime CreatedAt);

public sealed record ShaveDetail(
    Guid Id,
    string Title,
    ShaveStatus Status,
    Guid? ProjectId,
    string? ProjectName,
    bool ProjectIsActive,
    Guid RequesterId,
    string RequesterName,
    DateTime CreatedAt,
    DateTime? UpdatedAt,
    string? WorkItemUrl,
    string WorkItemSource,
    string? VideoEmbedUrl,
    VideoFileInfo Video,
    IReadOnlyList<RelatedShave> SameFile,
    IReadOnlyList<StepRow> Steps,
    IReadOnlyList<TranscriptInfo> Transcripts,
    IReadOnlyList<ActivityRow> Activity,
    WorkItemInfo? WorkItem = null,
    string? WorkItemTitle = null)
{
    /// <summary>The names of the projects the activity names by id (a project since deleted is absent).</summary>
    public IReadOnlyDictionary<Guid, string> ProjectNames { get; init; } = new Dictionary<Guid, string>();
}

/// <summary>The work item's body (markdown, rendered sanitised) and its screenshot, as the client reported them.</summary>
public sealed record WorkItemInfo(string? Description, string? ScreenshotUrl, string? ScreenshotFigure);

/// <summary>What an editor submits. <see cref="ExpectedUpdatedAt"/> is the version they loaded.</summary>
public sealed record ShaveEdit(
    string Title,
    Guid? ProjectId,
    ShaveStatus Status,
    string? WorkItemUrl,
    string? WorkItemSource,
    DateTime? ExpectedUpdatedAt);

public sealed record BulkResult(int Changed, int Skipped, IReadOnlyList<string> Messages);

/// <summary>
/// What a bulk action applies to: the rows ticked on the page, or every shave that matches a view of the list, found
/// again on the server when the action runs and expected to be as many as the person confirmed.
/// </summary>
public sealed record BulkTarget
{
    /// <summary>The most shaves one "all matching" action changes: one transaction, one audit row per shave.</summary>
    public const int MaxMatching = 2_000;

    private BulkTarget(IReadOnlyCollection<Guid> ids, ShaveListQuery? view, int count) => (Ids, View, Count) = (ids, view, count);

    public IReadOnlyCollection<Guid> Ids { get; }

    /// <summary>The list's filters (its page and sort play no part); null for ticked rows.</summary>
    public ShaveListQuery? View { get; }

    /// <summary>How many shaves the person confirmed.</summary>
    public int Count { get; }

    public static BulkTarget Rows(IReadOnlyCollection<Guid> ids) => new(ids, null, ids.Count);

    public static BulkTarget AllMatching(ShaveListQuery view, int confirmedCount) => new([], view, confirmedCount);

    internal BulkResult Refused(string message) => new(0, Count, [message]);
}
