using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Shaves;

/// <summary>
/// SQLite's EXPLAIN QUERY PLAN for each list query: every read of shaves goes through an index, and no page needs a
/// sort of its own ("USE TEMP B-TREE FOR ORDER BY"), so a later change cannot silently lose an index and turn a
/// millisecond page into a scan of a million rows.
/// </summary>
public sealed class QueryPlanTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    private static readonly Caller Staff = new(Guid.NewGuid(), "staff", true, false);

    public static TheoryData<string> Views() =>
    [
        "default", "status", "project", "requester", "search", "search-common-word", "title-sort", "updated-sort", "status-sort", "reversed", "date-range",
    ];

    [Theory]
    [MemberData(nameof(Views))]
    public async Task Each_list_page_query_reads_shaves_through_an_index_in_order(string view)
    {
        await using var db = await NewContextAsync();
        var requester = new Caller(Guid.NewGuid(), "r", false, false);
        var (caller, query, reversed) = view switch
        {
            "status" => (Staff, new ShaveListQuery { Statuses = [ShaveStatus.Failed] }, false),
            "project" => (Staff, new ShaveListQuery { ProjectId = Guid.NewGuid() }, false),
            "requester" => (requester, new ShaveListQuery(), false),
            "search" or "search-common-word" => (Staff, new ShaveListQuery { Search = "printer" }, false),
            "title-sort" => (Staff, new ShaveListQuery { Sort = ShaveSort.Title, Descending = false }, false),
            "updated-sort" => (Staff, new ShaveListQuery { Sort = ShaveSort.Updated }, false),
            "status-sort" => (Staff, new ShaveListQuery { Sort = ShaveSort.Status }, false),
            "reversed" => (Staff, new ShaveListQuery { Page = 40 }, true),
            "date-range" => (Staff, new ShaveListQuery { CreatedFrom = new DateOnly(2026, 1, 1), CreatedTo = new DateOnly(2026, 2, 1) }, false),
            _ => (Staff, new ShaveListQuery(), false),
        };

        var plan = await SqlitePlan.LinesAsync(db, ShavesService.ListQuery(db, caller, query, reversed, commonWords: view == "search-common-word"));

        AssertIndexed(plan, view);
        if (view != "search")
        {
            // A title search sorts its matches (found through the FTS index, not in created order); every other
            // view is read in the order of an index and stops after one page.
            Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal));
        }
    }

    public static TheoryData<string> ExplorerViews() => ["default", "model", "tool", "success", "slow", "project"];

    [Theory]
    [MemberData(nameof(ExplorerViews))]
    public async Task Each_log_explorer_page_query_reads_ai_logs_and_tool_calls_through_an_index(string view)
    {
        await using var db = await NewContextAsync();
        var query = view switch
        {
            "model" => new ShaveTracker.Web.Features.Logs.LogQuery { Model = "gpt-4o", Tool = "create_issue" },
            "tool" => new ShaveTracker.Web.Features.Logs.LogQuery { Tool = "create_issue", Service = "github" },
            "success" => new ShaveTracker.Web.Features.Logs.LogQuery { Success = false },
            "slow" => new ShaveTracker.Web.Features.Logs.LogQuery { MinDurationMs = 10_000 },
            "project" => new ShaveTracker.Web.Features.Logs.LogQuery { ProjectId = Guid.NewGuid() },
            _ => new ShaveTracker.Web.Features.Logs.LogQuery(),
        };
        var window = ShaveTracker.Web.Features.Logs.LogsService.ResolveWindow(query, new DateOnly(2026, 11, 24));
        var logs = ShaveTracker.Web.Features.Logs.LogsService.FilterAiLogs(db, query, window);
        var calls = ShaveTracker.Web.Features.Logs.LogsService.FilterToolCalls(db, query, window);

        AssertIndexed(await SqlitePlan.LinesAsync(db, ShaveTracker.Web.Features.Logs.LogsService.AiLogPageQuery(db, logs, query)), $"ai logs {view}");
        AssertIndexed(await SqlitePlan.LinesAsync(db, ShaveTracker.Web.Features.Logs.LogsService.ToolCallPageQuery(calls, query)), $"tool calls {view}");
    }

    [Theory]
    [InlineData(null, "ix_tool_calls_failed")]
    [InlineData("create_issue", "ix_tool_calls_failed_by_tool")]
    public async Task Failed_tool_calls_are_read_from_the_partial_index_of_failures(string? tool, string index)
    {
        await using var db = await NewContextAsync();
        var query = new ShaveTracker.Web.Features.Logs.LogQuery { Kind = ShaveTracker.Web.Features.Logs.LogKind.ToolCalls, Tool = tool, Success = false };
        var window = ShaveTracker.Web.Features.Logs.LogsService.ResolveWindow(query, new DateOnly(2026, 11, 24));
        var calls = ShaveTracker.Web.Features.Logs.LogsService.FilterToolCalls(db, query, window);

        // Both the page and its bounded count: walking every call of the window to skip the successful ones is what
        // made this view slow at a million shaves.
        var page = await SqlitePlan.LinesAsync(db, ShaveTracker.Web.Features.Logs.LogsService.ToolCallPageQuery(calls, query));
        var count = await SqlitePlan.LinesAsync(db, ShaveTracker.Web.Features.Logs.LogsService.CountedToolCalls(calls).Select(t => 1));
        Assert.Contains(page, line => line.Contains($"INDEX {index} ", StringComparison.Ordinal));
        Assert.Contains(count, line => line.Contains($"COVERING INDEX {index} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_dashboard_sample_reads_the_newest_rows_through_an_index()
    {
        await using var db = await NewContextAsync();
        var window = ShaveTracker.Web.Features.Dashboard.DashboardWindow.Last(30, new DateOnly(2026, 11, 24));

        AssertIndexed(await SqlitePlan.LinesAsync(db, ShaveTracker.Web.Features.Dashboard.DashboardService.StepSampleQuery(db, window, 1_000)), "step sample");
        AssertIndexed(await SqlitePlan.LinesAsync(db, ShaveTracker.Web.Features.Dashboard.DashboardService.ModelSampleQuery(db, window, 5_000)), "model sample");
        AssertIndexed(await SqlitePlan.LinesAsync(db, ShaveTracker.Web.Features.Dashboard.DashboardService.ToolSampleQuery(db, window, 5_000)), "tool sample");
        AssertIndexed(await SqlitePlan.LinesAsync(db,
            ShaveTracker.Web.Features.Dashboard.DashboardService.NewestShaveWithErrorQuery(db, window, "executing_task", "GitHub API rate limit")), "top error's shave");
    }

    [Fact]
    public async Task Counts_read_the_counter_table_by_its_key_and_bounded_counts_use_an_index()
    {
        await using var db = await NewContextAsync();
        var counter = await SqlitePlan.LinesAsync(db, ShavesService.CounterQuery(db, new ShaveListQuery { Statuses = [ShaveStatus.Failed] }, Guid.NewGuid()).Select(c => c.Total));
        Assert.Contains(counter, line => line.Contains("SEARCH", StringComparison.Ordinal) && line.Contains("shave_counts", StringComparison.Ordinal));

        var bounded = await SqlitePlan.LinesAsync(db, ShavesService.Matching(db, Staff, new ShaveListQuery { CreatedFrom = new DateOnly(2026, 1, 1) })
            .Take(ShavesService.CountCap + 1).Select(s => s.Id));
        AssertIndexed(bounded, "bounded count");
    }

    private static void AssertIndexed(IReadOnlyList<string> plan, string view)
    {
        // "SCAN s" alone is a full table scan; "SCAN s USING INDEX ..." walks an index in order (fine with LIMIT);
        // "SCAN s0" of a CO-ROUTINE s0 reads the page the subquery already limited.
        var coroutines = plan.Where(line => line.StartsWith("CO-ROUTINE ", StringComparison.Ordinal)).Select(line => "SCAN " + line[11..].Trim()).ToHashSet();
        var scans = plan.Where(line => line.StartsWith("SCAN ", StringComparison.Ordinal) && !coroutines.Contains(line.Trim()) &&
                                       !line.Contains("USING", StringComparison.Ordinal) &&
                                       !line.Contains("VIRTUAL TABLE", StringComparison.Ordinal)).ToList();
        Assert.True(scans.Count == 0, $"{view}: full scan in\n{string.Join('\n', plan)}");
    }
}
