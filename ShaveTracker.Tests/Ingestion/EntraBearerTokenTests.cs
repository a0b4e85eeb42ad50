using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Tests.Ingestion;

/// <summary>
/// The ingestion API with Entra ID bearer tokens, validated as in production (Microsoft.Identity.Web's web API:
/// metadata and signing keys from the authority, issuer, audience, lifetime), issued by a real token endpoint on
/// loopback (<see cref="FakeEntraProvider"/>): a worker's app-only token (client credentials) and a person's delegated
/// token. Only the app role <c>Shaves.Ingest</c> opens the write endpoints.
/// </summary>
public sealed class EntraBearerTokenTests(CodeFlowMicrosoftSignInFixture app) : IClassFixture<CodeFlowMicrosoftSignInFixture>, IAsyncLifetime
{
    private const string OtherRole = "Shaves.Read";

    public Task InitializeAsync() => app.Database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Every write of the API, each with a body it would accept.</summary>
    public static TheoryData<string, string> WriteEndpoints()
    {
        var shave = Guid.CreateVersion7();
        var step = Guid.CreateVersion7();
        return new()
        {
            { "PUT", $"/api/v1/shaves/{shave}" },
            { "PUT", $"/api/v1/shaves/{shave}/steps/{step}" },
            { "POST", $"/api/v1/shaves/{shave}/records" },
            { "POST", $"/api/v1/shaves/{shave}/ai-logs" },
            { "POST", $"/api/v1/shaves/{shave}/tool-calls" },
            { "PUT", $"/api/v1/shaves/{shave}/transcript" },
        };
    }

    [Fact]
    public async Task A_worker_token_with_the_ingest_app_role_reports_a_shave_its_step_records_and_transcript()
    {
        var worker = app.Provider.Register(FakeEntraDaemon.Create(IngestionEndpoints.IngestRole));
        using var api = ApiClient(await app.Provider.RequestAppTokenAsync(worker));
        var shaveId = Guid.CreateVersion7();
        var stepId = Guid.CreateVersion7();
        var logId = Guid.CreateVersion7();

        await AssertOkAsync(await SendAsync(api, "PUT", $"/api/v1/shaves/{shaveId}"));
        await AssertOkAsync(await SendAsync(api, "PUT", $"/api/v1/shaves/{shaveId}/steps/{stepId}"));
        await AssertOkAsync(await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records", new
        {
            aiLogs = new[] { new { id = logId, processStepId = stepId, modelName = "gpt-4o" } },
            toolCalls = new[] { new { toolCallId = "call_1", aiLogId = logId, toolName = "create_issue", serviceName = "github", success = true } },
        }));
        await AssertOkAsync(await SendAsync(api, "PUT", $"/api/v1/shaves/{shaveId}/transcript"));
        var state = await api.GetFromJsonAsync<ShaveState>($"/api/v1/shaves/{shaveId}");

        Assert.Equal("Processing", state!.Status);
        Assert.Single(state.Steps);
        Assert.Equal((1, 1, true), (state.AiLogCount, state.ToolCallCount, state.HasTranscript));
    }

    [Fact]
    public async Task A_person_with_the_ingest_app_role_reports_their_own_shave_with_a_delegated_token_and_the_audit_says_so()
    {
        var (pat, api) = await PersonClientAsync();
        var shaveId = Guid.CreateVersion7();

        await AssertOkAsync(await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", ShaveOf(new { objectId = pat.ObjectId, displayName = pat.Name })));
        await AssertOkAsync(await SendAsync(api, "PUT", $"/api/v1/shaves/{shaveId}/transcript"));

        await using var db = await app.Database.Factory.CreateDbContextAsync();
        Assert.Equal(pat.ObjectId, (await db.Shaves.SingleAsync()).RequesterId);
        var activity = await db.UserActivities.Where(a => a.ShaveId == shaveId).ToListAsync();
        Assert.Equal(2, activity.Count);
        Assert.All(activity, a =>
        {
            Assert.Equal(pat.ObjectId, a.UserId);
            var credential = JsonDocument.Parse(a.DetailsJson!).RootElement.GetProperty("credential");
            Assert.Equal(($"user:{pat.ObjectId}", "person"), (credential.GetProperty("id").GetString(), credential.GetProperty("scope").GetString()));
        });
    }

    [Fact]
    public async Task A_persons_delegated_token_cannot_create_a_shave_for_someone_else()
    {
        var (_, api) = await PersonClientAsync();

        using var response = await SendAsync(api, "PUT", $"/api/v1/shaves/{Guid.CreateVersion7()}");

        await AssertProblemAsync(HttpStatusCode.BadRequest, response);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("requester", out _));
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task To_a_persons_delegated_token_someone_elses_shave_does_not_exist_for_any_read_or_write()
    {
        var worker = app.Provider.Register(FakeEntraDaemon.Create(IngestionEndpoints.IngestRole));
        using var workerApi = ApiClient(await app.Provider.RequestAppTokenAsync(worker));
        var alices = Guid.CreateVersion7();
        await AssertOkAsync(await SendAsync(workerApi, "PUT", $"/api/v1/shaves/{alices}"));
        var (_, api) = await PersonClientAsync();

        foreach (var path in new[] { $"/api/v1/shaves/{alices}", $"/api/v1/shaves/{alices}/steps/{Guid.CreateVersion7()}", $"/api/v1/shaves/{alices}/records",
                     $"/api/v1/shaves/{alices}/ai-logs", $"/api/v1/shaves/{alices}/tool-calls", $"/api/v1/shaves/{alices}/transcript" })
        {
            var method = path.EndsWith("/records", StringComparison.Ordinal) || path.EndsWith("/ai-logs", StringComparison.Ordinal) ||
                         path.EndsWith("/tool-calls", StringComparison.Ordinal) ? "POST" : "PUT";
            using var write = await SendAsync(api, method, path);
            await AssertProblemAsync(HttpStatusCode.NotFound, write);
        }

        using var read = await api.GetAsync(new Uri($"/api/v1/shaves/{alices}", UriKind.Relative));
        await AssertProblemAsync(HttpStatusCode.NotFound, read);
        await using var db = await app.Database.Factory.CreateDbContextAsync();
        Assert.Equal(("Processing", 0, 0, 0, 0), ((await db.Shaves.SingleAsync()).ShaveStatus.ToString(), await db.ProcessSteps.CountAsync(),
            await db.AiLogs.CountAsync(), await db.ToolCalls.CountAsync(), await db.Transcripts.CountAsync()));
    }

    [Fact]
    public async Task A_persons_delegated_token_lists_only_their_own_pending_shaves()
    {
        var worker = app.Provider.Register(FakeEntraDaemon.Create(IngestionEndpoints.IngestRole));
        using var workerApi = ApiClient(await app.Provider.RequestAppTokenAsync(worker));
        var (pat, api) = await PersonClientAsync();
        var alices = Guid.CreateVersion7();
        var pats = Guid.CreateVersion7();
        await AssertOkAsync(await workerApi.PutAsJsonAsync($"/api/v1/shaves/{alices}", ShaveOf(new { userName = "alice@contoso.test" }, "Pending")));
        await AssertOkAsync(await api.PutAsJsonAsync($"/api/v1/shaves/{pats}", ShaveOf(new { objectId = pat.ObjectId }, "Pending")));

        var workerSees = await workerApi.GetFromJsonAsync<List<PendingShave>>("/api/v1/shaves");
        var patSees = await api.GetFromJsonAsync<List<PendingShave>>("/api/v1/shaves");

        Assert.Equal(new[] { alices, pats }.Order(), workerSees!.Select(s => s.Id).Order());
        Assert.Equal([pats], patSees!.Select(s => s.Id));
    }

    private async Task<(FakeEntraUser Person, HttpClient Api)> PersonClientAsync()
    {
        var script = app.Provider.Register(FakeEntraDaemon.Create());
        var pat = new FakeEntraUser(Guid.NewGuid(), "Pat Pipeline", "pat@contoso.test", [IngestionEndpoints.IngestRole]);
        app.Provider.NextUser = pat;
        return (pat, ApiClient(await app.Provider.RequestUserTokenAsync(script)));
    }

    private static object ShaveOf(object requester, string status = "Processing") => new
    {
        title = "Printer prints blank pages",
        status,
        requester,
        videoFile = new { fileName = "recording.mp4", duration = 60 },
    };

    [Theory]
    [MemberData(nameof(WriteEndpoints))]
    public async Task A_worker_token_with_another_app_role_is_forbidden_every_write_and_writes_nothing(string method, string path)
    {
        var reader = app.Provider.Register(FakeEntraDaemon.Create(OtherRole));
        using var api = ApiClient(await app.Provider.RequestAppTokenAsync(reader));

        using var response = await SendAsync(api, method, path);

        await AssertProblemAsync(HttpStatusCode.Forbidden, response);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(WriteEndpoints))]
    public async Task A_person_signed_in_for_the_api_without_the_ingest_role_is_forbidden_every_write(string method, string path)
    {
        var script = app.Provider.Register(FakeEntraDaemon.Create());
        app.Provider.NextUser = new FakeEntraUser(Guid.NewGuid(), "Sam Staff", "sam@contoso.test", ["ShaveTracker.Staff"]);
        using var api = ApiClient(await app.Provider.RequestUserTokenAsync(script));

        using var response = await SendAsync(api, method, path);

        await AssertProblemAsync(HttpStatusCode.Forbidden, response);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_worker_token_without_any_role_or_scope_is_not_accepted_as_authentication()
    {
        // Microsoft.Identity.Web refuses a token with neither roles nor scp at authentication (so that a tenant where
        // the app was never provisioned cannot call in): 401, not 403.
        var unassigned = app.Provider.Register(FakeEntraDaemon.Create());
        using var api = ApiClient(await app.Provider.RequestAppTokenAsync(unassigned));

        using var response = await SendAsync(api, "PUT", $"/api/v1/shaves/{Guid.CreateVersion7()}");

        await AssertProblemAsync(HttpStatusCode.Unauthorized, response);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_token_for_another_api_of_the_tenant_is_401_even_with_the_ingest_role()
    {
        var worker = app.Provider.Register(FakeEntraDaemon.Create(IngestionEndpoints.IngestRole));
        using var api = ApiClient(await app.Provider.RequestAppTokenAsync(worker, $"api://{FakeEntraProvider.OtherApiClientId}/.default"));

        using var response = await SendAsync(api, "PUT", $"/api/v1/shaves/{Guid.CreateVersion7()}");

        await AssertProblemAsync(HttpStatusCode.Unauthorized, response);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_token_from_another_tenant_is_401_even_with_the_ingest_role()
    {
        var foreign = app.Provider.Register(FakeEntraDaemon.Create(IngestionEndpoints.IngestRole) with { TenantId = Guid.NewGuid() });
        using var api = ApiClient(await app.Provider.RequestAppTokenAsync(foreign));

        using var response = await SendAsync(api, "PUT", $"/api/v1/shaves/{Guid.CreateVersion7()}");

        await AssertProblemAsync(HttpStatusCode.Unauthorized, response);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_token_signed_by_someone_else_is_401()
    {
        var worker = app.Provider.Register(FakeEntraDaemon.Create(IngestionEndpoints.IngestRole));
        var token = await app.Provider.RequestAppTokenAsync(worker);
        // Same header and claims, another signature: what a forger without Entra's key can produce at best.
        var parts = token.Split('.');
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        using var api = ApiClient($"{parts[0]}.{parts[1]}.{new string(signature)}");

        using var response = await SendAsync(api, "PUT", $"/api/v1/shaves/{Guid.CreateVersion7()}");

        await AssertProblemAsync(HttpStatusCode.Unauthorized, response);
        await AssertNothingWrittenAsync();
    }

    private HttpClient ApiClient(string accessToken)
    {
        var client = new HttpClient { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient api, string method, string path)
    {
        object body = path switch
        {
            _ when path.EndsWith("/records", StringComparison.Ordinal) =>
                new { aiLogs = new[] { new { id = Guid.CreateVersion7(), modelName = "gpt-4o" } } },
            _ when path.EndsWith("/ai-logs", StringComparison.Ordinal) => new { id = Guid.CreateVersion7(), modelName = "gpt-4o" },
            _ when path.EndsWith("/tool-calls", StringComparison.Ordinal) =>
                new { toolCallId = "call_1", toolName = "create_issue", serviceName = "github", success = true },
            _ when path.EndsWith("/transcript", StringComparison.Ordinal) => new { id = Guid.CreateVersion7(), text = "Hi, Pat here…" },
            _ when path.Contains("/steps/", StringComparison.Ordinal) =>
                new { stepName = "transcribing", status = "in_progress", startedAt = DateTime.UtcNow },
            _ => new
            {
                title = "Printer prints blank pages",
                status = "Processing",
                requester = new { userName = "alice@contoso.test" },
                videoFile = new { fileName = "recording.mp4", duration = 60 },
            },
        };
        return api.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) });
    }

    private static async Task AssertOkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK,
                $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode} {response.Headers.WwwAuthenticate} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task AssertProblemAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
    }

    private async Task AssertNothingWrittenAsync()
    {
        await using var db = await app.Database.Factory.CreateDbContextAsync();
        Assert.False(await db.Shaves.AnyAsync());
        Assert.False(await db.Users.AnyAsync());
        Assert.False(await db.ProcessSteps.AnyAsync());
        Assert.False(await db.AiLogs.AnyAsync());
        Assert.False(await db.ToolCalls.AnyAsync());
        Assert.False(await db.Transcripts.AnyAsync());
    }
}
