using Microsoft.EntityFrameworkCore;

namespace ShaveTracker.Data;

/// <summary>The provider options in one place, shared by the app, the design-time factories and the tests.</summary>
public static class DbContextOptionsConfigurator
{
    public static void UseShaveTrackerSqlite(this DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable("__ef_migrations_history"));

    public static void UseShaveTrackerSqlServer(this DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlServer(connectionString, o =>
        {
            o.MigrationsHistoryTable("__ef_migrations_history");
            o.EnableRetryOnFailure();
        });
}
