using System.Collections.Concurrent;
using ShaveTracker.Web.Infrastructure.Telemetry;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Infrastructure.LiveUpdates;

/// <summary>Delivers each published change to the pages of this instance that watch it.</summary>
public sealed partial class InProcessShaveChangeNotifier(ILogger<InProcessShaveChangeNotifier> logger, ShaveTrackerMetrics metrics)
    : IShaveChangeNotifier
{
    private readonly ConcurrentDictionary<Guid, Subscription> _subscriptions = new();

    public int SubscriberCount => _subscriptions.Count;

    public void Publish(ShaveChange change)
    {
        foreach (var subscription in _subscriptions.Values)
        {
            if (subscription.ShaveId is null || subscription.ShaveId == change.ShaveId)
            {
                // Fire and forget: a slow or broken page must never hold up the writer that published.
                _ = DeliverAsync(subscription, change);
            }
        }
    }

    public IDisposable Subscribe(Guid? shaveId, Func<ShaveChange, Task> onChange)
    {
        var subscription = new Subscription(Guid.NewGuid(), shaveId, onChange, this);
        _subscriptions[subscription.Key] = subscription;
        return subscription;
    }

    private async Task DeliverAsync(Subscription subscription, ShaveChange change)
    {
        // Live-update lag: from the change being written (its At, stamped by the writer on whichever instance) to
        // this subscriber being called, so a change that came through the feed counts its polling delay too. Clocks
        // of two instances can differ by a little; a negative difference is clamped rather than recorded.
        var lag = DateTime.UtcNow - change.At;
        metrics.RecordLiveUpdateLag(lag < TimeSpan.Zero ? TimeSpan.Zero : lag, change.Kind);
        try
        {
            await subscription.OnChange(change);
        }
        catch (OperationCanceledException)
        {
            // The subscriber's page closed while the change was on its way (its lifetime token is cancelled):
            // nothing failed, and nobody is there to tell.
        }
        catch (ObjectDisposedException ex)
        {
            // The page's circuit was torn down between the change arriving and the page rendering it (its services
            // went first): the same closing page, met a step later. Nothing is lost; the subscription is dropped.
            subscription.Dispose();
            LogSubscriberGone(logger, ex.ObjectName, change.ShaveId);
        }
#pragma warning disable CA1031 // A subscriber's failure is logged and isolated; the others still get the change.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogDeliveryFailed(logger, ex, change.ShaveId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A live-update subscriber's page had closed ({Disposed} disposed) when shave {ShaveId} changed")]
    private static partial void LogSubscriberGone(ILogger logger, string disposed, Guid shaveId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live-update subscriber failed for shave {ShaveId}")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, Guid shaveId);

    private sealed record Subscription(Guid Key, Guid? ShaveId, Func<ShaveChange, Task> OnChange, InProcessShaveChangeNotifier Owner)
        : IDisposable
    {
        public void Dispose() => Owner._subscriptions.TryRemove(Key, out _);
    }
}
