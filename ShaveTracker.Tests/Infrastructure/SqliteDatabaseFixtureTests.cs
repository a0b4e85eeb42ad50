using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Tests.Infrastructure;

public sealed class SqliteDatabaseFixtureTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    [Fact]
    public async Task Foreign_keys_are_enforced_on_every_connection()
    {
        await using (var raw = new SqliteConnection(Database.ConnectionString))
        {
            await raw.OpenAsync();
            await using var pragma = raw.CreateCommand();
            pragma.CommandText = "PRAGMA foreign_keys";
            Assert.Equal(1L, await pragma.ExecuteScalarAsync());
        }

        await using var db = await NewContextAsync();
        Assert.Equal(1, (await db.Database.SqlQueryRaw<long>("SELECT foreign_keys AS Value FROM pragma_foreign_keys").ToListAsync()).Single());

        db.Shaves.Add(new Shave
        {
            Id = Ids.NewId(), Title = "Orphan", VideoFileId = Ids.NewId(), RequesterId = Ids.NewId(),
            WorkItemSource = "GitHub", CreatedAt = DateTime.UtcNow,
        });
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.Contains("FOREIGN KEY", error.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_empties_the_tables_and_keeps_the_migration_history()
    {
        await CreateShaveAsync(project: await CreateProjectAsync());

        await Database.ResetAsync();

        await using var db = await NewContextAsync();
        Assert.False(await db.Users.AnyAsync());
        Assert.False(await db.Shaves.AnyAsync());
        Assert.False(await db.Projects.AnyAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task The_factory_makes_sqlite_contexts_on_the_test_file()
    {
        await using var db = await Factory.CreateDbContextAsync();

        Assert.IsType<SqliteShaveTrackerDbContext>(db);
        Assert.Equal(Database.ConnectionString, db.Database.GetConnectionString());
    }
}
