namespace ShaveTracker.Web.Features.Projects;

public static class ProjectsSetup
{
    public static IServiceCollection AddProjectsFeature(this IServiceCollection services)
    {
        services.AddScoped<ProjectsService>();
        return services;
    }
}
