using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Benchmarks;

/// <summary>What the benchmark needs to find again in a generated database.</summary>
public sealed record GeneratedMeta(int Shaves, Guid HeavyShaveId, Guid BusyRequesterId, Guid BusyProjectId, Guid BigAiLogId, string SearchWord)
{
    /// <summary>The shave with 100,000 trace records (absent from databases generated before it existed).</summary>
    public Guid? LongShaveId { get; init; }
}

/// <summary>
/// Fills a SQLite database with realistic data at a given scale, fast: raw prepared statements in large
/// transactions, secondary indexes and triggers dropped during the load and rebuilt once at the end (sorting once is
/// far cheaper than keeping a dozen B-trees ordered through 25 million random inserts). Proportions per shave follow
/// the scale issue (≈5 AI logs, ≈10 tool calls, 9 steps); payload sizes are log-normal with a multi-megabyte tail.
/// </summary>
public sealed partial class Generator(string dbPath, int shaveCount, int seed = 42)
{
    private const int Requesters = 5_000;
    private const int ProjectCount = 200;
    private static readonly string[] StepNames =
    [
        "uploading_video", "downloading_video", "converting_audio", "transcribing", "optimizing_transcript",
        "analyzing_transcript", "selecting_prompt", "executing_task", "updating_metadata",
    ];
    private static readonly string[] Models = ["gpt-4o", "gpt-4.1-mini", "claude-sonnet-4", "o3-mini", "gpt-4.1"];
    private static readonly (string Tool, string Service)[] Tools =
    [
        ("create_issue", "github"), ("search_issues", "github"), ("get_issue", "github"), ("add_issue_comment", "github"),
        ("create_work_item", "azure-devops"), ("search_work_items", "azure-devops"), ("get_work_item", "azure-devops"),
        ("update_video_metadata", "youtube"), ("get_video", "youtube"),
    ];
    private static readonly string[] Words =
    [
        "login", "button", "safari", "printer", "export", "invoice", "dashboard", "report", "upload", "timeout", "crash",
        "mobile", "android", "iphone", "dark", "mode", "search", "filter", "payment", "refund", "email", "signature",
        "calendar", "booking", "checkout", "cart", "wishlist", "profile", "avatar", "password", "reset", "notification",
        "sync", "offline", "slow", "blank", "page", "footer", "header", "menu", "table", "column", "chart", "pdf",
        "spreadsheet", "import", "wifi", "laptop", "meeting", "room", "screen", "flicker", "battery", "font", "layout",
    ];
    private static readonly (string Status, double Weight)[] Statuses =
        [("Completed", 0.68), ("Failed", 0.12), ("Cancelled", 0.08), ("Pending", 0.05), ("Processing", 0.03), ("Unknown", 0.04)];

    // The generator's inserts (the long shave's too), with the columns as EF Core's SQLite provider stores them.
    private const string VideoInsert =
        "INSERT INTO video_files (id, file_name, file_path, file_hash, duration, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
    private const string ShaveInsert =
        "INSERT INTO shaves (id, title, video_file_id, requester_id, project_id, shave_status, work_item_url, work_item_source, video_embed_url, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    private const string StepInsert =
        "INSERT INTO process_steps (id, shave_id, step_name, process_status, started_at, completed_at, error_message) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    private const string LogInsert =
        "INSERT INTO ai_logs (id, shave_id, process_step_id, model_name, prompt_text, response_text, duration_ms, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    private const string CallInsert =
        "INSERT INTO tool_calls (id, shave_id, process_step_id, ai_log_id, tool_call_id, tool_name, service_name, args_json, result_json, success, duration_ms, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

    private readonly Random _rng = new(seed);
    private readonly string _corpus = BuildCorpus(new Random(seed + 1));
    private readonly Dictionary<string, long> _rows = [];

    public async Task<GeneratedMeta> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        if (File.Exists(dbPath))
        {
            throw new InvalidOperationException($"{dbPath} exists; generate into a new file.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(dbPath))!);
        var options = new DbContextOptionsBuilder<SqliteShaveTrackerDbContext>();
        options.UseShaveTrackerSqlite($"Data Source={dbPath}");
        await using (var db = new SqliteShaveTrackerDbContext(options.Options))
        {
            await db.Database.MigrateAsync();
        }

        // EF's pooled connection would keep a lock that the load's journal_mode change waits on.
        SqliteConnection.ClearAllPools();
        Console.WriteLine($"Schema ready in {clock.Elapsed.TotalSeconds:N1} s");

        await using var conn = new SqliteConnection($"Data Source={dbPath};Pooling=False");
        await conn.OpenAsync();
        Exec(conn, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-2000000; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;");
        var rebuild = DropIndexesAndTriggers(conn);

        var end = DateTime.UtcNow.AddMinutes(-5);
        var start = end.AddDays(-730);
        var users = InsertUsers(conn, start);
        var projects = InsertProjects(conn, users, start);
        var meta = InsertShaves(conn, users, projects, start, end) with { LongShaveId = InsertLongShave(conn, users[1], projects[1], end.AddDays(-1)) };

        Console.WriteLine();
        Console.Write("Rebuilding indexes, counters and the title search index… ");
        var rebuildClock = Stopwatch.StartNew();
        foreach (var sql in rebuild.Indexes)
        {
            Exec(conn, sql);
        }

        Exec(conn, "DELETE FROM shave_counts;");
        Exec(conn, "INSERT INTO shave_counts (dimension, dim_key, shave_status, total) SELECT 'all', '', shave_status, COUNT(*) FROM shaves GROUP BY shave_status;");
        Exec(conn, "INSERT INTO shave_counts (dimension, dim_key, shave_status, total) SELECT 'project', COALESCE(project_id, ''), shave_status, COUNT(*) FROM shaves GROUP BY project_id, shave_status;");
        Exec(conn, "INSERT INTO shave_counts (dimension, dim_key, shave_status, total) SELECT 'requester', requester_id, shave_status, COUNT(*) FROM shaves GROUP BY requester_id, shave_status;");
        Exec(conn, "INSERT INTO shaves_fts(shaves_fts) VALUES('rebuild');");
        foreach (var sql in rebuild.Triggers)
        {
            Exec(conn, sql);
        }

        Exec(conn, "ANALYZE; PRAGMA journal_mode=WAL;");
        Console.WriteLine($"{rebuildClock.Elapsed.TotalSeconds:N0} s");
        await conn.CloseAsync();

        // The explorer's payload search index, as the app builds it: the rows are queued and the app's indexer masks
        // and indexes them (the triggers that queue new rows were dropped during the load).
        await SearchIndex.QueueAllAndCatchUpAsync(dbPath);

        await File.WriteAllTextAsync(dbPath + ".meta.json", JsonSerializer.Serialize(meta));
        var size = new FileInfo(dbPath).Length;
        var total = _rows.Values.Sum();
        Console.WriteLine($"Generated {dbPath} in {clock.Elapsed:mm\\:ss}: {size / 1024.0 / 1024 / 1024:N2} GB, {total:N0} rows ({total / clock.Elapsed.TotalSeconds:N0} rows/s overall)");
        foreach (var (table, rows) in _rows.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {table,-16} {rows,14:N0}");
        }

        return meta;
    }

    private sealed record Rebuild(List<string> Indexes, List<string> Triggers);

    private static Rebuild DropIndexesAndTriggers(SqliteConnection conn)
    {
        var indexes = new List<(string Name, string Sql)>();
        var triggers = new List<(string Name, string Sql)>();
        using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND (type = 'trigger' OR (type = 'index' AND name LIKE 'ix\\_%' ESCAPE '\\' OR name LIKE 'ux\\_%' ESCAPE '\\'))";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                (reader.GetString(0) == "trigger" ? triggers : indexes).Add((reader.GetString(1), reader.GetString(2)));
            }
        }

        foreach (var (name, _) in triggers)
        {
            Exec(conn, $"DROP TRIGGER {name};");
        }

        foreach (var (name, _) in indexes)
        {
            Exec(conn, $"DROP INDEX {name};");
        }

        return new Rebuild(indexes.Select(i => i.Sql + ";").ToList(), triggers.Select(t => t.Sql + ";").ToList());
    }

    private List<string> InsertUsers(SqliteConnection conn, DateTime start)
    {
        var ids = new List<string>(Requesters);
        using var tx = conn.BeginTransaction();
        using var cmd = Prepare(conn, tx, "INSERT INTO users (id, auth_provider, display_name, created_at) VALUES ($1, $2, $3, $4)", 4);
        for (var i = 0; i < Requesters; i++)
        {
            var id = Id(start.AddMinutes(i));
            ids.Add(id);
            Run(cmd, id, i % 10 == 0 ? "local" : "microsoft", $"{Pick(Words)} {Pick(Words)} user {i}", Ts(start.AddMinutes(i)));
        }

        tx.Commit();
        Count("users", Requesters);
        return ids;
    }

    private List<string> InsertProjects(SqliteConnection conn, List<string> users, DateTime start)
    {
        var ids = new List<string>(ProjectCount);
        using var tx = conn.BeginTransaction();
        using var cmd = Prepare(conn, tx,
            "INSERT INTO projects (id, user_id, name, description, backlog_url, is_active, source, custom_prompt, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL)", 9);
        for (var i = 0; i < ProjectCount; i++)
        {
            var id = Id(start.AddHours(i));
            ids.Add(id);
            var github = i % 3 != 0;
            Run(cmd, id, users[i % users.Count], $"Project {i:000} {Pick(Words)}", "Generated for the benchmark",
                github ? $"https://github.com/contoso/repo-{i}" : $"https://dev.azure.com/contoso/project-{i}",
                i % 10 == 9 ? 0 : 1, i % 4 == 0 ? "local" : "remote", i % 7 == 0 ? Text(4000) : null, Ts(start.AddHours(i)));
        }

        tx.Commit();
        Count("projects", ProjectCount);
        return ids;
    }

    private GeneratedMeta InsertShaves(SqliteConnection conn, List<string> users, List<string> projects, DateTime start, DateTime end)
    {
        const int chunk = 10_000;
        var span = (end - start).Ticks;
        var busyRequester = users[0];
        var busyProject = projects[1];
        var heavyIndex = shaveCount / 2;
        Guid heavyId = default, bigLogId = default;
        var clock = Stopwatch.StartNew();
        for (var done = 0; done < shaveCount;)
        {
            using var tx = conn.BeginTransaction();
            using var video = Prepare(conn, tx, VideoInsert, 6);
            using var shave = Prepare(conn, tx, ShaveInsert, 11);
            using var step = Prepare(conn, tx, StepInsert, 7);
            using var log = Prepare(conn, tx, LogInsert, 8);
            using var call = Prepare(conn, tx, CallInsert, 12);
            using var transcript = Prepare(conn, tx, "INSERT INTO transcripts (id, shave_id, text, created_at) VALUES ($1, $2, $3, $4)", 4);
            using var activity = Prepare(conn, tx,
                "INSERT INTO user_activities (id, shave_id, user_id, activity_type, target_table, target_id, details_json, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", 8);
            var stop = Math.Min(shaveCount, done + chunk);
            for (var i = done; i < stop; i++)
            {
                var created = start.AddTicks(span / shaveCount * i + _rng.NextInt64(span / shaveCount / 2 + 1));
                var heavy = i == heavyIndex;
                var (id, logId) = InsertShave(i, created, heavy, users, projects, busyRequester, busyProject, video, shave, step, log, call, transcript, activity);
                if (heavy)
                {
                    heavyId = Guid.Parse(id);
                    bigLogId = Guid.Parse(logId!);
                }
            }

            tx.Commit();
            done = stop;
            var rate = done / clock.Elapsed.TotalSeconds;
            var eta = TimeSpan.FromSeconds((shaveCount - done) / Math.Max(1, rate));
            Console.Write($"\r  shaves {done,12:N0} / {shaveCount:N0}  [{new string('#', done * 30 / shaveCount),-30}]  {rate,8:N0} shaves/s  eta {eta:mm\\:ss}   ");
        }

        return new GeneratedMeta(shaveCount, heavyId, Guid.Parse(busyRequester), Guid.Parse(busyProject), bigLogId, "printer");
    }

    private (string Id, string? BigLogId) InsertShave(int i, DateTime created, bool heavy, List<string> users, List<string> projects,
        string busyRequester, string busyProject,
        SqliteCommand video, SqliteCommand shave, SqliteCommand step, SqliteCommand log, SqliteCommand call, SqliteCommand transcript, SqliteCommand activity)
    {
        var id = Id(created);
        var videoId = Id(created.AddSeconds(-30));
        var status = heavy ? "Completed" : PickStatus();
        // A few heavy users and projects, a long tail of occasional ones.
        var requester = i % 50 == 0 ? busyRequester : users[(int)(Math.Pow(_rng.NextDouble(), 2.5) * users.Count)];
        var project = _rng.NextDouble() < 0.15 ? null : i % 20 == 0 ? busyProject : projects[(int)(Math.Pow(_rng.NextDouble(), 1.8) * projects.Count)];
        var title = $"{Cap(Pick(Words))} {Pick(Words)} {Pick(Words)} on {Pick(Words)} #{i}";
        var completed = status == "Completed";
        var file = created.AddSeconds(-60).ToString("yyyy-MM-dd HH-mm-ss", CultureInfo.InvariantCulture) + ".mp4";
        Run(video, videoId, file, $"/Users/u{i % 997}/Movies/YakShaver/{file}", _rng.NextDouble() < 0.03 ? null : Hex(32), _rng.Next(20, 600), Ts(created.AddSeconds(-30)));
        Run(shave, id, title, videoId, requester, project, status,
            completed ? $"https://github.com/contoso/repo-{i % 200}/issues/{i % 5000 + 1}" : null,
            completed ? "GitHub" : "YakShaver Desktop",
            _rng.NextDouble() < 0.9 ? $"https://www.youtube.com/embed/{Hex(11)}" : null,
            Ts(created), Ts(created.AddMinutes(3)));
        Count("video_files", 1);
        Count("shaves", 1);

        var stepCount = heavy ? 50 : StepNames.Length;
        var stepIds = new string[stepCount];
        var t = created.AddSeconds(1);
        for (var s = 0; s < stepCount; s++)
        {
            var duration = TimeSpan.FromMilliseconds(_rng.Next(300, 60_000));
            stepIds[s] = Id(t);
            var failedHere = status == "Failed" && s == 7;
            Run(step, stepIds[s], id, StepNames[s % StepNames.Length], failedHere ? "failed" : s > 7 && status != "Completed" ? "not_started" : "completed",
                Ts(t), Ts(t + duration), failedHere ? "MCP tool create_issue returned 422: Validation Failed" : null);
            t += duration;
        }

        Count("process_steps", stepCount);
        var logs = heavy ? 2_000 : Poisson(5);
        var calls = heavy ? 3_000 : Poisson(10);
        var logIds = new string[Math.Max(1, logs)];
        string? bigLog = null;
        for (var l = 0; l < logs; l++)
        {
            var at = created.AddSeconds(5 + l);
            logIds[l] = Id(at);
            var big = heavy && l % 100 == 0;
            var promptLength = big ? _rng.Next(1_000_000, 2_000_000) : Payload(400);
            if (big && bigLog is null)
            {
                bigLog = logIds[l];
            }

            Run(log, logIds[l], id, stepIds[Math.Min(stepCount - 1, 4 + l % 4)], Pick(Models),
                "You are YakShaver. Turn this transcript into a backlog item.\n\nTranscript:\n" + Text(promptLength),
                "Requested by @user via YakShaver\n\n## Pain\n" + Text(big ? promptLength / 2 : Payload(300)),
                _rng.Next(800, 45_000), Ts(at));
        }

        Count("ai_logs", logs);
        for (var c = 0; c < calls; c++)
        {
            var (tool, service) = Tools[_rng.Next(Tools.Length)];
            var ok = status != "Failed" || c % 5 != 0;
            Run(call, Id(created.AddSeconds(6 + c)), id, stepIds[Math.Min(stepCount - 1, 7)], logs == 0 ? null : logIds[c % logs],
                $"call_{Hex(24)}", tool, service,
                "{\"query\":\"" + Text(Payload(80)).Replace("\"", "", StringComparison.Ordinal) + "\"}",
                ok ? "{\"result\":\"" + Text(Payload(150)).Replace("\"", "", StringComparison.Ordinal) + "\"}" : "{\"error\":\"422 Validation Failed\"}",
                ok ? 1 : 0, _rng.Next(50, 8_000), Ts(created.AddSeconds(6 + c)));
        }

        Count("tool_calls", calls);
        if (status is "Completed" or "Failed" or "Processing" || _rng.NextDouble() < 0.5)
        {
            Run(transcript, Id(created.AddSeconds(40)), id, "Hi team, " + Text(Payload(800)), Ts(created.AddSeconds(40)));
            Count("transcripts", 1);
        }

        if (_rng.NextDouble() < 0.7)
        {
            Run(activity, Id(created.AddMinutes(2)), id, null, ActivityTypes.StatusChanged, ShaveAudit.ShavesTable, id,
                "{\"before\":{\"status\":\"Processing\"},\"after\":{\"status\":\"" + status + "\"}}", Ts(created.AddMinutes(2)));
            Count("user_activities", 1);
        }

        return (id, bigLog);
    }

    private int Payload(int median)
    {
        // Log-normal around the median, and one payload in 20,000 in the multi-megabyte tail.
        if (_rng.NextDouble() < 1.0 / 20_000)
        {
            return _rng.Next(1_000_000, 3_000_000);
        }

        var normal = Math.Sqrt(-2 * Math.Log(1 - _rng.NextDouble())) * Math.Cos(2 * Math.PI * _rng.NextDouble());
        return (int)Math.Clamp(median * Math.Exp(normal), 20, 200_000);
    }

    private string Text(int length)
    {
        var from = _rng.Next(0, _corpus.Length - 1);
        if (length <= _corpus.Length - from)
        {
            return _corpus.Substring(from, length);
        }

        var sb = new StringBuilder(length);
        while (sb.Length < length)
        {
            sb.Append(_corpus, 0, Math.Min(_corpus.Length, length - sb.Length));
        }

        return sb.ToString();
    }

    private static string BuildCorpus(Random rng)
    {
        var sb = new StringBuilder(4 * 1024 * 1024);
        while (sb.Length < 4 * 1024 * 1024)
        {
            sb.Append(Words[rng.Next(Words.Length)]).Append(rng.Next(12) == 0 ? ".\n" : " ");
        }

        return sb.ToString();
    }

    private int Poisson(int mean)
    {
        var l = Math.Exp(-mean);
        var k = 0;
        var p = 1.0;
        do
        {
            k++;
            p *= _rng.NextDouble();
        }
        while (p > l);
        return k - 1;
    }

    private string PickStatus()
    {
        var x = _rng.NextDouble();
        foreach (var (status, weight) in Statuses)
        {
            if ((x -= weight) < 0)
            {
                return status;
            }
        }

        return "Completed";
    }

    private string Pick(string[] items) => items[_rng.Next(items.Length)];

    private static string Cap(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    private string Hex(int length)
    {
        Span<byte> bytes = stackalloc byte[(length + 1) / 2];
        _rng.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes)[..length];
    }

    /// <summary>As EF Core's SQLite provider stores them: upper-case GUID text, and this timestamp format.</summary>
    private static string Id(DateTime at) => Guid.CreateVersion7(new DateTimeOffset(at, TimeSpan.Zero)).ToString().ToUpperInvariant();

    private static string Ts(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private void Count(string table, long rows) => _rows[table] = _rows.GetValueOrDefault(table) + rows;

    private static SqliteCommand Prepare(SqliteConnection conn, SqliteTransaction tx, string sql, int parameters)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (var p = 1; p <= parameters; p++)
        {
            cmd.Parameters.Add(new SqliteParameter("$" + p.ToString(CultureInfo.InvariantCulture), null));
        }

        cmd.Prepare();
        return cmd;
    }

    private static void Run(SqliteCommand cmd, params object?[] values)
    {
        if (values.Length != cmd.Parameters.Count)
        {
            throw new ArgumentException($"{values.Length} values for {cmd.Parameters.Count} parameters: {cmd.CommandText}", nameof(values));
        }

        for (var i = 0; i < values.Length; i++)
        {
            cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        cmd.ExecuteNonQuery();
    }

    private static void Exec(SqliteConnection conn, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        cmd.ExecuteNonQuery();
    }
}
