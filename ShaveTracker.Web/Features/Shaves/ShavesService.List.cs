using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Shaves;

// The shave list: who sees what, filters, whitelisted sorts, pages and counts.
public sealed partial class ShavesService
{
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
}
