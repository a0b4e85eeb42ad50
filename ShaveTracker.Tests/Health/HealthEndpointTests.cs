using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Health;

/// <summary>The probes a load balancer or an orchestrator calls: anonymous, JSON, and honest about the database.</summary>
public sealed class HealthEndpointTests(WebAppFixture app) : WebTest(app)
{
    [Fact]
    public async Task Live_ready_and_health_answer_200_when_the_database_answers()
    {
        using var client = App.CreateClient();

        var live = await GetAsync(client, "/health/live");
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (live.Status, live.Body.GetProperty("status").GetString()));
        // Liveness runs no checks: it must not depend on the database.
        Assert.Empty(live.Body.GetProperty("checks").EnumerateObject());

        var ready = await GetAsync(client, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("Healthy", ready.Body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());

        var health = await GetAsync(client, "/health");
        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal("Healthy", health.Body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_and_health_are_503_but_live_is_200_when_the_database_has_no_schema()
    {
        // Not migrated (as a SQL Server whose deployment script has not run yet): the file opens, queries fail.
        var directory = Path.Combine(Path.GetTempPath(), "shavetracker-tests", Guid.NewGuid().ToString("N"));
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "empty.db") }.ToString();
        try
        {
            await using (var host = new ShaveTrackerWebFactory(connectionString,
                new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" }))
            {
                using var client = host.CreateClient();

                var live = await GetAsync(client, "/health/live");
                Assert.Equal(HttpStatusCode.OK, live.Status);

                var ready = await GetAsync(client, "/health/ready");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
                Assert.Equal("Unhealthy", ready.Body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());

                var health = await GetAsync(client, "/health");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }
}
