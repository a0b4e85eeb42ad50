using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Infrastructure.Telemetry;
using M = ShaveTracker.Web.Infrastructure.Telemetry.ShaveTrackerMetrics;

namespace ShaveTracker.Tests.Observability;

/// <summary>
/// The ShaveTracker meter as a dashboard reads it, driven through the real HTTP API and a real browser: records
/// per second come from the records counter, refusals from the rejects counter, open sessions from the circuits
/// gauge.
/// </summary>
public sealed class MetricsTests(WebAppFixture app) : WebTest(app)
{
    private async Task<HttpClient> ApiClientAsync()
    {
        var key = await TestAdmin.CreateApiKeyAsync(App.Factory.Services, "metrics test worker");
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key.Key);
        return client;
    }

    private MetricCapture Capture() => new(App.Factory.Services.GetRequiredService<IMeterFactory>(), M.MeterName);

    private static async Task<Guid> CreateShaveAsync(HttpClient api)
    {
        var shaveId = Guid.CreateVersion7();
        using var created = await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", new
        {
            title = "Printer prints blank pages",
            status = "Processing",
            requester = new { userName = "alice@example.test", displayName = "Alice Example" },
            videoFile = new { fileName = "a.mp4", filePath = "/videos/a.mp4", fileHash = "abc", duration = 192 },
        });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        return shaveId;
    }

    private static object Batch(int aiLogs, int toolCalls)
    {
        var logs = Enumerable.Range(0, aiLogs).Select(i => new { id = Guid.CreateVersion7(), modelName = "gpt-4o", durationMs = 100 + i }).ToArray();
        var calls = Enumerable.Range(0, toolCalls).Select(i => new { toolCallId = $"call_{i}", toolName = "create_issue", serviceName = "github", success = true }).ToArray();
        return new { aiLogs = logs, toolCalls = calls };
    }

    [Fact]
    public async Task A_batch_counts_its_records_by_kind_and_a_replay_counts_them_as_unchanged()
    {
        using var api = await ApiClientAsync();
        var shaveId = await CreateShaveAsync(api);
        using var metrics = Capture();
        var batch = Batch(aiLogs: 3, toolCalls: 2);

        using (var first = await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records", batch))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        Assert.Equal(3, metrics.Sum(M.RecordsName, (M.KindTag, "ai_log"), (M.OutcomeTag, "created")));
        Assert.Equal(2, metrics.Sum(M.RecordsName, (M.KindTag, "tool_call"), (M.OutcomeTag, "created")));
        Assert.Equal(0, metrics.Sum(M.RecordsName, (M.OutcomeTag, "unchanged")));

        // The pipeline retries after a timeout: the same batch again is accepted and written nowhere.
        using (var replay = await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records", batch))
        {
            Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        }

        Assert.Equal(3, metrics.Sum(M.RecordsName, (M.KindTag, "ai_log"), (M.OutcomeTag, "unchanged")));
        Assert.Equal(2, metrics.Sum(M.RecordsName, (M.KindTag, "tool_call"), (M.OutcomeTag, "unchanged")));
        Assert.Equal(5, metrics.Sum(M.RecordsName, (M.OutcomeTag, "created")));

        // One record sent alone counts too.
        using (var single = await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/tool-calls",
                   new { toolCallId = "call_single", toolName = "search_issues", serviceName = "github", success = false }))
        {
            Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        }

        Assert.Equal(3, metrics.Sum(M.RecordsName, (M.KindTag, "tool_call"), (M.OutcomeTag, "created")));
        Assert.Equal(0, metrics.Sum(M.RejectedName));
    }

    [Fact]
    public async Task Refused_reports_are_counted_by_reason_and_status_and_write_no_records()
    {
        using var api = await ApiClientAsync();
        var shaveId = await CreateShaveAsync(api);
        using var metrics = Capture();

        // Reads are not ingestion: a lookup of a shave that does not exist yet is how a worker decides to create it.
        using (var lookup = await api.GetAsync(new Uri($"/api/v1/shaves/{Guid.CreateVersion7()}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        }

        // One bad record: nothing of the batch is written.
        using (var invalid = await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records",
                   new { aiLogs = new[] { new { id = Guid.CreateVersion7(), modelName = "" } } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }

        using (var unknownShave = await api.PostAsJsonAsync($"/api/v1/shaves/{Guid.CreateVersion7()}/records", Batch(1, 0)))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknownShave.StatusCode);
        }

        using (var anonymous = App.CreateClient())
        using (var unauthenticated = await anonymous.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records", Batch(1, 0)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        }

        await metrics.WaitForSumAsync(1, M.RejectedName, (M.ReasonTag, "invalid"), (M.StatusCodeTag, 400));
        await metrics.WaitForSumAsync(1, M.RejectedName, (M.ReasonTag, "not_found"), (M.StatusCodeTag, 404));
        await metrics.WaitForSumAsync(1, M.RejectedName, (M.ReasonTag, "unauthenticated"), (M.StatusCodeTag, 401));
        Assert.Equal(3, metrics.Sum(M.RejectedName));
        Assert.Equal(0, metrics.Sum(M.RecordsName));
    }

    [Fact]
    public async Task A_report_delivered_to_a_watching_page_records_its_live_update_lag()
    {
        using var api = await ApiClientAsync();
        var shaveId = await CreateShaveAsync(api);
        using var metrics = Capture();
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = App.Factory.Services.GetRequiredService<IShaveChangeNotifier>()
            .Subscribe(shaveId, change =>
            {
                if (change.Kind == ShaveChangeKind.RecordsAdded)
                {
                    delivered.TrySetResult();
                }

                return Task.CompletedTask;
            });

        using (var posted = await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records", Batch(1, 1)))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        await delivered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Pages left open by earlier tests on this app may be watching too: each delivery is one measurement.
        var lags = metrics.Measurements(M.LiveUpdateLagName);
        Assert.Contains(lags, m => Equals(m.Tags[M.ChangeKindTag], "records_added"));
        Assert.All(lags, m => Assert.True(m.Value >= 0, $"Lag {m.Value} s is negative."));
    }
}
