using Microsoft.EntityFrameworkCore;
using Xunit.Sdk;

namespace ShaveTracker.Tests.Infrastructure;

public sealed class SqlServerScriptTests
{
    [Fact]
    public void A_script_with_GO_batch_separators_parses_into_its_batches()
    {
        var script = SqlServerScript.AssertParses("""
            CREATE TABLE [t] ([id] int NOT NULL);
            GO

            CREATE VIEW [v] AS SELECT [id] FROM [t];
            GO
            """);

        Assert.Equal(2, script.Batches.Count);
    }

    [Fact]
    public void Invalid_sql_fails_the_test_naming_each_error_with_its_line_and_column()
    {
        var error = Assert.ThrowsAny<XunitException>(() => SqlServerScript.AssertParses("""
            SELECT 1;
            GO
            SELECT 2 FROM [t] WHERE;
            GO
            SELECT * FROM;
            """));

        Assert.Contains("line 3, column 24", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 5, column 14", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_context_generates_sql_server_queries_without_a_server()
    {
        using var db = SqlServerScript.CreateContext();
        var since = DateTime.UtcNow.AddDays(-7);
        var query = db.Shaves
            .Where(s => s.CreatedAt >= since && s.Title.Contains("login"))
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Skip(20).Take(10)
            .Select(s => new { s.Id, s.Title, Requester = s.Requester!.DisplayName });

        var sql = query.ToQueryString();

        SqlServerScript.AssertParses(sql);
        Assert.Contains("OFFSET", sql, StringComparison.Ordinal);
    }
}
