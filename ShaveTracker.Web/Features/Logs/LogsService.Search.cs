using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Logs;

/// <summary>
/// The explorer's search: every prompt and response, or every argument and result, of all time, through the full-text
/// index that <see cref="LogSearchIndexer"/> keeps of the masked texts. Newest recorded first, paged, counted to
/// <see cref="LogQuery.CountLimit"/>; each row with a snippet of the masked text around its match.
/// </summary>
public sealed partial class LogsService
{
    private async Task<LogPage<TRow>> SearchAsync<TRow>(LogQuery query, LogWindow window,
        Func<ShaveTrackerDbContext, IReadOnlyList<Guid>, LogSearchText, CancellationToken, Task<IReadOnlyList<TRow>>> rowsOf, CancellationToken ct)
    {
        var search = LogSearchText.Parse(query.Search!);
        if (!search.IsValid)
        {
            return new LogPage<TRow>([], 0, false, window, false) { SearchError = search.Error };
        }

        var size = Math.Clamp(query.PageSize, 1, LogQuery.PageSizes[^1]);
        var page = Math.Clamp(query.Page, 0, (LogQuery.CountLimit - 1) / size);
        await using var db = await factory.CreateDbContextAsync(ct);
        try
        {
            var total = await SearchCountQuery(db, query.Kind, search).SingleAsync(ct);
            var ids = await SearchPageQuery(db, query.Kind, search, page * size, size).ToListAsync(ct);
            var rows = ids.Count == 0 ? [] : await rowsOf(db, ids, search, ct);
            return new LogPage<TRow>(rows, Math.Min(total, LogQuery.CountLimit), total > LogQuery.CountLimit, window, false) { AllTime = true };
        }
        catch (DbException e) when (IsRejectedSearch(e))
        {
            return new LogPage<TRow>([], 0, false, window, false) { SearchError = RejectedSearch };
        }
    }

    public const string RejectedSearch =
        "The search index could not read this search. Search for words or \"a phrase\", without other punctuation.";

    /// <summary>The full-text engine refused the search itself (its syntax), not the database being unwell.</summary>
    private static bool IsRejectedSearch(DbException e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == 1 && s.Message.Contains("fts5", StringComparison.OrdinalIgnoreCase),
        // 7630: syntax error in a full-text condition; 7645: empty condition; 7619: only noise words.
        Microsoft.Data.SqlClient.SqlException s => s.Number is 7630 or 7645 or 7619,
        _ => false,
    };

    private async Task<IReadOnlyList<AiLogRow>> SearchedAiLogsAsync(ShaveTrackerDbContext db, IReadOnlyList<Guid> ids, LogSearchText search, CancellationToken ct)
    {
        var found = db.AiLogs.AsNoTracking().Where(a => ids.Contains(a.Id));
        var rows = await AiLogPageQuery(db, found, new LogQuery { Search = search.ToString(), PageSize = LogQuery.PageSizes[^1] }).ToListAsync(ct);
        var texts = await found
            .Select(a => new { a.Id, First = a.PromptText!.Substring(0, SnippetReadChars), Second = a.ResponseText!.Substring(0, SnippetReadChars) })
            .ToDictionaryAsync(a => a.Id, ct);
        return InIndexOrder(ids, rows, r => r.Id, r => r with
        {
            Snippet = texts.TryGetValue(r.Id, out var t) ? Snippet(search, ("Prompt", t.First), ("Response", t.Second)) : null,
        });
    }

    private async Task<IReadOnlyList<ToolCallRow>> SearchedToolCallsAsync(ShaveTrackerDbContext db, IReadOnlyList<Guid> ids, LogSearchText search, CancellationToken ct)
    {
        var found = db.ToolCalls.AsNoTracking().Where(c => ids.Contains(c.Id));
        var rows = await ToolCallPageQuery(found, new LogQuery { Kind = LogKind.ToolCalls, Search = search.ToString(), PageSize = LogQuery.PageSizes[^1] })
            .ToListAsync(ct);
        var texts = await found
            .Select(c => new { c.Id, First = c.ArgsJson!.Substring(0, SnippetReadChars), Second = c.ResultJson!.Substring(0, SnippetReadChars) })
            .ToDictionaryAsync(c => c.Id, ct);
        return InIndexOrder(ids, rows, r => r.Id, r => r with
        {
            Snippet = texts.TryGetValue(r.Id, out var t) ? Snippet(search, ("Arguments", t.First), ("Result", t.Second)) : null,
        });
    }

    /// <summary>As much of a payload as was indexed, and the margin its masking reads past the cut.</summary>
    private const int SnippetReadChars = LogSearchIndexer.IndexedChars + 4 * 1024;

    /// <summary>The snippet comes from the masked text, exactly as the index holds it.</summary>
    private static SearchSnippet? Snippet(LogSearchText search, params (string Part, string? Text)[] parts) =>
        LogSearchSnippet.Find(search, parts.Select(p => (p.Part, p.Text is null ? null : SecretMasker.ApplyAndCut(p.Text, LogSearchIndexer.IndexedChars))));

    /// <summary>The page's rows in the index's order (newest recorded first), which the rows' own query does not keep.</summary>
    private static List<TRow> InIndexOrder<TRow>(IReadOnlyList<Guid> ids, IReadOnlyList<TRow> rows, Func<TRow, Guid> id, Func<TRow, TRow> complete)
    {
        var byId = rows.ToDictionary(id);
        return [.. ids.Where(byId.ContainsKey).Select(i => complete(byId[i]))];
    }

    // ---- Queries (internal so that tests can check their plans and their SQL Server text) -------------------------

    /// <summary>
    /// The ids of one page of matches, newest recorded first. SQLite: the FTS5 table drives, in rowid order (the order
    /// the rows were written), and stops at the page; SQL Server: the full-text predicate over log_search_texts, in
    /// the order the indexer wrote them.
    /// </summary>
    internal static IQueryable<Guid> SearchPageQuery(ShaveTrackerDbContext db, LogKind kind, LogSearchText search, int skip, int take)
    {
        if (db.Database.IsSqlite())
        {
            var match = search.ToFts5();
            return kind == LogKind.AiLogs
                ? db.Database.SqlQuery<Guid>(
                    $"SELECT a.id AS \"Value\" FROM (SELECT rowid AS r FROM ai_logs_fts WHERE ai_logs_fts MATCH {match} ORDER BY rowid DESC LIMIT {take} OFFSET {skip}) AS f CROSS JOIN ai_logs AS a ON a.rowid = f.r ORDER BY f.r DESC")
                : db.Database.SqlQuery<Guid>(
                    $"SELECT c.id AS \"Value\" FROM (SELECT rowid AS r FROM tool_calls_fts WHERE tool_calls_fts MATCH {match} ORDER BY rowid DESC LIMIT {take} OFFSET {skip}) AS f CROSS JOIN tool_calls AS c ON c.rowid = f.r ORDER BY f.r DESC");
        }

        var contains = search.ToSqlServerContains();
        var k = (int)(kind == LogKind.AiLogs ? SearchKind.AiLog : SearchKind.ToolCall);
        return db.Database.SqlQuery<Guid>(
            $"SELECT t.record_id AS [Value] FROM log_search_texts AS t WHERE t.kind = {k} AND CONTAINS((t.first_text, t.second_text), {contains}) ORDER BY t.search_id DESC OFFSET {skip} ROWS FETCH NEXT {take} ROWS ONLY");
    }

    /// <summary>How many calls match, counted to one more than <see cref="LogQuery.CountLimit"/>.</summary>
    internal static IQueryable<int> SearchCountQuery(ShaveTrackerDbContext db, LogKind kind, LogSearchText search)
    {
        const int cap = LogQuery.CountLimit + 1;
        if (db.Database.IsSqlite())
        {
            var match = search.ToFts5();
            return kind == LogKind.AiLogs
                ? db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM (SELECT rowid FROM ai_logs_fts WHERE ai_logs_fts MATCH {match} LIMIT {cap})")
                : db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM (SELECT rowid FROM tool_calls_fts WHERE tool_calls_fts MATCH {match} LIMIT {cap})");
        }

        var contains = search.ToSqlServerContains();
        var k = (int)(kind == LogKind.AiLogs ? SearchKind.AiLog : SearchKind.ToolCall);
        return db.Database.SqlQuery<int>(
            $"SELECT COUNT(*) AS [Value] FROM (SELECT TOP ({cap}) t.search_id FROM log_search_texts AS t WHERE t.kind = {k} AND CONTAINS((t.first_text, t.second_text), {contains})) AS m");
    }
}
