using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ShaveTracker.Data;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Logs;
using ShaveTracker.Web.Shared;
using static ShaveTracker.Tests.Infrastructure.PipelineRecords;

namespace ShaveTracker.Tests.Logs;

/// <summary>The explorer's full-text search of every payload, of all time, through the masked index.</summary>
public sealed class LogSearchTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    private static readonly DateTime Now = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    private static readonly Caller Admin = new(Guid.NewGuid(), "Ada Admin", IsStaff: false, IsAdmin: true);

    private LogsService Service => new(Factory, new FakeTimeProvider(Now), new MemoryCache(new MemoryCacheOptions()));

    /// <summary>An indexer on <paramref name="factory"/>, for tests to catch the index up (its readiness signal).</summary>
    public static LogSearchIndexer IndexerFor(IDbContextFactory<ShaveTrackerDbContext> factory) =>
        new(factory, TestShaveChanges.Notifier(), TimeProvider.System, NullLogger<LogSearchIndexer>.Instance);

    private Task<LogPage<AiLogRow>> AiAsync(string q, int page = 0) => Service.ListAiLogsAsync(Admin, new LogQuery { Search = q, Page = page }, default);

    private Task<LogPage<ToolCallRow>> ToolsAsync(string q) =>
        Service.ListToolCallsAsync(Admin, new LogQuery { Kind = LogKind.ToolCalls, Search = q }, default);

    [Fact]
    public async Task A_word_is_found_in_a_response_an_argument_and_a_result_of_any_age_newest_recorded_first()
    {
        var shave = await CreateShaveAsync();
        // A year old: a search is not bounded by the explorer's window of days.
        var old = AiLog(shave, "gpt-4o", Now.AddDays(-365), prompt: "Summarise the call", response: "The toner cartridge is empty");
        var recent = AiLog(shave, "gpt-4o", Now.AddHours(-1), prompt: "Check the toner level", response: "Done");
        await InsertAsync(old);
        await InsertAsync(recent, AiLog(shave, "o3-mini", Now, prompt: "Nothing here", response: "Nor here"));
        var args = ToolCall(shave, "search_issues", "github", Now.AddDays(-40), args: """{"q":"stapler jams"}""", result: "[]");
        var result = ToolCall(shave, "get_issue", "github", Now.AddDays(-2), args: """{"number":7}""", result: """{"title":"Stapler jams on A3"}""");
        await InsertAsync(args);
        await InsertAsync(result);
        await IndexerFor(Factory).CatchUpAsync(default);

        var toner = await AiAsync("toner");
        Assert.Equal([recent.Id, old.Id], toner.Rows.Select(r => r.Id));
        Assert.Equal(2, toner.TotalCount);
        Assert.True(toner.AllTime);
        Assert.Equal("Response", toner.Rows[1].Snippet!.Part);
        Assert.Equal(["toner"], toner.Rows[1].Snippet!.Pieces.Where(p => p.Match).Select(p => p.Text));
        Assert.Equal("The toner cartridge is empty", string.Concat(toner.Rows[1].Snippet!.Pieces.Select(p => p.Text)));

        var stapler = await ToolsAsync("STAPLER");
        Assert.Equal([result.Id, args.Id], stapler.Rows.Select(r => r.Id));
        Assert.Equal(["Result", "Arguments"], stapler.Rows.Select(r => r.Snippet!.Part));
        Assert.Equal(["Stapler"], stapler.Rows[0].Snippet!.Pieces.Where(p => p.Match).Select(p => p.Text));
    }

    [Fact]
    public async Task Phrases_prefixes_and_several_words_narrow_the_search_and_no_match_is_an_empty_page()
    {
        var shave = await CreateShaveAsync();
        var blank = AiLog(shave, "gpt-4o", Now.AddHours(-2), response: "The printer prints blank pages on level 3");
        var pagesBlank = AiLog(shave, "gpt-4o", Now.AddHours(-1), response: "Pages came out blank, said the printer");
        await InsertAsync(blank);
        await InsertAsync(pagesBlank);
        await IndexerFor(Factory).CatchUpAsync(default);

        Assert.Equal([blank.Id], (await AiAsync("\"blank pages\"")).Rows.Select(r => r.Id));
        Assert.Equal([pagesBlank.Id, blank.Id], (await AiAsync("blank pages")).Rows.Select(r => r.Id));
        Assert.Equal([pagesBlank.Id, blank.Id], (await AiAsync("print*")).Rows.Select(r => r.Id));
        Assert.Equal([blank.Id], (await AiAsync("level printer")).Rows.Select(r => r.Id));
        var none = await AiAsync("scanner");
        Assert.Empty(none.Rows);
        Assert.Equal(0, none.TotalCount);
        Assert.Null(none.SearchError);
        // What would be operators to the engine is only text here.
        Assert.Empty((await AiAsync("blank OR NEAR(x) AND NOT -printer:*")).Rows);
    }

    [Theory]
    [InlineData("\"blank pages")]
    [InlineData("-- ** !!")]
    public async Task A_search_that_is_not_one_says_what_to_change_instead_of_failing(string q)
    {
        var page = await AiAsync(q);

        Assert.Empty(page.Rows);
        Assert.False(string.IsNullOrWhiteSpace(page.SearchError));
    }

    [Fact]
    public async Task A_secret_is_indexed_masked_so_its_value_finds_nothing_and_snippets_show_it_masked()
    {
        var shave = await CreateShaveAsync();
        const string token = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
        var log = AiLog(shave, "gpt-4o", Now, prompt: $"Use the token {token} with password: hunter2secret99 to open the printer queue");
        var call = ToolCall(shave, "get_env", "shell", Now, args: "{}", result: """{"API_KEY":"sk-proj-abcdefghijklmnop1234567890","printer":"ok"}""");
        await InsertAsync(log);
        await InsertAsync(call);
        await IndexerFor(Factory).CatchUpAsync(default);

        // Searched by the secret's value (as a word, not as a secret-shaped search, which the explorer refuses anyway).
        Assert.Empty((await AiAsync("16C7e42F292c6912E7710c838347Ae178B4a")).Rows);
        Assert.Empty((await AiAsync("hunter2secret99")).Rows);
        Assert.Empty((await ToolsAsync("abcdefghijklmnop1234567890")).Rows);
        // The text around it is found, and the snippet shows the secret as the trace does.
        var found = Assert.Single((await AiAsync("printer")).Rows);
        var snippet = string.Concat(found.Snippet!.Pieces.Select(p => p.Text));
        Assert.Contains("ghp_***", snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("16C7e42F", snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret99", snippet, StringComparison.Ordinal);
        var tool = Assert.Single((await ToolsAsync("printer")).Rows);
        Assert.DoesNotContain("abcdefghijklmnop", string.Concat(tool.Snippet!.Pieces.Select(p => p.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_shaves_calls_leave_the_index_and_a_new_call_is_found_once_the_indexer_caught_up()
    {
        var gone = await CreateShaveAsync(title: "Deleted");
        var kept = await CreateShaveAsync(title: "Kept");
        await InsertAsync(AiLog(gone, "gpt-4o", Now, response: "the stapler again"));
        await InsertAsync(AiLog(kept, "gpt-4o", Now, response: "stapler"));
        var indexer = IndexerFor(Factory);
        await indexer.CatchUpAsync(default);
        await using (var db = await NewContextAsync())
        {
            await db.Shaves.Where(s => s.Id == gone.Id).ExecuteDeleteAsync();
        }

        Assert.Equal([kept.Id], (await AiAsync("stapler")).Rows.Select(r => r.ShaveId));
        await using (var db = await NewContextAsync())
        {
            Assert.Equal(1, await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM ai_logs_fts WHERE ai_logs_fts MATCH 'stapler'").SingleAsync());
        }

        var later = await InsertAsync(AiLog(kept, "gpt-4o", Now, response: "stapler fixed"));
        Assert.Equal(1, await indexer.CatchUpAsync(default));
        Assert.Equal(later.Id, (await AiAsync("stapler")).Rows[0].Id);
    }

    [Fact]
    public async Task Pages_of_a_search_follow_each_other_and_the_count_stops_at_the_cap()
    {
        var shave = await CreateShaveAsync();
        var logs = Enumerable.Range(0, 30).Select(i => AiLog(shave, "gpt-4o", Now.AddMinutes(i), response: $"paper jam number {i}")).ToList();
        await using (var db = await NewContextAsync())
        {
            db.AddRange(logs);
            await db.SaveChangesAsync();
        }

        await IndexerFor(Factory).CatchUpAsync(default);

        var first = await AiAsync("jam");
        var second = await AiAsync("jam", page: 1);
        Assert.Equal(30, first.TotalCount);
        Assert.Equal(LogQuery.DefaultPageSize, first.Rows.Count);
        Assert.Equal(5, second.Rows.Count);
        Assert.Empty(first.Rows.Select(r => r.Id).Intersect(second.Rows.Select(r => r.Id)));
    }

    [Theory]
    [InlineData(LogKind.AiLogs)]
    [InlineData(LogKind.ToolCalls)]
    public async Task The_search_reads_the_fts_index_in_rowid_order_and_scans_no_payload_table(LogKind kind)
    {
        await using var db = await NewContextAsync();
        var search = LogSearchText.Parse("printer \"blank pages\" print*");

        var page = await SqlitePlan.LinesAsync(db, LogsService.SearchPageQuery(db, kind, search, 25, 25));
        var count = await SqlitePlan.LinesAsync(db, LogsService.SearchCountQuery(db, kind, search));

        var fts = kind == LogKind.AiLogs ? "ai_logs_fts" : "tool_calls_fts";
        var alias = kind == LogKind.AiLogs ? "a" : "c";
        foreach (var plan in new[] { page, count })
        {
            Assert.Contains(plan, line => line.Contains($"SCAN {fts} VIRTUAL TABLE INDEX", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, line => line == $"SCAN {alias}" || line.StartsWith($"SCAN {alias} ", StringComparison.Ordinal) ||
                                                line.StartsWith("SCAN ai_logs ", StringComparison.Ordinal) || line.StartsWith("SCAN tool_calls ", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, line => line.Contains("USE TEMP B-TREE", StringComparison.Ordinal));
        }

        // The payload table is reached only by rowid, for the page's rows.
        Assert.Contains(page, line => line.Contains($"SEARCH {alias} USING INTEGER PRIMARY KEY (rowid=?)", StringComparison.Ordinal));
    }

    [Fact]
    public void The_sql_server_search_and_indexer_sql_parses()
    {
        using var db = SqlServerScript.CreateContext();
        var search = LogSearchText.Parse("printer \"blank pages\" print*");
        foreach (var kind in Enum.GetValues<LogKind>())
        {
            var page = Declared(LogsService.SearchPageQuery(db, kind, search, 25, 25).ToQueryString());
            Assert.Contains("CONTAINS((t.first_text, t.second_text), @", page, StringComparison.Ordinal);
            SqlServerScript.AssertParses(page);
            SqlServerScript.AssertParses(Declared(LogsService.SearchCountQuery(db, kind, search).ToQueryString()));
        }

        foreach (var sql in new[] { LogSearchIndexer.SqlServerClaimBatch, LogSearchIndexer.SqlServerReadAiLogs, LogSearchIndexer.SqlServerReadToolCalls, LogSearchIndexer.SqlServerWriteText })
        {
            SqlServerScript.AssertParses("DECLARE @batch int, @chars int, @ids nvarchar(max), @kind tinyint, @id uniqueidentifier, @first nvarchar(max), @second nvarchar(max);\n" + sql);
        }
    }

    /// <summary>EF prints a raw query's parameters as "DECLARE p0 ..." (the SQL itself says @p0, as SQL Server needs).</summary>
    private static string Declared(string sql) => System.Text.RegularExpressions.Regex.Replace(sql, @"^DECLARE (p\d+)", "DECLARE @$1",
        System.Text.RegularExpressions.RegexOptions.Multiline);

    [Theory]
    [InlineData("printer", "\"printer\"", "\"printer\"")]
    [InlineData("Blank \"Paper  JAM\" print*", "\"blank\" \"paper jam\" \"print\"*", "\"blank\" AND \"paper jam\" AND \"print*\"")]
    [InlineData("sk-proj OR x\"y\"", "\"sk proj\" \"or\" \"x\" \"y\"", "\"sk proj\" AND \"or\" AND \"x\" AND \"y\"")]
    public void Typed_text_becomes_quoted_terms_for_either_engine(string typed, string fts5, string contains)
    {
        var search = LogSearchText.Parse(typed);

        Assert.Equal(fts5, search.ToFts5());
        Assert.Equal(contains, search.ToSqlServerContains());
    }
}
