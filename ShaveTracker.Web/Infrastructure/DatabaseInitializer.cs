using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShaveTracker.Data;

namespace ShaveTracker.Web.Infrastructure;

/// <summary>
/// Brings the database up to date at start. SQLite migrates itself (the embedded default must work with no set-up);
/// SQL Server is deployed from the idempotent script unless <c>Database:MigrateOnStartup</c> says otherwise.
/// </summary>
public sealed partial class DatabaseInitializer(
    IDbContextFactory<ShaveTrackerDbContext> factory,
    IOptions<DatabaseOptions> options,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken ct)
    {
        var o = options.Value;
        var migrate = o.MigrateOnStartup ?? o.Provider == DatabaseProvider.Sqlite;
        if (!migrate)
        {
            return;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (o.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers (pages) and the writer (ingestion) work at the same time; it is a property of the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            LogMigrating(logger, pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} database migration(s): {Migrations}")]
    private static partial void LogMigrating(ILogger logger, int count, string migrations);
}
