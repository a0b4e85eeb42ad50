using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using ShaveTracker.Web.Infrastructure;

namespace ShaveTracker.Web.Features.Account;

/// <summary>The <c>SignIn</c> section: how many sign-in attempts one network address may make.</summary>
public sealed class SignInRateLimitOptions
{
    public const string SectionName = "SignIn";

    /// <summary>
    /// Attempts (local form posts and Microsoft sign-ins started) per address per window. Ten a minute is more than a
    /// person mistyping a password needs, and far too few to guess one; the pause per account and address stops the rest.
    /// </summary>
    [Range(1, 1_000_000)]
    public int RateLimitPermits { get; set; } = 10;

    [Range(1, 3600)]
    public int RateLimitWindowSeconds { get; set; } = 60;
}

/// <summary>
/// The sign-in rate limit, per client address: the local sign-in form's POST and the start of a Microsoft sign-in
/// count, showing the sign-in page does not. Above the limit the answer is 429 with Retry-After and a page that says
/// how long to wait, not a blank one. The sign-in pause (<see cref="LocalAccountOptions"/>) limits one address guessing
/// at one account; this limits one address trying many accounts.
/// </summary>
/// <remarks>
/// The address is the connection's: behind a load balancer or reverse proxy the forwarded-headers middleware must run
/// first, or every client shares the proxy's address and its limit.
/// </remarks>
public sealed partial class SignInRateLimitPolicy(IOptions<SignInRateLimitOptions> options, ILogger<SignInRateLimitPolicy> logger)
    : IRateLimiterPolicy<string>
{
    public const string Name = "signin";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (!IsAttempt(httpContext.Request))
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var limits = options.Value;
        var clock = httpContext.RequestServices.GetRequiredService<TimeProvider>();
        return RateLimitPartition.Get(ClientPartition(httpContext.Connection.RemoteIpAddress),
            _ => new ClockedFixedWindowLimiter(limits.RateLimitPermits, TimeSpan.FromSeconds(limits.RateLimitWindowSeconds), clock));
    }

    /// <summary>
    /// One partition per IPv4 address, and per /64 for IPv6: a single IPv6 host usually holds a whole /64 and could
    /// otherwise take a fresh address for every attempt.
    /// </summary>
    public static string ClientPartition(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static bool IsAttempt(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) || request.Path.StartsWithSegments(AccountEndpoints.MicrosoftSignInPath);

    private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
            ? after
            : TimeSpan.FromSeconds(options.Value.RateLimitWindowSeconds);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        LogRateLimited(logger, ClientPartition(http.Connection.RemoteIpAddress), seconds);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var page = new RazorComponentResult<SignInThrottledPage>(new Dictionary<string, object?>
        {
            [nameof(SignInThrottledPage.RetryAfterSeconds)] = seconds,
            [nameof(SignInThrottledPage.ReturnUrl)] = http.Request.Query["returnUrl"].ToString(),
        })
        {
            StatusCode = StatusCodes.Status429TooManyRequests,
        };
        await page.ExecuteAsync(http);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in attempts from {ClientAddress} rate limited for {RetryAfterSeconds} s")]
    private static partial void LogRateLimited(ILogger logger, string clientAddress, int retryAfterSeconds);
}
