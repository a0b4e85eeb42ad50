using Microsoft.AspNetCore.Components;

namespace ShaveTracker.Web.Components.Shared;

/// <summary>
/// A component that owns a cancellation token for its lifetime and passes it to every service call: when the reader
/// leaves the page or the circuit closes, the queries it started are cancelled instead of running on for nobody.
/// (Blazor ignores the cancelled task of a disposed component.)
/// </summary>
public abstract class LifetimeComponent : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _lifetime = new();

    protected CancellationToken Lifetime => _lifetime.Token;

    public async ValueTask DisposeAsync()
    {
        await DisposeCoreAsync();
        await _lifetime.CancelAsync();
        _lifetime.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>What the component releases itself (subscriptions, JS modules), before its token is cancelled.</summary>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;
}
