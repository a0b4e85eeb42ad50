using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.DemoData;

public static class DemoDataSetup
{
    public static IServiceCollection AddDemoDataFeature(this IServiceCollection services)
    {
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        services.AddTransient<DemoDataSeeder>();
        return services;
    }
}
