using ShaveTracker.Web.Features.Shaves.Trace;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Web.Features.Shaves;

public static class ShavesSetup
{
    /// <summary>The shave list, the detail page and its trace, with their services; the app and the component tests call it.</summary>
    public static IServiceCollection AddShavesFeature(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddShaveWritePath(configuration);
        services.AddMemoryCache();
        services.AddScoped<ShavesService>();
        services.AddScoped<TraceService>();
        services.AddSingleton<TraceSkeletonCache>();
        services.AddSingleton<ShaveListNotices>();
        services.AddScoped<ShaveBulkOutcome>();
        services.AddOptions<VideoEmbedOptions>().Bind(configuration.GetSection(VideoEmbedOptions.SectionName))
            // The hosts also go into the Content-Security-Policy's frame-src, where anything but a host name is refused.
            .Validate(o => o.AllowedEmbedHosts.All(h => Uri.CheckHostName(h) == UriHostNameType.Dns),
                "Video:AllowedEmbedHosts must list host names only (www.youtube.com), without scheme, port or path.")
            .ValidateOnStart();
        return services;
    }
}
