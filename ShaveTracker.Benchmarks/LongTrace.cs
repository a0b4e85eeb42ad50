using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ShaveTracker.Benchmarks;

/// <summary>
/// The longest run the trace is built for: one failed shave with 100,000 records (33,000 AI logs, 67,000 tool calls)
/// over 100 import batches, about three hours from start to end. Every AI log asks for two or three tool calls (by id,
/// as a real response does); one call in thirty fails; the last batch fails. Payloads are ordinary (hundreds of
/// bytes): this shave measures how the trace copes with many records, the heavy shave with big ones.
/// </summary>
public sealed partial class Generator
{
    public const int LongShaveAiLogs = 33_000;
    public const int LongShaveToolCalls = 67_000;
    private const int LongShaveBatches = 100;

    /// <summary>Adds the long shave to a database generated before it existed, and records it in its meta file.</summary>
    public static async Task AddLongShaveAsync(string dbPath)
    {
        var metaPath = dbPath + ".meta.json";
        var meta = JsonSerializer.Deserialize<GeneratedMeta>(await File.ReadAllTextAsync(metaPath))!;
        if (meta.LongShaveId is { } existing)
        {
            Console.WriteLine($"{dbPath} already has the long shave {existing}.");
            return;
        }

        await using var conn = new SqliteConnection($"Data Source={dbPath};Pooling=False");
        await conn.OpenAsync();
        var requester = meta.BusyRequesterId.ToString().ToUpperInvariant();
        var project = meta.BusyProjectId.ToString().ToUpperInvariant();
        var generator = new Generator(dbPath, meta.Shaves, seed: 7);
        var id = generator.InsertLongShave(conn, requester, project, DateTime.UtcNow.AddDays(-1));
        Exec(conn, "PRAGMA optimize;");
        await File.WriteAllTextAsync(metaPath, JsonSerializer.Serialize(meta with { LongShaveId = id }));
        Console.WriteLine($"Added the long shave {id} to {dbPath}.");
    }

    private Guid InsertLongShave(SqliteConnection conn, string requester, string project, DateTime created)
    {
        using var tx = conn.BeginTransaction();
        using var video = Prepare(conn, tx, VideoInsert, 6);
        using var shave = Prepare(conn, tx, ShaveInsert, 11);
        using var step = Prepare(conn, tx, StepInsert, 7);
        using var log = Prepare(conn, tx, LogInsert, 8);
        using var call = Prepare(conn, tx, CallInsert, 12);

        var id = Id(created);
        var videoId = Id(created.AddSeconds(-30));
        var file = created.AddSeconds(-60).ToString("yyyy-MM-dd HH-mm-ss", System.Globalization.CultureInfo.InvariantCulture) + ".mp4";
        Run(video, videoId, file, $"/Users/long/Movies/YakShaver/{file}", Hex(32), 540, Ts(created.AddSeconds(-30)));
        // Rows are inserted parents first (foreign keys hold); a step's end and the shave's are set once known.
        Run(shave, id, "Import 100 batches of legacy tickets into the Storefront backlog", videoId, requester, project, "Failed",
            null, "YakShaver Desktop", null, Ts(created), Ts(created));
        using var endStep = Prepare(conn, tx, "UPDATE process_steps SET process_status = $1, completed_at = $2, error_message = $3 WHERE id = $4", 4);

        var t = created.AddSeconds(1);
        foreach (var name in StepNames[..7])
        {
            var duration = TimeSpan.FromMilliseconds(_rng.Next(2_000, 40_000));
            Run(step, Id(t), id, name, "completed", Ts(t), Ts(t + duration), null);
            t += duration;
        }

        var logsLeft = LongShaveAiLogs;
        var callsLeft = LongShaveToolCalls;
        var error = "Batch 100 of 100: MCP tool create_issue returned 422: Validation Failed (labels: legacy-import is not a label of this repository)";
        for (var b = 1; b <= LongShaveBatches; b++)
        {
            var stepId = Id(t);
            Run(step, stepId, id, $"executing_task:batch-{b}", "in_progress", Ts(t), null, null);
            var logs = logsLeft / (LongShaveBatches - b + 1);
            var calls = callsLeft / (LongShaveBatches - b + 1);
            logsLeft -= logs;
            callsLeft -= calls;
            for (var l = 0; l < logs; l++)
            {
                var logId = Id(t);
                var logMs = _rng.Next(120, 420);
                // This log's share of the batch's calls: the rest of them go to the batch's last log.
                var asks = l == logs - 1 ? calls : Math.Min(calls, calls / (logs - l) + (_rng.Next(3) == 0 ? 1 : 0));
                var callIds = Enumerable.Range(0, asks).Select(_ => $"call_{Hex(24)}").ToArray();
                Run(log, logId, id, stepId, "gpt-4.1-mini",
                    $"You are YakShaver. Batch {b}, ticket {l + 1}: check it against the backlog.\n\n" + Text(Payload(300)),
                    JsonSerializer.Serialize(new { role = "assistant", content = Text(Payload(120)), tool_calls = callIds.Select(c => new { id = c, type = "function" }) }),
                    logMs, Ts(t));
                t = t.AddMilliseconds(logMs + _rng.Next(5, 40));
                foreach (var callId in callIds)
                {
                    var (tool, service) = Tools[_rng.Next(4)];
                    var callMs = _rng.Next(8, 60);
                    var ok = _rng.Next(30) != 0 && !(b == LongShaveBatches && calls == 1);
                    Run(call, Id(t), id, stepId, logId, callId, tool, service,
                        "{\"query\":\"" + Text(Payload(60)).Replace("\"", "", StringComparison.Ordinal) + "\"}",
                        ok ? "{\"result\":\"" + Text(Payload(120)).Replace("\"", "", StringComparison.Ordinal) + "\"}" : "{\"error\":\"422 Validation Failed\"}",
                        ok ? 1 : 0, callMs, Ts(t));
                    t = t.AddMilliseconds(callMs + _rng.Next(2, 20));
                    calls--;
                }
            }

            var failed = b == LongShaveBatches;
            Run(endStep, failed ? "failed" : "completed", Ts(t), failed ? error : null, stepId);
        }

        Run(step, Id(t.AddMilliseconds(1)), id, StepNames[^1], "not_started", Ts(t.AddMilliseconds(1)), null, null);
        using (var endShave = Prepare(conn, tx, "UPDATE shaves SET updated_at = $1 WHERE id = $2", 2))
        {
            Run(endShave, Ts(t), id);
        }

        tx.Commit();
        Count("shaves", 1);
        Count("process_steps", 7 + LongShaveBatches + 1);
        Count("ai_logs", LongShaveAiLogs);
        Count("tool_calls", LongShaveToolCalls);
        return Guid.Parse(id);
    }
}
