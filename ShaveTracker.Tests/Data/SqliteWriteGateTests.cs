using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Tests.Data;

/// <summary>
/// Saves to one SQLite file queue behind each other in the process (SqliteWriteGate, taken by
/// SqliteShaveTrackerDbContext) instead of failing on, or sleeping through, SQLite's single write lock; a save inside
/// a transaction the caller holds is never queued.
/// </summary>
public sealed class SqliteWriteGateTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "shavetracker-tests", Guid.NewGuid().ToString("N"));
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "gate.db") }.ToString();
        await using var db = Context();
        await db.Database.MigrateAsync();
        // As the app runs it (DatabaseInitializer): readers never wait for the writer.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_save_waits_for_the_save_holding_the_write_lock_instead_of_failing_on_it()
    {
        // The first save stops inside its transaction, after its INSERT: it holds SQLite's write lock.
        var pause = new PauseAfterFirstWrite();
        await using var first = Context(pause);
        first.Add(NewUser("First"));
        var firstSave = first.SaveChangesAsync();
        await pause.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The second save gives SQLite one second: were it sent to the database now, it would fail with
        // "database is locked" once that second is over, because the lock is held for longer than that.
        await using var second = Context(commandTimeoutSeconds: 1);
        second.Add(NewUser("Second"));
        var secondSave = second.SaveChangesAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(secondSave.IsCompleted);

        pause.Release.SetResult();
        Assert.Equal(1, await firstSave);
        Assert.Equal(1, await secondSave);
        await using var db = Context();
        Assert.Equal(["First", "Second"], await db.Users.OrderBy(u => u.DisplayName).Select(u => u.DisplayName).ToListAsync());
    }

    [Fact]
    public async Task A_save_inside_a_transaction_the_caller_began_does_not_queue_but_a_plain_save_does()
    {
        // Someone else's save holds this file's turn.
        var gate = SqliteWriteGate.For(_connectionString);
        await gate.WaitAsync();
        try
        {
            // The transaction may already hold SQLite's write lock, which the save holding the turn could be
            // waiting for: its own save goes through without a turn.
            await using var owner = Context();
            await using var transaction = await owner.Database.BeginTransactionAsync();
            owner.Add(NewUser("In a transaction"));
            Assert.Equal(1, await owner.SaveChangesAsync().WaitAsync(TimeSpan.FromSeconds(10)));
            await transaction.CommitAsync();

            // A plain save waits for its turn.
            await using var plain = Context();
            plain.Add(NewUser("Plain"));
            var plainSave = plain.SaveChangesAsync();
            await Task.Delay(500);
            Assert.False(plainSave.IsCompleted);
            gate.Release();
            Assert.Equal(1, await plainSave.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            if (gate.CurrentCount == 0)
            {
                gate.Release();
            }
        }
    }

    [Fact]
    public async Task A_failed_save_gives_its_turn_back()
    {
        var user = NewUser("Once");
        await using (var db = Context())
        {
            db.Add(user);
            await db.SaveChangesAsync();
        }

        // The same primary key again: the save fails inside the database.
        await using (var duplicate = Context())
        {
            duplicate.Add(NewUser("Twice", user.Id));
            await Assert.ThrowsAsync<DbUpdateException>(() => duplicate.SaveChangesAsync());
        }

        await using var next = Context();
        next.Add(NewUser("Next"));
        Assert.Equal(1, await next.SaveChangesAsync().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private SqliteShaveTrackerDbContext Context(IInterceptor? interceptor = null, int? commandTimeoutSeconds = null)
    {
        var options = new DbContextOptionsBuilder<SqliteShaveTrackerDbContext>();
        options.UseShaveTrackerSqlite(_connectionString);
        if (interceptor is not null)
        {
            options.AddInterceptors(interceptor);
        }

        var db = new SqliteShaveTrackerDbContext(options.Options);
        if (commandTimeoutSeconds is { } seconds)
        {
            db.Database.SetCommandTimeout(seconds);
        }

        return db;
    }

    private static User NewUser(string name, Guid? id = null) =>
        new() { Id = id ?? Ids.NewId(), AuthProvider = AuthProvider.Local, DisplayName = name, CreatedAt = DateTime.UtcNow };

    /// <summary>Holds the save after its first statement ran (its transaction then holds the write lock).</summary>
    private sealed class PauseAfterFirstWrite : DbCommandInterceptor
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
            CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("INSERT", StringComparison.OrdinalIgnoreCase) && Reached.TrySetResult())
            {
                await Release.Task;
            }

            return result;
        }
    }
}
