using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.WritePath;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Ingestion;

/// <summary>The ingestion API through the real HTTP pipeline (Kestrel, JSON, API-key auth) on SQLite.</summary>
public sealed class IngestionApiTests(WebAppFixture app) : WebTest(app)
{
    private async Task<HttpClient> ApiClientAsync()
    {
        var key = await TestAdmin.CreateApiKeyAsync(App.Factory.Services, "test worker");
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key.Key);
        return client;
    }

    private static object NewShave(string title = "Printer prints blank pages", string status = "Processing", string userName = "alice@example.test") => new
    {
        title,
        status,
        requester = new { userName, displayName = "Alice Example" },
        videoFile = new { fileName = "2026-11-24 10-00-00.mp4", filePath = "/videos/a.mp4", fileHash = "abc", duration = 192 },
        workItemSource = "YakShaver Desktop",
        videoEmbedUrl = "https://www.youtube.com/embed/dQw4w9WgXcQ",
    };

    [Fact]
    public async Task An_ai_log_may_say_the_tokens_it_used_and_a_negative_count_is_refused_next_to_its_field()
    {
        using var api = await ApiClientAsync();
        var shaveId = Guid.CreateVersion7();
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", NewShave())).StatusCode);
        var counted = Guid.CreateVersion7();
        var uncounted = Guid.CreateVersion7();

        var batch = await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records", new
        {
            aiLogs = new object[]
            {
                new { id = counted, modelName = "gpt-4o", inputTokens = 1200, outputTokens = 85 },
                new { id = uncounted, modelName = "gpt-4o" },
            },
        });
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        var refused = await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records", new
        {
            aiLogs = new[] { new { id = Guid.CreateVersion7(), modelName = "gpt-4o", inputTokens = -1, outputTokens = 3 } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("aiLogs[0].inputTokens", out _), problem.ToString());
        await using var db = await Factory.CreateDbContextAsync();
        var usage = Assert.Single(await db.AiLogUsages.ToListAsync());
        Assert.Equal((counted, 1200, 85), (usage.AiLogId, usage.InputTokens, usage.OutputTokens));
        Assert.Equal(2, await db.AiLogs.CountAsync());
    }

    [Fact]
    public async Task A_shave_is_created_processed_and_finished_entirely_through_the_api()
    {
        using var api = await ApiClientAsync();
        var shaveId = Guid.CreateVersion7();
        var stepId = Guid.CreateVersion7();
        var logId = Guid.CreateVersion7();

        var created = await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", NewShave());
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var state = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Processing", state.GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}/steps/{stepId}",
            new { stepName = "executing_task", status = "in_progress", startedAt = DateTime.UtcNow })).StatusCode);
        var batch = await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records", new
        {
            aiLogs = new[] { new { id = logId, processStepId = stepId, modelName = "gpt-4o", promptText = "Transcript: …", responseText = "## Pain\n…", durationMs = 1800 } },
            toolCalls = new object[]
            {
                new { toolCallId = "call_1", toolName = "create_issue", serviceName = "github", aiLogId = logId, processStepId = stepId, args = new { title = "x" }, result = new { number = 7 }, success = true, durationMs = 420 },
                new { toolCallId = "call_2", toolName = "search_issues", serviceName = "github", aiLogId = logId, args = "not json at all", success = false },
            },
        });
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        var counts = await batch.Content.ReadFromJsonAsync<BatchResult>();
        Assert.Equal(new BatchResult(1, 0, 2, 0), counts);
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}/transcript", new { id = Guid.CreateVersion7(), text = "Hi, Alice here…" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}/steps/{stepId}",
            new { stepName = "executing_task", status = "completed", startedAt = DateTime.UtcNow.AddSeconds(-5), completedAt = DateTime.UtcNow })).StatusCode);
        var finished = NewShave(status: "Completed");
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", finished)).StatusCode);

        var read = await api.GetFromJsonAsync<JsonElement>($"/api/v1/shaves/{shaveId}");
        Assert.Equal("Completed", read.GetProperty("status").GetString());
        Assert.Equal(1, read.GetProperty("aiLogCount").GetInt32());
        Assert.Equal(2, read.GetProperty("toolCallCount").GetInt32());
        Assert.True(read.GetProperty("hasTranscript").GetBoolean());
        Assert.Equal("completed", read.GetProperty("steps")[0].GetProperty("status").GetString());

        await using var db = await Factory.CreateDbContextAsync();
        var requester = await db.LocalAccounts.SingleAsync(a => a.UserName == "alice@example.test");
        Assert.Equal(requester.UserId, (await db.Shaves.SingleAsync()).RequesterId);
        Assert.Equal("not json at all", (await db.ToolCalls.SingleAsync(c => c.ToolCallId == "call_2")).ArgsJson);
        Assert.Equal("{\"title\":\"x\"}", (await db.ToolCalls.SingleAsync(c => c.ToolCallId == "call_1")).ArgsJson);
        Assert.Contains(await db.UserActivities.Select(a => a.ActivityType).ToListAsync(), t => t == "shave.status_changed");
    }

    [Fact]
    public async Task A_shave_report_may_carry_its_work_items_body_and_screenshot_which_a_later_report_keeps()
    {
        using var api = await ApiClientAsync();
        var shaveId = Guid.CreateVersion7();
        var withWorkItem = new
        {
            title = "Printer prints blank pages",
            status = "Completed",
            requester = new { userName = "alice@example.test" },
            videoFile = new { fileName = "a.mp4", duration = 192 },
            workItemUrl = "https://github.com/northwind/it/issues/42",
            workItem = new { description = "## Pain\nBlank pages.", screenshotUrl = "https://example.test/shot.png", screenshotFigure = "Figure: A blank page" },
        };

        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", withWorkItem)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", NewShave(status: "Completed"))).StatusCode);

        await using var db = await Factory.CreateDbContextAsync();
        var item = await db.ShaveWorkItems.SingleAsync();
        Assert.Equal((shaveId, "## Pain\nBlank pages.", "https://example.test/shot.png", "Figure: A blank page"),
            (item.ShaveId, item.Description, item.ScreenshotUrl, item.ScreenshotFigure));
    }

    [Fact]
    public async Task A_work_items_screenshot_url_must_be_a_web_address()
    {
        using var api = await ApiClientAsync();
        var report = new
        {
            title = "Printer prints blank pages",
            status = "Completed",
            requester = new { userName = "alice@example.test" },
            videoFile = new { fileName = "a.mp4", duration = 192 },
            workItem = new { screenshotUrl = "javascript:alert(1)" },
        };

        using var response = await api.PutAsJsonAsync($"/api/v1/shaves/{Guid.CreateVersion7()}", report);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("workItem.screenshotUrl", out _), errors.ToString());
        await using var db = await Factory.CreateDbContextAsync();
        Assert.False(await db.Shaves.AnyAsync());
    }

    [Fact]
    public async Task Every_report_replayed_three_times_writes_nothing_twice()
    {
        using var api = await ApiClientAsync();
        var shaveId = Guid.CreateVersion7();
        var stepId = Guid.CreateVersion7();
        var logId = Guid.CreateVersion7();
        var transcriptId = Guid.CreateVersion7();
        var results = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", NewShave())).Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}/steps/{stepId}",
                new { stepName = "transcribing", status = "completed", startedAt = "2026-11-24T10:00:00Z", completedAt = "2026-11-24T10:00:30Z" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records", new
            {
                aiLogs = new[] { new { id = logId, modelName = "gpt-4o" } },
                toolCalls = new[] { new { toolCallId = "call_abc", toolName = "create_issue", serviceName = "github", success = true } },
            })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/tool-calls",
                new { toolCallId = "call_abc", toolName = "create_issue", serviceName = "github", success = true })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/ai-logs", new { id = logId, modelName = "gpt-4o" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}/transcript", new { id = transcriptId, text = "Hello" })).StatusCode);
        }

        // The first answer predates the steps and records; every replay after it answers exactly the same.
        Assert.Single(results.Skip(1).Distinct());
        await using var db = await Factory.CreateDbContextAsync();
        Assert.Equal(1, await db.Shaves.CountAsync());
        Assert.Equal(1, await db.VideoFiles.CountAsync());
        Assert.Equal(1, await db.Users.CountAsync());
        Assert.Equal(1, await db.ProcessSteps.CountAsync());
        Assert.Equal(1, await db.AiLogs.CountAsync());
        Assert.Equal(1, await db.ToolCalls.CountAsync());
        Assert.Equal(1, await db.Transcripts.CountAsync());
        // shave.created and shave.transcript_added, once each.
        Assert.Equal(2, await db.UserActivities.CountAsync());
    }

    [Fact]
    public async Task A_batch_with_one_bad_record_writes_nothing_and_says_which_and_why()
    {
        using var api = await ApiClientAsync();
        var shaveId = Guid.CreateVersion7();
        await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", NewShave());
        var logs = Enumerable.Range(0, 200).Select(i => new { id = Guid.CreateVersion7(), modelName = i == 137 ? "" : "gpt-4o" }).ToArray();

        var response = await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records", new
        {
            aiLogs = logs,
            toolCalls = new[] { new { toolCallId = "c1", toolName = "t", serviceName = "s", success = true, aiLogId = Guid.NewGuid() } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("aiLogs[137].modelName", out _));
        await using var db = await Factory.CreateDbContextAsync();
        Assert.Equal(0, await db.AiLogs.CountAsync());
        Assert.Equal(0, await db.ToolCalls.CountAsync());
    }

    [Theory]
    [InlineData("{\"title\": \"x\", ", "")]
    [InlineData("{\"title\": \"x\", \"status\": \"Sideways\", \"requester\": {\"userName\": \"a\"}, \"videoFile\": {\"fileName\": \"a.mp4\", \"duration\": 3}}", "status")]
    [InlineData("{\"status\": \"Pending\", \"requester\": {\"userName\": \"a\"}, \"videoFile\": {\"fileName\": \"a.mp4\", \"duration\": 3}}", "title")]
    [InlineData("{\"title\": \"x\", \"status\": \"Pending\", \"requester\": {\"userName\": \"a\"}}", "videoFile")]
    [InlineData("{\"title\": \"x\", \"status\": \"Pending\", \"requester\": {\"userName\": \"a\"}, \"videoFile\": {\"fileName\": \"a.mp4\", \"duration\": \"long\"}}", "videoFile.duration")]
    [InlineData("{\"title\": \"x\", \"status\": \"Pending\", \"requester\": {\"userId\": \"6c7f1bb4-98a3-4b51-9d0a-4d7b4b1e2f10\"}, \"videoFile\": {\"fileName\": \"a.mp4\", \"duration\": 3}}", "requester.userId")]
    [InlineData("{\"title\": \"x\", \"status\": \"Pending\", \"requester\": {\"userName\": \"a\"}, \"videoFile\": {\"fileName\": \"a.mp4\", \"duration\": 3}, \"workItemUrl\": \"javascript:alert(1)\"}", "workItemUrl")]
    [InlineData("{\"title\": \"x\", \"status\": \"Pending\", \"requester\": {\"userName\": \"a\"}, \"videoFile\": {\"fileName\": \"a.mp4\", \"duration\": 3}, \"colour\": \"red\"}", "colour")]
    public async Task Bad_input_gets_problem_details_naming_the_field_and_writes_nothing(string body, string field)
    {
        using var api = await ApiClientAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await api.PutAsync(new Uri($"/api/v1/shaves/{Guid.CreateVersion7()}", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"No error for '{field}': {problem}");
        await using var db = await Factory.CreateDbContextAsync();
        Assert.Equal(0, await db.Shaves.CountAsync());
        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task Unknown_shave_in_the_path_is_404_and_unknown_references_in_the_body_are_400()
    {
        using var api = await ApiClientAsync();
        var missing = await api.PutAsJsonAsync($"/api/v1/shaves/{Guid.CreateVersion7()}/steps/{Guid.CreateVersion7()}",
            new { stepName = "transcribing", status = "in_progress", startedAt = DateTime.UtcNow });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        var shaveId = Guid.CreateVersion7();
        await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", NewShave());
        var badStep = await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/ai-logs", new { id = Guid.CreateVersion7(), modelName = "gpt-4o", processStepId = Guid.CreateVersion7() });
        Assert.Equal(HttpStatusCode.BadRequest, badStep.StatusCode);
        Assert.Contains("aiLogs[0].processStepId", await badStep.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var badProject = await api.PutAsJsonAsync($"/api/v1/shaves/{Guid.CreateVersion7()}", new
        {
            title = "x", status = "Pending", requester = new { userName = "a" }, projectId = Guid.CreateVersion7(),
            videoFile = new { fileName = "b.mp4", duration = 3 },
        });
        Assert.Equal(HttpStatusCode.BadRequest, badProject.StatusCode);
        Assert.Contains("projectId", await badProject.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_invalid_and_revoked_keys_and_a_signed_in_browser_user_get_401()
    {
        using var none = App.CreateClient();
        var noKey = await none.GetAsync(new Uri("/api/v1/shaves", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal("application/problem+json", noKey.Content.Headers.ContentType?.MediaType);

        using var wrong = App.CreateClient();
        wrong.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, "stk_not-a-real-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(new Uri("/api/v1/shaves", UriKind.Relative))).StatusCode);

        var admin = await TestAdmin.CreateAsync(App.Factory.Services);
        var keys = App.Factory.Services.GetRequiredService<ApiKeyService>();
        var key = (await keys.CreateAsync(admin, "soon revoked", ApiKeyLifetimes.DefaultDays, default)).Current!;
        using var revoked = App.CreateClient();
        revoked.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key.Key);
        Assert.Equal(HttpStatusCode.OK, (await revoked.GetAsync(new Uri("/api/v1/shaves", UriKind.Relative))).StatusCode);
        await keys.RevokeAsync(admin, key.Id, default);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync(new Uri("/api/v1/shaves", UriKind.Relative))).StatusCode);

        await CreateLocalUserAsync("admin@example.test", "Ada Admin", Roles.Admin);
        using var browser = await SignedInClientAsync("admin@example.test");
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync(new Uri("/api/v1/shaves", UriKind.Relative))).StatusCode);

        await using var db = await Factory.CreateDbContextAsync();
        Assert.DoesNotContain(key.Key, string.Join(",", await db.ApiKeys.Select(k => k.KeyHash + k.KeyPrefix).ToListAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_first_reports_naming_the_same_new_requester_and_shave_all_succeed_without_duplicates()
    {
        using var api = await ApiClientAsync();
        var shaveId = Guid.CreateVersion7();
        var sameShave = Enumerable.Range(0, 4).Select(_ => api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", NewShave(userName: "newcomer@example.test")));
        var otherShaves = Enumerable.Range(0, 4).Select(_ => api.PutAsJsonAsync($"/api/v1/shaves/{Guid.CreateVersion7()}", NewShave(userName: "newcomer@example.test")));
        var responses = await Task.WhenAll(sameShave.Concat(otherShaves));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await using var db = await Factory.CreateDbContextAsync();
        Assert.Equal(1, await db.Users.CountAsync());
        Assert.Equal(5, await db.Shaves.CountAsync());
    }

    [Fact]
    public async Task Pending_list_returns_new_and_requeued_shaves_oldest_first()
    {
        using var api = await ApiClientAsync();
        var first = Guid.CreateVersion7();
        var second = Guid.CreateVersion7();
        await api.PutAsJsonAsync($"/api/v1/shaves/{first}", NewShave(status: "Pending"));
        await api.PutAsJsonAsync($"/api/v1/shaves/{Guid.CreateVersion7()}", NewShave(status: "Completed"));
        await api.PutAsJsonAsync($"/api/v1/shaves/{second}", NewShave(status: "Pending"));

        var pending = await api.GetFromJsonAsync<List<PendingShave>>("/api/v1/shaves?status=Pending");
        Assert.Equal([first, second], pending!.Select(p => p.Id));
    }
}

/// <summary>Limits need their own small settings, so these run on a host of their own (in-memory TestServer).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class IngestionLimitsTests : IAsyncLifetime
{
    private readonly SqliteDatabaseFixture _database = new();
    private ShaveTrackerWebFactory _factory = default!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new ShaveTrackerWebFactory(_database.ConnectionString, new Dictionary<string, string?>
        {
            ["Ingestion:MaxBodyBytes"] = "4096",
            ["Ingestion:MaxPayloadFieldChars"] = "1024",
            ["Ingestion:RateLimitPermits"] = "5",
            ["Ingestion:RateLimitWindowSeconds"] = "60",
        });
        _key = (await TestAdmin.CreateApiKeyAsync(_factory.Services, "limits")).Key;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    private HttpClient Client()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, _key);
        return client;
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_a_field_over_its_limit_is_400()
    {
        using var api = Client();
        using var big = new StringContent("{\"title\":\"" + new string('x', 8000) + "\"}", Encoding.UTF8, "application/json");
        var tooLarge = await api.PutAsync(new Uri($"/api/v1/shaves/{Guid.CreateVersion7()}", UriKind.Relative), big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);

        var shaveId = Guid.CreateVersion7();
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", new
        {
            title = "t", status = "Pending", requester = new { userName = "a" }, videoFile = new { fileName = "a.mp4", duration = 1 },
        })).StatusCode);
        var longPrompt = await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/ai-logs", new { id = Guid.CreateVersion7(), modelName = "m", promptText = new string('p', 2000) });
        Assert.Equal(HttpStatusCode.BadRequest, longPrompt.StatusCode);
        Assert.Contains("aiLogs[0].promptText", await longPrompt.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_the_rate_limit_a_client_gets_429_with_retry_after()
    {
        using var api = Client();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 8; i++)
        {
            last = await api.GetAsync(new Uri("/api/v1/shaves", UriKind.Relative));
            if (last.StatusCode == HttpStatusCode.TooManyRequests)
            {
                break;
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.True(last.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
    }
}
