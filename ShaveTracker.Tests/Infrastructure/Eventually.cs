namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// Waits for something the app does in its own time on its own threads (a background poller, a circuit closing, a
/// log event written after the response): checks the condition every few milliseconds and fails, saying what was
/// awaited, when it has not held within the patience. It ends as soon as the condition holds; nothing waits a fixed time.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CheckEvery = TimeSpan.FromMilliseconds(20);

    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? patience = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var timeout = new CancellationTokenSource(patience ?? DefaultPatience);
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"Waited {(patience ?? DefaultPatience).TotalSeconds:0} s in vain for: {what}.");
            await Task.Delay(CheckEvery, CancellationToken.None);
        }
    }
}
