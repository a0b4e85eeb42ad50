using Microsoft.Extensions.Time.Testing;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Shared;

public sealed class CoalescingRefresherTests
{
    [Fact]
    public async Task A_page_refreshes_at_once_then_at_most_once_a_second_however_many_reports_arrive()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
        var refreshes = 0;
        var refresher = new CoalescingRefresher(() => { refreshes++; return Task.CompletedTask; }, clock);

        // The first change after a quiet spell is shown at once.
        await refresher.RequestAsync();
        Assert.Equal(1, refreshes);

        // Twenty reports within the next second: nothing until the second is up, then one refresh that reads them all.
        var waiting = refresher.RequestAsync();
        for (var i = 0; i < 19; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(40));
            await refresher.RequestAsync();
        }

        Assert.Equal(1, refreshes);
        Assert.False(waiting.IsCompleted);
        clock.Advance(CoalescingRefresher.Pace - TimeSpan.FromMilliseconds(19 * 40) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, refreshes);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await waiting;
        Assert.Equal(2, refreshes);

        // A change long after the last refresh is shown at once again.
        clock.Advance(TimeSpan.FromMinutes(1));
        await refresher.RequestAsync();
        Assert.Equal(3, refreshes);
    }

    [Fact]
    public async Task A_refresh_that_fails_does_not_stop_the_next_change_from_refreshing()
    {
        var clock = new FakeTimeProvider();
        var calls = 0;
        var refresher = new CoalescingRefresher(() => ++calls == 1 ? throw new InvalidOperationException("the database went away") : Task.CompletedTask, clock);

        await Assert.ThrowsAsync<InvalidOperationException>(refresher.RequestAsync);
        clock.Advance(CoalescingRefresher.Pace);
        await refresher.RequestAsync();
        Assert.Equal(2, calls);
    }
}
