using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Web.Infrastructure.Telemetry;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>The app's metrics on a meter factory of their own, for services built by hand outside a host.</summary>
public static class TestMetrics
{
    public static ShaveTrackerMetrics Create() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
}
