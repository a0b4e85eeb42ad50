namespace ShaveTracker.Web.Features.Logs;

public static class LogsSetup
{
    public static IServiceCollection AddLogsFeature(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddScoped<LogsService>();
        services.AddSingleton<LogSearchIndexer>();
        services.AddHostedService(sp => sp.GetRequiredService<LogSearchIndexer>());
        return services;
    }
}
