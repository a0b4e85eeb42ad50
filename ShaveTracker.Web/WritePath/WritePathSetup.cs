namespace ShaveTracker.Web.WritePath;

public static class WritePathSetup
{
    /// <summary>The write path every source of a shave's data goes through (see docs/architecture.md).</summary>
    public static IServiceCollection AddShaveWritePath(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ShaveWriter>();
        services.AddScoped<IngestionService>();
        return services;
    }
}
