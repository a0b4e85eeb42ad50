using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Infrastructure;

/// <summary>
/// The browser-side defences every response carries: a Content-Security-Policy that allows only what the app loads,
/// and the headers that stop sniffing, framing, referrer leaks and unused device APIs.
/// </summary>
public static class SecurityHeaders
{
    private static readonly object NonceKey = new();

    public static WebApplicationBuilder AddShaveTrackerSecurity(this WebApplicationBuilder builder)
    {
        // The antiforgery cookie is as sensitive as the sign-in cookie it protects: the same Secure rule.
        builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = SecureCookies.Policy(builder.Environment));
        return builder;
    }

    /// <summary>
    /// First in the pipeline. The headers are written when the response starts, not when the request arrives: the
    /// exception handler clears the headers of a failed response before it renders the error page, and that page
    /// must be protected too.
    /// </summary>
    public static WebApplication UseShaveTrackerSecurityHeaders(this WebApplication app)
    {
        var policy = new ContentSecurityPolicy(
            app.Services.GetRequiredService<IOptions<VideoEmbedOptions>>().Value.AllowedEmbedHosts,
            EntraAuthority(app.Configuration),
            AzureSignalRSetup.ClientOrigin(app.Configuration[AzureSignalRSetup.ConnectionStringKey]));
        var apiReference = app.Environment.IsDevelopment();
        app.Use((context, next) =>
        {
            var nonce = NewNonce();
            context.Items[NonceKey] = nonce;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                // The API reference (Development only, see IngestionSetup) is Scalar's page: an inline module
                // bootstraps it and its bundle evaluates code. The app's own pages never get these sources.
                headers.ContentSecurityPolicy = apiReference && context.Request.Path.StartsWithSegments("/api/docs")
                    ? policy.ForApiReference(context.Request)
                    : policy.For(nonce, context.Request);
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                // frame-ancestors 'none' says the same to current browsers; this is for the ones that predate it.
                headers.XFrameOptions = "DENY";
                // Device APIs the app never uses, switched off for it and anything it frames. Fullscreen,
                // encrypted-media and picture-in-picture are left at their defaults: the video player needs them.
                headers["Permissions-Policy"] =
                    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// This request's CSP nonce, for the one inline script the app renders: Blazor's import map
    /// (<c>&lt;ImportMap nonce=...&gt;</c>), which maps module names to their fingerprinted files.
    /// </summary>
    public static string? Nonce(HttpContext? context) =>
        context?.Items.TryGetValue(NonceKey, out var nonce) == true ? nonce as string : null;

    // URL-safe alphabet: a '+' would reach the page HTML-encoded (&#x2B;), and the test comparing header and page
    // would fail one time in a few; browsers compare the decoded attribute, so both forms work, but one form is simpler.
    private static string NewNonce() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// The Entra sign-in host when Microsoft sign-in is configured: signing out is a form post that the app
    /// redirects there, and form-action applies to where a form submission ends up.
    /// </summary>
    private static string? EntraAuthority(IConfiguration configuration)
    {
        var azureAd = configuration.GetSection("AzureAd");
        return !string.IsNullOrWhiteSpace(azureAd["ClientId"]) &&
               Uri.TryCreate(azureAd["Instance"], UriKind.Absolute, out var instance)
            ? instance.GetLeftPart(UriPartial.Authority)
            : null;
    }

    private sealed class ContentSecurityPolicy
    {
        private const string Scripts = "default-src 'self'; script-src 'self' ";
        private readonly string _rest;

        public ContentSecurityPolicy(IEnumerable<string> embedHosts, string? entraAuthority, Uri? signalRService)
        {
            // Only hosts that are plain DNS names go into the header: a value with a space or ';' would otherwise
            // add sources or directives of its own. CanEmbed frames https only, so the sources are https only.
            var frames = embedHosts.Where(h => Uri.CheckHostName(h) == UriHostNameType.Dns)
                .Select(h => "https://" + h.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
            _rest = "; " +
                // MudBlazor positions popovers, drawers and charts with style attributes, and its theme is an inline
                // <style>: styles cannot do without 'unsafe-inline'. Scripts can, so they do.
                "style-src 'self' 'unsafe-inline'; " +
                "img-src 'self' data:; " +
                $"frame-src {(frames.Count == 0 ? "'none'" : string.Join(' ', frames))}; " +
                "frame-ancestors 'none'; " +
                "base-uri 'self'; " +
                $"form-action 'self'{(entraAuthority is null ? "" : " " + entraAuthority)}; " +
                "object-src 'none'; " +
                "connect-src 'self'" + SignalRService(signalRService);
        }

        public string For(string nonce, HttpRequest request) =>
            string.Concat(Scripts, "'nonce-", nonce, "'", _rest, Socket(request));

        public string ForApiReference(HttpRequest request) =>
            string.Concat(Scripts, "'unsafe-inline' 'unsafe-eval'", _rest, Socket(request));

        /// <summary>
        /// With Azure SignalR Service the browser negotiates with the app, then is sent to the service: its https
        /// address (the negotiation and the long-polling fallback) and its wss address (the socket).
        /// </summary>
        private static string SignalRService(Uri? service)
        {
            if (service is null)
            {
                return "";
            }

            var authority = service.Authority;
            return service.Scheme == Uri.UriSchemeHttps
                ? $" https://{authority} wss://{authority}"
                : $" http://{authority} ws://{authority}";
        }

        /// <summary>
        /// The circuit's WebSocket is named explicitly: CSP3 lets 'self' cover ws/wss of the page's own host, but
        /// not every browser in use implements that yet.
        /// </summary>
        private static string Socket(HttpRequest request)
        {
            var host = request.Host;
            return host.HasValue && Uri.CheckHostName(host.Host) != UriHostNameType.Unknown
                ? $" {(request.IsHttps ? "wss" : "ws")}://{host.ToUriComponent()}"
                : "";
        }
    }
}
