using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Shaves;

/// <summary>
/// Everything a person does with shaves. Every method takes the <see cref="Caller"/>: a requester's queries only
/// ever see their own shaves, and changes need Staff or Admin (delete: Admin). Reads project to small records and
/// never touch the big text columns except the transcript of the one shave being opened.
/// </summary>
public sealed partial class ShavesService(
    IDbContextFactory<ShaveTrackerDbContext> factory,
    IShaveChangeNotifier notifier,
    ShaveChangeFeed feed,
    TimeProvider clock,
    ILogger<ShavesService> logger)
{
    public const int MaxTitleLength = 500;
    public const int MaxUrlLength = 2048;
    public const int MaxSourceLength = 100;

    private static readonly JsonSerializerOptions AuditJson = new() { WriteIndented = false };

    // ---- Reads ----------------------------------------------------------------------------------------------

    /// <summary>The shaves this caller may see, before any filter: the one place the requester rule lives.</summary>
    internal static IQueryable<Shave> Visible(ShaveTrackerDbContext db, Caller caller) => Visible(db.Shaves, caller);

    private static IQueryable<Shave> Visible(IQueryable<Shave> shaves, Caller caller) =>
        caller.CanSeeAllShaves ? shaves : shaves.Where(s => s.RequesterId == caller.UserId);

    /// <summary>
    /// The shaves this caller may see that match the view. Title search uses the FTS5 index on SQLite (a LIKE
    /// '%word%' would scan every title); SQL Server, without a full-text catalog, falls back to LIKE.
    /// </summary>
    internal static IQueryable<Shave> Matching(ShaveTrackerDbContext db, Caller caller, ShaveListQuery q, bool commonWords = false)
    {
        IQueryable<Shave> source = db.Shaves;
        if (!string.IsNullOrWhiteSpace(q.Search) && db.Database.IsSqlite())
        {
            var match = TitleSearch.ToFts5Query(q.Search);
            // Few matches: find them through the FTS index and sort them. Many matches (a common word): sorting tens
            // of thousands of rows costs more than walking the newest-first index and keeping the rows that match,
            // which fills a page after a few hundred rows.
            source = match is null ? db.Shaves.Where(_ => false)
                : commonWords && q.Sort == ShaveSort.Created
                    ? db.Shaves.FromSql($"SELECT * FROM shaves INDEXED BY ix_shaves_created_at_id WHERE rowid IN (SELECT rowid FROM shaves_fts WHERE shaves_fts MATCH {match})")
                    : db.Shaves.FromSql($"SELECT * FROM shaves WHERE rowid IN (SELECT rowid FROM shaves_fts WHERE shaves_fts MATCH {match})");
            q = q with { Search = null };
        }

        return Filter(Visible(source, caller), q);
    }

    internal static IQueryable<Shave> Filter(IQueryable<Shave> shaves, ShaveListQuery q)
    {
        if (q.Statuses.Count > 0)
        {
            var statuses = q.Statuses.Distinct().ToList();
            shaves = shaves.Where(s => statuses.Contains(s.ShaveStatus));
        }

        if (q.ProjectId is { } projectId)
        {
            shaves = shaves.Where(s => s.ProjectId == projectId);
        }

        if (q.RequesterId is { } requesterId)
        {
            shaves = shaves.Where(s => s.RequesterId == requesterId);
        }

        if (q.CreatedFrom is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            shaves = shaves.Where(s => s.CreatedAt >= start);
        }

        // The last day there is has no day after it: "up to 9999-12-31" is no upper bound at all.
        if (q.CreatedTo is { } to && to < DateOnly.MaxValue)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            shaves = shaves.Where(s => s.CreatedAt < end);
        }

        if (!string.IsNullOrWhiteSpace(q.Search))
        {
            var pattern = SqlLike.Contains(q.Search.Trim());
            shaves = shaves.Where(s => EF.Functions.Like(s.Title, pattern, SqlLike.EscapeCharacter));
        }

        return shaves;
    }

    /// <summary>Whitelisted sorts, each ending in id so that the order is stable across pages.</summary>
    internal static IOrderedQueryable<Shave> Sort(IQueryable<Shave> shaves, ShaveSort sort, bool descending) => (sort, descending) switch
    {
        (ShaveSort.Title, false) => shaves.OrderBy(s => s.Title).ThenBy(s => s.Id),
        (ShaveSort.Title, true) => shaves.OrderByDescending(s => s.Title).ThenByDescending(s => s.Id),
        (ShaveSort.Status, false) => shaves.OrderBy(s => s.ShaveStatus).ThenBy(s => s.CreatedAt).ThenBy(s => s.Id),
        (ShaveSort.Status, true) => shaves.OrderByDescending(s => s.ShaveStatus).ThenByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id),
        (ShaveSort.Updated, false) => shaves.OrderBy(s => s.UpdatedAt).ThenBy(s => s.Id),
        (ShaveSort.Updated, true) => shaves.OrderByDescending(s => s.UpdatedAt).ThenByDescending(s => s.Id),
        (_, false) => shaves.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id),
        (_, true) => shaves.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id),
    };

    /// <summary>One page of the view, <paramref name="skip"/> rows in, in the view's order (or reversed).</summary>
    internal static IQueryable<ShaveListRow> ListQuery(ShaveTrackerDbContext db, Caller caller, ShaveListQuery q, bool reversed = false, int? skip = null, int? take = null,
        bool commonWords = false)
    {
        var size = take ?? Math.Clamp(q.PageSize, 1, 500);
        var offset = skip ?? Math.Max(0, q.Page) * Math.Clamp(q.PageSize, 1, 500);
        return Sort(Matching(db, caller, q, commonWords).AsNoTracking(), q.Sort, q.Descending != reversed)
            .Skip(offset)
            .Take(size)
            .Select(s => new ShaveListRow(
                s.Id,
                s.Title,
                s.ShaveStatus,
                s.ProjectId,
                s.Project != null ? s.Project.Name : null,
                s.RequesterId,
                s.Requester!.DisplayName,
                s.CreatedAt,
                s.UpdatedAt,
                s.WorkItemUrl,
                s.WorkItemSource,
                s.VideoFile!.Duration));
    }

    /// <summary>Counts above this are shown as "10,000+" when no exact counter covers the view.</summary>
    public const int CountCap = 10_000;

    public async Task<ShaveListResult> ListAsync(Caller caller, ShaveListQuery query, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var titleHits = await TitleHitsAsync(db, query, ct);
        var (total, exact) = titleHits is { } hits && caller.CanSeeAllShaves && query.Statuses.Count == 0 && query.ProjectId is null &&
                             query.RequesterId is null && query.CreatedFrom is null && query.CreatedTo is null
            // A search with no other filter matches exactly what the title index holds: count there.
            ? (Math.Min(hits, CountCap), hits <= CountCap)
            : await CountAsync(db, caller, query, ct);
        var size = Math.Clamp(query.PageSize, 1, 500);
        var offset = Math.Max(0, query.Page) * size;
        List<ShaveListRow> rows;
        if (exact && offset > 0 && offset >= total / 2)
        {
            // The second half of the list is read from its other end: the last page costs what the first does
            // instead of an OFFSET over the whole table. Only this page's rows are put back in the view's order.
            var fromEnd = total - offset - size;
            var take = (int)Math.Max(0, Math.Min(size, size + fromEnd));
            rows = take == 0 ? [] : await ListQuery(db, caller, query, reversed: true, skip: (int)Math.Max(0, fromEnd), take: take).ToListAsync(ct);
            rows.Reverse();
        }
        else
        {
            rows = await ListQuery(db, caller, query, commonWords: titleHits > 2000).ToListAsync(ct);
        }

        return new ShaveListResult(rows, (int)Math.Min(total, int.MaxValue), exact);
    }

    /// <summary>How many titles the search matches in the FTS5 index, counted up to <see cref="CountCap"/> + 1 (SQLite only).</summary>
    private static async Task<long?> TitleHitsAsync(ShaveTrackerDbContext db, ShaveListQuery q, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(q.Search) || !db.Database.IsSqlite() || TitleSearch.ToFts5Query(q.Search) is not { } match)
        {
            return null;
        }

        return await db.Database.SqlQuery<long>(
            $"SELECT COUNT(*) AS \"Value\" FROM (SELECT rowid FROM shaves_fts WHERE shaves_fts MATCH {match} LIMIT {CountCap + 1})").SingleAsync(ct);
    }

    /// <summary>How many shaves match the view now (for the live "N new shaves" notice).</summary>
    public async Task<int> CountAsync(Caller caller, ShaveListQuery query, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return (int)(await CountAsync(db, caller, query, ct)).Total;
    }

    /// <summary>
    /// The view's total. Views by status, project or requester (the common ones, including a requester's own list)
    /// read the trigger-maintained shave_counts: exact, and as cheap at a million shaves as at ten. Other views
    /// (a date range, a title search, project and requester together) count at most <see cref="CountCap"/> + 1 rows
    /// through the same indexes as the page, and say "more than" beyond that.
    /// </summary>
    internal static async Task<(long Total, bool Exact)> CountAsync(ShaveTrackerDbContext db, Caller caller, ShaveListQuery q, CancellationToken ct)
    {
        var requester = caller.CanSeeAllShaves ? q.RequesterId : caller.UserId;
        if (q.CreatedFrom is null && q.CreatedTo is null && string.IsNullOrWhiteSpace(q.Search) &&
            !(requester is not null && q.ProjectId is not null) &&
            (caller.CanSeeAllShaves || q.RequesterId is null || q.RequesterId == caller.UserId))
        {
            return (await CounterQuery(db, q, requester).SumAsync(c => c.Total, ct), true);
        }

        var bounded = await Matching(db, caller, q).Take(CountCap + 1).CountAsync(ct);
        return bounded > CountCap ? (CountCap, false) : (bounded, true);
    }

    internal static IQueryable<ShaveCount> CounterQuery(ShaveTrackerDbContext db, ShaveListQuery q, Guid? requester)
    {
        var (dimension, key) = requester is not null ? (ShaveCount.Requester, ShaveCount.KeyOf(requester))
            : q.ProjectId is not null ? (ShaveCount.Project, ShaveCount.KeyOf(q.ProjectId))
            : (ShaveCount.All, "");
        var counts = db.ShaveCounts.AsNoTracking().Where(c => c.Dimension == dimension && c.DimKey == key);
        if (q.Statuses.Count > 0)
        {
            var statuses = q.Statuses.Distinct().ToList();
            counts = counts.Where(c => statuses.Contains(c.ShaveStatus));
        }

        return counts;
    }

    /// <summary>Every row of the filtered view, in its order, for CSV export (streamed, not paged).</summary>
    public async IAsyncEnumerable<ShaveListRow> ExportAsync(Caller caller, ShaveListQuery query,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = ListQuery(db, caller, query, skip: 0, take: int.MaxValue);
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return row;
        }
    }

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

        var steps = await db.ProcessSteps.AsNoTracking()
            .Where(p => p.ShaveId == id)
            .OrderBy(p => p.StartedAt).ThenBy(p => p.Id)
            .Select(p => new StepRow(p.Id, p.StepName, p.ProcessStatus, p.StartedAt, p.CompletedAt, p.ErrorMessage))
            .ToListAsync(ct);

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

        // Pipeline text is masked for every reader, the shave's requester and staff alike, not only in the admin trace.
        steps = [.. steps.Select(s => s with { ErrorMessage = SecretMasker.Apply(s.ErrorMessage) })];
        transcripts = [.. transcripts.Select(t => t with { Text = SecretMasker.Apply(t.Text) ?? "" })];
        activity = [.. activity.Select(a => a with { DetailsJson = SecretMasker.Apply(a.DetailsJson) })];
        return new ShaveDetail(header.Id, header.Title, header.ShaveStatus, header.ProjectId, header.ProjectName, header.ProjectIsActive,
            header.RequesterId, header.RequesterName, header.CreatedAt, header.UpdatedAt, header.WorkItemUrl, header.WorkItemSource,
            header.VideoEmbedUrl, header.Video, sameFile, steps, transcripts, activity);
    }

    // ---- Changes --------------------------------------------------------------------------------------------

    public async Task<CommandResult> UpdateAsync(Caller caller, Guid id, ShaveEdit edit, CancellationToken ct)
    {
        if (!caller.CanManageShaves)
        {
            return new CommandResult(CommandOutcome.Forbidden, Message: "Only staff can change shaves.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var shave = await db.Shaves.Include(s => s.Project).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (shave is null)
        {
            return new CommandResult(CommandOutcome.NotFound, Message: "This shave no longer exists.");
        }

        var errors = await ValidateAsync(db, edit, shave.ProjectId, ct);
        if (errors.Count > 0)
        {
            return new CommandResult(CommandOutcome.Invalid, errors);
        }

        // The version the editor loaded, not the one just read: a stale copy then updates no row.
        db.Entry(shave).Property(s => s.UpdatedAt).OriginalValue = edit.ExpectedUpdatedAt;

        var before = Snapshot(shave);
        var newProjectName = edit.ProjectId is null ? null
            : edit.ProjectId == shave.ProjectId ? shave.Project?.Name
            : await db.Projects.Where(p => p.Id == edit.ProjectId).Select(p => p.Name).FirstAsync(ct);
        shave.Title = edit.Title.Trim();
        shave.ProjectId = edit.ProjectId;
        shave.ShaveStatus = edit.Status;
        shave.WorkItemUrl = string.IsNullOrWhiteSpace(edit.WorkItemUrl) ? null : edit.WorkItemUrl.Trim();
        shave.WorkItemSource = edit.WorkItemSource?.Trim() ?? "";
        var after = Snapshot(shave);

        var now = clock.GetUtcNow().UtcDateTime;
        if (before.Status != after.Status)
        {
            AddActivity(db, shave.Id, caller, "shave.status_changed", now, new { status = before.Status }, new { status = after.Status });
        }

        if (before.ProjectId != after.ProjectId)
        {
            AddActivity(db, shave.Id, caller, "shave.project_changed", now,
                new { projectId = before.ProjectId, project = before.ProjectName },
                new { projectId = after.ProjectId, project = newProjectName });
        }

        if (before.Title != after.Title || before.WorkItemUrl != after.WorkItemUrl || before.WorkItemSource != after.WorkItemSource)
        {
            AddActivity(db, shave.Id, caller, "shave.updated", now,
                new { title = before.Title, workItemUrl = before.WorkItemUrl, workItemSource = before.WorkItemSource },
                new { title = after.Title, workItemUrl = after.WorkItemUrl, workItemSource = after.WorkItemSource });
        }

        if (!db.ChangeTracker.HasChanges())
        {
            return new CommandResult(CommandOutcome.Succeeded, Current: await LoadDetailAsync(db, caller, id, ct));
        }

        var change = Announce(db, id, before.Status != after.Status ? ShaveChangeKind.StatusChanged : ShaveChangeKind.Updated, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await factory.CreateDbContextAsync(ct);
            var current = await LoadDetailAsync(fresh, caller, id, ct);
            return current is null
                ? new CommandResult(CommandOutcome.NotFound, Message: "This shave was deleted while you were editing it.")
                : new CommandResult(CommandOutcome.Conflict, Current: current,
                    Message: "Someone else saved this shave while you were editing it. Nothing of yours was saved: review their values and apply your changes again.");
        }

        notifier.Publish(change);
        LogShaveChanged(logger, caller.UserId, "updated", id);
        return new CommandResult(CommandOutcome.Succeeded, Current: await LoadDetailAsync(db, caller, id, ct));
    }

    /// <summary>Pending/Processing → Cancelled.</summary>
    public Task<CommandResult> CancelAsync(Caller caller, Guid id, DateTime? expectedUpdatedAt, CancellationToken ct) =>
        TransitionAsync(caller, id, expectedUpdatedAt, [ShaveStatus.Pending, ShaveStatus.Processing], ShaveStatus.Cancelled, ct);

    /// <summary>Failed/Cancelled → Pending, so a worker picks it up again.</summary>
    public Task<CommandResult> RequeueAsync(Caller caller, Guid id, DateTime? expectedUpdatedAt, CancellationToken ct) =>
        TransitionAsync(caller, id, expectedUpdatedAt, [ShaveStatus.Failed, ShaveStatus.Cancelled], ShaveStatus.Pending, ct);

    private async Task<CommandResult> TransitionAsync(Caller caller, Guid id, DateTime? expectedUpdatedAt,
        ShaveStatus[] from, ShaveStatus to, CancellationToken ct)
    {
        if (!caller.CanManageShaves)
        {
            return new CommandResult(CommandOutcome.Forbidden, Message: "Only staff can change shaves.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var shave = await db.Shaves.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (shave is null)
        {
            return new CommandResult(CommandOutcome.NotFound, Message: "This shave no longer exists.");
        }

        if (!from.Contains(shave.ShaveStatus))
        {
            return new CommandResult(CommandOutcome.Invalid,
                new Dictionary<string, string> { ["Status"] = $"A {shave.ShaveStatus} shave cannot become {to}." });
        }

        db.Entry(shave).Property(s => s.UpdatedAt).OriginalValue = expectedUpdatedAt;
        var before = shave.ShaveStatus;
        shave.ShaveStatus = to;
        var now = clock.GetUtcNow().UtcDateTime;
        AddActivity(db, id, caller, "shave.status_changed", now, new { status = before.ToDb() }, new { status = to.ToDb() });
        var change = Announce(db, id, ShaveChangeKind.StatusChanged, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await factory.CreateDbContextAsync(ct);
            return new CommandResult(CommandOutcome.Conflict, Current: await LoadDetailAsync(fresh, caller, id, ct),
                Message: "Someone else changed this shave a moment ago. Nothing was changed: check its current state and try again.");
        }

        notifier.Publish(change);
        LogShaveChanged(logger, caller.UserId, to == ShaveStatus.Cancelled ? "cancelled" : "re-queued", id);
        return new CommandResult(CommandOutcome.Succeeded, Current: await LoadDetailAsync(db, caller, id, ct));
    }

    /// <summary>Admin only. Removes the shave, every row that belongs to it, and its video file row, in one transaction.</summary>
    public async Task<CommandResult> DeleteAsync(Caller caller, Guid id, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return new CommandResult(CommandOutcome.Forbidden, Message: "Only admins can delete shaves.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await ActingUser.IsAdminNowAsync(db, caller, ct))
        {
            return new CommandResult(CommandOutcome.Forbidden, Message: "Only admins can delete shaves, and you are no longer an admin.");
        }

        var shave = await db.Shaves.AsNoTracking().Where(s => s.Id == id)
            .Select(s => new { s.Id, s.Title, s.VideoFileId, s.RequesterId, s.ShaveStatus })
            .FirstOrDefaultAsync(ct);
        if (shave is null)
        {
            return new CommandResult(CommandOutcome.NotFound, Message: "This shave no longer exists.");
        }

        // Pages open on this shave (here and on other instances) say it is gone; lists showing it drop the row.
        var change = new ShaveChange(id, ShaveChangeKind.Deleted, clock.GetUtcNow().UtcDateTime);
        await DeleteRowsAsync(db, id, shave.VideoFileId, () => feed.Record(db, change), ct);
        notifier.Publish(change);
        LogShaveDeleted(logger, caller.UserId, id, shave.Title, shave.RequesterId, shave.ShaveStatus.ToDb());
        return new CommandResult(CommandOutcome.Succeeded);
    }

    /// <summary>
    /// The shave and its video file go in one transaction (internal: the SQL Server test runs it on a recording
    /// connection). Children go by the database's ON DELETE CASCADE; the video file is this shave's alone (erd.md: 0..1).
    /// <paramref name="announce"/> adds the change feed's row (when the feed is on), saved in the same transaction.
    /// </summary>
    internal static Task DeleteRowsAsync(ShaveTrackerDbContext db, Guid shaveId, Guid videoFileId, Action announce, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Shaves.Where(s => s.Id == shaveId).ExecuteDeleteAsync(ct);
            await db.VideoFiles.Where(v => v.Id == videoFileId && !v.Shaves.Any()).ExecuteDeleteAsync(ct);
            announce();
            // A failure rolls back the whole transaction: a savepoint before this one insert would buy nothing.
            db.Database.AutoSavepointsEnabled = false;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        });

    public async Task<BulkResult> BulkMoveAsync(Caller caller, IReadOnlyCollection<Guid> ids, Guid? projectId, CancellationToken ct)
    {
        if (!caller.CanManageShaves)
        {
            return new BulkResult(0, ids.Count, ["Only staff can change shaves."]);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        string? projectName = null;
        if (projectId is not null)
        {
            var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, ct);
            if (project is null || !project.IsActive)
            {
                return new BulkResult(0, ids.Count, ["Choose an active project."]);
            }

            projectName = project.Name;
        }

        var shaves = await db.Shaves.Include(s => s.Project).Where(s => ids.Contains(s.Id)).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = 0;
        var changes = new List<ShaveChange>();
        foreach (var shave in shaves.Where(s => s.ProjectId != projectId))
        {
            AddActivity(db, shave.Id, caller, "shave.project_changed", now,
                new { projectId = shave.ProjectId, project = shave.Project?.Name },
                new { projectId, project = projectName });
            shave.ProjectId = projectId;
            changes.Add(Announce(db, shave.Id, ShaveChangeKind.Updated, now));
            changed++;
        }

        await db.SaveChangesAsync(ct);
        PublishAll(changes);
        LogBulk(logger, caller.UserId, "moved", changed);
        return new BulkResult(changed, ids.Count - changed, []);
    }

    public Task<BulkResult> BulkCancelAsync(Caller caller, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        BulkTransitionAsync(caller, ids, [ShaveStatus.Pending, ShaveStatus.Processing], ShaveStatus.Cancelled, ct);

    public Task<BulkResult> BulkRequeueAsync(Caller caller, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        BulkTransitionAsync(caller, ids, [ShaveStatus.Failed, ShaveStatus.Cancelled], ShaveStatus.Pending, ct);

    /// <summary>One transaction: each eligible shave changes with its activity row; the others are reported as skipped.</summary>
    private async Task<BulkResult> BulkTransitionAsync(Caller caller, IReadOnlyCollection<Guid> ids, ShaveStatus[] from, ShaveStatus to, CancellationToken ct)
    {
        if (!caller.CanManageShaves)
        {
            return new BulkResult(0, ids.Count, ["Only staff can change shaves."]);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var shaves = await db.Shaves.Where(s => ids.Contains(s.Id)).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = 0;
        var messages = new List<string>();
        var changes = new List<ShaveChange>();
        foreach (var shave in shaves)
        {
            if (!from.Contains(shave.ShaveStatus))
            {
                messages.Add($"“{shave.Title}” is {shave.ShaveStatus}: left as it is.");
                continue;
            }

            AddActivity(db, shave.Id, caller, "shave.status_changed", now, new { status = shave.ShaveStatus.ToDb() }, new { status = to.ToDb() });
            shave.ShaveStatus = to;
            changes.Add(Announce(db, shave.Id, ShaveChangeKind.StatusChanged, now));
            changed++;
        }

        await db.SaveChangesAsync(ct);
        PublishAll(changes);
        LogBulk(logger, caller.UserId, to == ShaveStatus.Cancelled ? "cancelled" : "re-queued", changed);
        return new BulkResult(changed, ids.Count - changed, messages);
    }

    // ---- Helpers --------------------------------------------------------------------------------------------

    /// <summary>
    /// Staff changes reach open pages as the pipeline's reports do: the feed row is added before the save (it commits
    /// with the change, for other instances), and <see cref="IShaveChangeNotifier.Publish"/> follows a successful save
    /// (this instance's pages, at once).
    /// </summary>
    private ShaveChange Announce(ShaveTrackerDbContext db, Guid shaveId, ShaveChangeKind kind, DateTime at)
    {
        var change = new ShaveChange(shaveId, kind, at);
        feed.Record(db, change);
        return change;
    }

    private void PublishAll(IEnumerable<ShaveChange> changes)
    {
        foreach (var change in changes)
        {
            notifier.Publish(change);
        }
    }

    internal static async Task<Dictionary<string, string>> ValidateAsync(ShaveTrackerDbContext db, ShaveEdit edit, Guid? currentProjectId, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(edit.Title))
        {
            errors[nameof(ShaveEdit.Title)] = "Give the shave a title.";
        }
        else if (edit.Title.Trim().Length > MaxTitleLength)
        {
            errors[nameof(ShaveEdit.Title)] = $"Keep the title under {MaxTitleLength} characters (it has {edit.Title.Trim().Length}).";
        }

        if (!string.IsNullOrWhiteSpace(edit.WorkItemUrl) && UrlRules.Check(edit.WorkItemUrl, MaxUrlLength) is { } urlError)
        {
            errors[nameof(ShaveEdit.WorkItemUrl)] = urlError;
        }

        if (edit.WorkItemSource?.Trim().Length > MaxSourceLength)
        {
            errors[nameof(ShaveEdit.WorkItemSource)] = $"Keep the source under {MaxSourceLength} characters.";
        }

        if (!Enum.IsDefined(edit.Status))
        {
            errors[nameof(ShaveEdit.Status)] = "Choose a status.";
        }

        if (edit.ProjectId is { } projectId && projectId != currentProjectId)
        {
            var active = await db.Projects.Where(p => p.Id == projectId).Select(p => (bool?)p.IsActive).FirstOrDefaultAsync(ct);
            if (active is null)
            {
                errors[nameof(ShaveEdit.ProjectId)] = "That project no longer exists.";
            }
            else if (active == false)
            {
                errors[nameof(ShaveEdit.ProjectId)] = "That project is inactive: choose an active one.";
            }
        }

        return errors;
    }

    private static (string Title, Guid? ProjectId, string? ProjectName, string Status, string? WorkItemUrl, string WorkItemSource) Snapshot(Shave s) =>
        (s.Title, s.ProjectId, s.Project?.Name, s.ShaveStatus.ToDb(), s.WorkItemUrl, s.WorkItemSource);

    private static void AddActivity(ShaveTrackerDbContext db, Guid shaveId, Caller caller, string type, DateTime now, object before, object after) =>
        db.UserActivities.Add(new UserActivity
        {
            Id = Ids.NewId(),
            ShaveId = shaveId,
            UserId = caller.UserId,
            ActivityType = type,
            TargetTable = "shaves",
            TargetId = shaveId,
            DetailsJson = JsonSerializer.Serialize(new { before, after }, AuditJson),
            CreatedAt = now,
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Shave {ShaveId} {Change} by {ActorUserId}")]
    private static partial void LogShaveChanged(ILogger logger, Guid actorUserId, string change, Guid shaveId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Audit: shave {ShaveId} ({Title}, requester {RequesterId}, status {Status}) deleted with all its rows by admin {ActorUserId}")]
    private static partial void LogShaveDeleted(ILogger logger, Guid actorUserId, Guid shaveId, string title, Guid requesterId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk: {Count} shaves {Change} by {ActorUserId}")]
    private static partial void LogBulk(ILogger logger, Guid actorUserId, string change, int count);
}
