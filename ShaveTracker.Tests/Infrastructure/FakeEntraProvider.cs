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
            options.RegisterScopes(Scopes.Profile, Scopes.Email, Scopes.OfflineAccess);

            options.AddEphemeralSigningKey().AddEphemeralEncryptionKey().DisableAccessTokenEncryption();
            options.EnableDegradedMode();
            options.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();

            options.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(ValidateAuthorizationRequest));
            options.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(ValidateTokenRequest));
            options.AddEventHandler<ProcessSignInContext>(handler => handler
                .UseInlineHandler(ApplyNextUserIssuerAndAudience)
                .SetOrder(OpenIddictServerHandlers.PrepareIdentityTokenPrincipal.Descriptor.Order + 1));
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
        if (!string.Equals(context.ClientId, ClientId, StringComparison.Ordinal) ||
            !string.Equals(context.ClientSecret, ClientSecret, StringComparison.Ordinal))
        {
            context.Reject(Errors.InvalidClient, "Wrong client_id or client_secret.");
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
