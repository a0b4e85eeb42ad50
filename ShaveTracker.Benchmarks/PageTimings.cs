using System.Text.Json;
using Microsoft.Playwright;

namespace ShaveTracker.Benchmarks;

/// <summary>
/// What a person waits for: real Chromium navigations (full page loads, signed in as an admin, 1440 × 900) from
/// navigation start to the first animation frame in which the page's main content is in the document with a layout box.
/// The time is taken inside the page (performance.now() is counted from navigation start), and the page says when it
/// has it with a console message: the driver waits for that message outside the page, so nothing of its own runs in
/// the page while it loads (waiting with a polling function would install Playwright's injected script into each new
/// document, on the main thread, during the very load being timed). Each page is warmed by forty loads, then loaded
/// thirty times, one at a time and <see cref="ThinkTime"/> apart, as a person opens pages: the page before has started
/// its circuit (whose first render is server work too) before the next one is asked for, rather than competing with it
/// for the same two cores.
/// </summary>
internal static class PageTimings
{
    internal const string NamePrefix = "page in Chromium";
    // Warm means the server's code for the page is at its optimised tier, as on a server that has been up for a while:
    // .NET recompiles a method once it has been called 30 times, on a background thread. With five warm-up loads, the
    // first pages measured were served by unoptimised code while their recompilation took one of the two cores.
    private const int WarmUps = 40;
    private const int Loads = 30;
    internal static readonly TimeSpan ThinkTime = TimeSpan.FromMilliseconds(500);

    internal sealed record PageCase(string Name, string Path, string MainContent, string Target, bool Interactions = false)
    {
        public string FullName => $"{NamePrefix}: {Name}";
    }

    /// <summary>The five pages people open most, each with what on it is its main content.</summary>
    public static PageCase[] Cases(GeneratedMeta meta, Guid someShave)
    {
        var heavyTrace = new PageCase("the heavy shave's trace (first row)", $"/shaves/{meta.HeavyShaveId}?tab=trace", "[data-testid=trace-rows] [role=treeitem]", "≤ 600 ms p95");
        // Right after the heavy shave's trace, in the same run, as its target is relative to it.
        PageCase[] longTrace = meta.LongShaveId is { } longShave
            ? [new("the long shave's trace (first row; 100,000 records)", $"/shaves/{longShave}?tab=trace", heavyTrace.MainContent,
                "≤ 1,000 ms p95 and ≤ 2 × the heavy shave's", Interactions: true)]
            : [];
        return
        [
            new("the shave list (/shaves, first row)", "/shaves", "[data-testid=shave-link]", "≤ 150 ms p95"),
            new("a shave page (its summary)", $"/shaves/{someShave}", "[data-testid=shave-summary]", "≤ 150 ms p95"),
            heavyTrace,
            .. longTrace,
            new("the dashboard (its cards)", "/", "[data-testid=card-window-total]", "≤ 300 ms p95"),
            new("the log explorer (first row)", "/logs", "[data-testid=log-link]", "≤ 300 ms p95"),
        ];
    }

    private const string ShownMessage = "shavetracker:main-content-shown";

    /// <summary>
    /// Records, in the page, the first animation frame in which an element matching the selector is in the document
    /// with a layout box, from a mutation observer set before the first byte of the document is parsed. The box is
    /// looked for in the frame itself, whose style and layout the browser does anyway; asked for in the observer, it
    /// would force a layout of its own, before the style sheets are in, that no user's browser does.
    /// </summary>
    private const string WatchScript = $$"""
        (selector => {
          let waiting = false;
          const frame = () => {
            waiting = false;
            const el = document.querySelector(selector);
            if (!el) return;
            // In the document but not laid out yet (hidden until its styles or its container's are in): next frame.
            if (el.getClientRects().length === 0) { waiting = true; requestAnimationFrame(frame); return; }
            window.__stShownAt = performance.now();
            observer.disconnect();
            console.debug('{{ShownMessage}}');
          };
          const observer = new MutationObserver(() => {
            if (!waiting && document.querySelector(selector)) { waiting = true; requestAnimationFrame(frame); }
          });
          observer.observe(document, { childList: true, subtree: true, attributes: true });
        })
        """;

    public static async Task<List<Measurement>> MeasureAsync(Uri baseAddress, string cookie, IReadOnlyList<PageCase> cases)
    {
        if (cases.Count == 0)
        {
            return [];
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new() { BaseURL = baseAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 } });
        var parts = cookie.Split('=', 2);
        await context.AddCookiesAsync([new() { Name = parts[0], Value = parts[1], Domain = baseAddress.Host, Path = "/" }]);

        var results = new List<Measurement>();
        foreach (var page in cases)
        {
            results.Add(await MeasurePageAsync(context, page.FullName, page));
            if (page.Interactions)
            {
                results.AddRange(await MeasureTraceInteractionsAsync(context, page));
            }
        }

        return results;
    }

    /// <summary>
    /// In the page, from the key press or pointer press (a capturing listener takes the time) to the animation frame
    /// after the change it causes is in the document: the cursor row for j/k, the match count for the failures chip.
    /// </summary>
    private const string ArmScript = """
        kind => {
          window.__stResult = undefined;
          const read = kind === 'key'
            ? () => document.querySelector('[data-testid=trace-rows] .cursor')?.getAttribute('data-id') ?? ''
            : () => (document.querySelector('[data-testid=trace-match-count]')?.textContent ?? '') + '|' +
                    (document.querySelector('[data-testid=trace-rows] [role=treeitem]')?.getAttribute('data-id') ?? '');
          const before = read();
          let started;
          document.addEventListener(kind === 'key' ? 'keydown' : 'pointerdown', () => { started = performance.now(); }, { capture: true, once: true });
          const observer = new MutationObserver(() => {
            if (started === undefined || read() === before) return;
            observer.disconnect();
            requestAnimationFrame(() => { window.__stResult = performance.now() - started; });
          });
          observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        }
        """;

    /// <summary>On an open trace: 30 moves with j (then k), and the failures chip switched on and off 10 times each.</summary>
    private static async Task<List<Measurement>> MeasureTraceInteractionsAsync(IBrowserContext context, PageCase pageCase)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(pageCase.Path);
        await page.WaitForSelectorAsync("[data-testid=trace][data-keys=on]", new() { Timeout = 120_000 });
        await page.WaitForSelectorAsync("[data-testid=trace-rows] .cursor", new() { Timeout = 60_000 });

        async Task<double> TimeAsync(string kind, Func<Task> act)
        {
            await page.EvaluateAsync(ArmScript, kind);
            await act();
            await page.WaitForFunctionAsync("() => window.__stResult !== undefined", null, new() { Timeout = 60_000 });
            return await page.EvaluateAsync<double>("() => window.__stResult");
        }

        var moves = new List<double>();
        for (var i = 0; i < WarmUps + Loads; i++)
        {
            var key = i % 20 < 10 ? "j" : "k";
            var ms = await TimeAsync("key", () => page.Keyboard.PressAsync(key));
            if (i >= WarmUps)
            {
                moves.Add(ms);
            }
        }

        var chip = page.Locator("[data-testid=trace-failed-filter]");
        var filters = new List<double>();
        for (var i = 0; i < 2 + 20; i++)
        {
            var ms = await TimeAsync("click", () => chip.ClickAsync());
            if (i >= 2)
            {
                filters.Add(ms);
            }
        }

        await page.CloseAsync();
        moves.Sort();
        filters.Sort();
        var name = pageCase.Name.Split(" (", 2)[0];
        var results = new List<Measurement>
        {
            new($"{NamePrefix}: j/k on {name}", "≤ 50 ms a move", moves.Count, Bench.Percentile(moves, 0.5), Bench.Percentile(moves, 0.95), moves[^1], "ms",
                "key press to the frame after the cursor row moved"),
            new($"{NamePrefix}: failures only, on and off, on {name}", "≤ 200 ms", filters.Count, Bench.Percentile(filters, 0.5), Bench.Percentile(filters, 0.95), filters[^1], "ms",
                "press on the failed-count chip to the frame after the rows and their count changed"),
        };
        foreach (var m in results)
        {
            Console.WriteLine($"  {m.Name,-75} p50 {m.P50,8:N0}  p95 {m.P95,8:N0}  max {m.Max,8:N0} ms");
        }

        return results;
    }

    private static async Task<Measurement> MeasurePageAsync(IBrowserContext context, string name, PageCase pageCase)
    {
        var page = await context.NewPageAsync();
        await page.AddInitScriptAsync($"{WatchScript}({JsonSerializer.Serialize(pageCase.MainContent)});");
        var shown = new List<double>(Loads);
        var server = new List<double>(Loads);
        for (var i = 0; i < WarmUps + Loads; i++)
        {
            var shownMessage = page.WaitForConsoleMessageAsync(new()
            {
                Predicate = m => m.Text == ShownMessage, Timeout = 60_000,
            });
            await page.GotoAsync(pageCase.Path, new() { WaitUntil = WaitUntilState.Commit });
            await shownMessage;
            // The server's share: the document's request start to its last byte (rendering, streamed). Renders a
            // circuit sends afterwards are not in it.
            var times = await page.EvaluateAsync<double[]>("""
                () => {
                  const nav = performance.getEntriesByType('navigation')[0];
                  return [window.__stShownAt, nav.responseEnd - nav.requestStart];
                }
                """);
            if (i >= WarmUps)
            {
                shown.Add(times[0]);
                server.Add(times[1]);
            }

            await Task.Delay(ThinkTime);
        }

        await page.CloseAsync();
        shown.Sort();
        server.Sort();
        var m = new Measurement(name, pageCase.Target, shown.Count, Bench.Percentile(shown, 0.5), Bench.Percentile(shown, 0.95), shown[^1], "ms",
            $"server's share (document request to its last byte) p50 {Bench.Percentile(server, 0.5):N0} ms, p95 {Bench.Percentile(server, 0.95):N0} ms");
        Console.WriteLine($"  {name,-75} p50 {m.P50,8:N0}  p95 {m.P95,8:N0}  max {m.Max,8:N0} ms  ({m.Note})");
        return m;
    }
}
