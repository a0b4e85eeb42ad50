using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace ShaveTracker.Benchmarks;

/// <summary>A tool call as the database identifies it: its shave and the id the model gave it.</summary>
public sealed record SoakToolCall(Guid ShaveId, string ToolCallId);

/// <summary>
/// One failure the load met, when the action that met it began and when it gave up (UTC): an API answer that was not
/// a success (or no answer), a page that timed out or logged an error. <paramref name="ShowsRetry"/>: the page offered Retry.
/// </summary>
public sealed record SoakEvent(DateTime At, string Kind, string Message, bool ShowsRetry = false, DateTime? Ended = null)
{
    /// <summary>The message after the time its action began (UTC), to place it against the outage and the server log.</summary>
    public string Described => string.Create(CultureInfo.InvariantCulture, $"{At:HH:mm:ss} {Message}");

    public const string Api = "api";
    public const string Page = "page";
}

/// <summary>
/// What the load process did and what the server acknowledged: only reports answered with a success count as sent,
/// so after the run every one of them must be in the database exactly once.
/// </summary>
public sealed record SoakSent(
    List<Guid> Shaves,
    int Steps,
    List<Guid> AiLogs,
    List<SoakToolCall> ToolCalls,
    int Transcripts,
    int Activities,
    int Requests,
    int Replays,
    int ApiErrors,
    int Navigations,
    int PageErrors,
    int ReloadedPages,
    List<string> ErrorSamples,
    List<SoakEvent> Events);

/// <summary>
/// The soak's second process: N pipeline clients reporting shaves through the API (with deliberate replays of some
/// reports, which must answer as the original did and write nothing), and M Chromium pages, each one Blazor circuit
/// for the whole run, browsing the list (filters, search), a shave and its trace.
/// </summary>
public static class SoakLoad
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly string[] StepNames = ["uploading_video", "transcribing", "executing_task"];
    private static readonly string[] ListViews = ["/shaves", "/shaves?status=Processing", "/shaves?status=Completed", "/shaves?status=Failed", "/shaves?q=printer"];

    public static async Task<int> RunAsync(Uri url, string apiKey, TimeSpan duration, int apiClients, int circuits, int paceMs, int replayPercent, string sentFile)
    {
        var tally = new Tally();
        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        var pipelines = Enumerable.Range(0, apiClients)
            .Select(i => new PipelineClient(http, i, tally, new Random(i), paceMs, replayPercent).RunAsync(clock, duration))
            .ToList();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new() { BaseURL = url.ToString() });
        await SignInAsync(context);
        var pages = Enumerable.Range(0, circuits).Select(i => BrowseAsync(context, i, tally, clock, duration)).ToList();

        await Task.WhenAll(pipelines.Concat(pages));
        var sent = tally.ToSent();
        await File.WriteAllTextAsync(sentFile, JsonSerializer.Serialize(sent, Web));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  load done: {sent.Requests:N0} API requests ({sent.Replays:N0} replays, {sent.ApiErrors} errors), {sent.Navigations:N0} page navigations ({sent.PageErrors} errors)"));
        return 0;
    }

    private static async Task SignInAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/signin");
        await page.FillAsync("#username", Bench.BenchUser);
        await page.FillAsync("#password", Bench.BenchPassword);
        await page.ClickAsync("[data-testid=signin-local]");
        await page.WaitForURLAsync(u => !u.Contains("/account/signin", StringComparison.Ordinal));
        await page.CloseAsync();
    }

    /// <summary>
    /// One page, one circuit: after the first load every move is an in-app navigation (Blazor.navigateTo, a link click),
    /// so the same circuit serves the whole run. A page that had to be reloaded (an error, a lost circuit) is counted.
    /// </summary>
    private static async Task BrowseAsync(IBrowserContext context, int index, Tally tally, Stopwatch clock, TimeSpan duration)
    {
        var random = new Random(1000 + index);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                tally.PageError(DateTime.UtcNow, $"page {index} console: {message.Text}");
            }
        };
        page.PageError += (_, error) => tally.PageError(DateTime.UtcNow, $"page {index} script error: {error}");

        async Task LoadAsync()
        {
            await page.GotoAsync("/shaves");
            await page.WaitForFunctionAsync("() => window.Blazor !== undefined", null, Polled);
            await ListReadyAsync(page);
            await page.EvaluateAsync("() => window.__soakCircuit = true");
        }

        await LoadAsync();
        while (clock.Elapsed < duration)
        {
            var step = "list";
            var began = DateTime.UtcNow;
            try
            {
                var view = ListViews[random.Next(ListViews.Length)];
                step = $"navigate to {view}";
                await NavigateAsync(page, view);
                step = $"wait for the rows of {view}";
                await ListReadyAsync(page);
                step = "open a shave";
                if (await OpenAShaveAsync(page, random))
                {
                    var detail = new Uri(page.Url).AbsolutePath;
                    // The shave page is interactive: from here to its trace the page must stay in its circuit.
                    await page.EvaluateAsync("() => window.__soakCircuit = true");
                    step = "open its trace";
                    await NavigateAsync(page, $"{detail}?tab=trace");
                    await page.Locator("[data-testid=trace]").WaitForAsync();
                    var records = page.Locator("[data-testid=trace-record]");
                    if (await records.CountAsync() > 0)
                    {
                        step = "open a trace record";
                        await records.First.ClickAsync();
                        // The record goes into the address with history.replaceState: polled, not awaited as a navigation.
                        await page.WaitForFunctionAsync("() => location.search.includes('record=')", null, Polled);
                    }

                    tally.Navigated(3);
                    if (!await page.EvaluateAsync<bool>("() => window.__soakCircuit === true"))
                    {
                        tally.PageError(began, $"page {index}: the document was reloaded between a shave and its trace (a new circuit)");
                    }
                }

                tally.Navigated(1);

                if (await page.EvaluateAsync<bool>("() => document.getElementById('components-reconnect-modal')?.open === true"))
                {
                    tally.PageError(began, $"page {index}: the circuit is reconnecting");
                }
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
            {
                var failedAt = DateTime.UtcNow;
                var (shown, retry) = await WhatItShowsAsync(page);
                // A wait that timed out: how late the page was in the end says whether it was slow or stuck.
                var late = ex is TimeoutException ? await LatenessAsync(page) : "";
                tally.PageError(began, $"page {index}, {step}, at {page.Url}: {Brief(ex)} (page shows: {shown}){late}", retry, failedAt);
                tally.Reloaded();
                await ReloadAsync(LoadAsync, tally, index);
            }

            await Task.Delay(random.Next(500, 1500));
        }

        await page.CloseAsync();
    }

    /// <summary>
    /// What a person would see of a failed step: the page's text, and whether it offers Retry (the page's own error
    /// panel when interactive, the error page when static). The page may be navigating meanwhile: then it shows nothing yet.
    /// </summary>
    private static async Task<(string Text, bool Retry)> WhatItShowsAsync(IPage page)
    {
        try
        {
            var text = await page.EvaluateAsync<string>("() => (document.querySelector('main') ?? document.body).innerText.replace(/\\s+/g, ' ').slice(0, 200)");
            var retry = await page.Locator("[data-testid=page-error-retry], [data-testid=error-retry]").CountAsync() > 0;
            return (text, retry);
        }
        catch (PlaywrightException ex)
        {
            return ($"(nothing yet: {ex.Message.Split('\n')[0]})", false);
        }
    }

    /// <summary>Playwright's error and the last line of its call log (what it was waiting for when time ran out).</summary>
    /// <summary>The readiness marker when the wait gave up, and whether the page became ready within another minute.</summary>
    private static async Task<string> LatenessAsync(IPage page)
    {
        try
        {
            var marker = await page.EvaluateAsync<string>("() => { const m = document.getElementById('page-readiness'); return m ? `${m.dataset.readiness} for ${m.dataset.path}` : 'none'; }");
            var waited = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                await page.WaitForFunctionAsync(ReadyFor, new Uri(page.Url).PathAndQuery, new() { PollingInterval = 100, Timeout = 60_000 });
                return $"; readiness marker {marker} at the timeout, ready {waited.Elapsed.TotalSeconds:N1} s later";
            }
            catch (TimeoutException)
            {
                return $"; readiness marker {marker} at the timeout, still not ready a minute later";
            }
        }
        catch (PlaywrightException ex)
        {
            return $"; readiness unknown ({ex.Message.Split('\n')[0]})";
        }
    }

    private static string Brief(Exception ex)
    {
        var lines = ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length > 1 && lines[^1] != lines[0] ? $"{lines[0]} … {lines[^1]}" : lines[0];
    }

    /// <summary>
    /// Loads the page again after an error, as a person would press Retry: while the server cannot serve it (the
    /// database is away), every few seconds, each failure one more error.
    /// </summary>
    private static async Task ReloadAsync(Func<Task> load, Tally tally, int index)
    {
        for (var attempt = 1; ; attempt++)
        {
            var began = DateTime.UtcNow;
            try
            {
                await load();
                return;
            }
            catch (Exception ex) when ((ex is PlaywrightException or TimeoutException) && attempt < 60)
            {
                tally.PageError(began, $"page {index}, reload {attempt}: {Brief(ex)}");
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }

    /// <summary>
    /// True once the address shows the target's path and query and the page says it is ready for it (the app's
    /// PageReadiness marker: static, or interactive once its circuit has taken over; every island live).
    /// </summary>
    /// <summary>
    /// Waits ask every 100 ms. Playwright's default asks on every animation frame, which keeps each of the pages
    /// drawing frames while it waits: twenty of them cost the machine more than the server they are waiting for, and
    /// a load generator must not starve what it measures. A person does not notice 100 ms.
    /// </summary>
    private static readonly PageWaitForFunctionOptions Polled = new() { PollingInterval = 100 };

    private const string ReadyFor = """
        target => {
          const wanted = new URL(target, location.href);
          if (location.pathname !== wanted.pathname || ![...wanted.searchParams].every(([k, v]) => new URLSearchParams(location.search).get(k) === v)) return false;
          const m = document.getElementById('page-readiness');
          if (!m || document.readyState === 'loading' || m.dataset.path.toLowerCase() !== location.pathname.toLowerCase()) return false;
          if (m.dataset.readiness !== 'interactive' && m.dataset.readiness !== 'static') return false;
          return document.querySelector('[data-island]:not(:has([data-island-live]))') === null;
        }
        """;

    /// <summary>
    /// An in-app navigation (as a link click is), done when the target page is ready. Going from an interactive page
    /// to the static list is a page load by design, so the wait is asked again of the new document.
    /// </summary>
    private static async Task NavigateAsync(IPage page, string target)
    {
        await page.EvaluateAsync("path => Blazor.navigateTo(path)", target);
        await WaitReadyAsync(page, target);
    }

    private static async Task WaitReadyAsync(IPage page, string target)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await page.WaitForFunctionAsync(ReadyFor, target, Polled);
                return;
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
                // The document was replaced while waiting (a page load): ask the new one.
                await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
            }
        }
    }

    /// <summary>
    /// Clicks one of the first rows and waits for its page. Rows can be re-rendered under the pointer (the new view's rows
    /// replacing the old ones, a live update): then the click finds no row, and a reader picks again.
    /// </summary>
    private static async Task<bool> OpenAShaveAsync(IPage page, Random random)
    {
        var links = page.Locator("[data-testid=shave-link]");
        for (var attempt = 1; ; attempt++)
        {
            await ListReadyAsync(page);
            var count = await links.CountAsync();
            if (count == 0)
            {
                return false;
            }

            try
            {
                await links.Nth(random.Next(Math.Min(count, 5))).ClickAsync(new() { Timeout = 5_000 });
            }
            catch (TimeoutException) when (attempt < 3 && !OnAShave(page))
            {
                continue;
            }
            catch (TimeoutException) when (OnAShave(page))
            {
                // The click went through and the page navigated, but slower than the click's own wait (a busy server):
                // the reader is on the shave, and waits for it below.
            }

            await page.Locator("[data-testid=shave-title]").WaitForAsync();
            return true;
        }
    }

    private static bool OnAShave(IPage page) =>
        new Uri(page.Url).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) is ["shaves", var id] && Guid.TryParse(id, out _);

    /// <summary>
    /// The list of the current address, ready (see <see cref="ReadyFor"/>), showing rows or its empty state. Between two
    /// views of the list the marker's path stays /shaves while the old rows stay on screen until the new ones render,
    /// so it also waits for the page to stop changing (no DOM mutation for 300 ms, at most 10 s).
    /// </summary>
    private static async Task ListReadyAsync(IPage page)
    {
        await WaitReadyAsync(page, new Uri(page.Url).PathAndQuery);
        try
        {
            await page.EvaluateAsync("""
                () => new Promise(resolve => {
                    const done = () => { observer.disconnect(); clearTimeout(quiet); clearTimeout(limit); resolve(true); };
                    let quiet = setTimeout(done, 300);
                    const limit = setTimeout(done, 10000);
                    const observer = new MutationObserver(() => { clearTimeout(quiet); quiet = setTimeout(done, 300); });
                    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
                })
                """);
        }
        catch (PlaywrightException)
        {
            // A page load replaced the document while it settled: wait for the new one.
            await WaitReadyAsync(page, new Uri(page.Url).PathAndQuery);
        }

        await page.Locator("[data-testid=shave-link], [data-testid=empty-state]").First.WaitForAsync();
    }

    /// <summary>A pipeline: shave after shave, each created, stepped through, given records and a transcript, and finished.</summary>
    private sealed class PipelineClient(HttpClient http, int index, Tally tally, Random random, int paceMs, int replayPercent)
    {
        private int _shaves;

        public async Task RunAsync(Stopwatch clock, TimeSpan duration)
        {
            while (clock.Elapsed < duration)
            {
                await ShaveAsync(_shaves++);
            }
        }

        private async Task ShaveAsync(int n)
        {
            var shaveId = Guid.CreateVersion7();
            object Shave(string status) => new
            {
                title = $"Soak {index}-{n}: the printer on level 3 prints blank pages",
                status,
                requester = new { userName = $"soak-client-{index}@soak.local", displayName = $"Soak client {index}" },
                videoFile = new { fileName = $"soak-{index}-{n}.mp4", filePath = $"/soak/{index}/{n}.mp4", fileHash = $"{index:x4}{n:x8}", duration = 90 + n % 120 },
                workItemSource = "YakShaver Desktop",
                videoEmbedUrl = "https://www.youtube.com/embed/dQw4w9WgXcQ",
            };

            if (await ReportAsync(HttpMethod.Put, $"/api/v1/shaves/{shaveId}", Shave("Processing")) is null)
            {
                return;
            }

            tally.ShaveCreated(shaveId);
            var failed = n % 10 == 9;
            foreach (var stepName in StepNames)
            {
                var stepId = Guid.CreateVersion7();
                var started = DateTime.UtcNow;
                if (await ReportAsync(HttpMethod.Put, $"/api/v1/shaves/{shaveId}/steps/{stepId}",
                        new { stepName, status = "in_progress", startedAt = started }) is null)
                {
                    return;
                }

                tally.StepCreated();
                if (stepName == "executing_task")
                {
                    for (var batch = 0; batch < 3; batch++)
                    {
                        if (!await RecordsAsync(shaveId, stepId, batch))
                        {
                            return;
                        }
                    }
                }

                var last = failed && stepName == "executing_task";
                if (await ReportAsync(HttpMethod.Put, $"/api/v1/shaves/{shaveId}/steps/{stepId}", new
                    {
                        stepName, status = last ? "failed" : "completed", startedAt = started, completedAt = DateTime.UtcNow,
                        errorMessage = last ? "GitHub answered 502 Bad Gateway" : null,
                    }) is null)
                {
                    return;
                }
            }

            if (await ReportAsync(HttpMethod.Put, $"/api/v1/shaves/{shaveId}/transcript",
                    new { id = Guid.CreateVersion7(), text = $"Hi, this is soak client {index}. The printer on level 3 prints blank pages again." }) is null)
            {
                return;
            }

            tally.TranscriptCreated();
            tally.ActivityCreated();
            if (await ReportAsync(HttpMethod.Put, $"/api/v1/shaves/{shaveId}", Shave(failed ? "Failed" : "Completed")) is not null)
            {
                tally.ActivityCreated();
            }
        }

        private async Task<bool> RecordsAsync(Guid shaveId, Guid stepId, int batch)
        {
            var prompt = string.Join(' ', Enumerable.Repeat("Write a GitHub issue for the printer on level 3 that prints blank pages.", 8));
            var logs = Enumerable.Range(0, 40).Select(_ => Guid.CreateVersion7()).ToList();
            var body = new
            {
                aiLogs = logs.Select((id, i) => new { id, processStepId = stepId, modelName = i % 3 == 0 ? "gpt-4o-mini" : "gpt-4o", promptText = prompt, responseText = "## Pain\nBlank pages.", durationMs = 900 + i }),
                toolCalls = logs.Select((id, i) => new
                {
                    toolCallId = $"call_{batch}_{i}", processStepId = stepId, aiLogId = id, toolName = i % 2 == 0 ? "create_issue" : "search_issues",
                    serviceName = "github", args = new { title = "Printer prints blank pages", batch, i }, result = new { number = 1000 + i }, success = i % 17 != 0, durationMs = 300 + i,
                }),
            };
            if (await ReportAsync(HttpMethod.Post, $"/api/v1/shaves/{shaveId}/records", body, SameBatchAnswer) is null)
            {
                return false;
            }

            tally.RecordsCreated(shaveId, logs, logs.Select((_, i) => $"call_{batch}_{i}"));
            return true;
        }

        /// <summary>Sends one report and, for some, the very same report again: a replay answers alike and writes nothing.</summary>
        private async Task<string?> ReportAsync(HttpMethod method, string path, object body, Func<string, string, bool>? sameAnswer = null)
        {
            var json = JsonSerializer.Serialize(body, Web);
            var first = await SendAsync(method, path, json);
            if (first is not null && random.Next(100) < replayPercent)
            {
                tally.Replayed();
                var again = await SendAsync(method, path, json);
                if (again is not null && !(sameAnswer ?? string.Equals)(first, again))
                {
                    tally.ApiError(DateTime.UtcNow, $"{method} {path}: the replay answered {again}, the original {first}");
                }
            }

            if (paceMs > 0)
            {
                await Task.Delay(paceMs);
            }

            return first;
        }

        /// <summary>
        /// Sends a report as a real pipeline does: a server error or no answer is sent again (every report is
        /// idempotent) every second for up to two minutes; a refusal (4xx) is not. Each failed try is an error.
        /// </summary>
        private async Task<string?> SendAsync(HttpMethod method, string path, string json)
        {
            var giveUp = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (true)
            {
                var began = DateTime.UtcNow;
                var (answer, retry) = await TryAsync(method, path, json, began);
                if (answer is not null || !retry || DateTime.UtcNow > giveUp)
                {
                    return answer;
                }

                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }

        private async Task<(string? Answer, bool Retry)> TryAsync(HttpMethod method, string path, string json, DateTime began)
        {
            try
            {
                using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
                using var response = await http.SendAsync(request);
                var answer = await response.Content.ReadAsStringAsync();
                tally.Requested();
                if (!response.IsSuccessStatusCode)
                {
                    tally.ApiError(began, $"{method} {path}: {(int)response.StatusCode} {answer[..Math.Min(answer.Length, 300)]}");
                    return (null, (int)response.StatusCode >= 500);
                }

                return (answer, false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                tally.ApiError(began, $"{method} {path}: {ex.Message}");
                return (null, true);
            }
        }

        // The original creates what it carries; the replay finds all of it and creates nothing.
        private static bool SameBatchAnswer(string first, string again)
        {
            using var a = JsonDocument.Parse(first);
            using var b = JsonDocument.Parse(again);
            int Get(JsonDocument d, string name) => d.RootElement.GetProperty(name).GetInt32();
            return Get(b, "aiLogsCreated") == 0 && Get(b, "toolCallsCreated") == 0 &&
                Get(b, "aiLogsUnchanged") == Get(a, "aiLogsCreated") + Get(a, "aiLogsUnchanged") &&
                Get(b, "toolCallsUnchanged") == Get(a, "toolCallsCreated") + Get(a, "toolCallsUnchanged");
        }
    }

    /// <summary>Counts shared by every client and page of the load process.</summary>
    private sealed class Tally
    {
        private const int MaxSamples = 20;
        private const int MaxEvents = 20_000;
        private readonly Lock _lock = new();
        private readonly List<Guid> _shaves = [];
        private readonly List<Guid> _aiLogs = [];
        private readonly List<SoakToolCall> _toolCalls = [];
        private readonly List<string> _errors = [];
        private readonly List<SoakEvent> _events = [];
        private int _steps;
        private int _transcripts;
        private int _activities;
        private int _requests;
        private int _replays;
        private int _apiErrors;
        private int _navigations;
        private int _pageErrors;
        private int _reloaded;

        public void ShaveCreated(Guid id)
        {
            lock (_lock)
            {
                _shaves.Add(id);
                // shave.created
                _activities++;
            }
        }

        // shave.transcript_added, shave.status_changed (Processing → Completed or Failed)
        public void ActivityCreated() => Interlocked.Increment(ref _activities);

        public void StepCreated() => Interlocked.Increment(ref _steps);

        public void TranscriptCreated() => Interlocked.Increment(ref _transcripts);

        public void RecordsCreated(Guid shaveId, IEnumerable<Guid> aiLogs, IEnumerable<string> toolCallIds)
        {
            lock (_lock)
            {
                _aiLogs.AddRange(aiLogs);
                _toolCalls.AddRange(toolCallIds.Select(id => new SoakToolCall(shaveId, id)));
            }
        }

        public void Requested() => Interlocked.Increment(ref _requests);

        public void Replayed() => Interlocked.Increment(ref _replays);

        public void Navigated(int count) => Interlocked.Add(ref _navigations, count);

        public void Reloaded() => Interlocked.Increment(ref _reloaded);

        public void ApiError(DateTime at, string message)
        {
            Interlocked.Increment(ref _apiErrors);
            Record(new SoakEvent(at, SoakEvent.Api, message, Ended: DateTime.UtcNow));
        }

        public void PageError(DateTime at, string message, bool showsRetry = false, DateTime? ended = null)
        {
            Interlocked.Increment(ref _pageErrors);
            Record(new SoakEvent(at, SoakEvent.Page, message, showsRetry, ended ?? DateTime.UtcNow));
        }

        private void Record(SoakEvent e)
        {
            lock (_lock)
            {
                if (_errors.Count < MaxSamples)
                {
                    _errors.Add(e.Described);
                }

                if (_events.Count < MaxEvents)
                {
                    _events.Add(e);
                }
            }
        }

        public SoakSent ToSent()
        {
            lock (_lock)
            {
                return new SoakSent([.. _shaves], _steps, [.. _aiLogs], [.. _toolCalls], _transcripts, _activities, _requests, _replays, _apiErrors,
                    _navigations, _pageErrors, _reloaded, [.. _errors], [.. _events]);
            }
        }
    }
}
