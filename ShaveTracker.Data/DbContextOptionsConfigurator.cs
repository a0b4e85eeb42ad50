using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ShaveTracker.Data;

/// <summary>The provider options in one place, shared by the app, the design-time factories and the tests.</summary>
public static class DbContextOptionsConfigurator
{
    public static void UseShaveTrackerSqlite(this DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable("__ef_migrations_history")).ConfigureWarnings(Warnings);

    public static void UseShaveTrackerSqlServer(this DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlServer(connectionString, SqlServerOptions).ConfigureWarnings(Warnings);

    /// <summary>The same options on a connection the caller made (tests record the SQL EF sends through one).</summary>
    public static void UseShaveTrackerSqlServer(this DbContextOptionsBuilder builder, DbConnection connection) =>
        builder.UseSqlServer(connection, SqlServerOptions).ConfigureWarnings(Warnings);

    /// <summary>
    /// The list's bounded counts (<c>COUNT(*)</c> over at most N + 1 matching rows) limit rows without an order on
    /// purpose: which rows are counted cannot change a count, and ordering them would sort every match. EF warns about
    /// any row limit without an order, so on every busy page this would be a warning about nothing; every query that
    /// returns rows is ordered (the list, paging and query-plan tests read them in order).
    /// </summary>
    private static void Warnings(WarningsConfigurationBuilder w) =>
        w.Log((CoreEventId.RowLimitingOperationWithoutOrderByWarning, LogLevel.Debug));

    private static void SqlServerOptions(SqlServerDbContextOptionsBuilder o)
    {
        o.MigrationsHistoryTable("__ef_migrations_history");
        o.EnableRetryOnFailure();
    }
}
