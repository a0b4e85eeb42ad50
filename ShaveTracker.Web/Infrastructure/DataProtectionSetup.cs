using Microsoft.AspNetCore.DataProtection;
using ShaveTracker.Data;

namespace ShaveTracker.Web.Infrastructure;

/// <summary>
/// The data-protection key ring (what sign-in and antiforgery cookies are encrypted with) in the app's database,
/// so that a cookie issued by one instance is read by every other, and survives a restart or a new container.
/// </summary>
internal static class DataProtectionSetup
{
    /// <summary>
    /// Fixed, so that instances installed in different folders (or containers) share one key ring: by default
    /// the name is derived from the content root path.
    /// </summary>
    public const string ApplicationName = "ShaveTracker";

    /// <summary>
    /// <typeparamref name="TContext"/> is the provider's context: the key repository resolves it from a fresh scope
    /// for each read and write, and AddDbContextFactory has registered it as a scoped service too.
    /// </summary>
    public static IServiceCollection AddShaveTrackerDataProtection<TContext>(this IServiceCollection services)
        where TContext : ShaveTrackerDbContext
    {
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<TContext>();
        return services;
    }
}
