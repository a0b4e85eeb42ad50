using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Projects;

/// <summary>The sortable columns of the project list: user text never becomes a sort expression.</summary>
public enum ProjectSort
{
    Name,
    Owner,
    Created,
    Updated,
}

/// <summary>Which projects the list shows.</summary>
public enum ProjectActivity
{
    All,
    Active,
    Inactive,
}

/// <summary>One view of the project list. Every field round-trips through the URL (<see cref="ProjectListUrl"/>).</summary>
public sealed record ProjectListQuery
{
    public string? Search { get; init; }
    public ProjectActivity Activity { get; init; } = ProjectActivity.All;
    public ProjectSort Sort { get; init; } = ProjectSort.Name;
    public bool Descending { get; init; }

    /// <summary>Zero-based.</summary>
    public int Page { get; init; }

    public int PageSize { get; init; } = DefaultPageSize;

    public const int DefaultPageSize = 25;
    public static readonly IReadOnlyList<int> PageSizes = [10, 25, 50, 100];
    public const int MaxSearchLength = 200;
}

/// <summary>How many of a project's shaves are in each status; statuses without shaves are absent.</summary>
public sealed record ShaveCounts(IReadOnlyDictionary<ShaveStatus, int> ByStatus)
{
    public static readonly ShaveCounts None = new(new Dictionary<ShaveStatus, int>());

    public int Total => ByStatus.Values.Sum();

    public int this[ShaveStatus status] => ByStatus.GetValueOrDefault(status);
}

/// <summary>A list row. Never carries custom_prompt: it can be megabytes.</summary>
public sealed record ProjectListRow(
    Guid Id,
    string Name,
    Guid OwnerId,
    string OwnerName,
    string Source,
    string? BacklogUrl,
    bool IsActive,
    DateTime CreatedAt,
    DateTime? UpdatedAt)
{
    /// <summary>Filled from a separate GROUP BY query, after the page of projects is read.</summary>
    public ShaveCounts Shaves { get; init; } = ShaveCounts.None;
}

public sealed record ProjectListResult(IReadOnlyList<ProjectListRow> Rows, int TotalCount);

/// <summary>
/// The project page: everything but the full custom prompt, of which only its length and its opening are read
/// (both computed by the database).
/// </summary>
public sealed record ProjectDetail(
    Guid Id,
    string Name,
    string? Description,
    string? BacklogUrl,
    bool IsActive,
    string Source,
    Guid OwnerId,
    string OwnerName,
    DateTime CreatedAt,
    DateTime? UpdatedAt,
    int CustomPromptLength,
    string? CustomPromptPreview)
{
    /// <summary>Filled from a separate GROUP BY query.</summary>
    public ShaveCounts Shaves { get; init; } = ShaveCounts.None;
}

/// <summary>What the edit form loads: the current values, the full custom prompt included.</summary>
public sealed record ProjectForEdit(
    Guid Id,
    string Name,
    string? Description,
    string? BacklogUrl,
    bool IsActive,
    string Source,
    string? CustomPrompt,
    Guid OwnerId,
    string OwnerName,
    DateTime? UpdatedAt);

/// <summary>A person who can own a project, as the owner picker shows them.</summary>
public sealed record OwnerOption(Guid Id, string Name, string? Detail = null);

/// <summary>What an editor submits. <see cref="ExpectedUpdatedAt"/> is the version they loaded (ignored on create).</summary>
public sealed record ProjectEdit(
    string Name,
    string? Description,
    string? BacklogUrl,
    string Source,
    string? CustomPrompt,
    Guid OwnerId,
    DateTime? ExpectedUpdatedAt);

