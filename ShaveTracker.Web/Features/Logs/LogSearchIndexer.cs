using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using ShaveTracker.Data;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Logs;

/// <summary>
/// Keeps the payload search index up to date: the database's triggers queue every new AI log and tool call
/// (<c>log_search_queue</c>, in the write's own transaction); this indexer masks their payloads as the trace shows
/// them (<see cref="SecretMasker"/>) and indexes the masked text, in batches, after each commit it hears of and every
/// few seconds. The write path does no masking and no indexing: a search finds a call a moment after it was recorded
/// (near real time), and it can never find a call by text that the trace masks.
/// </summary>
/// <remarks>
/// Each payload is indexed up to its first <see cref="IndexedChars"/> characters, the part the trace shows before
/// "show the whole text": a multi-megabyte prompt is searchable in its first quarter of a megabyte. SQLite keeps the
/// index in contentless FTS5 tables keyed by the rows' rowid (the text is not stored twice); SQL Server keeps the
/// masked text in <c>log_search_texts</c> under a full-text index.
/// </remarks>
public sealed class LogSearchIndexer(
    IDbContextFactory<ShaveTrackerDbContext> factory,
    IShaveChangeNotifier notifier,
    TimeProvider clock,
    ILogger<LogSearchIndexer> logger,
    IConfiguration? configuration = null) : BackgroundService
{
    /// <summary>Characters of each payload that are indexed (the trace's preview).</summary>
    public const int IndexedChars = 256 * 1024;

    /// <summary>Read a little past the cut, so that a secret straddling it is masked whole before the cut is made.</summary>
    private const int MaskingMargin = 4 * 1024;

    /// <summary>Rows per transaction: a short hold of the write lock, and little memory for big payloads.</summary>
    public const int BatchSize = 200;

    /// <summary>How often the queue is looked at without being told: rows another instance or an import wrote.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _draining = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private Task? _pendingWake;
    private IDisposable? _subscription;

    /// <summary>
    /// Indexes everything queued when it is called, and returns how many rows it indexed. What the background loop
    /// calls; tests and the benchmark call it to know the index has caught up (the readiness signal, not a sleep).
    /// </summary>
    public Task<int> CatchUpAsync(CancellationToken ct, Action<int>? progress = null) => DrainAsync(paced: false, ct, progress);

    /// <summary>
    /// Indexes the queue batch by batch. Paced (the background loop), it rests after each batch as long as the batch
    /// took: it uses at most half of one core's time and of the write lock, so a burst of ingestion is slowed by the
    /// indexer by a bounded share, and the index catches up when the burst is over.
    /// </summary>
    private async Task<int> DrainAsync(bool paced, CancellationToken ct, Action<int>? progress = null)
    {
        await _draining.WaitAsync(ct);
        try
        {
            var total = 0;
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                int done;
                await using (var db = await factory.CreateDbContextAsync(ct))
                {
                    done = db.Database.IsSqlite() ? await IndexSqliteBatchAsync(db, ct) : await IndexSqlServerBatchAsync(db, ct);
                }

                total += done;
                progress?.Invoke(total);
                if (done == 0)
                {
                    return total;
                }

                if (paced)
                {
                    await Task.Delay(Stopwatch.GetElapsedTime(started), clock, ct);
                }
            }
        }
        finally
        {
            _draining.Release();
        }
    }

    /// <summary>
    /// <c>LogSearch:IndexInBackground</c> (true): false leaves the queue to grow until an indexer that runs catches up
    /// (another instance, or the benchmark's <c>index</c> command); searches meanwhile miss the queued calls.
    /// </summary>
    public const string IndexInBackgroundSetting = "LogSearch:IndexInBackground";

    private bool Enabled => configuration?.GetValue(IndexInBackgroundSetting, true) != false;

    /// <summary>Listens for new records from the start, before the background loop runs (it runs on a thread of its own).</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            _subscription = notifier.Subscribe(null, change =>
            {
                if (change.Kind == ShaveChangeKind.RecordsAdded && _wake.CurrentCount == 0)
                {
                    try
                    {
                        _wake.Release();
                    }
                    catch (SemaphoreFullException)
                    {
                        // Already woken: one catch-up covers both.
                    }
                }

                return Task.CompletedTask;
            });
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _subscription?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            logger.LogWarning("{Setting} is false: this instance does not index AI logs and tool calls for search", IndexInBackgroundSetting);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                var indexed = await DrainAsync(paced: true, stoppingToken);
                if (indexed > 0)
                {
                    logger.LogInformation("Indexed {Rows} AI logs and tool calls for search in {Ms} ms", indexed,
                        (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException)
            {
                logger.LogError(e, "Indexing AI logs and tool calls for search failed; trying again in {Seconds} s", PollInterval.TotalSeconds);
            }

            // The wait for a wake-up outlives a poll that came first, so that no wake-up is lost between two waits.
            _pendingWake ??= _wake.WaitAsync(stoppingToken);
            await Task.WhenAny(_pendingWake, Task.Delay(PollInterval, clock, stoppingToken));
            if (_pendingWake.IsCompleted)
            {
                _pendingWake = null;
            }
        }
    }

    // ---- SQLite: contentless FTS5 tables keyed by rowid ----------------------------------------------------------

    private static async Task<int> IndexSqliteBatchAsync(ShaveTrackerDbContext db, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        var queue = new List<(long Id, int Kind, long RowId)>();
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = $"SELECT id, kind, source_rowid FROM log_search_queue ORDER BY id LIMIT {BatchSize}";
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                queue.Add((reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2)));
            }
        }

        if (queue.Count == 0)
        {
            return 0;
        }

        // Read and mask outside the write lock: masking is the costly part, and ingestion should not wait for it.
        var rows = new List<(int Kind, long RowId, string? First, string? Second)>();
        foreach (var kind in new[] { SearchKind.AiLog, SearchKind.ToolCall })
        {
            var rowIds = queue.Where(q => q.Kind == (int)kind).Select(q => q.RowId.ToString(CultureInfo.InvariantCulture)).Distinct().ToList();
            if (rowIds.Count == 0)
            {
                continue;
            }

            var (table, first, second) = kind == SearchKind.AiLog ? ("ai_logs", "prompt_text", "response_text") : ("tool_calls", "args_json", "result_json");
            await using var read = connection.CreateCommand();
            const int chars = IndexedChars + MaskingMargin;
            read.CommandText = $"SELECT rowid, substr({first}, 1, {chars}), substr({second}, 1, {chars}) FROM {table} WHERE rowid IN ({string.Join(',', rowIds)})";
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(((int)kind, reader.GetInt64(0), Masked(reader, 1), Masked(reader, 2)));
            }
        }

        var lastQueued = queue[^1].Id;
        await db.InWriteTransactionAsync(async () =>
        {
            var tx = db.Database.CurrentTransaction!.GetDbTransaction();
            await using var insert = Command(connection, tx, "", "$rowid", "$first", "$second");
            foreach (var row in rows)
            {
                var (table, fts, a, b) = row.Kind == (int)SearchKind.AiLog
                    ? ("ai_logs", "ai_logs_fts", "prompt", "response")
                    : ("tool_calls", "tool_calls_fts", "args", "result");
                // A rowid can come back (SQLite may reuse the largest after a delete) or be queued twice: replace, never
                // add twice. A row deleted since it was read (its shave deleted) is not indexed: under the write lock,
                // the row is either still there (and its delete trigger will remove the entry) or gone.
                insert.CommandText = $"INSERT OR REPLACE INTO {fts} (rowid, {a}, {b}) SELECT $rowid, $first, $second " +
                                     $"WHERE EXISTS (SELECT 1 FROM {table} WHERE rowid = $rowid)";
                insert.Parameters["$rowid"].Value = row.RowId;
                insert.Parameters["$first"].Value = (object?)row.First ?? DBNull.Value;
                insert.Parameters["$second"].Value = (object?)row.Second ?? DBNull.Value;
                await insert.ExecuteNonQueryAsync(ct);
            }

            await using var done = Command(connection, tx, "DELETE FROM log_search_queue WHERE id <= $last", "$last");
            done.Parameters["$last"].Value = lastQueued;
            await done.ExecuteNonQueryAsync(ct);
        }, ct);
        return queue.Count;
    }

    // ---- SQL Server: masked texts in log_search_texts under a full-text index ---------------------------------------

    private static async Task<int> IndexSqlServerBatchAsync(ShaveTrackerDbContext db, CancellationToken ct)
    {
        var claimed = 0;
        await db.InWriteTransactionAsync(async () =>
        {
            var connection = db.Database.GetDbConnection();
            var tx = db.Database.CurrentTransaction!.GetDbTransaction();
            var queue = new List<(int Kind, Guid Id)>();
            await using (var claim = Command(connection, tx, SqlServerClaimBatch, "@batch"))
            {
                claim.Parameters["@batch"].Value = BatchSize;
                await using var reader = await claim.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    queue.Add((Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetGuid(1)));
                }
            }

            claimed = queue.Count;
            foreach (var group in queue.GroupBy(q => q.Kind))
            {
                var ids = group.Select(g => g.Id).Distinct().ToList();
                await using var read = Command(connection, tx,
                    group.Key == (int)SearchKind.AiLog ? SqlServerReadAiLogs : SqlServerReadToolCalls, "@ids", "@chars");
                read.Parameters["@ids"].Value = string.Join(',', ids);
                read.Parameters["@chars"].Value = IndexedChars + MaskingMargin;
                var rows = new List<(Guid Id, string? First, string? Second)>();
                await using (var reader = await read.ExecuteReaderAsync(ct))
                {
                    while (await reader.ReadAsync(ct))
                    {
                        rows.Add((reader.GetGuid(0), Masked(reader, 1), Masked(reader, 2)));
                    }
                }

                await using var write = Command(connection, tx, SqlServerWriteText, "@kind", "@id", "@first", "@second");
                foreach (var row in rows)
                {
                    write.Parameters["@kind"].Value = group.Key;
                    write.Parameters["@id"].Value = row.Id;
                    write.Parameters["@first"].Value = (object?)row.First ?? DBNull.Value;
                    write.Parameters["@second"].Value = (object?)row.Second ?? DBNull.Value;
                    await write.ExecuteNonQueryAsync(ct);
                }
            }
        }, ct);
        return claimed;
    }

    /// <summary>Takes the oldest queued rows, skipping rows another instance has taken (READPAST), in this transaction.</summary>
    internal const string SqlServerClaimBatch =
        "WITH q AS (SELECT TOP (@batch) kind, record_id FROM log_search_queue WITH (ROWLOCK, READPAST, UPDLOCK) ORDER BY id) " +
        "DELETE FROM q OUTPUT deleted.kind, deleted.record_id;";

    internal const string SqlServerReadAiLogs =
        "SELECT a.id, SUBSTRING(a.prompt_text, 1, @chars), SUBSTRING(a.response_text, 1, @chars) FROM ai_logs AS a " +
        "WHERE a.id IN (SELECT CAST(s.value AS uniqueidentifier) FROM STRING_SPLIT(@ids, ',') AS s);";

    internal const string SqlServerReadToolCalls =
        "SELECT c.id, SUBSTRING(c.args_json, 1, @chars), SUBSTRING(c.result_json, 1, @chars) FROM tool_calls AS c " +
        "WHERE c.id IN (SELECT CAST(s.value AS uniqueidentifier) FROM STRING_SPLIT(@ids, ',') AS s);";

    /// <summary>Replaces, never adds twice: a row queued again (or by two instances) keeps one entry; a row deleted since it was read gets none.</summary>
    internal const string SqlServerWriteText =
        "DELETE FROM log_search_texts WHERE kind = @kind AND record_id = @id; " +
        "INSERT INTO log_search_texts (kind, record_id, first_text, second_text) SELECT @kind, @id, @first, @second " +
        "WHERE (@kind = 0 AND EXISTS (SELECT 1 FROM ai_logs WHERE id = @id)) OR (@kind = 1 AND EXISTS (SELECT 1 FROM tool_calls WHERE id = @id));";

    private static string? Masked(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : SecretMasker.ApplyAndCut(reader.GetString(ordinal), IndexedChars);

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            command.Parameters.Add(p);
        }

        return command;
    }
}

/// <summary>What a search index entry is of: the value of <c>kind</c> in the queue and the index.</summary>
public enum SearchKind
{
    AiLog = 0,
    ToolCall = 1,
}
