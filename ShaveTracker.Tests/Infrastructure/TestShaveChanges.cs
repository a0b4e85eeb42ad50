using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.WritePath;
using ShaveTracker.Web.Infrastructure.LiveUpdates;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>The live-update plumbing for services built by hand outside a host.</summary>
public static class TestShaveChanges
{
    public static InProcessShaveChangeNotifier Notifier() => new(NullLogger<InProcessShaveChangeNotifier>.Instance, TestMetrics.Create());

    public static ShaveChangeFeed Feed(LiveUpdateMode mode = LiveUpdateMode.InProcess) =>
        new(Options.Create(new LiveUpdateOptions { Mode = mode }));

    /// <summary>The write path, announcing to <paramref name="notifier"/> and recording in <paramref name="feed"/> (defaults: fresh ones).</summary>
    public static ShaveWriter Writer(IShaveChangeNotifier? notifier = null, ShaveChangeFeed? feed = null) =>
        new(feed ?? Feed(), notifier ?? Notifier());
}
