using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// Base of the tests that check the SQL Server SQL of a write path: the service runs on SQLite through
/// <see cref="RecordingFactory"/>, every save it makes is also sent through SQL Server's provider
/// (<see cref="SqlServerWriteRecorder"/>), and <see cref="SaveAndAssertSqlServerWritesAsync"/> parses what was sent.
/// </summary>
public abstract class SqlServerWriteTest(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    /// <summary>SQL Server takes at most 2,100 parameters in one command.</summary>
    public const int SqlServerMaxParameters = 2100;

    protected SqlServerWriteRecorder Recorder { get; } = new();

    /// <summary>Contexts on the test's SQLite database whose saves are replayed on SQL Server first.</summary>
    protected IDbContextFactory<ShaveTrackerDbContext> RecordingFactory => new ReplayingFactory(Database.ConnectionString, Recorder);

    /// <summary>
    /// Runs <paramref name="write"/> and returns the writes the SQL Server SQL makes ("INSERT shaves", ...), after
    /// checking that EF replayed every save, that every command parses as T-SQL for SQL Server 2025, that none has
    /// more parameters than SQL Server takes, and that the commands of one save share one transaction.
    /// </summary>
    protected async Task<IReadOnlyList<string>> SaveAndAssertSqlServerWritesAsync(Func<Task> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Recorder.Clear();
        await write();

        Assert.True(Recorder.Failures.Count == 0, $"EF could not replay the save on SQL Server:{Environment.NewLine}{string.Join(Environment.NewLine, Recorder.Failures)}");
        var commands = Recorder.Commands;
        Assert.NotEmpty(commands);
        var writes = new List<string>();
        foreach (var command in commands)
        {
            writes.AddRange(SqlServerScript.Writes(SqlServerScript.AssertParses(command.Sql)));
            Assert.True(command.ParameterCount <= SqlServerMaxParameters,
                $"A command has {command.ParameterCount} parameters; SQL Server takes {SqlServerMaxParameters}:{Environment.NewLine}{command.Sql}");
        }

        if (commands.Count > 1)
        {
            var transaction = Assert.Single(commands.Select(c => c.Transaction).Distinct());
            Assert.NotEqual(0, transaction);
        }

        return writes;
    }

    /// <summary>Every write in <paramref name="expected"/>, as many times, in any order.</summary>
    protected static void AssertWrites(IEnumerable<string> actual, params string[] expected) =>
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The caller owns the context.")]
    private sealed class ReplayingFactory(string connectionString, SqlServerWriteRecorder recorder) : IDbContextFactory<ShaveTrackerDbContext>
    {
        public ShaveTrackerDbContext CreateDbContext()
        {
            var options = new DbContextOptionsBuilder<SqliteShaveTrackerDbContext>();
            options.UseShaveTrackerSqlite(connectionString);
            options.AddInterceptors(recorder.Replayer);
            return new SqliteShaveTrackerDbContext(options.Options);
        }
    }
}
