using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace ShaveTracker.Benchmarks;

/// <summary>The second process: drives the server over loopback for a fixed time and prints one JSON measurement.</summary>
public static class Load
{
    public static async Task<int> RunAsync(string mode, Uri url, string credential, TimeSpan duration)
    {
        var m = mode switch
        {
            "pages" => await PagesAsync(url, credential, duration),
            "otlp" => await OtlpAsync(url, credential, duration),
            _ => await IngestAsync(url, credential, duration),
        };
        Console.WriteLine(JsonSerializer.Serialize(m));
        return 0;
    }

    /// <summary>Server-rendered /shaves (the full prerendered page a signed-in browser gets first), 8 connections.</summary>
    private static async Task<Measurement> PagesAsync(Uri url, string cookie, TimeSpan duration)
    {
        using var client = new HttpClient { BaseAddress = url };
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        var done = 0L;
        var errors = 0L;
        var latencies = new List<double>();
        var stop = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, 8).Select(async _ =>
        {
            var local = new List<double>();
            while (stop.Elapsed < duration)
            {
                var sw = Stopwatch.StartNew();
                using var response = await client.GetAsync(new Uri("/shaves", UriKind.Relative));
                await response.Content.ReadAsByteArrayAsync();
                local.Add(sw.Elapsed.TotalMilliseconds);
                Interlocked.Increment(ref response.IsSuccessStatusCode ? ref done : ref errors);
            }

            lock (latencies)
            {
                latencies.AddRange(local);
            }
        }).ToList();
        await Task.WhenAll(workers);
        latencies.Sort();
        var rate = done / stop.Elapsed.TotalSeconds;
        return new Measurement("server-rendered /shaves, signed in, 8 connections from a second process", "—", (int)done, rate, rate, rate, "req/s",
            $"latency p50 {P(latencies, 0.5):N1} ms, p95 {P(latencies, 0.95):N1} ms; {errors} errors");
    }

    /// <summary>Batches of 500 records (250 AI logs + 250 tool calls, ~1 KB payloads) from 4 clients, each on its own shave.</summary>
    private static async Task<Measurement> IngestAsync(Uri url, string key, TimeSpan duration)
    {
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var records = 0L;
        var errors = 0L;
        var stop = Stopwatch.StartNew();
        var text = string.Join(' ', Enumerable.Repeat("the printer on level three prints blank pages", 20));
        var workers = Enumerable.Range(0, 4).Select(async w =>
        {
            var shave = await NewShaveAsync(client, $"Benchmark ingestion {w}", "bench-ingest@bench.local");
            var batch = 0;
            while (stop.Elapsed < duration)
            {
                var logs = Enumerable.Range(0, 250).Select(_ => new { id = Guid.CreateVersion7(), modelName = "gpt-4o", promptText = text, responseText = text, durationMs = 1200 }).ToArray();
                var calls = Enumerable.Range(0, 250).Select(i => new
                {
                    toolCallId = $"call_{batch}_{i}", toolName = "create_issue", serviceName = "github", aiLogId = logs[i].id,
                    args = new { title = text[..60] }, result = new { number = i }, success = true, durationMs = 300,
                }).ToArray();
                using var response = await client.PostAsJsonAsync($"/api/v1/shaves/{shave}/records", new { aiLogs = logs, toolCalls = calls });
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Add(ref records, 500);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }

                batch++;
            }
        }).ToList();
        await Task.WhenAll(workers);
        var rate = records / stop.Elapsed.TotalSeconds;
        return new Measurement($"ingestion through POST /api/v1/shaves/{{id}}/records ({stop.Elapsed.TotalSeconds:N0} s, 4 clients, 500 records per request)",
            "≥ 5,000 records/s", (int)records, rate, rate, rate, "records/s", $"{records:N0} records, {errors} failed requests");
    }

    /// <summary>
    /// OTLP/HTTP protobuf as an SDK's batch exporter sends it: requests of 512 spans, each with ~1 KB of attributes
    /// (half `chat` spans with their messages and usage, half `execute_tool` spans issued by them), one trace per
    /// request, 4 clients each on its own shave (named on the resource).
    /// </summary>
    private static async Task<Measurement> OtlpAsync(Uri url, string key, TimeSpan duration)
    {
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var spans = 0L;
        var errors = 0L;
        var bytes = 0L;
        var stop = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, 4).Select(async w =>
        {
            var shave = await NewShaveAsync(client, $"Benchmark OTLP ingestion {w}", "bench-otlp@bench.local");
            while (stop.Elapsed < duration)
            {
                var body = OtlpBatch.Build(shave, 512);
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-protobuf");
                using var response = await client.PostAsync(new Uri("/v1/traces", UriKind.Relative), content);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Add(ref spans, 512);
                    Interlocked.Add(ref bytes, body.Length);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }).ToList();
        await Task.WhenAll(workers);
        var rate = spans / stop.Elapsed.TotalSeconds;
        return new Measurement($"OTLP ingestion through POST /v1/traces ({stop.Elapsed.TotalSeconds:N0} s, 4 clients, 512 spans per protobuf request)",
            "≥ 10,000 spans/s", (int)spans, rate, rate, rate, "spans/s",
            $"{spans:N0} spans, {bytes / (double)Math.Max(1, spans):N0} bytes a span on the wire, {errors} failed requests");
    }

    /// <summary>A new shave for one client to report into, created through /api/v1 as a pipeline does first.</summary>
    private static async Task<Guid> NewShaveAsync(HttpClient client, string title, string requester)
    {
        var shave = Guid.CreateVersion7();
        using var created = await client.PutAsJsonAsync($"/api/v1/shaves/{shave}", new
        {
            title, status = "Processing", requester = new { userName = requester }, videoFile = new { fileName = "bench.mp4", duration = 60 },
        });
        created.EnsureSuccessStatusCode();
        return shave;
    }

    private static double P(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
