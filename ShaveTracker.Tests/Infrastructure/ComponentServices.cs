using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;
using ShaveTracker.Data;
using ShaveTracker.Web.Components.Shared;
using ShaveTracker.Web.Infrastructure.LiveUpdates;
using ShaveTracker.Web.Infrastructure.Telemetry;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// What a bUnit test adds besides the feature's own registration (AddShavesFeature() and the like, the app's):
/// MudBlazor, the test database, a clock, logging, metrics, and live updates within this process.
/// </summary>
public static class ComponentServices
{
    /// <summary>An empty configuration: the features' options take their defaults.</summary>
    public static IConfiguration NoConfiguration { get; } = new ConfigurationBuilder().Build();

    public static IServiceCollection AddComponentHost(this IServiceCollection services, IDbContextFactory<ShaveTrackerDbContext> factory,
        TimeProvider? clock = null)
    {
        services.AddMudServices(o => SnackbarPlacement.Apply(o.SnackbarConfiguration));
        services.AddSingleton(factory);
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddLogging();
        services.AddShaveTrackerMetrics();
        services.TryAddSingleton<IShaveChangeNotifier, InProcessShaveChangeNotifier>();
        services.AddSingleton(TestShaveChanges.Feed());
        return services;
    }
}
