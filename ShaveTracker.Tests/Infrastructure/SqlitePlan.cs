using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>SQLite's EXPLAIN QUERY PLAN of the SQL EF generates for a query: one line per step ("SEARCH …", "SCAN …").</summary>
internal static class SqlitePlan
{
    public static async Task<IReadOnlyList<string>> LinesAsync<T>(ShaveTrackerDbContext db, IQueryable<T> query)
    {
        await using var command = query.CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await db.Database.OpenConnectionAsync();
        try
        {
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(3));
            }

            return lines;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
