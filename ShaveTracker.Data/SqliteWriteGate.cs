using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace ShaveTracker.Data;

/// <summary>
/// One queue per SQLite file for this process's saves (see <see cref="SqliteShaveTrackerDbContext"/>). SQLite takes
/// one writer at a time: a second writer is refused (SQLITE_BUSY), and Microsoft.Data.Sqlite then sleeps on its
/// thread and tries again, so concurrent ingestion requests spent their time asleep, blocking thread-pool threads,
/// instead of waiting exactly as long as the writer before them.
/// </summary>
public static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static SemaphoreSlim For(string? connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString ?? "").DataSource;
        var key = string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" ? ":memory:" : Path.GetFullPath(dataSource);
        return Gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
    }
}
