using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ShaveTracker.Data;

/// <summary>The provider options in one place, shared by the app, the design-time factories and the tests.</summary>
public static class DbContextOptionsConfigurator
{
    public static void UseShaveTrackerSqlite(this DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable("__ef_migrations_history"));

    public static void UseShaveTrackerSqlServer(this DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlServer(connectionString, SqlServerOptions);

    /// <summary>The same options on a connection the caller made (tests record the SQL EF sends through one).</summary>
    public static void UseShaveTrackerSqlServer(this DbContextOptionsBuilder builder, DbConnection connection) =>
        builder.UseSqlServer(connection, SqlServerOptions);

    private static void SqlServerOptions(SqlServerDbContextOptionsBuilder o)
    {
        o.MigrationsHistoryTable("__ef_migrations_history");
        o.EnableRetryOnFailure();
    }
}
