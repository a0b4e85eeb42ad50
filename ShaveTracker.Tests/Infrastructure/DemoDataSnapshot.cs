using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Features.DemoData;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// The demo data without the long shave (demo password <see cref="WebTest.Password"/>), seeded by the app's
/// <see cref="DemoDataSeeder"/> once, into a database of its own, the first time a test asks for it. Each test that
/// starts from the demo gets a copy of those rows in its emptied database: a few INSERT … SELECTs, in which the
/// database's own triggers fill the search, count and daily tables as they do for the seeder's save, instead of
/// generating and saving the demo again for every test.
/// </summary>
public sealed class DemoDataSnapshot : IAsyncDisposable
{
    /// <summary>The tables the seeder writes, parents first. The tables the triggers keep are theirs to fill.</summary>
    private static readonly Type[] SeededEntities =
    [
        typeof(User), typeof(LocalAccount), typeof(UserRole), typeof(Project), typeof(VideoFile), typeof(Shave), typeof(ProcessStep),
        typeof(Transcript), typeof(AiLog), typeof(AiLogUsage), typeof(ToolCall), typeof(UserActivity),
    ];

    private readonly SqliteDatabaseFixture _template = new();
    private readonly Lazy<Task<string>> _seeded;

    public DemoDataSnapshot() => _seeded = new(SeedTemplateAsync);

    /// <summary>Copies the demo's rows into <paramref name="database"/> (emptied before the test, as every test's is).</summary>
    public async Task CopyIntoAsync(SqliteDatabaseFixture database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var templateFile = await _seeded.Value;
        await using var db = await database.Factory.CreateDbContextAsync();
        var tables = SeededEntities.Select(t => db.Model.FindEntityType(t)!.GetTableName()!).ToList();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        // A database can be attached outside a transaction only; the copy is then one write transaction, as the seeder's save is.
        await using (var attach = Command(connection, null, "ATTACH DATABASE $file AS demo"))
        {
            attach.Parameters.Add(Parameter(attach, "$file", templateFile));
            await attach.ExecuteNonQueryAsync();
        }

        try
        {
            await db.InWriteTransactionAsync(async () =>
            {
                var tx = db.Database.CurrentTransaction!.GetDbTransaction();
                // Rows that point at rows of their own table (a rerun at the shave it reran) need not come in order.
                await using (var defer = Command(connection, tx, "PRAGMA defer_foreign_keys = ON"))
                {
                    await defer.ExecuteNonQueryAsync();
                }

                foreach (var table in tables)
                {
                    await using var copy = Command(connection, tx, $"INSERT INTO main.\"{table}\" SELECT * FROM demo.\"{table}\"");
                    await copy.ExecuteNonQueryAsync();
                }
            }, default);
        }
        finally
        {
            await using var detach = Command(connection, null, "DETACH DATABASE demo");
            await detach.ExecuteNonQueryAsync();
        }
    }

    private async Task<string> SeedTemplateAsync()
    {
        await _template.InitializeAsync();
        var seeder = new DemoDataSeeder(_template.Factory, Options.Create(new DemoOptions { Password = WebTest.Password, LongTrace = false }),
            NullLogger<DemoDataSeeder>.Instance);
        await seeder.SeedAsync(default);
        return new SqliteConnectionStringBuilder(_template.ConnectionString).DataSource;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }

    private static DbParameter Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        return parameter;
    }

    public async ValueTask DisposeAsync() => await _template.DisposeAsync();
}
