using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ShaveTracker.Data;

// Used by `dotnet ef migrations add ... --context <Provider>ShaveTrackerDbContext` (see README). Neither opens a
// connection to add a migration or script one.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteShaveTrackerDbContext>
{
    public SqliteShaveTrackerDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteShaveTrackerDbContext>();
        builder.UseShaveTrackerSqlite("Data Source=design-time.db");
        return new SqliteShaveTrackerDbContext(builder.Options);
    }
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerShaveTrackerDbContext>
{
    public SqlServerShaveTrackerDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqlServerShaveTrackerDbContext>();
        builder.UseShaveTrackerSqlServer("Server=(local);Database=ShaveTracker;Integrated Security=true;TrustServerCertificate=true");
        return new SqlServerShaveTrackerDbContext(builder.Options);
    }
}
