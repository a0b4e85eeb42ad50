using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ShaveTracker.Web.WritePath;

public static class WritePathSetup
{
    /// <summary>
    /// The write path every source of a shave's data goes through (see docs/architecture.md). Every feature that
    /// writes a shave's data calls it; it registers once.
    /// </summary>
    public static IServiceCollection AddShaveWritePath(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(ShaveWriter)))
        {
            return services;
        }

        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ShaveWriter>();
        services.TryAddScoped<IngestionService>();
        return services;
    }
}
