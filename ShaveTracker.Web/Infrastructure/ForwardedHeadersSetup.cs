using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ShaveTracker.Web.Infrastructure;

/// <summary>
/// The <c>ForwardedHeaders</c> section. Behind a load balancer that ends TLS (Azure App Service, Front Door,
/// Application Gateway) the app receives plain http from the balancer's address; the balancer says in
/// <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c> what the browser used and where it came from.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>
    /// ASP.NET Core's own switch, set on Azure App Service as the app setting ASPNETCORE_FORWARDEDHEADERS_ENABLED. With
    /// it the framework adds the middleware itself, first of all, and trusts any sender (the instances are reachable
    /// only through App Service's front ends).
    /// </summary>
    public const string FrameworkSwitch = "ForwardedHeaders_Enabled";

    /// <summary>Read X-Forwarded-Proto and X-Forwarded-For (the same as <see cref="FrameworkSwitch"/>).</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Addresses of the proxies whose headers are believed. With none here and none in <see cref="KnownNetworks"/>,
    /// every sender is believed: right only when nothing but the load balancer can reach the instances.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, <c>10.0.0.0/24</c>) of the proxies whose headers are believed.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>
    /// How many proxies' entries to read from the end of X-Forwarded-For (ASP.NET Core's default: 1). Two when a
    /// second known proxy sits in front (Front Door before App Service).
    /// </summary>
    public int? ForwardLimit { get; set; }
}

public static partial class ForwardedHeadersSetup
{
    public static WebApplicationBuilder AddShaveTrackerForwardedHeaders(this WebApplicationBuilder builder)
    {
        var frameworkSwitch = FrameworkSwitchOn(builder.Configuration);
        builder.Services.AddOptions<ForwardedHeadersSettings>()
            .Bind(builder.Configuration.GetSection(ForwardedHeadersSettings.SectionName))
            .Validate(s => s.KnownProxies.All(p => IPAddress.TryParse(p, out _)),
                "ForwardedHeaders:KnownProxies must list IP addresses (10.0.0.4), not host names.")
            .Validate(s => s.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)),
                "ForwardedHeaders:KnownNetworks must list networks in CIDR form (10.0.0.0/24).")
            .Validate(s => s.ForwardLimit is null or >= 1 and <= 10, "ForwardedHeaders:ForwardLimit must be between 1 and 10.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((o, settings) =>
        {
            var s = settings.Value;
            if (!s.Enabled && !frameworkSwitch)
            {
                return;
            }

            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = s.ForwardLimit ?? o.ForwardLimit;
            // The defaults (loopback only) would ignore every real load balancer: they are replaced by the configured
            // proxies, or by none (believe any sender), as the framework switch does.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in s.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in s.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>
    /// First in the pipeline, so that everything after it sees the browser's scheme and address: HSTS (https only),
    /// the CSP's wss:// source, redirect URIs for sign-in, and the rate limiters' per-address partitions. Not added
    /// twice: with the framework switch ASP.NET Core has added it already, and a second pass would read one more
    /// (unverified) entry of X-Forwarded-For as the client's address.
    /// </summary>
    public static WebApplication UseShaveTrackerForwardedHeaders(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value;
        var frameworkSwitch = FrameworkSwitchOn(app.Configuration);
        if ((settings.Enabled || frameworkSwitch) && settings.KnownProxies.Count == 0 && settings.KnownNetworks.Count == 0)
        {
            // Believing any sender is right only when nothing but the load balancer can reach the instances; anyone
            // else who can reach them picks their own client address (and so their own sign-in rate limit).
            LogTrustsAnySender(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ForwardedHeadersSetup)));
        }

        if (settings.Enabled && !frameworkSwitch)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Forwarded headers are read from any sender: no ForwardedHeaders:KnownProxies or KnownNetworks are listed. " +
        "Unless only the load balancer can reach this instance, anyone can set their own client address with " +
        "X-Forwarded-For (and so escape the per-address sign-in limits). List the proxies' addresses or networks.")]
    private static partial void LogTrustsAnySender(ILogger logger);

    private static bool FrameworkSwitchOn(IConfiguration configuration) =>
        string.Equals(configuration[ForwardedHeadersSettings.FrameworkSwitch], "true", StringComparison.OrdinalIgnoreCase);
}
