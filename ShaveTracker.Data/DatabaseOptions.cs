using System.ComponentModel.DataAnnotations;

namespace ShaveTracker.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>The <c>Database</c> section. The connection string is <c>ConnectionStrings:ShaveTracker</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    [EnumDataType(typeof(DatabaseProvider))]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations at start. On by default for SQLite; SQL Server deploys a script.</summary>
    public bool? MigrateOnStartup { get; set; }
}
