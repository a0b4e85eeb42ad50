using Microsoft.JSInterop;

namespace ShaveTracker.Web.Components.Shared;

/// <summary>
/// JavaScript calls made while a component is disposed (detach a listener, dispose a module). The page may be going
/// away at the same moment (a reload, a closed tab, a lost connection): then the call fails with the circuit
/// disconnected or is cancelled with it, and what it would undo is gone anyway. Such a failure must not reach the
/// renderer, where it would end the whole circuit.
/// </summary>
public static class JsCleanup
{
    public static async ValueTask QuietlyAsync(Func<ValueTask> cleanup)
    {
        ArgumentNullException.ThrowIfNull(cleanup);
        try
        {
            await cleanup();
        }
        catch (JSDisconnectedException)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }
}
