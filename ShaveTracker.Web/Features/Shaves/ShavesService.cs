using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Web.Features.Shaves;

/// <summary>
/// Everything a person does with shaves. Every method takes the <see cref="Caller"/>: a requester's queries only
/// ever see their own shaves, and changes need the caller's permission (<see cref="Caller.CanManageShaves"/>,
/// <see cref="Caller.CanDeleteShaves"/>). Reads project to small records and never touch the big text columns except
/// the transcript of the one shave being opened. The list's queries are in ShavesService.List.cs, the changes
/// (through the write path, <see cref="ShaveWriter"/>) in ShavesService.Changes.cs.
/// </summary>
public sealed partial class ShavesService(
    IDbContextFactory<ShaveTrackerDbContext> factory,
    ShaveWriter writer,
    TimeProvider clock,
    ILogger<ShavesService> logger)
{
    public async Task<IReadOnlyList<Option>> ProjectOptionsAsync(bool includeInactive, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Projects.AsNoTracking()
            .Where(p => includeInactive || p.IsActive)
            .OrderBy(p => p.Name).ThenBy(p => p.Id)
            .Select(p => new Option(p.Id, p.Name))
            .ToListAsync(ct);
    }

    /// <summary>Requesters whose name starts with or contains <paramref name="text"/> (at most 20), for the filter box.</summary>
    public async Task<IEnumerable<Option>> SearchRequestersAsync(Caller caller, string? text, CancellationToken ct)
    {
        if (!caller.CanSeeAllShaves)
        {
            return [new Option(caller.UserId, caller.DisplayName)];
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(text))
        {
            var pattern = SqlLike.Contains(text.Trim());
            users = users.Where(u => EF.Functions.Like(u.DisplayName, pattern, SqlLike.EscapeCharacter));
        }

        return await users.OrderBy(u => u.DisplayName).ThenBy(u => u.Id).Take(20).Select(u => new Option(u.Id, u.DisplayName)).ToListAsync(ct);
    }

    /// <summary>
    /// Projects (active and inactive: a filter may look for old ones) matching <paramref name="text"/>, at most 20.
    /// A requester finds only the projects of their own shaves: the names of the others are staff business.
    /// </summary>
    public async Task<IEnumerable<Option>> SearchProjectsAsync(Caller caller, string? text, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var projects = db.Projects.AsNoTracking();
        if (!caller.CanSeeAllShaves)
        {
            projects = projects.Where(p => db.Shaves.Any(s => s.ProjectId == p.Id && s.RequesterId == caller.UserId));
        }

        if (!string.IsNullOrWhiteSpace(text))
        {
            var pattern = SqlLike.Contains(text.Trim());
            projects = projects.Where(p => EF.Functions.Like(p.Name, pattern, SqlLike.EscapeCharacter));
        }

        return await projects.OrderByDescending(p => p.IsActive).ThenBy(p => p.Name).ThenBy(p => p.Id).Take(20)
            .Select(p => new Option(p.Id, p.IsActive ? p.Name : p.Name + " (inactive)")).ToListAsync(ct);
    }

    public string? ProjectName(Guid id)
    {
        using var db = factory.CreateDbContext();
        return db.Projects.AsNoTracking().Where(p => p.Id == id).Select(p => p.Name).FirstOrDefault();
    }

    /// <summary>The display name of a requester in a copied URL (one indexed lookup).</summary>
    public string? RequesterName(Guid id)
    {
        using var db = factory.CreateDbContext();
        return db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.DisplayName).FirstOrDefault();
    }

    /// <summary>Null when the shave does not exist or the caller may not see it: the page cannot tell which.</summary>
    public async Task<ShaveDetail?> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await LoadDetailAsync(db, caller, id, ct);
    }

    internal static IQueryable<Shave> DetailHeaderQuery(ShaveTrackerDbContext db, Caller caller, Guid id) =>
        Visible(db, caller).AsNoTracking().Where(s => s.Id == id);

    private static async Task<ShaveDetail?> LoadDetailAsync(ShaveTrackerDbContext db, Caller caller, Guid id, CancellationToken ct)
    {
        var header = await DetailHeaderQuery(db, caller, id)
            .Select(s => new
            {
                s.Id,
                s.Title,
                s.ShaveStatus,
                s.ProjectId,
                ProjectName = s.Project != null ? s.Project.Name : null,
                ProjectIsActive = s.Project != null && s.Project.IsActive,
                s.RequesterId,
                RequesterName = s.Requester!.DisplayName,
                s.CreatedAt,
                s.UpdatedAt,
                s.WorkItemUrl,
                s.WorkItemSource,
                s.VideoEmbedUrl,
                WorkItem = s.WorkItem == null ? null
                    : new WorkItemInfo(s.WorkItem.Description, s.WorkItem.ScreenshotUrl, s.WorkItem.ScreenshotFigure),
                Video = new VideoFileInfo(s.VideoFile!.Id, s.VideoFile.FileName, s.VideoFile.FilePath, s.VideoFile.FileHash, s.VideoFile.Duration),
            })
            .FirstOrDefaultAsync(ct);
        if (header is null)
        {
            return null;
        }

        var sameFile = header.Video.FileHash is null
            ? []
            : await Visible(db, caller).AsNoTracking()
                .Where(s => s.Id != id && s.VideoFile!.FileHash == header.Video.FileHash)
                .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
                .Take(20)
                .Select(s => new RelatedShave(s.Id, s.Title, s.ShaveStatus, s.CreatedAt, s.VideoFile!.FileName, s.VideoFile.FilePath))
                .ToListAsync(ct);

        var steps = await StepRow.Of(db, id).ToListAsync(ct);

        var transcripts = await db.Transcripts.AsNoTracking()
            .Where(t => t.ShaveId == id)
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Select(t => new TranscriptInfo(t.Id, t.Text, t.CreatedAt))
            .ToListAsync(ct);

        var activity = await db.UserActivities.AsNoTracking()
            .Where(a => a.ShaveId == id)
            .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id)
            .Take(200)
            .Select(a => new ActivityRow(a.Id, a.ActivityType, a.UserId,
                db.Users.Where(u => u.Id == a.UserId).Select(u => u.DisplayName).FirstOrDefault(),
                a.TargetTable, a.TargetId, a.DetailsJson, a.CreatedAt))
            .ToListAsync(ct);

        // The work item as the model wrote it, from the call that created it: its title, and its body when the client
        // reported none of its own.
        var draft = WorkItemDraft.FromArgs(await db.ToolCalls.AsNoTracking()
            .Where(t => t.ShaveId == id && t.Success && WorkItemDraft.CreateTools.Contains(t.ToolName) && t.ArgsJson != null)
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Select(t => t.ArgsJson!.Length > WorkItemDraft.MaxArgsLength ? t.ArgsJson.Substring(0, WorkItemDraft.MaxArgsLength) : t.ArgsJson)
            .FirstOrDefaultAsync(ct));
        var workItem = header.WorkItem;
        if (draft?.Body is { } body && string.IsNullOrWhiteSpace(workItem?.Description))
        {
            workItem = (workItem ?? new WorkItemInfo(null, null, null)) with { Description = body };
        }

        workItem = workItem is null ? null : workItem with { Description = SecretMasker.Apply(workItem.Description) };

        // Pipeline text is masked for every reader, the shave's requester and staff alike, not only in the admin trace.
        steps = [.. steps.Select(s => s with { ErrorMessage = SecretMasker.Apply(s.ErrorMessage) })];
        transcripts = [.. transcripts.Select(t => t with { Text = SecretMasker.Apply(t.Text) ?? "" })];
        activity = [.. activity.Select(a => a with { DetailsJson = SecretMasker.Apply(a.DetailsJson) })];
        var projectIds = activity.SelectMany(a => ActivitySentences.ProjectIds(ActivityDetails.Read(a.DetailsJson))).Distinct().ToList();
        var projectNames = projectIds.Count == 0 ? new Dictionary<Guid, string>()
            : await db.Projects.AsNoTracking().Where(p => projectIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return new ShaveDetail(header.Id, header.Title, header.ShaveStatus, header.ProjectId, header.ProjectName, header.ProjectIsActive,
            header.RequesterId, header.RequesterName, header.CreatedAt, header.UpdatedAt, header.WorkItemUrl, header.WorkItemSource,
            header.VideoEmbedUrl, header.Video, sameFile, steps, transcripts, activity, workItem, SecretMasker.Apply(draft?.Title))
        {
            ProjectNames = projectNames,
        };
    }
}
