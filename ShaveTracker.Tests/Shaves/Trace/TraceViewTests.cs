using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Features.Shaves.Trace;

namespace ShaveTracker.Tests.Shaves.Trace;

/// <summary>Narrowing and zooming the trace: pure functions over the skeleton already loaded (no database, no payload).</summary>
public sealed class TraceViewTests
{
    private static readonly DateTime Created = new(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc);

    private static readonly Guid StepA = Guid.NewGuid(), StepB = Guid.NewGuid(), StepC = Guid.NewGuid();
    private static readonly Guid L1 = Guid.NewGuid(), L2 = Guid.NewGuid(), L3 = Guid.NewGuid();
    private static readonly Guid C1 = Guid.NewGuid(), C2 = Guid.NewGuid(), C3 = Guid.NewGuid(), C4 = Guid.NewGuid();

    /// <summary>
    /// analyzing_transcript: gpt-4.1-mini. executing_task:batch-41 (failed): gpt-4o issuing search_issues and a failed
    /// create_issue. executing_task:batch-4: gpt-4o issuing create_issue. Not attached: get_rate_limit.
    /// </summary>
    private static TraceSkeleton Small() => Skeleton(
        [
            new StepRow(StepA, "analyzing_transcript", ProcessStatus.Completed, At(0), At(20), null),
            new StepRow(StepB, "executing_task:batch-41", ProcessStatus.Failed, At(21), At(60), "422"),
            new StepRow(StepC, "executing_task:batch-4", ProcessStatus.Completed, At(61), At(70), null),
        ],
        [Log(L1, StepA, "gpt-4.1-mini", 2), Log(L2, StepB, "gpt-4o", 22), Log(L3, StepC, "gpt-4o", 62)],
        [
            Call(C1, StepB, L2, "search_issues", true, 25), Call(C2, StepB, L2, "create_issue", false, 27),
            Call(C3, StepC, L3, "create_issue", true, 63), Call(C4, null, null, "get_rate_limit", true, 75),
        ]);

    private static List<Guid> Rows(TraceSkeleton s, TraceView view, out TraceCounts counts, params Guid[] collapsed)
    {
        var lines = new List<TraceLine>();
        counts = TraceLayout.Flatten(s, collapsed.ToHashSet(), view, lines);
        return [.. lines.Select(l => l.Id)];
    }

    [Fact]
    public void Without_a_view_every_row_is_shown_and_every_row_matches()
    {
        var rows = Rows(Small(), TraceView.All, out var counts);

        Assert.Equal([StepA, L1, StepB, L2, C1, C2, StepC, L3, C3, TraceLayout.UnattachedId, C4], rows);
        Assert.Equal(new TraceCounts(10, 10), counts);
    }

    [Fact]
    public void Failures_only_keeps_the_failed_step_and_call_with_the_ai_log_that_issued_it_as_context()
    {
        var lines = new List<TraceLine>();
        var counts = TraceLayout.Flatten(Small(), new HashSet<Guid>(), new TraceView(FailuresOnly: true), lines);

        Assert.Equal([StepB, L2, C2], lines.Select(l => l.Id));
        Assert.Equal([true, false, true], lines.Select(l => l.Matches));
        Assert.Equal(2, lines[0].ChildCount); // the step shows two rows under it
        Assert.Equal(new TraceCounts(2, 10), counts);
    }

    [Fact]
    public void A_collapsed_step_hides_its_matches_but_still_counts_them()
    {
        var rows = Rows(Small(), new TraceView(FailuresOnly: true), out var counts, StepB);

        Assert.Equal([StepB], rows);
        Assert.Equal(2, counts.Matching);
    }

    [Theory]
    [InlineData("batch-41", new[] { "B", "L2", "C1", "C2" })] // a step's name matches it and everything in it
    [InlineData("batch-4", new[] { "B", "L2", "C1", "C2", "C", "L3", "C3" })]
    [InlineData("CREATE_issue", new[] { "B", "L2", "C2", "C", "L3", "C3" })] // tools, case aside, with their context
    [InlineData("gpt-4o", new[] { "B", "L2", "C1", "C2", "C", "L3", "C3" })] // a model, and the calls it issued
    [InlineData("@github", new[] { "B", "L2", "C1", "C2", "C", "L3", "C3", "U", "C4" })] // a tool's MCP service
    [InlineData("nothing like it", new string[0])]
    public void Text_searches_step_names_models_and_tools(string text, string[] expected) =>
        Assert.Equal(expected, Rows(Small(), new TraceView(Text: text), out _).Select(Name));

    [Fact]
    public void Kind_model_and_tool_each_narrow_and_combine()
    {
        var s = Small();

        Assert.Equal(["B", "L2", "C1", "C2", "C", "L3", "C3", "U", "C4"], Rows(s, new TraceView(Kind: TraceKindFilter.ToolCall), out _).Select(Name));
        Assert.Equal(["A", "B", "C"], Rows(s, new TraceView(Kind: TraceKindFilter.Step), out var steps).Select(Name));
        Assert.Equal(3, steps.Matching);
        Assert.Equal(["A", "L1", "B", "L2", "C", "L3"], Rows(s, new TraceView(Kind: TraceKindFilter.AiLog), out _).Select(Name));
        Assert.Equal(["B", "L2", "C1", "C2", "C", "L3", "C3"], Rows(s, new TraceView(Model: "gpt-4o"), out var model).Select(Name));
        Assert.Equal(5, model.Matching); // two AI logs and the three calls they issued; the steps are context
        Assert.Equal(["B", "L2", "C2", "C", "L3", "C3"], Rows(s, new TraceView(Tool: "create_issue"), out _).Select(Name));
        Assert.Equal(["B", "L2", "C2"], Rows(s, new TraceView(Tool: "create_issue", FailuresOnly: true), out _).Select(Name));
        Assert.Equal(["B", "L2", "C2", "C", "L3", "C3"], Rows(s, new TraceView(Model: "gpt-4o", Kind: TraceKindFilter.ToolCall, Text: "create"), out _).Select(Name));
    }

    [Fact]
    public void A_zoom_keeps_what_overlaps_its_time_and_draws_bars_on_it()
    {
        var s = Small();
        var view = TraceView.All.ZoomedTo(24_000, 26_000);

        // search_issues (25 s) and its step; the AI log (22–23 s) is only context.
        var lines = new List<TraceLine>();
        var counts = TraceLayout.Flatten(s, new HashSet<Guid>(), view, lines);
        Assert.Equal(["B", "L2", "C1"], lines.Select(l => Name(l.Id)));
        Assert.Equal([true, false, true], lines.Select(l => l.Matches));
        Assert.Equal(2, counts.Matching);

        var window = TraceWindow.Of(s, view);
        Assert.Equal((At(24), At(26)), (window.Start, window.End));
        var (left, width) = TraceLayout.Bar(window, At(25), At(25).AddMilliseconds(300));
        Assert.Equal((50d, 15d), (Math.Round(left), Math.Round(width)));
        // The step (21–60 s) is cut at the window's edges.
        Assert.Equal((0d, 100d), TraceLayout.Bar(window, At(21), At(60)));
    }

    [Fact]
    public void The_view_round_trips_through_the_url_and_ignores_what_it_cannot_read()
    {
        var view = new TraceView(true, "create issue", TraceKindFilter.ToolCall, "gpt-4o", "create_issue", 1_000, 61_000);
        var query = string.Join("&", view.ToQuery().Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString((string)p.Value!)}"));

        Assert.Equal(view, TraceView.Parse($"https://x.test/shaves/1?tab=trace&{query}&record=abc"));
        Assert.Equal(TraceView.All, TraceView.Parse("https://x.test/shaves/1?tab=trace&kind=everything&from=x&to=5&failed=no&q=%20"));
        Assert.Equal((1_000L, 2_000L), (TraceView.Parse("/s?from=2000&to=1000").FromMs!.Value, TraceView.Parse("/s?from=2000&to=1000").ToMs!.Value));
        Assert.Equal(TraceView.MaxTextLength, TraceView.Parse("/s?q=" + new string('a', 500)).Text!.Length);
        Assert.True(new TraceView(Text: "x").WithoutFilters().IsEmpty);
        Assert.All(view.ToQuery().Keys, k => Assert.Contains(k, TraceView.Keys));
    }

    [Fact]
    public void At_100000_records_the_filters_keep_exactly_the_matching_rows_under_their_ancestors()
    {
        // 50 steps, 33,000 AI logs, 67,000 tool calls (two per log, three for the first thousand); every 997th call fails.
        var steps = Enumerable.Range(0, 50).Select(i => new StepRow(Guid.NewGuid(), $"executing_task:batch-{i:00}",
            i == 41 ? ProcessStatus.Failed : ProcessStatus.Completed, At(i * 240), At((i * 240) + 239), null)).ToList();
        var logs = new List<TraceRecord>(33_000);
        var calls = new List<TraceRecord>(67_000);
        for (var i = 0; i < 33_000; i++)
        {
            var step = steps[i * 50 / 33_000];
            var log = Log(Guid.NewGuid(), step.Id, i % 3 == 0 ? "gpt-4o" : "gpt-4.1", (step.StartedAt - Created).TotalSeconds + (i % 660 * 0.3));
            logs.Add(log);
            var issued = calls.Count < 67_000 - ((33_000 - i - 1) * 2) ? 3 : 2;
            for (var c = 0; c < issued && calls.Count < 67_000; c++)
            {
                var n = calls.Count;
                calls.Add(Call(Guid.NewGuid(), step.Id, log.Id, $"tool-{n % 7}", n % 997 != 0, (log.CreatedAt - Created).TotalSeconds + 0.1 + (c * 0.05)));
            }
        }

        Assert.Equal((33_000, 67_000), (logs.Count, calls.Count));
        var s = Skeleton(steps, logs, calls);
        var lines = new List<TraceLine>();

        var all = TraceLayout.Flatten(s, new HashSet<Guid>(), TraceView.All, lines);
        Assert.Equal(new TraceCounts(100_050, 100_050), all);
        Assert.Equal(100_050, lines.Count);

        var failed = TraceLayout.Flatten(s, new HashSet<Guid>(), new TraceView(FailuresOnly: true), lines);
        var failedCalls = calls.Count(c => c.Success == false);
        Assert.Equal(failedCalls + 1, failed.Matching); // and the failed step
        Assert.Equal(failedCalls, lines.Count(l => l.Record?.Kind == TraceRecordKind.ToolCall));
        Assert.All(lines.Where(l => l.Record?.Kind == TraceRecordKind.ToolCall), l => Assert.False(l.Record!.Success));
        AssertEveryRowUnderItsAncestors(lines);

        // The same list is refilled, not grown: narrowing again leaves nothing of the wider view behind.
        var tool = TraceLayout.Flatten(s, new HashSet<Guid>(), new TraceView(Text: "tool-3", Model: "gpt-4o"), lines);
        var models = logs.ToDictionary(l => l.Id, l => l.Name);
        var expected = calls.Count(c => c.Name == "tool-3" && models[c.AiLogId!.Value] == "gpt-4o");
        Assert.Equal(expected, tool.Matching);
        Assert.Equal(expected, lines.Count(l => l.Matches));
        Assert.All(lines.Where(l => l.Matches), l => Assert.Equal("tool-3", l.Record!.Name));
        AssertEveryRowUnderItsAncestors(lines);

        // Zoomed into one step: its rows, and nothing from the steps before or after.
        var step41 = steps[41];
        var zoomed = TraceLayout.Flatten(s, new HashSet<Guid>(), TraceView.All.ZoomedTo(
            (long)(step41.StartedAt - Created).TotalMilliseconds + 1, (long)(step41.CompletedAt!.Value - Created).TotalMilliseconds - 1), lines);
        Assert.Equal(step41.Id, lines[0].Id);
        Assert.All(lines.Where(l => l.Depth == 0), l => Assert.Equal(step41.Id, l.Id));
        Assert.Equal(lines.Count, zoomed.Matching);
    }

    private static void AssertEveryRowUnderItsAncestors(List<TraceLine> lines)
    {
        Guid? step = null, log = null;
        foreach (var line in lines)
        {
            switch (line.Depth)
            {
                case 0:
                    (step, log) = (line.Id, null);
                    break;
                case 1:
                    Assert.Equal(step, line.Record!.StepId);
                    log = line.Id;
                    break;
                default:
                    Assert.Equal(log, line.Record!.AiLogId);
                    break;
            }
        }
    }

    [Theory]
    [InlineData(12_228_000, new[] { "0", "1 h", "2 h", "3 h" })]
    [InlineData(2_000, new[] { "0", "500 ms", "1 s", "1.5 s", "2 s" })]
    [InlineData(850, new[] { "0", "200 ms", "400 ms", "600 ms", "800 ms" })]
    [InlineData(150_000, new[] { "0", "30 s", "1 min", "1 min 30 s", "2 min", "2 min 30 s" })]
    public void The_axis_counts_in_round_units_from_the_shave_start(double lengthMs, string[] expected)
    {
        var ticks = TraceAxis.Ticks(new TraceWindow(Created, Created.AddMilliseconds(lengthMs)), Created);

        Assert.Equal(expected, ticks.Select(t => t.Label));
        Assert.Equal(0, ticks[0].Percent);
        Assert.All(ticks, t => Assert.InRange(t.Percent, 0, 100));
    }

    [Fact]
    public void A_zoomed_axis_names_its_ticks_from_the_shave_start()
    {
        var window = new TraceWindow(Created.AddMinutes(198.5), Created.AddMinutes(203.9));

        Assert.Equal(["3 h 19 min", "3 h 20 min", "3 h 21 min", "3 h 22 min", "3 h 23 min"],
            TraceAxis.Ticks(window, Created).Select(t => t.Label));
    }

    [Theory]
    [InlineData(11_908_419, "+3:18:28.419")]
    [InlineData(769_170, "+0:12:49.170")]
    [InlineData(5, "+0:00:00.005")]
    [InlineData(-1_500, "-0:00:01.500")]
    public void Offsets_all_read_as_hours_minutes_seconds_and_milliseconds(double ms, string expected) =>
        Assert.Equal(expected, TraceLayout.Offset(TimeSpan.FromMilliseconds(ms)));

    private static string Name(Guid id) =>
        id == StepA ? "A" : id == StepB ? "B" : id == StepC ? "C" : id == L1 ? "L1" : id == L2 ? "L2" : id == L3 ? "L3"
        : id == C1 ? "C1" : id == C2 ? "C2" : id == C3 ? "C3" : id == C4 ? "C4" : id == TraceLayout.UnattachedId ? "U" : id.ToString();

    private static DateTime At(double seconds) => Created.AddSeconds(seconds);

    private static TraceRecord Log(Guid id, Guid? step, string model, double atSeconds) =>
        new(id, TraceRecordKind.AiLog, step, null, model, null, null, null, 1_000, At(atSeconds));

    private static TraceRecord Call(Guid id, Guid? step, Guid? log, string tool, bool success, double atSeconds) =>
        new(id, TraceRecordKind.ToolCall, step, log, tool, "github", "call_" + id.ToString("N"), success, 300, At(atSeconds));

    private static TraceSkeleton Skeleton(IReadOnlyList<StepRow> steps, IReadOnlyList<TraceRecord> logs, IReadOnlyList<TraceRecord> calls) =>
        TraceService.Build(new TraceShaveHeader(Guid.NewGuid(), "A heavy shave", ShaveStatus.Failed, Created), steps, logs, calls, Created.AddHours(5));
}
