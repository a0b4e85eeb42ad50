namespace ShaveTracker.Web.Features.Users;

public static class UsersSetup
{
    public static IServiceCollection AddUsersFeature(this IServiceCollection services)
    {
        services.AddScoped<UsersService>();
        return services;
    }
}
