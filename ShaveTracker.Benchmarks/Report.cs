using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ShaveTracker.Benchmarks;

/// <summary>Each run's table is kept in results/; RESULTS.md shows every scale side by side, with the date and machine.</summary>
public static class Report
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(string label, string dbPath, GeneratedMeta meta, List<Measurement> results)
    {
        var dir = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../results"));
        Directory.CreateDirectory(dir);
        var run = new Run(label, meta.Shaves, DateTime.UtcNow, Machine(), new FileInfo(dbPath).Length, results);
        var file = Path.Combine(dir, label + ".json");
        File.WriteAllText(file, JsonSerializer.Serialize(run, Indented));
        Rewrite();
        return file;
    }

    /// <summary>RESULTS.md again from the runs in results/ (after a run was added or moved by hand).</summary>
    public static void Rewrite()
    {
        var dir = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../results"));
        var runs = Directory.GetFiles(dir, "*.json")
            .Select(f => JsonSerializer.Deserialize<Run>(File.ReadAllText(f))!)
            .OrderBy(r => r.Shaves).ThenBy(r => r.At)
            .ToList();
        File.WriteAllText(Path.Combine(dir, "../RESULTS.md"), Markdown(runs));
    }

    public sealed record Run(string Label, int Shaves, DateTime At, string Machine, long DbBytes, List<Measurement> Results);

    private static string Machine() =>
        $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024 / 1024 / 1024} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, SQLite";

    private static string Markdown(List<Run> runs)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Benchmark results");
        sb.AppendLine();
        sb.AppendLine("Produced by `dotnet run -c Release --project ShaveTracker.Benchmarks -- run <db> <label>` on a database made by");
        sb.AppendLine("`... -- generate <db> <shaves>` (see README). Times are wall-clock per call through the app's services (p50/p95/max");
        sb.AppendLine("after 5 warm-up calls); throughput and ingestion come from a second process over loopback HTTP.");
        sb.AppendLine("Soak runs (minutes of ingestion and browsing: errors, lost or duplicated records, memory) are in [SOAK.md](SOAK.md).");
        sb.AppendLine("Runs of earlier versions of the app stay in [results/earlier](results/earlier) (their JSON), out of this table.");
        sb.AppendLine();
        foreach (var run in runs)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- **{run.Label}**: {run.Shaves:N0} shaves, database {run.DbBytes / 1024.0 / 1024 / 1024:N2} GB, run {run.At:yyyy-MM-dd HH:mm} UTC on {run.Machine}");
        }

        sb.AppendLine();
        sb.Append("| measurement | target |");
        foreach (var run in runs)
        {
            sb.Append(CultureInfo.InvariantCulture, $" {run.Label} p50 | {run.Label} p95 | {run.Label} max |");
        }

        sb.AppendLine();
        sb.Append("|---|---|");
        sb.Append(string.Concat(Enumerable.Repeat("---:|---:|---:|", runs.Count)));
        sb.AppendLine();
        var names = runs.SelectMany(r => r.Results.Select(m => Key(m.Name))).Distinct().ToList();
        foreach (var name in names)
        {
            var any = runs.SelectMany(r => r.Results).First(m => Key(m.Name) == name);
            sb.Append(CultureInfo.InvariantCulture, $"| {any.Name} ({any.Unit}) | {any.Target} |");
            foreach (var run in runs)
            {
                var m = run.Results.FirstOrDefault(x => Key(x.Name) == name);
                sb.Append(m is null ? " — | — | — |" : m.Unit == "ms"
                    ? string.Create(CultureInfo.InvariantCulture, $" {m.P50:N2} | {m.P95:N2} | {m.Max:N2} |")
                    : string.Create(CultureInfo.InvariantCulture, $" {m.P50:N0} | | |"));
            }

            sb.AppendLine();
        }

        sb.AppendLine();
        foreach (var run in runs)
        {
            foreach (var m in run.Results.Where(m => m.Note is not null))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- {run.Label}, {m.Name}: {m.Note}");
            }
        }

        return sb.ToString();
    }

    // "last page (page 400)" differs by scale; compare by what is measured.
    private static string Key(string name) => name.Contains("(page", StringComparison.Ordinal) ? name[..name.IndexOf(" (page", StringComparison.Ordinal)] : name;
}
