using ShaveTracker.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Time.Testing;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Logs;
using ShaveTracker.Web.Shared;
using static ShaveTracker.Tests.Infrastructure.PipelineRecords;

namespace ShaveTracker.Tests.Logs;

public sealed class LogsServiceTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    /// <summary>"Today" for every test here: the default window is 2026-11-14 to 2026-11-20.</summary>
    private static readonly DateTime Now = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    private static readonly DateOnly Today = DateOnly.FromDateTime(Now);

    private static readonly Caller Admin = new(Guid.NewGuid(), "Ada Admin", IsStaff: false, IsAdmin: true);

    private LogsService Service => new(Factory, new FakeTimeProvider(Now), new MemoryCache(new MemoryCacheOptions()));

    [Fact]
    public async Task Staff_and_requesters_are_refused_whatever_the_page_shows()
    {
        var staff = new Caller(Guid.NewGuid(), "Stan", IsStaff: true, IsAdmin: false);
        var requester = new Caller(Guid.NewGuid(), "Rita", IsStaff: false, IsAdmin: false);

        foreach (var caller in new[] { staff, requester })
        {
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.ListAiLogsAsync(caller, new LogQuery(), default));
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.ListToolCallsAsync(caller, new LogQuery(), default));
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.FilterOptionsAsync(caller, default));
        }
    }

    [Fact]
    public async Task Ai_logs_filter_by_model_duration_project_shave_status_and_days()
    {
        var project = await CreateProjectAsync(name: "Web");
        var failed = await CreateShaveAsync(project: project, title: "Failed one", status: ShaveStatus.Failed);
        var done = await CreateShaveAsync(title: "Done one", status: ShaveStatus.Completed);
        var executing = Step(failed, "executing_task", Now.AddHours(-2), 60_000);
        var transcribing = Step(done, "transcribing", Now.AddHours(-3), 20_000);
        await InsertAsync(executing, transcribing);
        await InsertAsync(
            AiLog(failed, "gpt-4o", Now.AddHours(-1), 9_000, executing),
            AiLog(failed, "gpt-4o", Now.AddDays(-2), 1_200, executing),
            AiLog(done, "o3-mini", Now.AddDays(-3), 4_000, transcribing),
            AiLog(done, "gpt-4o", Now.AddDays(-6).Date, 500),   // first day of the default window
            AiLog(done, "gpt-4o", Now.AddDays(-7), 800));        // the day before it

        async Task<IReadOnlyList<AiLogRow>> List(LogQuery q) => (await Service.ListAiLogsAsync(Admin, q, default)).Rows;

        Assert.Equal(4, (await List(new LogQuery())).Count);
        Assert.Equal(3, (await List(new LogQuery { Model = "gpt-4o" })).Count);
        Assert.Equal([9_000, 4_000], (await List(new LogQuery { MinDurationMs = 4_000 })).Select(r => r.DurationMs));
        Assert.All(await List(new LogQuery { ProjectId = project.Id }), r => Assert.Equal("Web", r.ProjectName));
        Assert.Equal(2, (await List(new LogQuery { ProjectId = project.Id })).Count);
        Assert.Equal(2, (await List(new LogQuery { ShaveStatus = ShaveStatus.Completed })).Count);
        var earlier = await List(new LogQuery { From = Today.AddDays(-7), To = Today.AddDays(-7) });
        Assert.Equal(800, Assert.Single(earlier).DurationMs);

        var row = (await List(new LogQuery { Model = "gpt-4o", MinDurationMs = 9_000 })).Single();
        Assert.Equal((failed.Id, "Failed one", ShaveStatus.Failed, "executing_task"), (row.ShaveId, row.ShaveTitle, row.ShaveStatus, row.StepName));
    }

    [Fact]
    public async Task Tool_calls_filter_by_tool_service_success_duration_project_and_shave_status()
    {
        var project = await CreateProjectAsync(name: "Mobile");
        var shave = await CreateShaveAsync(project: project, status: ShaveStatus.Failed);
        var other = await CreateShaveAsync(status: ShaveStatus.Completed);
        var log = AiLog(shave, "gpt-4o", Now.AddHours(-2));
        await InsertAsync(log);
        await InsertAsync(
            ToolCall(shave, "create_issue", "github", Now.AddHours(-1), success: false, durationMs: 30_000, aiLog: log),
            ToolCall(shave, "search_issues", "github", Now.AddHours(-1), durationMs: 900),
            ToolCall(other, "create_work_item", "azure-devops", Now.AddDays(-1), durationMs: 2_000),
            ToolCall(other, "create_issue", "github-enterprise", Now.AddDays(-2), success: false, durationMs: 100));

        async Task<IReadOnlyList<ToolCallRow>> List(LogQuery q) =>
            (await Service.ListToolCallsAsync(Admin, q with { Kind = LogKind.ToolCalls }, default)).Rows;

        Assert.Equal(4, (await List(new LogQuery())).Count);
        Assert.Equal(2, (await List(new LogQuery { Tool = "create_issue" })).Count);
        Assert.Equal(["github-enterprise"], (await List(new LogQuery { Tool = "create_issue", Service = "github-enterprise" })).Select(r => r.ServiceName));
        Assert.Equal(2, (await List(new LogQuery { Success = false })).Count);
        Assert.Equal(2, (await List(new LogQuery { Success = true })).Count);
        Assert.Equal(2, (await List(new LogQuery { MinDurationMs = 2_000 })).Count);
        Assert.Equal(2, (await List(new LogQuery { ProjectId = project.Id })).Count);
        Assert.Equal(2, (await List(new LogQuery { ShaveStatus = ShaveStatus.Completed })).Count);

        var failedCall = (await List(new LogQuery { Success = false, ProjectId = project.Id })).Single();
        Assert.Equal(("create_issue", "gpt-4o", 30_000), (failedCall.ToolName, failedCall.ModelName, failedCall.DurationMs));
    }

    [Fact]
    public async Task A_shave_filter_finds_the_same_calls_through_the_few_matching_shaves_as_through_the_join()
    {
        var project = await CreateProjectAsync(name: "Web");
        var failedInProject = await CreateShaveAsync(project: project, status: ShaveStatus.Failed);
        var doneInProject = await CreateShaveAsync(project: project, status: ShaveStatus.Completed);
        var failedElsewhere = await CreateShaveAsync(status: ShaveStatus.Failed);
        foreach (var shave in new[] { failedInProject, doneInProject, failedElsewhere })
        {
            await InsertAsync(AiLog(shave, "gpt-4o", Now.AddHours(-1)), AiLog(shave, "gpt-4o", Now.AddDays(-10)));
            await InsertAsync(ToolCall(shave, "create_issue", "github", Now.AddHours(-1)));
        }

        await using var db = await NewContextAsync();
        var q = new LogQuery { ProjectId = project.Id, ShaveStatus = ShaveStatus.Failed };
        var window = LogsService.ResolveWindow(q, Today);
        var ids = await LogsService.FewMatchingShavesAsync(db, q, default);

        Assert.Equal([failedInProject.Id], ids);
        var logsViaIds = await LogsService.FilterAiLogs(db, q, window, ids).Select(a => a.ShaveId).ToListAsync();
        var logsViaJoin = await LogsService.FilterAiLogs(db, q, window).Select(a => a.ShaveId).ToListAsync();
        Assert.Equal([failedInProject.Id], logsViaIds);
        Assert.Equal(logsViaJoin, logsViaIds);
        var callsViaIds = await LogsService.FilterToolCalls(db, q, window, ids).Select(t => t.ShaveId).ToListAsync();
        Assert.Equal(await LogsService.FilterToolCalls(db, q, window).Select(t => t.ShaveId).ToListAsync(), callsViaIds);
        Assert.Null(await LogsService.FewMatchingShavesAsync(db, new LogQuery { Model = "gpt-4o" }, default));
    }

    [Fact]
    public async Task Search_looks_in_prompts_responses_arguments_and_results_with_wildcards_taken_literally()
    {
        var shave = await CreateShaveAsync();
        await InsertAsync(
            AiLog(shave, "gpt-4o", Now.AddHours(-1), prompt: "The printer on level 3 prints blank pages", response: "## Pain"),
            AiLog(shave, "gpt-4o", Now.AddHours(-2), prompt: "Dark mode", response: "Coverage is 100% now"),
            AiLog(shave, "gpt-4o", Now.AddHours(-3), prompt: null, response: null));
        await InsertAsync(
            ToolCall(shave, "create_issue", "github", Now.AddHours(-1), args: """{"title":"Printer prints blank pages"}""", result: """{"number":42}"""),
            ToolCall(shave, "search_issues", "github", Now.AddHours(-2), args: """{"q":"dark"}""", result: """{"error":"rate_limited"}"""));
        await LogSearchTests.IndexerFor(Factory).CatchUpAsync(default);

        async Task<int> AiMatches(string q) => (await Service.ListAiLogsAsync(Admin, new LogQuery { Search = q }, default)).TotalCount;
        async Task<int> ToolMatches(string q) =>
            (await Service.ListToolCallsAsync(Admin, new LogQuery { Kind = LogKind.ToolCalls, Search = q }, default)).TotalCount;

        Assert.Equal(1, await AiMatches("BLANK PAGES"));
        Assert.Equal(1, await AiMatches("100%"));
        Assert.Equal(0, await AiMatches("1_0"));
        Assert.Equal(0, await AiMatches("1%w"));
        Assert.Equal(1, await ToolMatches("printer"));
        Assert.Equal(1, await ToolMatches("rate_limited"));
        Assert.Equal(0, await ToolMatches("nothing like this"));
    }

    [Theory]
    [InlineData(LogSort.Duration, true, new[] { 3_000, 2_000, 1_000 })]
    [InlineData(LogSort.Duration, false, new[] { 1_000, 2_000, 3_000 })]
    [InlineData(LogSort.Created, false, new[] { 2_000, 3_000, 1_000 })]
    [InlineData(LogSort.Created, true, new[] { 1_000, 3_000, 2_000 })]
    [InlineData(LogSort.Name, false, new[] { 3_000, 1_000, 2_000 })]
    public async Task Sorts_are_done_by_the_database(LogSort sort, bool descending, int[] expectedDurations)
    {
        var shave = await CreateShaveAsync();
        await InsertAsync(
            AiLog(shave, "gpt-4o", Now.AddHours(-1), 1_000),
            AiLog(shave, "o3-mini", Now.AddHours(-3), 2_000),
            AiLog(shave, "claude-sonnet-4", Now.AddHours(-2), 3_000));

        var rows = (await Service.ListAiLogsAsync(Admin, new LogQuery { Sort = sort, Descending = descending }, default)).Rows;

        Assert.Equal(expectedDurations, rows.Select(r => r.DurationMs!.Value));
    }

    [Fact]
    public async Task Counts_stop_at_the_limit_and_say_there_are_more()
    {
        var shave = await CreateShaveAsync();
        await using (var db = await NewContextAsync())
        {
            // 10,001 calls in one statement; the (uppercase) id text is what EF Core writes for a Guid on SQLite.
            await db.Database.ExecuteSqlRawAsync("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10001)
                INSERT INTO ai_logs (id, shave_id, model_name, duration_ms, created_at)
                SELECT upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6))),
                       {0}, 'gpt-4o', i, {1}
                FROM n
                """, shave.Id.ToString().ToUpperInvariant(), Now.AddHours(-1));
        }

        var page = await Service.ListAiLogsAsync(Admin, new LogQuery(), default);
        Assert.Equal((LogQuery.CountLimit, true), (page.TotalCount, page.TotalIsLowerBound));

        Assert.False(page.Ranked);

        // Slowest first ranks the newest RankLimit rows (here all share a time: ties break by id), says so, and pages
        // through those only.
        var slowest = await Service.ListAiLogsAsync(Admin, new LogQuery { Sort = LogSort.Duration, Page = 1_000 }, default);
        Assert.True(slowest.Ranked);
        Assert.Equal(LogQuery.RankLimit, slowest.PageableCount);
        Assert.Equal(LogQuery.DefaultPageSize, slowest.Rows.Count);
        Assert.True(slowest.Rows[0].DurationMs >= slowest.Rows[^1].DurationMs);
    }

    [Fact]
    public void The_window_defaults_to_the_last_week_and_never_exceeds_31_days()
    {
        Assert.Equal(new LogWindow(Today.AddDays(-6), Today, false), LogsService.ResolveWindow(new LogQuery(), Today));
        Assert.Equal(new LogWindow(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 3), false),
            LogsService.ResolveWindow(new LogQuery { From = new DateOnly(2026, 11, 3), To = new DateOnly(2026, 11, 1) }, Today));
        Assert.Equal(new LogWindow(new DateOnly(2026, 11, 4), new DateOnly(2026, 11, 10), false),
            LogsService.ResolveWindow(new LogQuery { To = new DateOnly(2026, 11, 10) }, Today));
        // A start alone runs to today, or 31 days from it when today is further.
        Assert.Equal(new LogWindow(new DateOnly(2026, 11, 10), Today, false),
            LogsService.ResolveWindow(new LogQuery { From = new DateOnly(2026, 11, 10) }, Today));
        Assert.Equal(new LogWindow(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31), false),
            LogsService.ResolveWindow(new LogQuery { From = new DateOnly(2026, 1, 1) }, Today));
        var year = LogsService.ResolveWindow(new LogQuery { From = new DateOnly(2026, 1, 1), To = Today }, Today);
        Assert.Equal(new LogWindow(Today.AddDays(-30), Today, true), year);
        Assert.Equal(LogQuery.MaxWindowDays, year.Days);
    }

    [Fact]
    public async Task Filter_options_come_from_the_daily_totals_which_follow_every_write()
    {
        var shave = await CreateShaveAsync();
        var gone = AiLog(shave, "gpt-3.5", Now.AddDays(-40));
        await InsertAsync(AiLog(shave, "gpt-4o", Now), AiLog(shave, "o3-mini", Now.AddDays(-100)), gone);
        await InsertAsync(ToolCall(shave, "create_issue", "github", Now), ToolCall(shave, "create_work_item", "azure-devops", Now));
        await using (var db = await NewContextAsync())
        {
            await db.AiLogs.Where(a => a.Id == gone.Id).ExecuteDeleteAsync();
        }

        var options = await Service.FilterOptionsAsync(Admin, default);

        Assert.Equal(["gpt-4o", "o3-mini"], options.Models);
        Assert.Equal([new ToolOption("github", "create_issue"), new ToolOption("azure-devops", "create_work_item")], options.Tools);
        Assert.Equal(["azure-devops", "github"], options.Services);
    }

    private static readonly DateTime PricesFrom = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Model_calls_show_their_tokens_and_cost_sort_by_cost_and_filter_by_a_least_cost()
    {
        var shave = await CreateShaveAsync(createdAt: Now.AddDays(-1));
        var dear = AiLog(shave, "gpt-4o", Now.AddHours(-3));
        var cheap = AiLog(shave, "gpt-4o-mini", Now.AddHours(-2));
        var unpriced = AiLog(shave, "llama-3.3-70b", Now.AddHours(-1));
        var silent = AiLog(shave, "gpt-4o", Now.AddMinutes(-30));
        await InsertAsync(dear, cheap, unpriced, silent,
            AiLogUsage.For(dear, 100_000, 10_000), AiLogUsage.For(cheap, 100_000, 10_000), AiLogUsage.For(unpriced, 100_000, 10_000),
            Price("gpt-4o*", 2.50, 10.00, PricesFrom), Price("gpt-4o-mini*", 0.15, 0.60, PricesFrom));

        // The most specific pattern prices gpt-4o-mini: 100k × $0.15/M + 10k × $0.60/M = $0.021; gpt-4o: $0.35.
        var newest = (await Service.ListAiLogsAsync(Admin, new LogQuery(), default)).Rows;
        Assert.Equal([silent.Id, unpriced.Id, cheap.Id, dear.Id], newest.Select(r => r.Id));
        var byId = newest.ToDictionary(r => r.Id);
        Assert.Equal((100_000, 10_000), (byId[dear.Id].InputTokens, byId[dear.Id].OutputTokens));
        Assert.Equal(0.35, byId[dear.Id].CostUsd!.Value, 9);
        Assert.Equal(0.021, byId[cheap.Id].CostUsd!.Value, 9);
        Assert.Null(byId[unpriced.Id].CostUsd);
        Assert.Null(byId[silent.Id].InputTokens);

        var costliest = (await Service.ListAiLogsAsync(Admin, new LogQuery { Sort = LogSort.Cost }, default)).Rows;
        Assert.Equal([dear.Id, cheap.Id], costliest.Take(2).Select(r => r.Id));
        var cheapest = (await Service.ListAiLogsAsync(Admin, new LogQuery { Sort = LogSort.Cost, Descending = false }, default)).Rows;
        Assert.Equal([cheap.Id, dear.Id], cheapest.Take(2).Select(r => r.Id)); // calls without a cost come after those with one

        var atLeast = await Service.ListAiLogsAsync(Admin, new LogQuery { MinCostUsd = 0.05 }, default);
        Assert.Equal([dear.Id], atLeast.Rows.Select(r => r.Id));
        Assert.Equal(1, atLeast.TotalCount);
        Assert.Equal(0.05, LogExplorerUrl.Parse(null, null, null, null, null, null, null, null, null, null, null, "cost", null, null, null, "0.05").MinCostUsd);
        Assert.Equal("?minCost=0.05&sort=cost", LogExplorerUrl.ToQueryString(new LogQuery { MinCostUsd = 0.05, Sort = LogSort.Cost }));
    }

    [Fact]
    public void Lists_never_select_payload_columns()
    {
        using var db = SqlServerScript.CreateContext();
        var window = LogsService.ResolveWindow(new LogQuery(), Today);
        string[] payloads = ["prompt_text", "response_text", "args_json", "result_json"];

        foreach (var sort in Enum.GetValues<LogSort>())
        {
            var q = new LogQuery { Sort = sort, Model = "gpt-4o", Tool = "create_issue", MinDurationMs = 5, ProjectId = Guid.NewGuid(), ShaveStatus = ShaveStatus.Failed };
            var ai = LogsService.AiLogPageQuery(db, LogsService.FilterAiLogs(db, q, window), q).ToQueryString();
            var tools = LogsService.ToolCallPageQuery(LogsService.FilterToolCalls(db, q, window), q).ToQueryString();
            Assert.DoesNotContain(payloads, p => ai.Contains(p, StringComparison.Ordinal) || tools.Contains(p, StringComparison.Ordinal));
        }

    }

    [Fact]
    public void The_sql_server_sql_of_every_explorer_query_parses()
    {
        using var db = SqlServerScript.CreateContext();
        var window = LogsService.ResolveWindow(new LogQuery(), Today);
        var queries = new List<string>
        {
            LogsService.ModelOptionsQuery(db).ToQueryString(),
            LogsService.ToolOptionsQuery(db).ToQueryString(),
        };
        foreach (var search in new string?[] { null })
        {
            foreach (var sort in Enum.GetValues<LogSort>())
            {
                foreach (var descending in new[] { true, false })
                {
                    var q = new LogQuery
                    {
                        Search = search, Sort = sort, Descending = descending, Model = "gpt-4o", Tool = "create_issue", Service = "github",
                        Success = false, MinDurationMs = 100, MinCostUsd = 0.25, ProjectId = Guid.NewGuid(), ShaveStatus = ShaveStatus.Failed, Page = 2,
                    };
                    var ai = LogsService.FilterAiLogs(db, q, window);
                    var tools = LogsService.FilterToolCalls(db, q, window);
                    queries.Add(LogsService.AiLogPageQuery(db, ai, q).ToQueryString());
                    queries.Add(LogsService.ToolCallPageQuery(tools, q).ToQueryString());
                    // The count is COUNT(*) over exactly this.
                    queries.Add(LogsService.CountedAiLogs(ai).ToQueryString());
                    queries.Add(LogsService.CountedToolCalls(tools).ToQueryString());
                }
            }

            var few = new LogQuery { Search = search, ProjectId = Guid.NewGuid(), ShaveStatus = ShaveStatus.Unknown };
            IReadOnlyList<Guid> ids = [Guid.NewGuid(), Guid.NewGuid()];
            queries.Add(LogsService.MatchingShavesQuery(db, few).Take(LogsService.ShaveIdListLimit + 1).ToQueryString());
            queries.Add(LogsService.AiLogPageQuery(db, LogsService.FilterAiLogs(db, few, window, ids), few).ToQueryString());
            queries.Add(LogsService.ToolCallPageQuery(LogsService.FilterToolCalls(db, few, window, ids), few).ToQueryString());
            var byIds = LogsService.CountedToolCalls(LogsService.FilterToolCalls(db, few, window, ids)).ToQueryString();
            // Thousands of ids travel as one JSON parameter: SQL Server refuses more than 2,100 parameters.
            Assert.Contains("OPENJSON(@shaveIds)", byIds, StringComparison.Ordinal);
            queries.Add(byIds);

        }

        foreach (var sql in queries)
        {
            SqlServerScript.AssertParses(sql);
        }
    }

    [Fact]
    public void Explorer_urls_round_trip_and_drop_the_other_grids_filters()
    {
        var project = Guid.NewGuid();
        var q = LogExplorerUrl.Parse("tools", "gpt-4o", "create_issue", "github", "false", 500, "2026-11-01", "2026-11-07",
            project.ToString(), "Failed", " rate limit ", "duration", "asc", 3, 50);

        Assert.Equal(LogKind.ToolCalls, q.Kind);
        Assert.Null(q.Model);
        Assert.Equal(("create_issue", "github", (bool?)false, "rate limit"), (q.Tool, q.Service, q.Success, q.Search));
        var url = LogExplorerUrl.ToQueryString(q);
        Assert.Equal($"?tab=tools&tool=create_issue&service=github&success=false&minMs=500&from=2026-11-01&to=2026-11-07&project={project}&status=Failed&q=rate%20limit&sort=duration&dir=asc&page=3&size=50", url);

        var ai = LogExplorerUrl.Parse(null, "gpt-4o", "create_issue", null, "false", -5, "not a date", null, "nope", "Bogus", null, "1", null, 0, 7);
        Assert.Equal(new LogQuery { Model = "gpt-4o" }, ai);
        Assert.Equal("?model=gpt-4o", LogExplorerUrl.ToQueryString(ai));
        Assert.Equal($"/shaves/{project}?tab=trace&record={project}", LogExplorerUrl.TraceUrl(project, project));
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
