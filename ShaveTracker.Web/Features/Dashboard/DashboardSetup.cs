namespace ShaveTracker.Web.Features.Dashboard;

public static class DashboardSetup
{
    public static IServiceCollection AddDashboardFeature(this IServiceCollection services)
    {
        services.AddScoped<DashboardService>();
        return services;
    }
}
