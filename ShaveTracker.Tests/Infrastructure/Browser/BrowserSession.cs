using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Playwright;
using Serilog.Events;

namespace ShaveTracker.Tests.Infrastructure.Browser;

/// <summary>
/// One person's browser: a fresh context (own cookies) on one app, signed in through the real sign-in form when a
/// user is given, whose pages are <see cref="AppPage"/>s. Everything each page writes to its console, and every
/// script error, is kept for the failure report (see <see cref="BrowserTestScope"/>).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly List<AppPage> _pages = [];
    private readonly CapturingLogSink? _serverLog;
    private readonly long _serverLogMark;
    private bool _closed;

    private BrowserSession(IBrowserContext context, CapturingLogSink? serverLog)
    {
        Context = context;
        _serverLog = serverLog;
        _serverLogMark = serverLog?.Mark() ?? 0;
    }

    public IBrowserContext Context { get; }

    /// <summary>The first page: the one the session signed in with.</summary>
    public AppPage Page => _pages[0];

    /// <summary>
    /// Opens a context on <paramref name="baseAddress"/> and signs <paramref name="userName"/> in (password
    /// <see cref="LocalSignIn.Password"/>), waiting until the page signed in to is ready.
    /// </summary>
    public static async Task<BrowserSession> OpenAsync(IBrowser browser, Uri baseAddress, string? userName, CapturingLogSink? serverLog,
        BrowserNewContextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(baseAddress);
        options ??= new BrowserNewContextOptions();
        options.BaseURL = baseAddress.ToString();
        var session = new BrowserSession(await browser.NewContextAsync(options), serverLog);
        // Each wait ends as soon as its condition holds; the ceiling is for this shared 2-core machine, where a page
        // load can take tens of seconds while other test collections (or other builds) run beside the browser.
        session.Context.SetDefaultTimeout(60_000);
        session.Context.SetDefaultNavigationTimeout(60_000);
        // The session is the test's from here on: a failure while signing in is reported with the page too.
        if (BrowserTestScope.Current is { } scope)
        {
            scope.Add(session);
        }

        var page = await session.NewPageAsync();
        if (userName is not null)
        {
            await page.GotoAsync("/account/signin");
            await page.FillAsync("#username", userName);
            await page.FillAsync("#password", LocalSignIn.Password);
            await page.ClickAsync("[data-testid=signin-local]");
            await page.WaitForUrlAsync(url => !url.Contains("/account/signin", StringComparison.Ordinal));
        }

        return session;
    }

    /// <summary>Another tab of the same person.</summary>
    public async Task<AppPage> NewPageAsync()
    {
        var page = new AppPage(await Context.NewPageAsync());
        _pages.Add(page);
        return page;
    }

    /// <summary>Inside a browser test the scope closes the session once the outcome is known; elsewhere, now.</summary>
    public ValueTask DisposeAsync() => BrowserTestScope.Current is null ? new ValueTask(CloseAsync()) : ValueTask.CompletedTask;

    internal async Task CloseAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        await Context.DisposeAsync();
    }

    /// <summary>Writes each page's screenshot, HTML and console, and the server's log since the session opened.</summary>
    internal async Task SaveAsync(string folder, string name)
    {
        for (var i = 0; i < _pages.Count; i++)
        {
            var page = _pages[i];
            var prefix = Path.Combine(folder, $"{name}-page{i + 1}");
            var lines = new List<string> { $"url: {page.Page.Url}" };
            lines.AddRange(page.Console);
            await File.WriteAllLinesAsync(prefix + "-console.log", lines);
            if (page.Page.IsClosed)
            {
                continue;
            }

            try
            {
                await page.Page.ScreenshotAsync(new() { Path = prefix + ".png", FullPage = true, Timeout = 10_000 });
                await File.WriteAllTextAsync(prefix + ".html", await page.Page.ContentAsync());
            }
            catch (PlaywrightException e)
            {
                await File.AppendAllLinesAsync(prefix + "-console.log", [$"(could not save the page: {e.Message})"]);
            }
        }

        if (_serverLog is not null)
        {
            await File.WriteAllLinesAsync(Path.Combine(folder, $"{name}-server.log"), _serverLog.EventsSince(_serverLogMark).Select(Format));
        }
    }

    private static string Format(LogEvent e) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{e.Timestamp:HH:mm:ss.fff} {e.Level} {e.RenderMessage(CultureInfo.InvariantCulture)}{(e.Exception is null ? "" : Environment.NewLine + e.Exception)}");
}

/// <summary>
/// A page of the app, used the one way every browser test uses it: each navigation, click, key and input first
/// waits until the page is ready (see <see cref="WaitUntilReadyAsync"/>), so nothing races Blazor's hand-over from
/// the prerendered page to its circuit, and nothing is clicked twice. Assertions use Playwright's auto-waiting
/// <c>Expect(page.Locator(...))</c>.
/// </summary>
public sealed class AppPage
{
    /// <summary>True once the page says it is ready for the path in the address bar (the app's PageReadiness marker).</summary>
    private const string ReadyScript = """
        () => {
          const m = document.getElementById('page-readiness');
          if (!m || document.readyState === 'loading') return false;
          if (m.dataset.path.toLowerCase() !== location.pathname.toLowerCase()) return false;
          if (m.dataset.readiness !== 'interactive' && m.dataset.readiness !== 'static') return false;
          return document.querySelector('[data-island]:not(:has([data-island-live]))') === null;
        }
        """;

    private readonly ConcurrentQueue<string> _console = new();

    internal AppPage(IPage page)
    {
        Page = page;
        page.Console += (_, m) => _console.Enqueue($"[{m.Type}] {m.Text}");
        page.PageError += (_, e) => _console.Enqueue($"[page error] {e}");
        page.RequestFailed += (_, r) => _console.Enqueue($"[request failed] {r.Method} {r.Url}: {r.Failure}");
    }

    /// <summary>The Playwright page, for what this class does not wrap (evaluating script, the API request context).</summary>
    public IPage Page { get; }

    public string Url => Page.Url;

    public IKeyboard Keyboard => Page.Keyboard;

    internal IEnumerable<string> Console => _console;

    /// <summary>Every console message and script error of the page so far.</summary>
    public IReadOnlyList<string> ConsoleMessages => [.. _console];

    public ILocator Locator(string selector, PageLocatorOptions? options = null) => Page.Locator(selector, options);

    public ILocator GetByRole(AriaRole role, PageGetByRoleOptions? options = null) => Page.GetByRole(role, options);

    public ILocator GetByText(string text, PageGetByTextOptions? options = null) => Page.GetByText(text, options);

    /// <summary>Waits until the page for the current address is usable: its circuit has taken over (interactive pages), it has
    /// loaded (static pages), and every interactive island on it is live.</summary>
    public async Task WaitUntilReadyAsync() =>
        await Page.WaitForFunctionAsync(ReadyScript, null, new() { Timeout = 60_000 });

    /// <summary>Opens <paramref name="url"/> and waits until it is ready; returns the document's response.</summary>
    public async Task<IResponse?> GotoAsync(string url)
    {
        var response = await Page.GotoAsync(url);
        await WaitUntilReadyAsync();
        return response;
    }

    /// <summary>Leaves the app (for an empty page), as a person closing the tab would.</summary>
    public async Task LeaveAsync() => await Page.GotoAsync("about:blank");

    public async Task ReloadAsync()
    {
        await Page.ReloadAsync();
        await WaitUntilReadyAsync();
    }

    public async Task GoBackAsync()
    {
        await Page.GoBackAsync();
        await WaitUntilReadyAsync();
    }

    /// <summary>Waits for the address to match, then for that page to be ready.</summary>
    /// <remarks>
    /// Reads the address the page itself has (<c>location.href</c>) and, while it does not match, waits in the page
    /// for it to change. Playwright's own URL wait listens for navigation events, and a same-document change made by
    /// Blazor (history.pushState/replaceState) could slip past it, or it waited for a load event that a frame the
    /// test machine cannot reach holds up.
    /// </remarks>
    public async Task WaitForUrlAsync(Func<string, bool> url)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            string current;
            try
            {
                current = await Page.EvaluateAsync<string>("() => location.href");
            }
            catch (PlaywrightException) when (!patience.IsCancellationRequested && !Page.IsClosed)
            {
                // The document was replaced while it was asked (a page load): the next read waits for its successor's
                // script to run. Not a wait for the successor's DOMContentLoaded: that event may already have come, and
                // a wait that starts after it waited the whole minute.
                continue;
            }

            if (url(current))
            {
                break;
            }

            Assert.False(patience.IsCancellationRequested, $"The address stayed {current}.");
            try
            {
                await Page.WaitForFunctionAsync("href => location.href !== href", current, new() { Timeout = 60_000 });
            }
            catch (PlaywrightException) when (!patience.IsCancellationRequested)
            {
                // A page load replaced the document while waiting: read the address again.
            }
        }

        await WaitUntilReadyAsync();
    }

    public Task ClickAsync(string selector) => ClickAsync(Page.Locator(selector));

    public async Task ClickAsync(ILocator target)
    {
        ArgumentNullException.ThrowIfNull(target);
        await WaitUntilReadyAsync();
        await target.ClickAsync();
    }

    public Task FillAsync(string selector, string value) => FillAsync(Page.Locator(selector), value);

    public async Task FillAsync(ILocator target, string value)
    {
        ArgumentNullException.ThrowIfNull(target);
        await WaitUntilReadyAsync();
        await target.FillAsync(value);
    }

    /// <summary>Presses <paramref name="key"/> on <paramref name="target"/> (focused), or on the page when none is given.</summary>
    public async Task PressAsync(string key, ILocator? target = null)
    {
        await WaitUntilReadyAsync();
        if (target is null)
        {
            await Page.Keyboard.PressAsync(key);
        }
        else
        {
            await target.PressAsync(key);
        }
    }

    public async Task HoverAsync(ILocator target)
    {
        ArgumentNullException.ThrowIfNull(target);
        await WaitUntilReadyAsync();
        await target.HoverAsync();
    }

    public async Task BlurAsync(ILocator target)
    {
        ArgumentNullException.ThrowIfNull(target);
        await WaitUntilReadyAsync();
        await target.BlurAsync();
    }

    public async Task CheckAsync(ILocator target)
    {
        ArgumentNullException.ThrowIfNull(target);
        await WaitUntilReadyAsync();
        await target.CheckAsync();
    }

    public async Task SetViewportSizeAsync(int width, int height) => await Page.SetViewportSizeAsync(width, height);
}
