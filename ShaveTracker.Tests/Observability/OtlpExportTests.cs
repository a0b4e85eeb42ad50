using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Infrastructure.Telemetry;

namespace ShaveTracker.Tests.Observability;

/// <summary>
/// OpenTelemetry export is switched on by the standard OTEL_EXPORTER_OTLP_ENDPOINT setting and by nothing else: with
/// it the app sends traces and metrics to that collector, without it nothing runs that could send anything.
/// </summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly SqliteDatabaseFixture _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task With_an_OTLP_endpoint_the_app_exports_its_traces_and_metrics_there()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        await using var host = new ShaveTrackerWebFactory(_database.ConnectionString, new Dictionary<string, string?>
        {
            [TelemetrySetup.OtlpEndpointSetting] = collector.Endpoint,
            // The collector here speaks OTLP over HTTP; the exporter's default is gRPC.
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        var tracing = host.Services.GetService<TracerProvider>();
        var metering = host.Services.GetService<MeterProvider>();
        Assert.NotNull(tracing);
        Assert.NotNull(metering);
        using var client = host.CreateClient();
        using (var signInPage = await client.GetAsync(new Uri("/account/signin", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, signInPage.StatusCode);
        }

        var key = await TestAdmin.CreateApiKeyAsync(host.Services, "worker");
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key.Key);
        var shaveId = Guid.CreateVersion7();
        using (var shave = await client.PutAsJsonAsync($"/api/v1/shaves/{shaveId}", new
               {
                   title = "Printer prints blank pages", status = "Processing",
                   requester = new { userName = "alice@example.test" },
                   videoFile = new { fileName = "a.mp4", duration = 10 },
               }))
        {
            Assert.Equal(HttpStatusCode.OK, shave.StatusCode);
        }

        using (var records = await client.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/records",
                   new { aiLogs = new[] { new { id = Guid.CreateVersion7(), modelName = "gpt-4o" } } }))
        {
            Assert.Equal(HttpStatusCode.OK, records.StatusCode);
        }

        // What the exporters batch (traces every few seconds, metrics every minute) is sent now: an operator's
        // collector gets the same on the exporters' own schedule and when the app stops.
        Assert.True(tracing.ForceFlush(), "The trace export failed.");
        Assert.True(metering.ForceFlush(), "The metric export failed.");

        var traces = collector.Bodies("/v1/traces");
        Assert.NotEmpty(traces);
        Assert.Contains(traces, b => b.Contains("service.name", StringComparison.Ordinal) && b.Contains(TelemetrySetup.ServiceName, StringComparison.Ordinal));
        Assert.Contains(traces, b => b.Contains("/account/signin", StringComparison.Ordinal));
        var metrics = collector.Bodies("/v1/metrics");
        Assert.Contains(metrics, b => b.Contains(ShaveTrackerMetrics.RecordsName, StringComparison.Ordinal));
        Assert.Contains(metrics, b => b.Contains("http.server.request.duration", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_an_OTLP_endpoint_no_exporter_runs()
    {
        // Blank, in case the machine running the tests has the variable set.
        await using var host = new ShaveTrackerWebFactory(_database.ConnectionString, new Dictionary<string, string?>
        {
            [TelemetrySetup.OtlpEndpointSetting] = "",
        });
        using var client = host.CreateClient();
        using (var page = await client.GetAsync(new Uri("/account/signin", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        Assert.Null(host.Services.GetService<TracerProvider>());
        Assert.Null(host.Services.GetService<MeterProvider>());
        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(),
            s => s.GetType().FullName!.StartsWith("OpenTelemetry", StringComparison.Ordinal));
        // The app's own metrics are still there for anything that listens in process (dotnet-counters, tests).
        Assert.NotNull(host.Services.GetService<ShaveTrackerMetrics>());
    }

    /// <summary>Takes OTLP/HTTP export requests on a loopback port and keeps their bodies.</summary>
    private sealed class FakeOtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, string Body)> _received;

        private FakeOtlpCollector(WebApplication app, ConcurrentQueue<(string Path, string Body)> received)
        {
            _app = app;
            _received = received;
        }

        public string Endpoint => _app.Urls.First();

        /// <summary>The bodies sent to a path, as Latin-1 text: protobuf keeps strings as they are, so names can be searched.</summary>
        public IReadOnlyList<string> Bodies(string path) => [.. _received.Where(r => r.Path == path).Select(r => r.Body)];

        public static async Task<FakeOtlpCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var received = new ConcurrentQueue<(string, string)>();
            app.MapPost("/v1/{signal}", async (HttpContext http) =>
            {
                using var body = new MemoryStream();
                await http.Request.Body.CopyToAsync(body);
                received.Enqueue((http.Request.Path.Value!, Encoding.Latin1.GetString(body.ToArray())));
                // An empty Export*ServiceResponse: everything accepted.
                http.Response.ContentType = "application/x-protobuf";
            });
            await app.StartAsync();
            return new FakeOtlpCollector(app, received);
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}

