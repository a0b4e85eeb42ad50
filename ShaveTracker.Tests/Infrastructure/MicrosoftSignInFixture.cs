using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>An HTTP client that keeps cookies and does not follow redirects, and the cookies it keeps.</summary>
public sealed class BrowserlessSession : IDisposable
{
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The client owns and disposes its handler.")]
    public BrowserlessSession(Uri baseAddress) =>
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = Cookies }, disposeHandler: true)
        {
            BaseAddress = baseAddress,
        };

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    public void Dispose() => Http.Dispose();
}

/// <summary>
/// ShaveTracker configured for Microsoft sign-in against <see cref="FakeEntraProvider"/>, both on real loopback
/// ports, with a database of its own. <paramref name="confidentialClient"/> chooses the flow: authorization code with
/// a client secret, or Microsoft.Identity.Web's default id_token (implicit, form_post) with no secret.
/// </summary>
public abstract partial class MicrosoftSignInFixture(bool confidentialClient) : IAsyncLifetime
{
    public const string CallbackPath = "/signin-oidc";

    public bool ConfidentialClient { get; } = confidentialClient;

    public SqliteDatabaseFixture Database { get; } = new();

    public FakeEntraProvider Provider { get; private set; } = default!;

    public ShaveTrackerWebFactory Factory { get; private set; } = default!;

    public Uri BaseAddress { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Provider = await FakeEntraProvider.StartAsync();

        var settings = new Dictionary<string, string?>
        {
            ["AzureAd:Instance"] = Provider.Instance.AbsoluteUri,
            ["AzureAd:TenantId"] = FakeEntraProvider.TenantId.ToString(),
            ["AzureAd:ClientId"] = FakeEntraProvider.ClientId,
            ["AzureAd:CallbackPath"] = CallbackPath,
        };
        if (ConfidentialClient)
        {
            settings["AzureAd:ClientSecret"] = FakeEntraProvider.ClientSecret;
            settings["AzureAd:ResponseType"] = "code";
        }

        AddSettings(settings);

        Factory = new ShaveTrackerWebFactory(Database.ConnectionString, settings, AllowLoopbackProvider);
        ConfigureServer(Factory);
        Factory.StartServer();
        var addresses = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        Provider.RedirectUri = new Uri(BaseAddress, CallbackPath);
    }

    // What differs from a real Entra tenant: plain http on loopback. Configure, not PostConfigure: it runs after the
    // app's and Microsoft.Identity.Web's Configure calls but before ASP.NET Core's own post-configuration, which
    // refuses an http Authority unless RequireHttpsMetadata is already false.
    private void AllowLoopbackProvider(IServiceCollection services)
    {
        // The API's bearer tokens, the same two differences: metadata and signing keys over plain http, and the tenant's
        // issuer given up front (Microsoft.Identity.Web's issuer validator fetches its own copy of the metadata over
        // https only). Audience, signature, lifetime and the app role are checked as in production.
        services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            o.RequireHttpsMetadata = false;
            o.TokenValidationParameters.ValidIssuers = [Provider.Issuer];
        });
        services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o =>
        {
            o.RequireHttpsMetadata = false;
            // Microsoft.Identity.Web's AAD issuer validator takes these before fetching the tenant's metadata (over
            // https only). The configured tenant's issuer, as that metadata would say; the "{tenantid}" template
            // would accept a token from any tenant, which a single-tenant app must not.
            o.TokenValidationParameters.ValidIssuers = [Provider.Issuer];
            foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
            {
                cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.SameSite = SameSiteMode.Lax;
            }
        });
    }

    /// <summary>How the app listens: plain http on a free loopback port, unless a fixture needs more (HTTPS, say).</summary>
    protected virtual void ConfigureServer(ShaveTrackerWebFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        factory.UseKestrel(0);
    }

    /// <summary>Settings a fixture adds to the Microsoft ones (a lower sign-in rate limit, say).</summary>
    protected virtual void AddSettings(IDictionary<string, string?> settings)
    {
    }

    public BrowserlessSession CreateSession() => new(BaseAddress);

    /// <summary>
    /// Walks the Microsoft sign-in as a browser would: ShaveTracker's challenge, the provider's authorization
    /// endpoint, and back to the callback (a form_post page is submitted, a redirect is followed). Returns
    /// ShaveTracker's answer to the callback.
    /// </summary>
    public async Task<HttpResponseMessage> SignInWithMicrosoftAsync(HttpClient client, string returnUrl)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var challenge = await client.GetAsync(new Uri($"/account/signin/microsoft?returnUrl={Uri.EscapeDataString(returnUrl)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.Equal($"{Provider.Instance.AbsoluteUri}{FakeEntraProvider.TenantId}/oauth2/v2.0/authorize", authorize.GetLeftPart(UriPartial.Path));

        using var answer = await client.GetAsync(authorize);
        if (answer.StatusCode == HttpStatusCode.Redirect)
        {
            return await client.GetAsync(answer.Headers.Location!);
        }

        var html = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"The provider answered {(int)answer.StatusCode}: {html}");
        var form = FormTag().Match(html);
        Assert.True(form.Success, $"The provider's answer has no form to post: {html}");
        var fields = HiddenInput().Matches(html).Select(input => new KeyValuePair<string, string>(
            WebUtility.HtmlDecode(NameAttribute().Match(input.Value).Groups[1].Value),
            WebUtility.HtmlDecode(ValueAttribute().Match(input.Value).Groups[1].Value)));
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(WebUtility.HtmlDecode(form.Groups[1].Value)), content);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Provider.DisposeAsync();
        await Database.DisposeAsync();
    }

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormTag();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

    [GeneratedRegex("name=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex NameAttribute();

    [GeneratedRegex("value=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ValueAttribute();
}

/// <summary>Authorization code flow with PKCE and a client secret (AzureAd:ResponseType=code).</summary>
public sealed class CodeFlowMicrosoftSignInFixture() : MicrosoftSignInFixture(confidentialClient: true);

/// <summary>Microsoft.Identity.Web's default: an id_token posted back to the callback, no client secret.</summary>
public sealed class IdTokenMicrosoftSignInFixture() : MicrosoftSignInFixture(confidentialClient: false);
