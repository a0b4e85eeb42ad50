using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Production;

/// <summary>
/// The database goes away while the app runs (a volume unmounted, a file moved by hand) and comes back: the app
/// reports it and says so on its pages, and recovers by itself without a restart.
/// </summary>
public sealed partial class DatabaseOutageTests : IAsyncLifetime
{
    private readonly SqliteDatabaseFixture _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Without_its_database_file_the_app_is_not_ready_shows_the_error_page_and_recovers_when_it_is_back()
    {
        var alice = await LocalSignIn.CreateUserAsync(_database.Factory, "alice@example.test", "Alice Requester");
        var shaveId = await CreateShaveAsync(alice.Id, "Printer prints blank pages");
        await using var host = new ShaveTrackerWebFactory(_database.ConnectionString);
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using (var signIn = await LocalSignIn.PostAsync(client, client.BaseAddress!, client.BaseAddress!, "alice@example.test"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/health/ready"));
        Assert.Contains("Printer prints blank pages", await PageAsync(client, $"/shaves/{shaveId}", HttpStatusCode.OK), StringComparison.Ordinal);

        var folder = Path.GetDirectoryName(new SqliteConnectionStringBuilder(_database.ConnectionString).DataSource)!;
        var away = folder + ".away";
        // The folder, not the file: SQLite would quietly create a new empty file in its place. Pooled connections
        // still hold the old file open (as an unmounted volume would not), so they are dropped.
        Directory.Move(folder, away);
        SqliteConnection.ClearAllPools();
        try
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(client, "/health/ready"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(client, "/health"));
            // Liveness does not depend on the database: restarting the instance would not bring the file back.
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/health/live"));

            var error = await PageAsync(client, $"/shaves/{shaveId}?tab=activity", HttpStatusCode.InternalServerError);
            Assert.Contains("Something went wrong", error, StringComparison.Ordinal);
            var reference = Reference().Match(error);
            Assert.True(reference.Success && reference.Groups[1].Value.Length > 0, "The error page shows no reference.");
            Assert.Matches($"<a[^>]*href=\"/shaves/{shaveId}\\?tab=activity\"[^>]*data-testid=\"error-retry\"|<a[^>]*data-testid=\"error-retry\"[^>]*href=\"/shaves/{shaveId}\\?tab=activity\"", error);
            Assert.DoesNotContain("SqliteException", error, StringComparison.Ordinal);
            Assert.DoesNotContain(folder, error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Move(away, folder);
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/health/ready"));
        Assert.Contains("Printer prints blank pages", await PageAsync(client, $"/shaves/{shaveId}", HttpStatusCode.OK), StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static async Task<string> PageAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: expected {expected}, got {response.StatusCode}: {html[..Math.Min(html.Length, 400)]}");
        return html;
    }

    private async Task<Guid> CreateShaveAsync(Guid requesterId, string title)
    {
        var video = new VideoFile { Id = Ids.NewId(), FileName = "recording.mp4", Duration = 60, CreatedAt = DateTime.UtcNow };
        var shave = new Shave
        {
            Id = Ids.NewId(), Title = title, VideoFileId = video.Id, RequesterId = requesterId, WorkItemSource = "GitHub",
            CreatedAt = DateTime.UtcNow,
        };
        await using var db = await _database.Factory.CreateDbContextAsync();
        db.AddRange(video, shave);
        await db.SaveChangesAsync();
        return shave.Id;
    }

    [GeneratedRegex("data-testid=\"correlation-id\">([^<]*)<")]
    private static partial Regex Reference();
}
