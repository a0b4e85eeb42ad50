using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Respawn;
using ShaveTracker.Data;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// One SQLite database file per test run, migrated once, emptied by <see cref="ResetAsync"/> before each test.
/// A file rather than an in-memory database so that every context gets its own connection, as in the app.
/// </summary>
public sealed class SqliteDatabaseFixture : IAsyncLifetime
{
    private readonly string _directory =
        Path.Combine(Path.GetTempPath(), "shavetracker-tests", Guid.NewGuid().ToString("N"));

    private Respawner? _respawner;

    public SqliteDatabaseFixture()
    {
        // Nothing but the file name, like the app's setting: foreign keys are on by default, which
        // SqliteDatabaseFixtureTests checks rather than forcing them on here.
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_directory, "shavetracker.db"),
        }.ToString();

        var options = new DbContextOptionsBuilder<SqliteShaveTrackerDbContext>();
        options.UseShaveTrackerSqlite(ConnectionString);
        Factory = new ContextFactory(options.Options);
    }

    public string ConnectionString { get; }

    /// <summary>Creates <see cref="SqliteShaveTrackerDbContext"/>s on this database, like the app's factory.</summary>
    public IDbContextFactory<ShaveTrackerDbContext> Factory { get; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);

        await using (var db = await Factory.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
        }

        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Sqlite,
            // The title search index (FTS5) is maintained by triggers on shaves: emptying its shadow tables behind
            // their back would corrupt it; deleting the shaves empties it properly. Data-protection keys outlive
            // tests as they outlive deployments: the running app keeps using the key it started with.
            TablesToIgnore =
            [
                new("__ef_migrations_history"), new("data_protection_keys"), new("shaves_fts"), new("shaves_fts_data"),
                new("shaves_fts_idx"), new("shaves_fts_docsize"), new("shaves_fts_config"), new("shaves_fts_content"),
                // The payload search indexes likewise: deleting the AI logs and tool calls deletes their entries.
                .. PayloadSearchTables.Select(t => new Respawn.Graph.Table(t)),
            ],
        });
    }

    private static readonly string[] PayloadSearchTables =
        [.. new[] { "ai_logs_fts", "tool_calls_fts" }.SelectMany(t => new[] { t, t + "_data", t + "_idx", t + "_docsize", t + "_config" })];

    /// <summary>Deletes every row except the migration history and the data-protection keys.</summary>
    public async Task ResetAsync()
    {
        if (_respawner is null)
        {
            throw new InvalidOperationException("The database fixture has not been initialized.");
        }

        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await _respawner.ResetAsync(connection);
    }

    public Task DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the folder can go.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing the run for.
        }

        return Task.CompletedTask;
    }

    private sealed class ContextFactory(DbContextOptions<SqliteShaveTrackerDbContext> options)
        : IDbContextFactory<ShaveTrackerDbContext>
    {
        public ShaveTrackerDbContext CreateDbContext() => new SqliteShaveTrackerDbContext(options);
    }
}

/// <summary>Tests that share the database file: xunit runs them one after another.</summary>
[CollectionDefinition(Name)]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix",
    Justification = "xunit's naming for a collection definition; it is not a collection type.")]
public sealed class DatabaseCollection : ICollectionFixture<SqliteDatabaseFixture>
{
    public const string Name = "Database";
}
