namespace ShaveTracker.Web.Features.Prices;

public static class PricesSetup
{
    /// <summary>The admins' model prices page and its service. The prices themselves are read by every feature that shows a cost.</summary>
    public static IServiceCollection AddPricesFeature(this IServiceCollection services)
    {
        services.AddSingleton<PricesService>();
        return services;
    }
}
