using System.Diagnostics;
using System.Globalization;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Features.Shaves.Trace;

namespace ShaveTracker.Benchmarks;

/// <summary>
/// The trace's narrowing at 100,000 records (50 steps, 33,000 AI logs, 67,000 tool calls), in memory as the page does
/// it: each filter change refills the row list from the skeleton already loaded; a j/k move looks its row up in it.
/// </summary>
internal static class TraceFilterBench
{
    public static int Run(int runs)
    {
        var skeleton = Heavy(out var created);
        var lines = new List<TraceLine>();
        var none = new HashSet<Guid>();
        var views = new (string Name, TraceView View)[]
        {
            ("everything", TraceView.All),
            ("failures only", new TraceView(FailuresOnly: true)),
            ("search \"tool-3\"", new TraceView(Text: "tool-3")),
            ("search \"batch-41\"", new TraceView(Text: "batch-41")),
            ("model gpt-4o + tool calls", new TraceView(Model: "gpt-4o", Kind: TraceKindFilter.ToolCall)),
            ("tool tool-5 + failures", new TraceView(Tool: "tool-5", FailuresOnly: true)),
            ("zoomed to one step", TraceView.All.ZoomedTo(41 * 240_000, (41 * 240_000) + 239_000)),
        };

        // Warm up: the first pass JIT-compiles and sizes the list.
        foreach (var (_, view) in views)
        {
            TraceLayout.Flatten(skeleton, none, view, lines);
        }

        Console.WriteLine($"trace filter at {skeleton.AiLogCount + skeleton.ToolCallCount:N0} records, {runs} runs each (median / max ms, bytes allocated per change)");
        foreach (var (name, view) in views)
        {
            var times = new List<double>(runs);
            long allocated = 0;
            var counts = default(TraceCounts);
            for (var i = 0; i < runs; i++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var watch = Stopwatch.StartNew();
                counts = TraceLayout.Flatten(skeleton, none, view, lines);
                times.Add(watch.Elapsed.TotalMilliseconds);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }

            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-28} {times[runs / 2],7:0.0} / {times[^1],7:0.0} ms  {allocated,9:N0} B  {counts.Matching:N0} of {counts.Total:N0} match, {lines.Count:N0} rows"));
        }

        // A j/k move: the component finds the cursor's row (twice: to move, and to scroll to it) in the unfiltered list.
        TraceLayout.Flatten(skeleton, none, TraceView.All, lines);
        var moves = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var target = lines[lines.Count - 1 - i].Id;
            var watch = Stopwatch.StartNew();
            for (var lookup = 0; lookup < 2; lookup++)
            {
                _ = lines.FindIndex(l => l.Id == target);
            }

            moves.Add(watch.Elapsed.TotalMilliseconds);
        }

        moves.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  j/k row lookups (worst case, last row) {moves[runs / 2],7:0.00} / {moves[^1],7:0.00} ms"));
        _ = created;
        return 0;
    }

    private static TraceSkeleton Heavy(out DateTime created)
    {
        created = new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc);
        var start = created;
        var steps = Enumerable.Range(0, 50).Select(i => new StepRow(Guid.NewGuid(), $"executing_task:batch-{i:00}",
            i == 41 ? ProcessStatus.Failed : ProcessStatus.Completed, start.AddSeconds(i * 240), start.AddSeconds((i * 240) + 239), null)).ToList();
        var logs = new List<TraceRecord>(33_000);
        var calls = new List<TraceRecord>(67_000);
        for (var i = 0; i < 33_000; i++)
        {
            var step = steps[i * 50 / 33_000];
            var at = step.StartedAt.AddSeconds(i % 660 * 0.3);
            var log = new TraceRecord(Guid.NewGuid(), TraceRecordKind.AiLog, step.Id, null, i % 3 == 0 ? "gpt-4o" : "gpt-4.1", null, null, null, 1_000, at);
            logs.Add(log);
            var issued = calls.Count < 67_000 - ((33_000 - i - 1) * 2) ? 3 : 2;
            for (var c = 0; c < issued && calls.Count < 67_000; c++)
            {
                var n = calls.Count;
                calls.Add(new TraceRecord(Guid.NewGuid(), TraceRecordKind.ToolCall, step.Id, log.Id, $"tool-{n % 7}", "github", $"call_{n}",
                    n % 997 != 0, 300, at.AddMilliseconds(100 + (c * 50))));
            }
        }

        return TraceService.Build(new TraceShaveHeader(Guid.NewGuid(), "100k", ShaveStatus.Failed, created), steps, logs, calls, created.AddHours(4));
    }
}
