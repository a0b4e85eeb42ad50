using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using ShaveTracker.Data;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// Checks SQL meant for SQL Server without a SQL Server: EF generates it from a context that never connects,
/// and Microsoft's own T-SQL parser (the one behind SqlPackage) must accept it.
/// </summary>
public static class SqlServerScript
{
    // Never opened: generating SQL (ToQueryString, migration scripts) needs the provider, not a server.
    private const string UnusedConnectionString =
        "Server=sql.invalid;Database=ShaveTracker;Integrated Security=true;TrustServerCertificate=true";

    /// <summary>A SQL Server context configured exactly as the app configures it, for generating SQL only.</summary>
    public static SqlServerShaveTrackerDbContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<SqlServerShaveTrackerDbContext>();
        options.UseShaveTrackerSqlServer(UnusedConnectionString);
        return new SqlServerShaveTrackerDbContext(options.Options);
    }

    /// <summary>
    /// Parses <paramref name="sql"/> as a T-SQL script (GO separates batches) for SQL Server 2025 and fails the
    /// test with every parse error and its line and column. Returns the parsed script for further checks.
    /// </summary>
    public static TSqlScript AssertParses(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var fragment = parser.Parse(reader, out var errors);

        if (errors.Count > 0)
        {
            var message = new StringBuilder()
                .AppendLine(FormattableString.Invariant($"T-SQL does not parse ({errors.Count} error(s)):"));
            foreach (var error in errors)
            {
                message.AppendLine(FormattableString.Invariant(
                    $"  line {error.Line}, column {error.Column}: {error.Message} (error {error.Number})"));
            }

            message.AppendLine("--- SQL ---").Append(sql);
            Assert.Fail(message.ToString());
        }

        return (TSqlScript)fragment;
    }

    /// <summary>The tables that the script's CREATE TABLE statements create, without schema or brackets.</summary>
    public static IReadOnlyList<string> CreatedTables(TSqlScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var visitor = new CreateTableVisitor();
        script.Accept(visitor);
        return visitor.Tables;
    }

    /// <summary>
    /// The writes a script makes, in order, as "INSERT shaves", "UPDATE projects", "DELETE video_files",
    /// "MERGE tool_calls": the verb and the target table (an alias such as <c>DELETE FROM [s] FROM [shaves] AS [s]</c>
    /// is resolved to its table); an INSERT of several rows of values counts once per row.
    /// </summary>
    public static IReadOnlyList<string> Writes(TSqlFragment script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var visitor = new WriteVisitor();
        script.Accept(visitor);
        return visitor.Writes;
    }

    private sealed class WriteVisitor : TSqlFragmentVisitor
    {
        public List<string> Writes { get; } = [];

        // One entry per row of a multi-row INSERT ... VALUES (EF writes the new rows of a table in one statement).
        public override void Visit(InsertStatement node) =>
            Writes.AddRange(Enumerable.Repeat($"INSERT {Target(node.InsertSpecification.Target, null)}",
                node.InsertSpecification.InsertSource is ValuesInsertSource values ? values.RowValues.Count : 1));

        public override void Visit(UpdateStatement node) =>
            Writes.Add($"UPDATE {Target(node.UpdateSpecification.Target, node.UpdateSpecification.FromClause)}");

        public override void Visit(DeleteStatement node) =>
            Writes.Add($"DELETE {Target(node.DeleteSpecification.Target, node.DeleteSpecification.FromClause)}");

        public override void Visit(MergeStatement node) =>
            Writes.Add($"MERGE {Target(node.MergeSpecification.Target, null)}");

        private static string Target(TableReference target, FromClause? from)
        {
            var name = ((NamedTableReference)target).SchemaObject.BaseIdentifier.Value;
            var aliased = from?.TableReferences.OfType<NamedTableReference>()
                .FirstOrDefault(t => string.Equals(t.Alias?.Value, name, StringComparison.OrdinalIgnoreCase));
            return aliased?.SchemaObject.BaseIdentifier.Value ?? name;
        }
    }

    private sealed class CreateTableVisitor : TSqlFragmentVisitor
    {
        public List<string> Tables { get; } = [];

        public override void Visit(CreateTableStatement node) => Tables.Add(node.SchemaObjectName.BaseIdentifier.Value);
    }
}
