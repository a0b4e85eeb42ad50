using ShaveTracker.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Dashboard;
using ShaveTracker.Web.Features.Logs;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Shared;
using static ShaveTracker.Tests.Infrastructure.PipelineRecords;

namespace ShaveTracker.Tests.Dashboard;

/// <summary>The dashboard's numbers against values worked out by hand on small data.</summary>
public sealed class DashboardServiceTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    /// <summary>"Today": the 30-day window is 2026-10-22 to 2026-11-20.</summary>
    private static readonly DateTime Now = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    private static readonly DateOnly Today = DateOnly.FromDateTime(Now);
    private static readonly DateOnly Yesterday = Today.AddDays(-1);
    private static readonly DateOnly FirstDay = Today.AddDays(-29);

    private static readonly Caller Staff = new(Guid.NewGuid(), "Stan", IsStaff: true, IsAdmin: false);

    private static readonly int[] ToolDurations = [300, 100, 200, 400];

    private DashboardService Service => new(Factory, new FakeTimeProvider(Now), NullLogger<DashboardService>.Instance);

    private static DateTime At(DateOnly day, int hour = 10) => day.ToDateTime(new TimeOnly(hour, 0), DateTimeKind.Utc);

    [Fact]
    public async Task Shaves_per_day_current_totals_and_failure_rates_are_the_hand_counted_ones()
    {
        var requester = await CreateUserAsync();
        async Task<Shave> Shave(ShaveStatus status, DateOnly day) => await CreateShaveAsync(requester, status: status, createdAt: At(day));
        await Shave(ShaveStatus.Completed, Today);
        await Shave(ShaveStatus.Completed, Today);
        await Shave(ShaveStatus.Failed, Today);
        var pending = await Shave(ShaveStatus.Pending, Today);
        await Shave(ShaveStatus.Completed, Yesterday);
        await Shave(ShaveStatus.Failed, Yesterday);
        await Shave(ShaveStatus.Cancelled, FirstDay);
        await Shave(ShaveStatus.Failed, FirstDay.AddDays(-1));   // a day before the window

        var data = await Service.GetStaffDashboardAsync(Staff, default);

        Assert.Equal(new DashboardWindow(FirstDay, Today), data.Window);
        Assert.Equal(
        [
            new DayStatusTotal(FirstDay, ShaveStatus.Cancelled, 1),
            new DayStatusTotal(Yesterday, ShaveStatus.Completed, 1),
            new DayStatusTotal(Yesterday, ShaveStatus.Failed, 1),
            new DayStatusTotal(Today, ShaveStatus.Completed, 2),
            new DayStatusTotal(Today, ShaveStatus.Failed, 1),
            new DayStatusTotal(Today, ShaveStatus.Pending, 1),
        ], data.ShavesPerDay);
        Assert.Equal((7L, 2L), (data.ShavesInWindow, data.InWindow(ShaveStatus.Failed)));
        Assert.Equal((3L, 3L, 1L, 1L), (data.Current(ShaveStatus.Completed), data.Current(ShaveStatus.Failed),
            data.Current(ShaveStatus.Pending), data.Current(ShaveStatus.Cancelled)));

        var rates = DashboardRates.ShaveFailureRatePerDay(data.Window, data.ShavesPerDay);
        Assert.Equal(30, rates.Count);
        Assert.Null(rates[0]);                 // only a cancelled shave: nothing finished
        Assert.Equal(0.5, rates[^2]);          // yesterday: 1 failed, 1 completed
        Assert.Equal(1 / 3d, rates[^1]!.Value, 10);

        // A status change moves the shave between the per-day totals at once.
        await using (var db = await NewContextAsync())
        {
            await db.Shaves.Where(s => s.Id == pending.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.ShaveStatus, ShaveStatus.Failed));
        }

        var after = await Service.GetStaffDashboardAsync(Staff, default);
        Assert.Equal(3, after.InWindow(ShaveStatus.Failed));
        Assert.DoesNotContain(after.ShavesPerDay, d => d.Status == ShaveStatus.Pending);
        Assert.Equal(0.5, DashboardRates.ShaveFailureRatePerDay(after.Window, after.ShavesPerDay)[^1]);
    }

    [Fact]
    public async Task Tool_failure_rates_per_tool_and_per_day_are_exact()
    {
        var shave = await CreateShaveAsync();
        var calls = new List<ToolCall>();
        for (var i = 0; i < 4; i++)
        {
            calls.Add(ToolCall(shave, "create_issue", "github", At(Today, 9 + i), success: i != 0));
        }

        calls.Add(ToolCall(shave, "create_work_item", "azure-devops", At(Today), success: false));
        calls.Add(ToolCall(shave, "create_work_item", "azure-devops", At(Today, 11), success: false));
        calls.Add(ToolCall(shave, "create_issue", "github", At(Yesterday)));
        calls.Add(ToolCall(shave, "create_issue", "github", At(FirstDay.AddDays(-1)), success: false));
        await using (var db = await NewContextAsync())
        {
            db.ToolCalls.AddRange(calls);
            await db.SaveChangesAsync();
        }

        var data = await Service.GetStaffDashboardAsync(Staff, default);

        Assert.Equal([new DayCalls(Yesterday, 1, 0), new DayCalls(Today, 6, 3)], data.ToolCallsPerDay);
        Assert.Equal(
        [
            new ToolFailureRate("azure-devops", "create_work_item", 2, 2),
            new ToolFailureRate("github", "create_issue", 5, 1),
        ], data.ToolFailures);
        Assert.Equal([1.0, 0.2], data.ToolFailures.Select(t => t.Rate));
        var perDay = DashboardRates.ToolFailureRatePerDay(data.Window, data.ToolCallsPerDay);
        Assert.Equal(new double?[] { null, 0.0, 0.5 }, perDay.TakeLast(3));
    }

    [Fact]
    public async Task Percentiles_are_nearest_rank_over_the_bounded_samples()
    {
        var older = await CreateShaveAsync(createdAt: At(Yesterday));
        var newest = await CreateShaveAsync(createdAt: At(Today));
        var steps = Enumerable.Range(1, 10).Select(i => Step(newest, "transcribing", At(Today), i * 100)).ToList();
        steps.Add(Step(newest, "transcribing", At(Today), 99_999, ProcessStatus.Failed, "No audio"));   // failed: not a duration
        steps.Add(Step(newest, "transcribing", At(Today), durationMs: null, ProcessStatus.InProgress));  // still running
        steps.Add(Step(older, "executing_task", At(Yesterday), 5_000));
        var logs = Enumerable.Range(1, 20).Select(i => AiLog(newest, "gpt-4o", At(Today).AddSeconds(i), i * 10)).ToList();
        logs.Add(AiLog(older, "o3-mini", At(Yesterday), 7));
        logs.Add(AiLog(older, "o3-mini", At(Yesterday).AddSeconds(1), 5));
        logs.Add(AiLog(older, "o3-mini", At(Yesterday).AddSeconds(2), durationMs: null));
        logs.Add(AiLog(older, "gpt-4o", At(FirstDay.AddDays(-1)), 99_999));   // before the window
        var tools = ToolDurations.Select((ms, i) => ToolCall(newest, "create_issue", "github", At(Today).AddSeconds(i), durationMs: ms)).ToList();
        tools.Add(ToolCall(newest, "create_issue", "github-enterprise", At(Today), durationMs: 50));
        await using (var db = await NewContextAsync())
        {
            db.AddRange(steps);
            db.AddRange(logs);
            db.AddRange(tools);
            await db.SaveChangesAsync();
        }

        var data = await Service.GetStaffDashboardAsync(Staff, default);

        // n = 10: p50 is the 5th smallest, p95 the 10th. n = 1: the value itself. Slowest p95 first.
        Assert.Equal(
        [
            new DurationPercentiles("executing_task", "", 1, 5_000, 5_000, 5_000),
            new DurationPercentiles("transcribing", "", 10, 500, 1_000, 1_000),
        ], data.Steps);
        // n = 20: p50 the 10th, p95 the 19th. n = 2: p50 the 1st, p95 the 2nd.
        Assert.Equal(
        [
            new DurationPercentiles("gpt-4o", "", 20, 100, 190, 200),
            new DurationPercentiles("o3-mini", "", 2, 5, 7, 7),
        ], data.Models);
        // n = 4: p50 the 2nd, p95 the 4th; the same tool name of another service is its own row.
        Assert.Equal(
        [
            new DurationPercentiles("create_issue", "github", 4, 200, 400, 400),
            new DurationPercentiles("create_issue", "github-enterprise", 1, 50, 50, 50),
        ], data.Tools);

        // The samples are bounded: the newest shave's steps only, the newest two model calls only.
        await using var read = await NewContextAsync();
        var fewShaves = DashboardService.Percentiles(await DashboardService.StepSampleQuery(read, data.Window, sampleShaves: 1).ToListAsync());
        Assert.Equal(["transcribing"], fewShaves.Select(r => r.Name));
        var fewCalls = DashboardService.Percentiles(await DashboardService.ModelSampleQuery(read, data.Window, sampleSize: 2).ToListAsync());
        Assert.Equal([("gpt-4o", 2L, 190L, 200L)], fewCalls.Select(r => (r.Name, r.SampleSize, r.P50Ms, r.P95Ms)));
    }

    [Fact]
    public async Task Top_errors_group_failed_steps_by_step_and_message_opening_and_follow_status_changes()
    {
        var shave = await CreateShaveAsync();
        var longA = new string('x', 250) + " A";
        var longB = new string('x', 250) + " B";
        var recovered = Step(shave, "executing_task", At(Today), 100, ProcessStatus.Failed, "GitHub API rate limit exceeded");
        await InsertAsync(
            Step(shave, "converting_audio", At(Today), 100, ProcessStatus.Failed, "No audio detected"),
            Step(shave, "converting_audio", At(Yesterday), 100, ProcessStatus.Failed, "No audio detected"),
            Step(shave, "converting_audio", At(Today), 100, ProcessStatus.Failed, longA),
            Step(shave, "converting_audio", At(Today), 100, ProcessStatus.Failed, longB),
            Step(shave, "selecting_prompt", At(Today), 100, ProcessStatus.Failed),
            Step(shave, "executing_task", At(Today), 100, ProcessStatus.Failed, "GitHub API rate limit exceeded"),
            recovered,
            Step(shave, "executing_task", At(Today), 100, ProcessStatus.Completed, "a warning on a completed step"),
            Step(shave, "converting_audio", At(FirstDay.AddDays(-1)), 100, ProcessStatus.Failed, "No audio detected"));

        var data = await Service.GetStaffDashboardAsync(Staff, default);

        Assert.Equal(
        [
            new ErrorTotal("converting_audio", "No audio detected", 2),
            new ErrorTotal("converting_audio", new string('x', 200), 2),
            new ErrorTotal("executing_task", "GitHub API rate limit exceeded", 2),
            new ErrorTotal("selecting_prompt", "", 1),
        ], data.TopErrors.Select(e => e with { ShaveId = null }));
        // Each leads to the shave that failed so.
        Assert.All(data.TopErrors, e => Assert.Equal(shave.Id, e.ShaveId));

        await using (var db = await NewContextAsync())
        {
            var step = await db.ProcessSteps.SingleAsync(p => p.Id == recovered.Id);
            step.ProcessStatus = ProcessStatus.Completed;
            step.ErrorMessage = null;
            await db.SaveChangesAsync();
        }

        var after = await Service.GetStaffDashboardAsync(Staff, default);
        Assert.Equal(1, after.TopErrors.Single(e => e.StepName == "executing_task").Total);
    }

    [Fact]
    public async Task Dynamic_steps_count_under_their_step_and_a_top_error_leads_to_the_newest_shave_that_had_it()
    {
        var older = await CreateShaveAsync(createdAt: At(Yesterday));
        var newer = await CreateShaveAsync(createdAt: At(Today));
        var other = await CreateShaveAsync(createdAt: At(Today, hour: 11));
        await InsertAsync(
            Step(older, "executing_task:batch-1", At(Yesterday), 1_000),
            Step(older, "executing_task:batch-2", At(Yesterday), 3_000),
            Step(older, "executing_task:batch-3", At(Yesterday), 100, ProcessStatus.Failed, "MCP tool create_issue returned 422"),
            Step(newer, "executing_task:batch-41", At(Today), 100, ProcessStatus.Failed, "MCP tool create_issue returned 422"),
            Step(newer, "executing_task", At(Today), 2_000),
            Step(other, "executing_tasks", At(Today), 100, ProcessStatus.Failed, "MCP tool create_issue returned 422"),
            Step(other, "transcribing", At(Today), 500));

        var data = await Service.GetStaffDashboardAsync(Staff, default);

        Assert.Equal(
        [
            new DurationPercentiles("executing_task", "", 3, 2_000, 3_000, 3_000),
            new DurationPercentiles("transcribing", "", 1, 500, 500, 500),
        ], data.Steps);
        Assert.Equal(
        [
            new ErrorTotal("executing_task", "MCP tool create_issue returned 422", 2) { ShaveId = newer.Id },
            new ErrorTotal("executing_tasks", "MCP tool create_issue returned 422", 1) { ShaveId = other.Id },
        ], data.TopErrors);
    }

    [Fact]
    public async Task A_requester_sees_only_their_own_summary_and_cannot_ask_for_everyones()
    {
        var alice = await CreateUserAsync("Alice");
        var bob = await CreateUserAsync("Bob");
        await CreateShaveAsync(alice, title: "A1", status: ShaveStatus.Completed, createdAt: At(Today, 9));
        await CreateShaveAsync(alice, title: "A2", status: ShaveStatus.Failed, createdAt: At(Today, 10));
        await CreateShaveAsync(alice, title: "A3", status: ShaveStatus.Processing, createdAt: At(Yesterday));
        await CreateShaveAsync(alice, title: "A0", status: ShaveStatus.Completed, createdAt: At(FirstDay.AddDays(-10)));
        await CreateShaveAsync(bob, title: "B1", status: ShaveStatus.Failed, createdAt: At(Today));
        await CreateShaveAsync(bob, title: "B2", status: ShaveStatus.Failed, createdAt: At(Today));
        var caller = new Caller(alice.Id, "Alice", IsStaff: false, IsAdmin: false);

        var data = await Service.GetRequesterDashboardAsync(caller, default);

        Assert.Equal((2L, 1L, 1L, 4L), (data.Count(ShaveStatus.Completed), data.Count(ShaveStatus.Failed), data.Count(ShaveStatus.Processing), data.Total));
        Assert.Equal(["A2", "A1", "A3", "A0"], data.Recent.Select(r => r.Title));
        Assert.Equal(
            [new DayStatusTotal(Yesterday, ShaveStatus.Processing, 1), new DayStatusTotal(Today, ShaveStatus.Completed, 1), new DayStatusTotal(Today, ShaveStatus.Failed, 1)],
            data.ShavesPerDay.OrderBy(d => d.Day).ThenBy(d => d.Status.ToString()));
        Assert.Equal(1 / 3d, DashboardRates.FailureRate(data.Count(ShaveStatus.Failed), data.Count(ShaveStatus.Completed))!.Value, 10);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Service.GetStaffDashboardAsync(caller, default));
    }

    [Fact]
    public async Task The_daily_totals_equal_a_group_by_over_the_tables_after_inserts_updates_and_deletes()
    {
        var shaves = new List<Shave>();
        for (var i = 0; i < 6; i++)
        {
            shaves.Add(await CreateShaveAsync(status: (ShaveStatus)(i % 6), createdAt: At(Today.AddDays(-i), 8 + i)));
        }

        await using (var db = await NewContextAsync())
        {
            foreach (var (shave, i) in shaves.Select((s, i) => (s, i)))
            {
                var step = Step(shave, i % 2 == 0 ? "transcribing" : "executing_task", At(Today.AddDays(-i)), 1000, i % 3 == 0 ? ProcessStatus.Failed : ProcessStatus.Completed, i % 3 == 0 ? $"error {i % 2}" : null);
                var log = AiLog(shave, i % 2 == 0 ? "gpt-4o" : "o3-mini", At(Today.AddDays(-i)), 100 * i, step);
                db.AddRange(step, log, ToolCall(shave, "create_issue", "github", At(Today.AddDays(-i)), success: i % 2 == 0, aiLog: log),
                    ToolCall(shave, "search_issues", "github", At(Today.AddDays(-i - 1)), success: false));
            }

            await db.SaveChangesAsync();

            // Every kind of change the triggers must follow: a status, a day, a name, a success flag, a recovered step, a deleted shave (cascade).
            await db.Shaves.Where(s => s.Id == shaves[0].Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.ShaveStatus, ShaveStatus.Completed));
            await db.Shaves.Where(s => s.Id == shaves[1].Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.CreatedAt, At(Today.AddDays(-20))));
            await db.AiLogs.Where(a => a.ModelName == "o3-mini").ExecuteUpdateAsync(u => u.SetProperty(a => a.ModelName, "o4-mini"));
            await db.ToolCalls.Where(t => t.ToolName == "search_issues" && t.ShaveId == shaves[2].Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.Success, true));
            await db.ProcessSteps.Where(p => p.ShaveId == shaves[3].Id).ExecuteUpdateAsync(u => u
                .SetProperty(p => p.ProcessStatus, ProcessStatus.Completed).SetProperty(p => p.ErrorMessage, (string?)null));
            await db.Shaves.Where(s => s.Id == shaves[4].Id).ExecuteDeleteAsync();
        }

        await using var read = await NewContextAsync();
        static DateOnly D(DateTime t) => DateOnly.FromDateTime(t);

        var shaveTotals = (await read.Shaves.Select(s => new { s.CreatedAt, s.ShaveStatus }).ToListAsync())
            .GroupBy(s => (D(s.CreatedAt), s.ShaveStatus)).Select(g => (g.Key.Item1, g.Key.ShaveStatus.ToString(), (long)g.Count())).Order();
        var shaveRollup = (await read.ShaveDailyCounts.Where(d => d.Total != 0).ToListAsync()).Select(d => (d.Day, d.ShaveStatus.ToString(), d.Total)).Order();
        Assert.Equal(shaveTotals, shaveRollup);

        var logTotals = (await read.AiLogs.Select(a => new { a.CreatedAt, a.ModelName }).ToListAsync())
            .GroupBy(a => (D(a.CreatedAt), a.ModelName)).Select(g => (g.Key.Item1, g.Key.ModelName, (long)g.Count())).Order();
        var logRollup = (await read.AiLogDailyStats.Where(d => d.Calls != 0).ToListAsync()).Select(d => (d.Day, d.ModelName, d.Calls)).Order();
        Assert.Equal(logTotals, logRollup);

        var toolTotals = (await read.ToolCalls.Select(t => new { t.CreatedAt, t.ServiceName, t.ToolName, t.Success }).ToListAsync())
            .GroupBy(t => (D(t.CreatedAt), t.ServiceName, t.ToolName))
            .Select(g => (g.Key.Item1, g.Key.ServiceName, g.Key.ToolName, (long)g.Count(), (long)g.Count(t => !t.Success))).Order();
        var toolRollup = (await read.ToolCallDailyStats.Where(d => d.Calls != 0).ToListAsync())
            .Select(d => (d.Day, d.ServiceName, d.ToolName, d.Calls, d.Failures)).Order();
        Assert.Equal(toolTotals, toolRollup);

        var errorTotals = (await read.ProcessSteps.Where(p => p.ProcessStatus == ProcessStatus.Failed).Select(p => new { p.StartedAt, p.StepName, p.ErrorMessage }).ToListAsync())
            .GroupBy(p => (D(p.StartedAt), p.StepName, p.ErrorMessage ?? "")).Select(g => (g.Key.Item1, g.Key.StepName, g.Key.Item3, (long)g.Count())).Order();
        var errorRollup = (await read.StepErrorDailyCounts.Where(d => d.Total != 0).ToListAsync()).Select(d => (d.Day, d.StepName, d.ErrorMessage, d.Total)).Order();
        Assert.Equal(errorTotals, errorRollup);
        Assert.NotEmpty(errorRollup);
    }

    [Fact]
    public async Task Ai_cost_sums_reported_tokens_per_day_model_and_project_priced_by_each_days_price()
    {
        var project = await CreateProjectAsync(name: "Intranet");
        var inProject = await CreateShaveAsync(project: project, createdAt: At(Yesterday));
        var loose = await CreateShaveAsync(createdAt: At(Yesterday));
        var a = AiLog(inProject, "gpt-4o-2024-08-06", At(Yesterday));
        var b = AiLog(inProject, "gpt-4o", At(Today));
        var c = AiLog(loose, "llama-3.3-70b", At(Today));
        var old = AiLog(loose, "gpt-4o", At(FirstDay.AddDays(-1)));
        var silent = AiLog(loose, "gpt-4o", At(Today));
        await InsertAsync(a, b, c, old, silent,
            AiLogUsage.For(a, 1_000_000, 100_000), AiLogUsage.For(b, 1_000_000, null), AiLogUsage.For(c, 4_000, 1_000), AiLogUsage.For(old, 9_000_000, 0),
            // $2.50/$10 until today, $2.00/$8 from today on.
            Price("gpt-4o*", 2.50, 10.00, At(FirstDay.AddDays(-10), 0), At(Today, 0)),
            Price("gpt-4o*", 2.00, 8.00, At(Today, 0), null));

        var cost = (await Service.GetStaffDashboardAsync(Staff, default)).Cost!;

        // Yesterday: 1M × $2.50 + 100k × $10 = $3.50; today: 1M × $2.00 = $2.00; the call before the window is not counted.
        Assert.Equal(3.50, cost.CostPerDay[^2], 9);
        Assert.Equal(2.00, cost.CostPerDay[^1], 9);
        Assert.Equal(5.50, cost.CostUsd, 9);
        Assert.Equal((3L, 2_004_000L, 101_000L, 1L), (cost.Calls, cost.InputTokens, cost.OutputTokens, cost.UnpricedCalls));
        Assert.Equal(["gpt-4o", "gpt-4o-2024-08-06", "llama-3.3-70b"], cost.Models.Select(m => m.Name).Order(StringComparer.Ordinal));
        var llama = cost.Models.Single(m => m.Name == "llama-3.3-70b");
        Assert.Equal((1L, 1L, 0d), (llama.Calls, llama.UnpricedCalls, llama.CostUsd));
        Assert.Equal([("Intranet", 5.50), ("No project", 0d)], cost.Projects.Select(p => (p.Name, Math.Round(p.CostUsd, 6))));
        Assert.Equal(project.Id, cost.Projects[0].Id);
    }

    [Fact]
    public void The_sql_server_sql_of_every_dashboard_query_parses()
    {
        using var db = SqlServerScript.CreateContext();
        var window = DashboardWindow.Last(DashboardService.WindowDays, Today);
        var queries = new[]
        {
            DashboardService.StepSampleQuery(db, window, DashboardService.StepSampleShaves).ToQueryString(),
            DashboardService.ModelSampleQuery(db, window, DashboardService.CallSampleSize).ToQueryString(),
            DashboardService.ToolSampleQuery(db, window, DashboardService.CallSampleSize).ToQueryString(),
            DashboardService.CurrentByStatusQuery(db).ToQueryString(),
            DashboardService.ShavesPerDayQuery(db, window).ToQueryString(),
            DashboardService.ToolCallsPerDayQuery(db, window).ToQueryString(),
            DashboardService.UsagePerDayQuery(db, window).ToQueryString(),
            DashboardService.ToolFailuresQuery(db, window, DashboardService.TopCount).ToQueryString(),
            DashboardService.TopErrorsQuery(db, window, DashboardService.TopCount).ToQueryString(),
            DashboardService.NewestShaveWithErrorQuery(db, window, "executing_task", "GitHub API rate limit exceeded").ToQueryString(),
            DashboardService.RequesterByStatusQuery(db, Guid.NewGuid()).ToQueryString(),
            DashboardService.RequesterPerDayQuery(db, Guid.NewGuid(), window).ToQueryString(),
            DashboardService.RecentShavesQuery(db, Guid.NewGuid(), 8).ToQueryString(),
        };

        Assert.All(queries, sql => SqlServerScript.AssertParses(sql));
        // The samples stay bounded on SQL Server too: TOP inside the query, not rows trimmed afterwards.
        Assert.All(queries[..3], sql => Assert.Contains("SELECT TOP(", sql, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_dashboard_link_opens_the_filtered_view_it_names()
    {
        var window = DashboardWindow.Last(DashboardService.WindowDays, Today);

        Assert.Equal(new ShaveListQuery { Statuses = [ShaveStatus.Failed], CreatedFrom = FirstDay, CreatedTo = Today }, ParseShaves(DashboardLinks.Shaves(window, ShaveStatus.Failed)),
            ShaveQueryComparer.Instance);
        Assert.Equal(new ShaveListQuery { CreatedFrom = FirstDay, CreatedTo = Today }, ParseShaves(DashboardLinks.Shaves(window)), ShaveQueryComparer.Instance);
        Assert.Equal(new ShaveListQuery { Statuses = [ShaveStatus.Pending] }, ParseShaves(DashboardLinks.ShavesWithStatus(ShaveStatus.Pending)), ShaveQueryComparer.Instance);

        Assert.Equal(new LogQuery { Model = "gpt-4o", From = FirstDay, To = Today, Sort = LogSort.Duration },
            ParseLogs(DashboardLinks.SlowestModelCalls(window, "gpt-4o")));
        Assert.Equal(new LogQuery { Kind = LogKind.ToolCalls, Tool = "create_issue", Service = "github", From = FirstDay, To = Today, Sort = LogSort.Duration },
            ParseLogs(DashboardLinks.SlowestToolCalls(window, "github", "create_issue")));
        Assert.Equal(new LogQuery { Kind = LogKind.ToolCalls, Tool = "a b&c", Service = "github", Success = false, From = FirstDay, To = Today },
            ParseLogs(DashboardLinks.FailedToolCalls(window, "github", "a b&c")));
        Assert.Equal(new LogQuery { Kind = LogKind.ToolCalls, Success = false, From = FirstDay, To = Today }, ParseLogs(DashboardLinks.FailedToolCalls(window)));
        Assert.Equal(new LogQuery { From = FirstDay, To = Today, Sort = LogSort.Duration }, ParseLogs(DashboardLinks.SlowestModelCalls(window)));
        Assert.Equal(new LogQuery { Kind = LogKind.ToolCalls, From = FirstDay, To = Today, Sort = LogSort.Duration }, ParseLogs(DashboardLinks.SlowestToolCalls(window)));
    }

    private static ShaveListQuery ParseShaves(string url)
    {
        var q = Query(url, "/shaves");
        return ShaveListUrl.Parse(q.GetValueOrDefault("status"), q.GetValueOrDefault("project"), q.GetValueOrDefault("requester"),
            q.GetValueOrDefault("from"), q.GetValueOrDefault("to"), q.GetValueOrDefault("q"), q.GetValueOrDefault("sort"), q.GetValueOrDefault("dir"), null, null);
    }

    private static LogQuery ParseLogs(string url)
    {
        var q = Query(url, "/logs");
        return LogExplorerUrl.Parse(q.GetValueOrDefault("tab"), q.GetValueOrDefault("model"), q.GetValueOrDefault("tool"), q.GetValueOrDefault("service"),
            q.GetValueOrDefault("success"), null, q.GetValueOrDefault("from"), q.GetValueOrDefault("to"),
            q.GetValueOrDefault("project"), q.GetValueOrDefault("status"), q.GetValueOrDefault("q"), q.GetValueOrDefault("sort"), q.GetValueOrDefault("dir"), null, null);
    }

    private static Dictionary<string, string> Query(string url, string path)
    {
        Assert.StartsWith(path + "?", url, StringComparison.Ordinal);
        return url[(path.Length + 1)..].Split('&').Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]), StringComparer.Ordinal);
    }

    /// <summary>ShaveListQuery holds a list, which record equality compares by reference.</summary>
    private sealed class ShaveQueryComparer : IEqualityComparer<ShaveListQuery>
    {
        public static readonly ShaveQueryComparer Instance = new();

        private static readonly IReadOnlyList<ShaveStatus> None = [];

        public bool Equals(ShaveListQuery? x, ShaveListQuery? y) =>
            x is not null && y is not null && x.Statuses.SequenceEqual(y.Statuses) && (x with { Statuses = None }) == (y with { Statuses = None });

        public int GetHashCode(ShaveListQuery obj) => 0;
    }
}
