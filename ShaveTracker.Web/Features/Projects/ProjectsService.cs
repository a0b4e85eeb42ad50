using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Projects;

/// <summary>
/// Everything staff do with projects: list, open, create, edit, deactivate and reactivate. Every method takes the
/// <see cref="Caller"/> and needs Staff or Admin (reads throw, changes return <see cref="CommandOutcome.Forbidden"/>),
/// whatever the page already checked. Lists never read custom_prompt; the project page reads only its length and
/// opening; the edit form reads it whole.
/// </summary>
/// <remarks>
/// user_activities rows need a shave, so project changes are audited as structured log events ("Audit: ..."),
/// as role changes are.
/// The changes, their validation and their audit are in ProjectsService.Changes.cs.
/// </remarks>
public sealed partial class ProjectsService(
    IDbContextFactory<ShaveTrackerDbContext> factory,
    TimeProvider clock,
    ILogger<ProjectsService> logger)
{
    public const int MaxNameLength = Project.NameMaxLength;
    public const int MaxDescriptionLength = Project.DescriptionMaxLength;
    public const int MaxCustomPromptLength = 1_000_000;

    /// <summary>How much of the custom prompt the project page shows; the rest stays in the database.</summary>
    public const int PromptPreviewLength = 1500;

    private const int OwnerOptionsLimit = 20;

    // ---- Reads ----------------------------------------------------------------------------------------------

    internal static IQueryable<Project> Filter(IQueryable<Project> projects, ProjectListQuery q)
    {
        projects = q.Activity switch
        {
            ProjectActivity.Active => projects.Where(p => p.IsActive),
            ProjectActivity.Inactive => projects.Where(p => !p.IsActive),
            _ => projects,
        };

        if (!string.IsNullOrWhiteSpace(q.Search))
        {
            var pattern = SqlLike.Contains(q.Search.Trim());
            projects = projects.Where(p => EF.Functions.Like(p.Name, pattern, SqlLike.EscapeCharacter));
        }

        return projects;
    }

    /// <summary>Whitelisted sorts, each ending in id so that the order is stable across pages.</summary>
    internal static IOrderedQueryable<Project> Sort(IQueryable<Project> projects, ProjectSort sort, bool descending) => (sort, descending) switch
    {
        (ProjectSort.Owner, false) => projects.OrderBy(p => p.User!.DisplayName).ThenBy(p => p.Name).ThenBy(p => p.Id),
        (ProjectSort.Owner, true) => projects.OrderByDescending(p => p.User!.DisplayName).ThenByDescending(p => p.Name).ThenByDescending(p => p.Id),
        (ProjectSort.Created, false) => projects.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id),
        (ProjectSort.Created, true) => projects.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id),
        // A project never edited since its creation was last changed when it was created.
        (ProjectSort.Updated, false) => projects.OrderBy(p => p.UpdatedAt ?? p.CreatedAt).ThenBy(p => p.Id),
        (ProjectSort.Updated, true) => projects.OrderByDescending(p => p.UpdatedAt ?? p.CreatedAt).ThenByDescending(p => p.Id),
        (_, false) => projects.OrderBy(p => p.Name).ThenBy(p => p.Id),
        (_, true) => projects.OrderByDescending(p => p.Name).ThenByDescending(p => p.Id),
    };

    /// <summary>One page of the list, without the counts (see <see cref="CountsQuery"/>) and without custom_prompt.</summary>
    internal static IQueryable<ProjectListRow> ListQuery(ShaveTrackerDbContext db, ProjectListQuery q)
    {
        var size = Math.Clamp(q.PageSize, 1, 500);
        var page = Math.Max(0, q.Page);
        return Sort(Filter(db.Projects.AsNoTracking(), q), q.Sort, q.Descending)
            .Skip(page * size)
            .Take(size)
            .Select(p => new ProjectListRow(p.Id, p.Name, p.UserId, p.User!.DisplayName, p.Source, p.BacklogUrl, p.IsActive,
                p.CreatedAt, p.UpdatedAt));
    }

    /// <summary>The shaves of the given projects counted by status: one GROUP BY, no shave row leaves the database.</summary>
    internal static IQueryable<ProjectStatusCount> CountsQuery(ShaveTrackerDbContext db, IReadOnlyList<Guid> projectIds) =>
        db.Shaves.AsNoTracking()
            .Where(s => s.ProjectId != null && projectIds.Contains(s.ProjectId.Value))
            .GroupBy(s => new { ProjectId = s.ProjectId!.Value, s.ShaveStatus })
            .Select(g => new ProjectStatusCount(g.Key.ProjectId, g.Key.ShaveStatus, g.Count()));

    public async Task<ProjectListResult> ListAsync(Caller caller, ProjectListQuery query, CancellationToken ct)
    {
        EnsureCanManage(caller);
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await ListQuery(db, query).ToListAsync(ct);
        var total = await Filter(db.Projects, query).CountAsync(ct);
        var counts = await CountByProjectAsync(db, rows.Select(r => r.Id).ToList(), ct);
        return new ProjectListResult(rows.Select(r => r with { Shaves = counts.GetValueOrDefault(r.Id, ShaveCounts.None) }).ToList(), total);
    }

    internal static IQueryable<ProjectDetail> DetailQuery(ShaveTrackerDbContext db, Guid id) =>
        db.Projects.AsNoTracking()
            .Where(p => p.Id == id)
            // Length and opening are computed by the database so that a megabyte prompt is never read here. The
            // length is for display only: SQL Server's LEN ignores trailing spaces and SQLite's length() counts code
            // points, where the limit is checked in .NET's UTF-16 units.
            .Select(p => new ProjectDetail(p.Id, p.Name, p.Description, p.BacklogUrl, p.IsActive, p.Source, p.UserId,
                p.User!.DisplayName, p.CreatedAt, p.UpdatedAt,
                p.CustomPrompt == null ? 0 : p.CustomPrompt.Length,
                p.CustomPrompt == null ? null : p.CustomPrompt.Substring(0, PromptPreviewLength)));

    /// <summary>Null when the project does not exist.</summary>
    public async Task<ProjectDetail?> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        EnsureCanManage(caller);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await LoadDetailAsync(db, id, ct);
    }

    internal static IQueryable<ProjectForEdit> EditQuery(ShaveTrackerDbContext db, Guid id) =>
        db.Projects.AsNoTracking()
            .Where(p => p.Id == id)
            .Select(p => new ProjectForEdit(p.Id, p.Name, p.Description, p.BacklogUrl, p.IsActive, p.Source, p.CustomPrompt,
                p.UserId, p.User!.DisplayName, p.UpdatedAt));

    /// <summary>The current values for the edit form, the full custom prompt included. Null when the project does not exist.</summary>
    public async Task<ProjectForEdit?> GetForEditAsync(Caller caller, Guid id, CancellationToken ct)
    {
        EnsureCanManage(caller);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await EditQuery(db, id).FirstOrDefaultAsync(ct);
    }

    /// <summary>People who can own a project, matching <paramref name="search"/> in their name or user name; the first 20.</summary>
    public async Task<IReadOnlyList<OwnerOption>> OwnerOptionsAsync(Caller caller, string? search, CancellationToken ct)
    {
        EnsureCanManage(caller);
        await using var db = await factory.CreateDbContextAsync(ct);
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = SqlLike.Contains(search.Trim());
            users = users.Where(u => EF.Functions.Like(u.DisplayName, pattern, SqlLike.EscapeCharacter) ||
                                     db.LocalAccounts.Any(a => a.UserId == u.Id && EF.Functions.Like(a.UserName, pattern, SqlLike.EscapeCharacter)));
        }

        var rows = await users
            .OrderBy(u => u.DisplayName).ThenBy(u => u.Id)
            .Take(OwnerOptionsLimit)
            .Select(u => new
            {
                u.Id,
                u.DisplayName,
                u.AuthProvider,
                UserName = db.LocalAccounts.Where(a => a.UserId == u.Id).Select(a => a.UserName).FirstOrDefault(),
            })
            .ToListAsync(ct);
        // Display names are not unique: the user name or the provider tells two namesakes apart.
        return rows
            .Select(r => new OwnerOption(r.Id, r.DisplayName, r.UserName ?? (r.AuthProvider == AuthProvider.Microsoft ? "Microsoft account" : null)))
            .ToList();
    }

    private static async Task<ProjectDetail?> LoadDetailAsync(ShaveTrackerDbContext db, Guid id, CancellationToken ct)
    {
        var detail = await DetailQuery(db, id).FirstOrDefaultAsync(ct);
        if (detail is null)
        {
            return null;
        }

        var counts = await CountByProjectAsync(db, [id], ct);
        return detail with { Shaves = counts.GetValueOrDefault(id, ShaveCounts.None) };
    }

    private static async Task<Dictionary<Guid, ShaveCounts>> CountByProjectAsync(ShaveTrackerDbContext db, List<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var counts = await CountsQuery(db, ids).ToListAsync(ct);
        return counts
            .GroupBy(c => c.ProjectId)
            .ToDictionary(g => g.Key, g => new ShaveCounts(g.ToDictionary(c => c.Status, c => c.Count)));
    }

    /// <summary>Reads are guarded by the pages' policy; a caller without it reaching here is a bug, not a refusal.</summary>
    private static void EnsureCanManage(Caller caller)
    {
        if (!caller.CanManageProjects)
        {
            throw new UnauthorizedAccessException("Only staff and admins manage projects.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Audit: project {ProjectId} ({ProjectName}) {Change} by {ActorUserId}; before {Before}, after {After}")]
    private static partial void LogProjectChanged(ILogger logger, Guid actorUserId, Guid projectId, string projectName, string change,
        IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> after);
}

/// <summary>One row of <see cref="ProjectsService.CountsQuery"/>: a project's number of shaves in one status.</summary>
internal sealed record ProjectStatusCount(Guid ProjectId, ShaveStatus Status, int Count);
