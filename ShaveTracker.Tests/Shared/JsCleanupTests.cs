using Microsoft.JSInterop;
using ShaveTracker.Web.Components.Shared;

namespace ShaveTracker.Tests.Shared;

/// <summary>A component's JavaScript clean-up that races its page going away never reaches the renderer.</summary>
public sealed class JsCleanupTests
{
    public static TheoryData<Exception> PageGoingAway() => new()
    {
        new JSDisconnectedException("The circuit is gone."),
        new TaskCanceledException("The interop call was cancelled with the circuit."),
        new OperationCanceledException(),
    };

    [Theory]
    [MemberData(nameof(PageGoingAway))]
    public async Task A_clean_up_that_fails_because_the_page_is_going_away_is_dropped(Exception failure) =>
        await JsCleanup.QuietlyAsync(() => ValueTask.FromException(failure));

    [Fact]
    public async Task Any_other_failure_still_surfaces()
    {
        var bug = new JSException("dispose is not a function");

        var thrown = await Assert.ThrowsAsync<JSException>(async () => await JsCleanup.QuietlyAsync(() => ValueTask.FromException(bug)));

        Assert.Same(bug, thrown);
    }
}
