using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Benchmarks;

/// <summary>
/// How long and how hard: <c>soak &lt;db&gt; [--minutes 5] [--api-clients 4] [--circuits 20] [--pace-ms 100]
/// [--replay-percent 10] [--outage-seconds 30] [--outage-at-minutes 15] [--label name] [--note "what else ran"]</c>.
/// With an outage, the database file is taken away for that long (by default in the middle of the run) and put back.
/// </summary>
public sealed record SoakOptions(double Minutes, int ApiClients, int Circuits, int PaceMs, int ReplayPercent, string Label, string? Note = null,
    int OutageSeconds = 0, double? OutageAtMinutes = null)
{
    /// <summary>When the outage begins, from the start of the load.</summary>
    public TimeSpan OutageAt => TimeSpan.FromMinutes(OutageAtMinutes ?? Minutes / 2);

    public static SoakOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SoakOptions(5, 4, 20, 100, 10, $"soak-{DateTime.UtcNow:yyyyMMdd-HHmm}");
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--minutes" => options with { Minutes = double.Parse(value, CultureInfo.InvariantCulture) },
                "--api-clients" => options with { ApiClients = int.Parse(value, CultureInfo.InvariantCulture) },
                "--circuits" => options with { Circuits = int.Parse(value, CultureInfo.InvariantCulture) },
                "--pace-ms" => options with { PaceMs = int.Parse(value, CultureInfo.InvariantCulture) },
                "--replay-percent" => options with { ReplayPercent = int.Parse(value, CultureInfo.InvariantCulture) },
                "--label" => options with { Label = value },
                "--note" => options with { Note = value },
                "--outage-seconds" => options with { OutageSeconds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--outage-at-minutes" => options with { OutageAtMinutes = double.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        return options;
    }
}

/// <summary>One heap sample of the server: managed heap after a full blocking GC, and the process's working set.</summary>
public sealed record HeapSample(double Seconds, long HeapBytes, long WorkingSetBytes);

/// <summary>Expected (acknowledged by the server) against found in the database, for one kind of row.</summary>
public sealed record SoakCount(string Rows, long Sent, long Found, long Lost, long Duplicated);

/// <summary>What the load did, without the ids it sent (those are only needed for the count).</summary>
/// <summary>
/// What the load did, without the ids it sent. The error counts and samples are those outside the outage (all of
/// them when there was none); what happened during it is in <see cref="SoakOutage"/>.
/// </summary>
public sealed record SoakTraffic(int Requests, int Replays, int ApiErrors, int Records, int Navigations, int PageErrors, int ReloadedPages, List<string> ErrorSamples)
{
    public static SoakTraffic From(SoakSent sent, SoakOutage? outage)
    {
        var outside = sent.Events.Where(e => outage?.Covers(e) != true).ToList();
        return new(sent.Requests, sent.Replays, outside.Count(e => e.Kind == SoakEvent.Api), sent.AiLogs.Count + sent.ToolCalls.Count,
            sent.Navigations, outside.Count(e => e.Kind == SoakEvent.Page), sent.ReloadedPages, [.. outside.Take(20).Select(e => e.Described)]);
    }
}

/// <summary>
/// The database taken away: when (UTC) the file went and came back, and what the load and the server met meanwhile.
/// An error counts as the outage's when the action that met it was still going when the file went, or began at most
/// <see cref="Soak.OutageGraceSeconds"/> after it came back; a server log line, when it was written in that window.
/// Every other error counts as the run's own.
/// </summary>
public sealed record SoakOutage(DateTime Start, DateTime End, int ApiFailures, int PageErrors, int PagesShowingRetry, int ServerErrors, List<string> Samples)
{
    /// <summary>A server log line of the outage: written while the file was away, or in the grace after it came back.</summary>
    public bool Covers(DateTime at) => at >= Start && at <= End.AddSeconds(Soak.OutageGraceSeconds);

    /// <summary>
    /// A failure of the outage: its action was still going when the file went (it began before and gave up after) or
    /// began before the grace after it ended. An action that ended before the file went is not the outage's, however
    /// slow it was.
    /// </summary>
    public bool Covers(SoakEvent e) => e.At <= End.AddSeconds(Soak.OutageGraceSeconds) && (e.Ended ?? e.At) >= Start;

    /// <summary>The outage was felt (the load met it) and every page that failed in it offered Retry.</summary>
    public bool Felt => ApiFailures + PageErrors > 0;
}

public sealed record SoakRun(
    string Label,
    DateTime At,
    string Machine,
    string LoadAverage,
    SoakOptions Options,
    double Seconds,
    SoakTraffic Traffic,
    int ServerErrors,
    int ServerWarnings,
    List<string> ServerLogSamples,
    List<SoakCount> Counts,
    double WarmUpSeconds,
    double FirstThirdHeapMb,
    double LastThirdHeapMb,
    double HeapGrowthPercent,
    double HeapSlopeMbPerMinute,
    bool MemoryFlat,
    List<HeapSample> Samples,
    SoakOutage? Outage = null)
{
    public bool Passed => Traffic.ApiErrors == 0 && Traffic.PageErrors == 0 && ServerErrors == 0 && Counts.All(c => c.Lost == 0 && c.Duplicated == 0) && MemoryFlat &&
        (Options.OutageSeconds == 0 || Outage is { Felt: true });
}

/// <summary>
/// The soak: the real app on loopback in this process (so its managed heap can be sampled), the load from a second
/// process (<see cref="SoakLoad"/>), then every acknowledged report counted in the database. Passes with no errors,
/// nothing lost or duplicated, and a managed heap that does not grow after warm-up.
/// </summary>
public static class Soak
{
    /// <summary>A heap after warm-up that grows by more than this from the first third to the last third is not flat.</summary>
    public const double FlatTolerancePercent = 10;

    /// <summary>
    /// After the database is back, how long failures still count as the outage's: a request or page load that began
    /// just before the file came back may fail on a connection opened during the outage.
    /// </summary>
    public const int OutageGraceSeconds = 5;

    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(string dbPath, SoakOptions options)
    {
        var duration = TimeSpan.FromMinutes(options.Minutes);
        var factory = new Bench.Factory($"Data Source={dbPath}");
        await using (var migrate = factory.CreateDbContext())
        {
            // A new file becomes an empty, migrated database; a generated one keeps its data (the pages browse it).
            migrate.Database.SetCommandTimeout(TimeSpan.FromHours(1));
            await migrate.Database.MigrateAsync();
        }

        var loadBefore = LoadAverage();
        // The server logs to this process's console (warnings and above): every error it logs fails the soak.
        var serverLog = new ServerLogCounter(Console.Out);
        Console.SetOut(serverLog);
        var sentFile = Path.Combine(Path.GetTempPath(), $"shavetracker-soak-{Guid.NewGuid():N}.json");
        var samples = new List<HeapSample>();
        var clock = Stopwatch.StartNew();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Soak {options.Label}: {options.Minutes:N1} min, {options.ApiClients} API clients, {options.Circuits} Chromium circuits, pace {options.PaceMs} ms, {options.ReplayPercent}% replays"));
        Task<(DateTime Start, DateTime End)>? outage = null;
        // Mode=ReadWrite: while the file is away the server gets an error, instead of SQLite creating an empty database.
        await using (var server = await InProcessServer.StartAsync(dbPath, "Mode=ReadWrite"))
        {
            var key = await BenchKeys.CreateAsync(factory, "soak");
            using var load = StartSelf("soak-load", server.BaseAddress.ToString(), key,
                ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), options.ApiClients.ToString(CultureInfo.InvariantCulture),
                options.Circuits.ToString(CultureInfo.InvariantCulture), options.PaceMs.ToString(CultureInfo.InvariantCulture),
                options.ReplayPercent.ToString(CultureInfo.InvariantCulture), sentFile);
            clock.Restart();
            while (!load.HasExited)
            {
                samples.Add(Sample(clock.Elapsed));
                if (samples.Count % 6 == 0)
                {
                    var last = samples[^1];
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {last.Seconds,5:N0} s  heap {last.HeapBytes / 1048576.0,7:N1} MB  working set {last.WorkingSetBytes / 1048576.0,7:N1} MB"));
                }

                if (options.OutageSeconds > 0 && outage is null && clock.Elapsed >= options.OutageAt)
                {
                    outage = DatabaseOutage.RunAsync(dbPath, TimeSpan.FromSeconds(options.OutageSeconds));
                }

                await Task.WhenAny(load.WaitForExitAsync(), Task.Delay(SampleEvery));
            }

            if (load.ExitCode != 0 || !File.Exists(sentFile))
            {
                Console.Error.WriteLine($"The load process failed (exit code {load.ExitCode}).");
                return 1;
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var sent = JsonSerializer.Deserialize<SoakSent>(await File.ReadAllTextAsync(sentFile), Web)!;
        File.Delete(sentFile);
        var counts = await CountAsync(factory, sent);
        Console.SetOut(serverLog.Inner);
        (DateTime Start, DateTime End)? window = outage is null ? null : await outage;
        var felt = window is { } w ? Felt(sent, serverLog, w.Start, w.End) : null;
        var ownLines = serverLog.Lines.Where(l => felt?.Covers(l.At) != true).ToList();
        var run = Judge(options, seconds, sent, counts, samples, $"{loadBefore} before, {LoadAverage()} after", felt) with
        {
            ServerErrors = ownLines.Count(l => l.Error),
            ServerWarnings = ownLines.Count(l => !l.Error),
            ServerLogSamples = [.. ownLines.Take(10).Select(l => l.Text)],
        };
        Print(run);
        var file = Write(run);
        Console.WriteLine($"Written to {file} and SOAK.md");
        return run.Passed ? 0 : 1;
    }

    /// <summary>What the load and the server met while the database was away.</summary>
    private static SoakOutage Felt(SoakSent sent, ServerLogCounter log, DateTime start, DateTime end)
    {
        var window = new SoakOutage(start, end, 0, 0, 0, 0, []);
        var during = sent.Events.Where(window.Covers).ToList();
        var pages = during.Where(e => e.Kind == SoakEvent.Page).ToList();
        return window with
        {
            ApiFailures = during.Count(e => e.Kind == SoakEvent.Api),
            PageErrors = pages.Count,
            PagesShowingRetry = pages.Count(e => e.ShowsRetry),
            ServerErrors = log.Lines.Count(l => l.Error && window.Covers(l.At)),
            Samples = [.. during.Take(10).Select(e => e.Described)],
        };
    }

    private static HeapSample Sample(TimeSpan at)
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var self = Process.GetCurrentProcess();
        return new HeapSample(at.TotalSeconds, heap, self.WorkingSet64);
    }

    /// <summary>Every acknowledged row, looked up by its id; anything more of those shaves is a duplicate.</summary>
    private static async Task<List<SoakCount>> CountAsync(Bench.Factory factory, SoakSent sent)
    {
        await using var db = factory.CreateDbContext();
        var shaveIds = sent.Shaves.ToHashSet();
        var shaves = new List<Guid>();
        var aiLogs = new List<Guid>();
        var toolCalls = new List<SoakToolCall>();
        long steps = 0, transcripts = 0, activities = 0;
        foreach (var chunk in sent.Shaves.Chunk(500))
        {
            shaves.AddRange(await db.Shaves.Where(s => chunk.Contains(s.Id)).Select(s => s.Id).ToListAsync());
            aiLogs.AddRange(await db.AiLogs.Where(l => chunk.Contains(l.ShaveId)).Select(l => l.Id).ToListAsync());
            toolCalls.AddRange((await db.ToolCalls.Where(c => chunk.Contains(c.ShaveId)).Select(c => new { c.ShaveId, c.ToolCallId }).ToListAsync())
                .Select(c => new SoakToolCall(c.ShaveId, c.ToolCallId)));
            steps += await db.ProcessSteps.CountAsync(p => chunk.Contains(p.ShaveId));
            transcripts += await db.Transcripts.CountAsync(t => chunk.Contains(t.ShaveId));
            activities += await db.UserActivities.CountAsync(a => chunk.Contains(a.ShaveId));
        }

        return
        [
            ById("shaves", sent.Shaves, shaves),
            Total("process steps", sent.Steps, steps),
            ById("AI logs", sent.AiLogs, aiLogs),
            ById("tool calls", sent.ToolCalls, toolCalls),
            Total("transcripts", sent.Transcripts, transcripts),
            Total("activity rows", sent.Activities, activities),
        ];
    }

    private static SoakCount ById<T>(string rows, List<T> sent, List<T> found)
    {
        var expected = sent.ToHashSet();
        var lost = expected.Except(found).LongCount();
        var duplicated = found.Count - found.Distinct().Count() + found.Count(f => !expected.Contains(f));
        return new SoakCount(rows, sent.Count, found.Count, lost, duplicated);
    }

    private static SoakCount Total(string rows, long sent, long found) =>
        new(rows, sent, found, Math.Max(0, sent - found), Math.Max(0, found - sent));

    /// <summary>
    /// After warm-up (a quarter of the run, at least 30 s and at most 2 min: the circuits open, the JIT and the caches
    /// fill) and until the load stops, the mean heap of the last third against the first third, and the least-squares slope.
    /// </summary>
    private static SoakRun Judge(SoakOptions options, double seconds, SoakSent sent, List<SoakCount> counts, List<HeapSample> samples, string loadAverage,
        SoakOutage? outage)
    {
        var warmUp = Math.Clamp(seconds / 4, 30, 120);
        // Only while the load runs: once it stops, its circuits close and the heap drops, which would flatter the verdict.
        var steady = samples.Where(s => s.Seconds >= warmUp && s.Seconds <= options.Minutes * 60).ToList();
        var third = Math.Max(1, steady.Count / 3);
        double Mb(IEnumerable<HeapSample> s) => s.Any() ? s.Average(x => x.HeapBytes) / 1048576.0 : 0;
        var first = Mb(steady.Take(third));
        var last = Mb(steady.Skip(steady.Count - third));
        var growth = first > 0 ? (last - first) / first * 100 : 0;
        var slope = Slope(steady);
        return new SoakRun(options.Label, DateTime.UtcNow, Machine(), loadAverage, options, seconds, SoakTraffic.From(sent, outage), 0, 0, [], counts, warmUp, first, last, growth, slope,
            steady.Count >= 3 && growth <= FlatTolerancePercent, samples, outage);
    }

    private static double Slope(List<HeapSample> samples)
    {
        if (samples.Count < 2)
        {
            return 0;
        }

        var mx = samples.Average(s => s.Seconds / 60);
        var my = samples.Average(s => s.HeapBytes / 1048576.0);
        var sxy = samples.Sum(s => (s.Seconds / 60 - mx) * (s.HeapBytes / 1048576.0 - my));
        var sxx = samples.Sum(s => Math.Pow(s.Seconds / 60 - mx, 2));
        return sxx == 0 ? 0 : sxy / sxx;
    }

    private static void Print(SoakRun run)
    {
        Console.WriteLine();
        Console.WriteLine($"{"rows",-16} {"sent",10} {"found",10} {"lost",6} {"duplicated",10}");
        foreach (var c in run.Counts)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Rows,-16} {c.Sent,10:N0} {c.Found,10:N0} {c.Lost,6:N0} {c.Duplicated,10:N0}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"API requests {run.Traffic.Requests:N0} ({run.Traffic.Replays:N0} replays), errors {run.Traffic.ApiErrors}; page navigations {run.Traffic.Navigations:N0}, errors {run.Traffic.PageErrors}, reloaded pages {run.Traffic.ReloadedPages}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Heap after {run.WarmUpSeconds:N0} s warm-up: first third {run.FirstThirdHeapMb:N1} MB, last third {run.LastThirdHeapMb:N1} MB ({run.HeapGrowthPercent:+0.0;-0.0} %), slope {run.HeapSlopeMbPerMinute:+0.00;-0.00} MB/min → {(run.MemoryFlat ? "flat" : "NOT flat")}"));
        Console.WriteLine($"Server log: {run.ServerErrors} errors, {run.ServerWarnings} warnings");
        if (run.Outage is { } o)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Outage {o.Start:HH:mm:ss}–{o.End:HH:mm:ss} UTC ({(o.End - o.Start).TotalSeconds:N0} s): {o.ApiFailures} API tries failed and were sent again, {o.PageErrors} page errors ({o.PagesShowingRetry} showing Retry), {o.ServerErrors} server errors"));
        }
        foreach (var error in run.Traffic.ErrorSamples)
        {
            Console.WriteLine($"  error: {error}");
        }

        foreach (var line in run.ServerLogSamples)
        {
            Console.WriteLine($"  server: {line}");
        }

        Console.WriteLine(run.Passed ? "PASSED" : "FAILED");
    }

    private static string Write(SoakRun run)
    {
        var dir = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../results/soak"));
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, run.Label + ".json");
        File.WriteAllText(file, JsonSerializer.Serialize(run, Indented));
        var runs = Directory.GetFiles(dir, "*.json")
            .Select(f => JsonSerializer.Deserialize<SoakRun>(File.ReadAllText(f))!)
            .OrderByDescending(r => r.At)
            .ToList();
        File.WriteAllText(Path.Combine(dir, "../../SOAK.md"), Markdown(runs));
        return file;
    }

    private static string Markdown(List<SoakRun> runs)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Soak results");
        sb.AppendLine();
        sb.AppendLine("Produced by `dotnet run -c Release --project ShaveTracker.Benchmarks -- soak <db> --minutes 5 --api-clients 4 --circuits 20`");
        sb.AppendLine("(see README). The app runs on loopback in the soak's process; a second process runs N pipeline clients (shave after shave:");
        sb.AppendLine("create, three steps, three batches of 40 AI logs + 40 tool calls, transcript, finish; a share of the reports sent twice,");
        sb.AppendLine("and a replay must answer as the original and write nothing; a 5xx or no answer is sent again every second, as a pipeline");
        sb.AppendLine("would) and M Chromium pages browsing list views (status filters, title search), a shave and its trace (opening a record).");
        sb.AppendLine("The list is a static page, so coming back to it from a shave loads it anew; from a shave to its trace a page must keep its");
        sb.AppendLine("circuit. Each step waits for the page's own readiness marker. Afterwards every report the server acknowledged is looked up");
        sb.AppendLine("in the database: lost = acknowledged but missing, duplicated = more rows than acknowledged. With `--outage-seconds`, the");
        sb.AppendLine("SQLite file (with -wal and -shm) is moved away for that long and back; failures of actions still going when it went or");
        sb.AppendLine("begun up to 5 s after it came back, and server errors logged in that window, are the outage's; every other one is the run's own.");
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"The server's managed heap is sampled every {SampleEvery.TotalSeconds:N0} s after a full blocking GC; after warm-up (a quarter of the run, 30 s to 2 min) it is flat when the last third's mean is at most {FlatTolerancePercent:N0} % above the first third's."));
        sb.AppendLine();
        foreach (var run in runs)
        {
            var o = run.Options;
            sb.AppendLine(CultureInfo.InvariantCulture, $"## {run.Label}: {(run.Passed ? "passed" : "FAILED")}");
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"Run {run.At:yyyy-MM-dd HH:mm} UTC on {run.Machine} (1-minute load average {run.LoadAverage}); {run.Seconds / 60:N1} min, {o.ApiClients} API clients, {o.Circuits} circuits, {o.PaceMs} ms between a client's reports, {o.ReplayPercent} % of reports replayed.");
            if (o.Note is not null)
            {
                sb.AppendLine();
                sb.AppendLine(o.Note);
            }

            sb.AppendLine();
            sb.AppendLine("| rows | acknowledged | in the database | lost | duplicated |");
            sb.AppendLine("|---|---:|---:|---:|---:|");
            foreach (var c in run.Counts)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {c.Rows} | {c.Sent:N0} | {c.Found:N0} | {c.Lost:N0} | {c.Duplicated:N0} |");
            }

            sb.AppendLine();
            sb.AppendLine("| load | value |");
            sb.AppendLine("|---|---:|");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| API requests (replays included) | {run.Traffic.Requests:N0} |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| replays | {run.Traffic.Replays:N0} |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| records per second (AI logs + tool calls acknowledged) | {run.Traffic.Records / run.Seconds:N0} |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| API errors | {run.Traffic.ApiErrors} |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| page navigations (in-circuit) | {run.Traffic.Navigations:N0} |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| page errors (console errors, timeouts, reloads, reconnects) | {run.Traffic.PageErrors} |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| server log: errors / warnings | {run.ServerErrors} / {run.ServerWarnings} |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| managed heap, first third after warm-up | {run.FirstThirdHeapMb:N1} MB |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| managed heap, last third | {run.LastThirdHeapMb:N1} MB ({run.HeapGrowthPercent:+0.0;-0.0} %) |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| heap slope after warm-up | {run.HeapSlopeMbPerMinute:+0.00;-0.00} MB/min |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| memory flat after warm-up | {(run.MemoryFlat ? "yes" : "no")} |");
            if (run.Outage is { } outage)
            {
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"| database away | {outage.Start:HH:mm:ss}–{outage.End:HH:mm:ss} UTC ({(outage.End - outage.Start).TotalSeconds:N0} s, from {o.OutageAt.TotalMinutes:N1} min) |");
                sb.AppendLine(CultureInfo.InvariantCulture, $"| during it: API tries that failed (and were sent again) | {outage.ApiFailures:N0} |");
                sb.AppendLine(CultureInfo.InvariantCulture, $"| during it: page errors / of them showing Retry | {outage.PageErrors:N0} / {outage.PagesShowingRetry:N0} |");
                sb.AppendLine(CultureInfo.InvariantCulture, $"| during it: server log errors | {outage.ServerErrors:N0} |");
            }
            sb.AppendLine();
            sb.Append("Heap (MB) every ~30 s: ");
            sb.AppendLine(string.Join(", ", run.Samples.Where((_, i) => i % 6 == 0)
                .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Seconds:N0} s {s.HeapBytes / 1048576.0:N1}"))));
            foreach (var error in run.Traffic.ErrorSamples)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- error: {error}");
            }

            foreach (var line in run.ServerLogSamples)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- server log: `{line}`");
            }

            foreach (var line in run.Outage?.Samples ?? [])
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- during the outage: {line}");
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }

    /// <summary>The 1-minute load average (Linux): how busy the machine was besides the soak.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static string Machine() =>
        $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024 / 1024 / 1024} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, SQLite";

    /// <summary>
    /// Passes the server's console log through and counts its warnings and errors (Serilog's console lines begin
    /// "[HH:mm:ss WRN]" / "[HH:mm:ss ERR]"), keeping the first lines of each kind.
    /// </summary>
    /// <summary>A warning or error line of the server's log, and when it was written (UTC).</summary>
    private sealed record ServerLine(DateTime At, bool Error, string Text);

    private sealed class ServerLogCounter(TextWriter inner) : TextWriter
    {
        private const int MaxLines = 10_000;
        private readonly Lock _lock = new();
        private readonly StringBuilder _line = new();
        private readonly List<ServerLine> _lines = [];

        public TextWriter Inner => inner;

        public override Encoding Encoding => inner.Encoding;

        /// <summary>The warnings and errors so far (the first <see cref="MaxLines"/>).</summary>
        public IReadOnlyList<ServerLine> Lines
        {
            get
            {
                lock (_lock)
                {
                    return [.. _lines];
                }
            }
        }

        public override void Write(char value)
        {
            inner.Write(value);
            lock (_lock)
            {
                if (value != '\n')
                {
                    _line.Append(value);
                    return;
                }

                var line = _line.ToString();
                _line.Clear();
                var kind = line.Length > 14 && line[0] == '[' && line[13] == ']' ? line.Substring(10, 3) : null;
                if (kind is "ERR" or "FTL" or "WRN" && _lines.Count < MaxLines)
                {
                    _lines.Add(new ServerLine(DateTime.UtcNow, kind != "WRN", line.Length > 300 ? line[..300] : line));
                }
            }
        }
    }

    /// <summary>This program again, in another process (the load must not share the server's heap).</summary>
    private static Process StartSelf(params string[] args) => Process.Start(SelfProcess.StartInfo(args))!;
}
