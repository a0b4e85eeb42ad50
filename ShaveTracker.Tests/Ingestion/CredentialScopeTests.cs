using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Tests.Ingestion;

/// <summary>What a worker's API key may write through <c>/api/v1</c>, and how the audit trail names it.</summary>
public sealed class CredentialScopeTests(WebAppFixture app) : WebTest(app)
{
    private async Task<(CreatedApiKey Key, HttpClient Api)> WorkerAsync(string name = "cloud worker")
    {
        var key = await TestAdmin.CreateApiKeyAsync(App.Factory.Services, name);
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key.Key);
        return (key, client);
    }

    private static object Shave(string userName, string status = "Processing") => new
    {
        title = "Printer prints blank pages",
        status,
        requester = new { userName },
        videoFile = new { fileName = "recording.mp4", duration = 60 },
    };

    [Fact]
    public async Task A_worker_key_cannot_move_an_existing_shave_to_another_requester_and_nothing_changes()
    {
        var (_, api) = await WorkerAsync();
        var shaveId = Guid.CreateVersion7();
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", Shave("alice@example.test"))).StatusCode);

        using var moved = await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", Shave("mallory@example.test", "Completed"));

        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        var errors = (await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("cannot be changed", errors.GetProperty("requester")[0].GetString(), StringComparison.Ordinal);
        await using var db = await Factory.CreateDbContextAsync();
        var shave = await db.Shaves.SingleAsync();
        var alice = await db.LocalAccounts.SingleAsync(a => a.UserName == "alice@example.test");
        Assert.Equal((alice.UserId, ShaveStatus.Processing), (shave.RequesterId, shave.ShaveStatus));
        Assert.False(await db.LocalAccounts.AnyAsync(a => a.UserName == "mallory@example.test"));
        Assert.Equal([ActivityTypes.Created], await db.UserActivities.Select(a => a.ActivityType).ToListAsync());
    }

    [Fact]
    public async Task A_worker_key_may_write_any_shave_and_resend_its_requester()
    {
        var (_, first) = await WorkerAsync("recorder");
        var (_, second) = await WorkerAsync("cloud worker");
        var shaveId = Guid.CreateVersion7();
        Assert.Equal(HttpStatusCode.OK, (await first.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", Shave("alice@example.test"))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await second.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", Shave("ALICE@example.test", "Completed"))).StatusCode);

        await using var db = await Factory.CreateDbContextAsync();
        Assert.Equal(ShaveStatus.Completed, (await db.Shaves.SingleAsync()).ShaveStatus);
    }

    [Fact]
    public async Task Every_audit_row_names_the_key_that_wrote_it()
    {
        var (recorder, first) = await WorkerAsync("recorder");
        var (worker, second) = await WorkerAsync("cloud worker");
        var shaveId = Guid.CreateVersion7();
        await first.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", Shave("alice@example.test", "Pending"));
        await second.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", Shave("alice@example.test", "Completed"));
        await second.PutAsJsonAsync($"/api/v1/shaves/{shaveId}/transcript", new { id = Guid.CreateVersion7(), text = "Hi, Alice here…" });

        await using var db = await Factory.CreateDbContextAsync();
        var activity = await db.UserActivities.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToListAsync();
        var named = activity.ToDictionary(a => a.ActivityType, a => JsonDocument.Parse(a.DetailsJson!).RootElement.GetProperty("credential"));
        Assert.Equal([ActivityTypes.Created, ActivityTypes.StatusChanged, ActivityTypes.TranscriptAdded], named.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(($"apikey:{recorder.Id}", "recorder", "worker"), Describe(named[ActivityTypes.Created]));
        Assert.Equal(($"apikey:{worker.Id}", "cloud worker", "worker"), Describe(named[ActivityTypes.StatusChanged]));
        Assert.Equal(($"apikey:{worker.Id}", "cloud worker", "worker"), Describe(named[ActivityTypes.TranscriptAdded]));
        Assert.All(activity, a => Assert.Null(a.UserId));
    }

    [Fact]
    public async Task A_replaced_transcript_stays_in_the_audit_trail_and_a_replay_adds_nothing()
    {
        var (_, api) = await WorkerAsync();
        var shaveId = Guid.CreateVersion7();
        var firstId = Guid.CreateVersion7();
        var secondId = Guid.CreateVersion7();
        await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", Shave("alice@example.test"));
        await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}/transcript", new { id = firstId, text = "Hi, Alice here. The printer…" });

        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}/transcript", new { id = secondId, text = "Nothing to see." })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}/transcript", new { id = secondId, text = "Nothing to see." })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}/transcript", new { id = secondId, text = "Nothing at all." })).StatusCode);

        await using var db = await Factory.CreateDbContextAsync();
        Assert.Equal("Nothing at all.", (await db.Transcripts.SingleAsync()).Text);
        var replaced = await db.UserActivities.Where(a => a.ActivityType == ActivityTypes.TranscriptReplaced)
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).Select(a => a.DetailsJson!).ToListAsync();
        Assert.Equal(
            new[] { (firstId.ToString(), "Hi, Alice here. The printer…"), (secondId.ToString(), "Nothing to see.") }.Order(),
            replaced.Select(d => JsonDocument.Parse(d).RootElement.GetProperty("before"))
                .Select(b => (b.GetProperty("transcriptId").GetString()!, b.GetProperty("text").GetString()!))
                .Order());
    }

    [Fact]
    public async Task The_api_keys_page_lists_each_keys_expiry_and_last_use()
    {
        var (key, api) = await WorkerAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(new Uri("/api/v1/shaves", UriKind.Relative))).StatusCode);

        var admin = await TestAdmin.CreateAsync(App.Factory.Services);
        var row = (await App.Factory.Services.GetRequiredService<ApiKeyService>().ListAsync(admin, default)).Single(k => k.Id == key.Id);

        Assert.NotNull(row.LastUsedAt);
        Assert.Equal(key.ExpiresAt, row.ExpiresAt);
        Assert.Equal(TimeSpan.FromDays(ApiKeyLifetimes.DefaultDays), row.ExpiresAt - row.CreatedAt);
    }

    private static (string?, string?, string?) Describe(JsonElement credential) =>
        (credential.GetProperty("id").GetString(), credential.GetProperty("name").GetString(), credential.GetProperty("scope").GetString());
}

/// <summary>An API key's lifetime, on the app's clock moved by the test.</summary>
public sealed class ApiKeyExpiryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private IsolatedWebApp _app = default!;

    public async Task InitializeAsync() => _app = await IsolatedWebApp.StartAsync(clock: _clock);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_key_works_until_the_moment_it_expires_and_is_401_from_then_on()
    {
        var admin = await TestAdmin.CreateAsync(_app.Services);
        var created = await _app.Services.GetRequiredService<ApiKeyService>().CreateAsync(admin, "month-long worker", 30, default);
        using var api = _app.CreateClient();
        api.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, created.Current!.Key);

        Assert.Equal((DateTime?)_clock.GetUtcNow().UtcDateTime.AddDays(30), created.Current.ExpiresAt);
        _clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(api));
        _clock.Advance(TimeSpan.FromSeconds(1));
        using var expired = await api.GetAsync(new Uri("/api/v1/shaves", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("application/problem+json", expired.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_key_made_to_work_until_revoked_still_works_years_later()
    {
        var admin = await TestAdmin.CreateAsync(_app.Services);
        var created = await _app.Services.GetRequiredService<ApiKeyService>().CreateAsync(admin, "forever worker", null, default);
        using var api = _app.CreateClient();
        api.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, created.Current!.Key);

        _clock.Advance(TimeSpan.FromDays(5 * 365));

        Assert.Null(created.Current.ExpiresAt);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(api));
    }

    [Fact]
    public async Task Last_used_is_written_at_most_once_a_minute()
    {
        var admin = await TestAdmin.CreateAsync(_app.Services);
        var keys = _app.Services.GetRequiredService<ApiKeyService>();
        var created = await keys.CreateAsync(admin, "worker", 90, default);
        using var api = _app.CreateClient();
        api.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, created.Current!.Key);
        var firstUse = _clock.GetUtcNow().UtcDateTime;

        await StatusAsync(api);
        _clock.Advance(TimeSpan.FromSeconds(59));
        await StatusAsync(api);
        var afterSecondUse = (await keys.ListAsync(admin, default)).Single().LastUsedAt;
        _clock.Advance(TimeSpan.FromSeconds(2));
        await StatusAsync(api);

        Assert.Equal((DateTime?)firstUse, afterSecondUse);
        Assert.Equal((DateTime?)firstUse.AddSeconds(61), (await keys.ListAsync(admin, default)).Single().LastUsedAt);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient api)
    {
        using var response = await api.GetAsync(new Uri("/api/v1/shaves", UriKind.Relative));
        return response.StatusCode;
    }
}
