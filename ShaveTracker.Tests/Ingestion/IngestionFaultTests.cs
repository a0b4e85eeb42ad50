using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Data;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.WritePath;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Ingestion;

/// <summary>
/// Ingestion while the database fails in the middle of a request, through the whole HTTP pipeline: the pipeline's
/// request gets a 5xx ProblemDetails and nothing of it is written; its retry (the same request again, once the
/// database is back) succeeds, and every record exists exactly once.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class IngestionFaultTests : IAsyncLifetime
{
    private readonly SqliteDatabaseFixture _database = new();
    private readonly DatabaseFault _fault = new();
    private ShaveTrackerWebFactory _factory = default!;
    private HttpClient _api = default!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new ShaveTrackerWebFactory(_database.ConnectionString, testServices: services =>
            services.ConfigureDbContext<SqliteShaveTrackerDbContext>(o => o.AddInterceptors(_fault)));
        var key = await TestAdmin.CreateApiKeyAsync(_factory.Services, "faults");
        _api = _factory.CreateClient();
        _api.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key.Key);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_batch_whose_write_fails_midway_writes_nothing_and_its_retry_writes_every_record_once()
    {
        var shaveId = await CreateShaveAsync();
        var batch = Batch(aiLogs: 150, toolCalls: 150);
        _fault.FailAtWrite(2);

        using (var failed = await _api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records", batch))
        {
            await AssertServerErrorAsync(failed);
        }

        Assert.True(_fault.WritesBeforeFault >= 1, "The fault should hit after some of the batch was sent to the database.");
        Assert.Equal((0, 0), await CountRecordsAsync());

        _fault.Heal();
        var retried = await _api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records", batch);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(new BatchResult(150, 0, 150, 0), await retried.Content.ReadFromJsonAsync<BatchResult>());
        var replayed = await _api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records", batch);
        Assert.Equal(new BatchResult(0, 150, 0, 150), await replayed.Content.ReadFromJsonAsync<BatchResult>());
        Assert.Equal((150, 150), await CountRecordsAsync());
    }

    [Fact]
    public async Task A_new_shave_whose_commit_fails_leaves_no_requester_video_file_shave_or_activity_and_its_retry_creates_each_once()
    {
        var shaveId = Guid.CreateVersion7();
        _fault.FailCommit();

        using (var failed = await _api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", NewShave()))
        {
            await AssertServerErrorAsync(failed);
        }

        await using (var db = await _database.Factory.CreateDbContextAsync())
        {
            Assert.Equal((0, 0, 0, 0, 0), (await db.Users.CountAsync(), await db.LocalAccounts.CountAsync(), await db.VideoFiles.CountAsync(),
                await db.Shaves.CountAsync(), await db.UserActivities.CountAsync()));
        }

        _fault.Heal();
        Assert.Equal(HttpStatusCode.OK, (await _api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", NewShave())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", NewShave())).StatusCode);
        await using (var db = await _database.Factory.CreateDbContextAsync())
        {
            Assert.Equal((1, 1, 1, 1, 1), (await db.Users.CountAsync(), await db.LocalAccounts.CountAsync(), await db.VideoFiles.CountAsync(),
                await db.Shaves.CountAsync(), await db.UserActivities.CountAsync()));
        }
    }

    [Fact]
    public async Task An_error_after_the_commit_is_a_5xx_and_the_retry_finds_the_records_and_writes_nothing_twice()
    {
        // The one case where a failed request did write: the database committed but the answer was lost on the way.
        // The retry must then see its own records and change nothing.
        var shaveId = await CreateShaveAsync();
        var batch = Batch(aiLogs: 20, toolCalls: 20);
        _fault.FailAfterCommit();

        using (var failed = await _api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records", batch))
        {
            await AssertServerErrorAsync(failed);
        }

        _fault.Heal();
        var retried = await _api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records", batch);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(new BatchResult(0, 20, 0, 20), await retried.Content.ReadFromJsonAsync<BatchResult>());
        Assert.Equal((20, 20), await CountRecordsAsync());
    }

    private static object NewShave() => new
    {
        title = "Printer prints blank pages",
        status = "Processing",
        requester = new { userName = "newcomer@example.test", displayName = "New Comer" },
        videoFile = new { fileName = "recording.mp4", filePath = "/videos/a.mp4", fileHash = "abc", duration = 60 },
        workItemSource = "GitHub",
    };

    /// <summary>AI logs and tool calls with ids chosen once, so that the retry sends exactly the same batch.</summary>
    private static object Batch(int aiLogs, int toolCalls)
    {
        var logIds = Enumerable.Range(0, aiLogs).Select(_ => Guid.CreateVersion7()).ToList();
        return new
        {
            aiLogs = logIds.Select((id, i) => new { id, modelName = "gpt-4o", promptText = $"Prompt {i}", responseText = $"Response {i}", durationMs = 900 }).ToList(),
            toolCalls = Enumerable.Range(0, toolCalls).Select(i => new
            {
                toolCallId = $"call_{i}", aiLogId = logIds[i % aiLogs], toolName = "create_issue", serviceName = "github",
                args = new { title = $"Issue {i}" }, success = true, durationMs = 300,
            }).ToList(),
        };
    }

    private async Task<Guid> CreateShaveAsync()
    {
        var shaveId = Guid.CreateVersion7();
        Assert.Equal(HttpStatusCode.OK, (await _api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", NewShave())).StatusCode);
        return shaveId;
    }

    private async Task<(int AiLogs, int ToolCalls)> CountRecordsAsync()
    {
        await using var db = await _database.Factory.CreateDbContextAsync();
        return (await db.AiLogs.CountAsync(), await db.ToolCalls.CountAsync());
    }

    private async Task AssertServerErrorAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode >= 500, $"Expected a 5xx, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)response.StatusCode, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        // What went wrong inside stays in the log.
        Assert.DoesNotContain("Sqlite", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("injected", body, StringComparison.Ordinal);
        Assert.True(_fault.Raised > 0, "The request failed, but not because of the injected fault.");
    }
}
