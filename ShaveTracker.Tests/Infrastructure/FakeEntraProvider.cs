using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>Who the fake provider signs in next, and what its id_token says about them.</summary>
/// <param name="TenantId">The token's tenant (tid, and the tenant segment of iss); null for the provider's own.</param>
/// <param name="Audience">The token's aud; null for the client id that asked.</param>
public sealed record FakeEntraUser(
    Guid ObjectId,
    string Name,
    string PreferredUserName,
    IReadOnlyList<string> Roles,
    Guid? TenantId = null,
    string? Audience = null);

/// <summary>
/// An application registered in the fake tenant that gets tokens for itself (client credentials), like the pipeline's
/// worker: its secret and the app roles of ShaveTracker's API assigned to it (Enterprise applications → app role
/// assignments). <paramref name="TenantId"/> null is the provider's own tenant; another tenant's app gets tokens
/// signed by the same keys (as Entra signs every tenant's tokens with the same keys) but with that tenant's issuer.
/// </summary>
public sealed record FakeEntraDaemon(string ClientId, string ClientSecret, IReadOnlyList<string> Roles, Guid? TenantId = null)
{
    /// <summary>The service principal's object id: an app token's oid and sub.</summary>
    public Guid ObjectId { get; } = Guid.NewGuid();

    public static FakeEntraDaemon Create(params string[] roles) => new(Guid.NewGuid().ToString(), $"secret-{Guid.NewGuid():N}", roles);
}

/// <summary>
/// An OpenID Connect provider shaped like Entra ID v2 (issuer <c>{instance}{tenant}/v2.0</c>, endpoints under
/// <c>{tenant}/oauth2/v2.0/</c>), served by OpenIddict on a real loopback port. It has no login page: its
/// authorization endpoint signs in <see cref="NextUser"/> at once, so a test decides who signs in and which tenant
/// and audience the token claims. Degraded mode: no database, the one client is checked by the handlers below.
/// </summary>
public sealed class FakeEntraProvider : IAsyncDisposable
{
    public static readonly Guid TenantId = new("6f1c2a64-0b5e-4d3a-9a57-3c1d8e2f7b10");
    public const string ClientId = "2d9e7c41-5a8b-4f06-b3e2-91c4d7a6e058";
    public const string ClientSecret = "fake-entra-client-secret";

    /// <summary>ShaveTracker's API as a client asks for it (its Application ID URI, "Expose an API").</summary>
    public const string ApiIdUri = $"api://{ClientId}";

    /// <summary>Another API of the tenant: a token for it must not open ShaveTracker's.</summary>
    public const string OtherApiClientId = "8b0e6c2f-3d71-4a9e-b5c4-0f2a9d7e1c63";

    /// <summary>The delegated permission ShaveTracker's API exposes (the scp of a user's token).</summary>
    public const string UserScope = "access_as_user";

    /// <summary>The password of <see cref="NextUser"/> in the resource-owner password flow.</summary>
    public const string UserPassword = "Fake-Entra-Password-1";

    private static readonly string[] ApiScopes =
    [
        $"{ApiIdUri}/.default", $"{ApiIdUri}/{UserScope}",
        $"api://{OtherApiClientId}/.default", $"api://{OtherApiClientId}/{UserScope}",
    ];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FakeEntraDaemon> _daemons = new(StringComparer.Ordinal);

    private WebApplication? _app;
    private int _authorizationCount;

    private FakeEntraProvider(Uri instance) => Instance = instance;

    /// <summary>What ShaveTracker's <c>AzureAd:Instance</c> is set to: <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Instance { get; }

    public string Issuer => IssuerFor(TenantId);

    /// <summary>The only redirect URI the client may use; known once ShaveTracker has its port.</summary>
    public Uri? RedirectUri { get; set; }

    public FakeEntraUser NextUser { get; set; } = new(Guid.NewGuid(), "Ada Lovelace", "ada@contoso.test", []);

    /// <summary>How many authorization requests the provider has answered (the app really went through it).</summary>
    public int AuthorizationCount => _authorizationCount;

    public string IssuerFor(Guid tenantId) => $"{Instance.AbsoluteUri}{tenantId}/v2.0";

    /// <summary>The token endpoint a daemon or a script posts to.</summary>
    public Uri TokenEndpoint => new($"{Instance.AbsoluteUri}{TenantId}/oauth2/v2.0/token");

    /// <summary>Registers an application that may then get tokens with the client-credentials flow.</summary>
    public FakeEntraDaemon Register(FakeEntraDaemon daemon)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        _daemons[daemon.ClientId] = daemon;
        return daemon;
    }

    /// <summary>
    /// Gets an app-only access token the way a worker does (MSAL's AcquireTokenForClient): client id and secret posted
    /// to the token endpoint with <c>scope={resource}/.default</c>. Throws with the provider's answer if it refuses.
    /// </summary>
    public Task<string> RequestAppTokenAsync(FakeEntraDaemon daemon, string scope = $"{ApiIdUri}/.default")
    {
        ArgumentNullException.ThrowIfNull(daemon);
        return RequestTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = GrantTypes.ClientCredentials,
            ["client_id"] = daemon.ClientId,
            ["client_secret"] = daemon.ClientSecret,
            ["scope"] = scope,
        });
    }

    /// <summary>
    /// Gets a delegated access token for <see cref="NextUser"/> through <paramref name="daemon"/> (resource-owner
    /// password flow): the token carries the scope the user consented to (scp) and the user's own app roles.
    /// </summary>
    public Task<string> RequestUserTokenAsync(FakeEntraDaemon daemon, string scope = $"{ApiIdUri}/{UserScope}")
    {
        ArgumentNullException.ThrowIfNull(daemon);
        return RequestTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = GrantTypes.Password,
            ["client_id"] = daemon.ClientId,
            ["client_secret"] = daemon.ClientSecret,
            ["username"] = NextUser.PreferredUserName,
            ["password"] = UserPassword,
            ["scope"] = scope,
        });
    }

    private async Task<string> RequestTokenAsync(Dictionary<string, string> form)
    {
        using var http = new HttpClient();
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(TokenEndpoint, content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The token endpoint answered {(int)response.StatusCode}: {body}");
        }

        using var json = System.Text.Json.JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    public static async Task<FakeEntraProvider> StartAsync()
    {
        // OpenIddict's issuer and endpoint URIs are fixed when its options are built, so the port is chosen
        // before the host starts; another process may grab it in between, hence the retries.
        for (var attempt = 1; ; attempt++)
        {
            var provider = new FakeEntraProvider(new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/"));
            try
            {
                await provider.StartHostAsync();
                return provider;
            }
            catch (IOException) when (attempt < 3)
            {
                await provider.DisposeAsync();
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task StartHostAsync()
    {
        var tenantRoot = $"{Instance.AbsoluteUri}{TenantId}";
        var authorizePath = $"/{TenantId}/oauth2/v2.0/authorize";

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ApplicationName = typeof(FakeEntraProvider).Assembly.GetName().Name,
        });
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, Instance.Port));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.SetIssuer(new Uri(Issuer))
                .SetConfigurationEndpointUris($"{Issuer}/.well-known/openid-configuration")
                .SetAuthorizationEndpointUris($"{tenantRoot}/oauth2/v2.0/authorize")
                .SetTokenEndpointUris($"{tenantRoot}/oauth2/v2.0/token")
                .SetJsonWebKeySetEndpointUris($"{tenantRoot}/discovery/v2.0/keys");

            // Code flow for a confidential client (AzureAd:ResponseType=code + ClientSecret), implicit id_token
            // for Microsoft.Identity.Web's default (response_type=id_token, response_mode=form_post).
            options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange().AllowImplicitFlow();
            // Access tokens for APIs: app-only (a worker's client credentials) and delegated (a user's, by password).
            options.AllowClientCredentialsFlow().AllowPasswordFlow();
            options.RegisterScopes([Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, .. ApiScopes]);

            options.AddEphemeralSigningKey().AddEphemeralEncryptionKey().DisableAccessTokenEncryption();
            options.EnableDegradedMode();
            options.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();

            options.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(ValidateAuthorizationRequest));
            options.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(ValidateTokenRequest));
            options.AddEventHandler<HandleTokenRequestContext>(handler => handler.UseInlineHandler(IssueApiToken));
            options.AddEventHandler<ProcessSignInContext>(handler => handler
                .UseInlineHandler(ApplyNextUserIssuerAndAudience)
                .SetOrder(OpenIddictServerHandlers.PrepareIdentityTokenPrincipal.Descriptor.Order + 1));
            options.AddEventHandler<ProcessSignInContext>(handler => handler
                .UseInlineHandler(ShapeAccessTokenAsEntra)
                .SetOrder(OpenIddictServerHandlers.PrepareAccessTokenPrincipal.Descriptor.Order + 1));
        });

        _app = builder.Build();
        _app.UseAuthentication();
        _app.MapMethods(authorizePath, [HttpMethods.Get, HttpMethods.Post], SignInNextUser);
        await _app.StartAsync();
    }

    private ValueTask ValidateAuthorizationRequest(ValidateAuthorizationRequestContext context)
    {
        if (!string.Equals(context.ClientId, ClientId, StringComparison.Ordinal))
        {
            context.Reject(Errors.InvalidClient, "Unknown client_id.");
        }
        else if (RedirectUri is null || !string.Equals(context.RedirectUri, RedirectUri.AbsoluteUri, StringComparison.Ordinal))
        {
            context.Reject(Errors.InvalidRequest, $"redirect_uri {context.RedirectUri} is not registered.");
        }

        return default;
    }

    private ValueTask ValidateTokenRequest(ValidateTokenRequestContext context)
    {
        if (context.Request.IsClientCredentialsGrantType() || context.Request.IsPasswordGrantType())
        {
            if (context.ClientId is null || !_daemons.TryGetValue(context.ClientId, out var daemon) ||
                !string.Equals(context.ClientSecret, daemon.ClientSecret, StringComparison.Ordinal))
            {
                context.Reject(Errors.InvalidClient, "Wrong client_id or client_secret.");
            }
            else if (ResourceOf(context.Request) is null)
            {
                context.Reject(Errors.InvalidScope, "Ask for exactly one API: scope=api://{app id}/.default (app) or /access_as_user (delegated).");
            }
            else if (context.Request.IsClientCredentialsGrantType() && !context.Request.GetScopes().All(s => s.EndsWith("/.default", StringComparison.Ordinal)))
            {
                // As Entra: the client-credentials flow takes only {resource}/.default.
                context.Reject(Errors.InvalidScope, "The client credentials flow takes only the /.default scope.");
            }
            else if (context.Request.IsPasswordGrantType() &&
                (!string.Equals(context.Request.Username, NextUser.PreferredUserName, StringComparison.Ordinal) ||
                 !string.Equals(context.Request.Password, UserPassword, StringComparison.Ordinal)))
            {
                context.Reject(Errors.InvalidGrant, "Wrong username or password.");
            }

            return default;
        }

        if (!string.Equals(context.ClientId, ClientId, StringComparison.Ordinal) ||
            !string.Equals(context.ClientSecret, ClientSecret, StringComparison.Ordinal))
        {
            context.Reject(Errors.InvalidClient, "Wrong client_id or client_secret.");
        }

        return default;
    }

    /// <summary>The one API the scopes name (<c>api://{app id}/...</c>), as the app id that becomes aud; else null.</summary>
    private static string? ResourceOf(OpenIddictRequest request)
    {
        var resources = request.GetScopes()
            .Select(s => s.StartsWith("api://", StringComparison.Ordinal) ? s["api://".Length..].Split('/')[0] : null)
            .Distinct(StringComparer.Ordinal).ToList();
        return resources is [{ } one] ? one : null;
    }

    // What Entra puts in a v2 access token for an API: tid, oid and sub, azp (the calling app), ver, and either the
    // app's roles (idtyp=app, no scp) or the user's consented scope as scp plus the user's own app roles.
    private ValueTask IssueApiToken(HandleTokenRequestContext context)
    {
        var appOnly = context.Request.IsClientCredentialsGrantType();
        if (!appOnly && !context.Request.IsPasswordGrantType())
        {
            return default;
        }

        var daemon = _daemons[context.Request.ClientId!];
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, "roles");
        identity.SetClaim("azp", daemon.ClientId).SetClaim("azpacr", "1").SetClaim("ver", "2.0");
        if (appOnly)
        {
            identity.SetClaim(Claims.Subject, daemon.ObjectId.ToString())
                .SetClaim("oid", daemon.ObjectId.ToString())
                .SetClaim("tid", (daemon.TenantId ?? TenantId).ToString())
                .SetClaim("idtyp", "app")
                .SetClaims("roles", [.. daemon.Roles]);
        }
        else
        {
            var user = NextUser;
            identity.SetClaim(Claims.Subject, $"pairwise-{user.ObjectId:N}")
                .SetClaim("oid", user.ObjectId.ToString())
                .SetClaim("tid", (user.TenantId ?? TenantId).ToString())
                .SetClaim(Claims.Name, user.Name)
                .SetClaim(Claims.PreferredUsername, user.PreferredUserName)
                .SetClaim("scp", string.Join(' ', context.Request.GetScopes().Select(s => s[(s.LastIndexOf('/') + 1)..])))
                .SetClaims("roles", [.. user.Roles]);
        }

        identity.SetScopes(context.Request.GetScopes()).SetResources(ResourceOf(context.Request)!);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        context.SignIn(new ClaimsPrincipal(identity));
        return default;
    }

    // OpenIddict stamps its own issuer and writes the requested scopes as "scope"; Entra's issuer names the tenant of
    // the token (tid) and an API token has no "scope" claim (a delegated one has scp, set above).
    private ValueTask ShapeAccessTokenAsEntra(ProcessSignInContext context)
    {
        if (context.AccessTokenPrincipal is { } principal && principal.GetClaim("tid") is { } tid)
        {
            principal.SetClaim(Claims.Private.Issuer, IssuerFor(Guid.Parse(tid)));
            principal.SetScopes(Array.Empty<string>());
        }

        return default;
    }

    // OpenIddict stamps every token with its own issuer and the requesting client as audience; a token "from
    // another tenant" or "for another app" is the same signed token with those two changed.
    private ValueTask ApplyNextUserIssuerAndAudience(ProcessSignInContext context)
    {
        if (context.IdentityTokenPrincipal is { } principal)
        {
            var user = NextUser;
            principal.SetClaim(Claims.Private.Issuer, IssuerFor(user.TenantId ?? TenantId));
            principal.SetAudiences(user.Audience ?? context.ClientId ?? ClientId);
        }

        return default;
    }

    private IResult SignInNextUser(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        Interlocked.Increment(ref _authorizationCount);

        var user = NextUser;
        var identity = new ClaimsIdentity(
            authenticationType: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme,
            nameType: Claims.Name,
            roleType: "roles");
        // Entra's sub is a per-app pairwise id, distinct from oid: the app must key users by oid.
        identity.SetClaim(Claims.Subject, $"pairwise-{user.ObjectId:N}")
            .SetClaim("oid", user.ObjectId.ToString())
            .SetClaim("tid", (user.TenantId ?? TenantId).ToString())
            .SetClaim(Claims.Name, user.Name)
            .SetClaim(Claims.PreferredUsername, user.PreferredUserName)
            .SetClaim("ver", "2.0")
            .SetClaims("roles", [.. user.Roles]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken]);

        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
