namespace ShaveTracker.Tests.Infrastructure.Browser;

/// <summary>
/// The browser sessions of the one browser test running now (browser tests share the web collection, which runs
/// its tests one at a time). A session disposed by its test stays open here until the test method has run (see
/// <see cref="EndAsync"/>): a failed test's pages are saved first, then everything is closed.
/// </summary>
public sealed class BrowserTestScope : IAsyncDisposable
{
    private static readonly AsyncLocal<BrowserTestScope?> CurrentScope = new();
    private readonly List<BrowserSession> _sessions = [];
    private readonly Lock _lock = new();
    private readonly string _testName;
    private bool _saved;

    private BrowserTestScope(string testName) => _testName = testName;

    /// <summary>The scope of the browser test whose code is running, if any.</summary>
    public static BrowserTestScope? Current => CurrentScope.Value;

    public bool Failed { get; set; }

    public static BrowserTestScope Begin(string testName)
    {
        var scope = new BrowserTestScope(testName);
        CurrentScope.Value = scope;
        return scope;
    }

    internal void Add(BrowserSession session)
    {
        lock (_lock)
        {
            _sessions.Add(session);
        }
    }

    /// <summary>
    /// Saves each session's pages if <paramref name="failed"/> (once), then closes every session. Called when the test
    /// method has run, and again when the test is over (for a failure in the test class's disposal, and any session
    /// opened since).
    /// </summary>
    internal async Task EndAsync(bool failed)
    {
        BrowserSession[] sessions;
        lock (_lock)
        {
            sessions = [.. _sessions];
        }

        if (failed && !_saved && sessions.Length > 0)
        {
            _saved = true;
            var folder = Path.Combine(AppContext.BaseDirectory, "browser-failures", SafeName(_testName));
            Directory.CreateDirectory(folder);
            for (var i = 0; i < sessions.Length; i++)
            {
                await sessions[i].SaveAsync(folder, $"session{i + 1}");
            }

            Console.WriteLine($"Browser test failed: {_testName}. Screenshots, page HTML, browser console and server log: {folder}");
        }

        foreach (var session in sessions)
        {
            await session.CloseAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        CurrentScope.Value = null;
        await EndAsync(Failed);
    }

    private static string SafeName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat([' ', '(', ')', '"', ',', ':']).ToHashSet();
        var safe = new string([.. name.Select(c => invalid.Contains(c) ? '_' : c)]);
        return safe.Length > 150 ? safe[..150] : safe;
    }
}
