using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Data;

public sealed class MigrationTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    private static readonly string[] ErdTables =
    [
        "users", "video_files", "projects", "shaves", "process_steps", "ai_logs", "tool_calls", "transcripts",
        "user_activities",
    ];

    [Fact]
    public void The_idempotent_sql_server_script_parses_and_creates_every_erd_table()
    {
        using var db = SqlServerScript.CreateContext();
        var sql = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var script = SqlServerScript.AssertParses(sql);

        Assert.Empty(ErdTables.Except(SqlServerScript.CreatedTables(script), StringComparer.Ordinal));
    }

    [Fact]
    public void Sql_inside_exec_strings_of_the_script_parses_too()
    {
        using var db = SqlServerScript.CreateContext();
        var sql = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        var script = SqlServerScript.AssertParses(sql);

        // Statements that must start a batch (CREATE TRIGGER) travel as EXEC(N'...') strings, which the outer parse
        // sees only as literals: parse each of them on its own. A string built with a variable (dropping a column's
        // default constraint by its looked-up name: N'... DROP CONSTRAINT [' + @var + '];') is parsed with a name in
        // the variable's place.
        var inner = script.Batches
            .SelectMany(b => b.Statements)
            .SelectMany(Descendants)
            .OfType<Microsoft.SqlServer.TransactSql.ScriptDom.ExecuteStatement>()
            .Select(e => e.ExecuteSpecification.ExecutableEntity)
            .OfType<Microsoft.SqlServer.TransactSql.ScriptDom.ExecutableStringList>()
            .Select(l => string.Concat(l.Strings.Select(part =>
                part is Microsoft.SqlServer.TransactSql.ScriptDom.StringLiteral literal ? literal.Value : "looked_up_name")))
            .ToList();

        Assert.Contains(inner, s => s.Contains("CREATE TRIGGER trg_shaves_counts", StringComparison.Ordinal));
        foreach (var statement in inner)
        {
            SqlServerScript.AssertParses(statement);
        }
    }

    private static IEnumerable<Microsoft.SqlServer.TransactSql.ScriptDom.TSqlFragment> Descendants(Microsoft.SqlServer.TransactSql.ScriptDom.TSqlFragment root)
    {
        var all = new List<Microsoft.SqlServer.TransactSql.ScriptDom.TSqlFragment>();
        root.Accept(new Collector(all));
        return all;
    }

    private sealed class Collector(List<Microsoft.SqlServer.TransactSql.ScriptDom.TSqlFragment> all) : Microsoft.SqlServer.TransactSql.ScriptDom.TSqlFragmentVisitor
    {
        public override void Visit(Microsoft.SqlServer.TransactSql.ScriptDom.TSqlFragment fragment)
        {
            all.Add(fragment);
            base.Visit(fragment);
        }
    }

    [Fact]
    public void The_sql_server_migrations_match_the_model()
    {
        using var db = SqlServerScript.CreateContext();

        Assert.False(db.Database.HasPendingModelChanges(), "Run dotnet ef migrations add for SqlServerShaveTrackerDbContext.");
    }

    [Fact]
    public async Task The_sqlite_migrations_match_the_model()
    {
        await using var db = await NewContextAsync();

        Assert.False(db.Database.HasPendingModelChanges(), "Run dotnet ef migrations add for SqliteShaveTrackerDbContext.");
    }

    [Fact]
    public async Task The_test_database_has_every_migration_applied()
    {
        await using var db = await NewContextAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
    }
}
