using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using ShaveTracker.Web.Features.Logs;

namespace ShaveTracker.Benchmarks;

/// <summary>
/// Builds the explorer's payload search index of a benchmark database (<c>index &lt;db&gt;</c>, and the last step of
/// <c>generate</c>): the schema's migration queues every AI log and tool call already there, and the app's own
/// indexer masks and indexes the queue. Prints the rate, the CPU per 1,000 rows and the index's size.
/// </summary>
public static class SearchIndex
{
    public static async Task<int> RunAsync(string dbPath)
    {
        var factory = new Bench.Factory($"Data Source={dbPath}");
        await using (var db = factory.CreateDbContext())
        {
            db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
            await db.Database.MigrateAsync();
        }

        await CatchUpAsync(factory);
        return 0;
    }

    /// <summary>Queues every row (the generator loads with the triggers dropped), then indexes the queue.</summary>
    internal static async Task QueueAllAndCatchUpAsync(string dbPath)
    {
        await using (var conn = new SqliteConnection($"Data Source={dbPath};Pooling=False"))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "DELETE FROM log_search_queue; " +
                              "INSERT INTO log_search_queue (kind, source_rowid) SELECT 0, rowid FROM ai_logs ORDER BY rowid; " +
                              "INSERT INTO log_search_queue (kind, source_rowid) SELECT 1, rowid FROM tool_calls ORDER BY rowid;";
            cmd.CommandTimeout = 0;
            await cmd.ExecuteNonQueryAsync();
        }

        await CatchUpAsync(new Bench.Factory($"Data Source={dbPath}"));
    }

    internal static async Task CatchUpAsync(Bench.Factory factory)
    {
        long queued;
        await using (var db = factory.CreateDbContext())
        {
            queued = await db.Database.SqlQuery<long>($"SELECT COUNT(*) AS \"Value\" FROM log_search_queue").SingleAsync();
        }

        if (queued == 0)
        {
            return;
        }

        Console.WriteLine($"Indexing {queued:N0} AI logs and tool calls for search…");
        var indexer = new LogSearchIndexer(factory, new NoChanges(), TimeProvider.System, NullLogger<LogSearchIndexer>.Instance);
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var last = TimeSpan.Zero;
        var done = await indexer.CatchUpAsync(default, total =>
        {
            if (clock.Elapsed - last > TimeSpan.FromSeconds(2))
            {
                last = clock.Elapsed;
                var rate = total / clock.Elapsed.TotalSeconds;
                Console.Write($"\r  {total,12:N0} / {queued:N0}  {rate,8:N0} rows/s  eta {TimeSpan.FromSeconds((queued - total) / Math.Max(1, rate)):hh\\:mm\\:ss}   ");
            }
        });
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        Console.WriteLine();
        Console.WriteLine($"Indexed {done:N0} rows in {clock.Elapsed:hh\\:mm\\:ss} ({done / Math.Max(0.001, clock.Elapsed.TotalSeconds):N0} rows/s, " +
                          $"CPU {cpuMs / Math.Max(1, done) * 1000:N0} ms per 1,000 rows)");
        await using (var db = factory.CreateDbContext())
        {
            // The index's segments and document sizes (the bundled SQLite has no dbstat); the queue is empty by now.
            var bytes = await db.Database.SqlQuery<long>($"""
                SELECT (SELECT COALESCE(SUM(length(block)), 0) FROM ai_logs_fts_data) + (SELECT COALESCE(SUM(length(block)), 0) FROM tool_calls_fts_data)
                     + (SELECT COALESCE(SUM(length(sz)), 0) FROM ai_logs_fts_docsize) + (SELECT COALESCE(SUM(length(sz)), 0) FROM tool_calls_fts_docsize) AS "Value"
                """).SingleAsync();
            Console.WriteLine($"Search index size: {bytes / 1024.0 / 1024:N1} MB (file {new FileInfo(db.Database.GetDbConnection().DataSource).Length / 1024.0 / 1024:N0} MB)");
        }
    }

    /// <summary>Nothing announces changes here: the indexer is only asked to catch up.</summary>
    private sealed class NoChanges : ShaveTracker.Web.Shared.IShaveChangeNotifier
    {
        public void Publish(ShaveTracker.Web.Shared.ShaveChange change)
        {
        }

        public IDisposable Subscribe(Guid? shaveId, Func<ShaveTracker.Web.Shared.ShaveChange, Task> onChange) => new Nothing();

        private sealed class Nothing : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
