using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.DesktopPortal;

/// <summary>
/// ShaveTracker as YakShaver Desktop's portal: <c>YakShaverDesktop:Enabled</c>, Microsoft sign-in against
/// <see cref="FakeEntraProvider"/>, served over HTTPS (the desktop calls with Node's https module and verifies the
/// certificate) with a certificate this fixture issues from its own root. Clients trust that root and nothing else.
/// </summary>
public sealed class DesktopPortalFixture() : MicrosoftSignInFixture(confidentialClient: true)
{
    /// <summary>Small, so that the limit is tested without megabytes of test data.</summary>
    public const int MaxScreenshotBytes = 64 * 1024;

    private X509Certificate2? _root;
    private X509Certificate2? _serverCertificate;

    public X509Certificate2 Root => _root ?? throw new InvalidOperationException("The fixture has not started.");

    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["YakShaverDesktop:Enabled"] = "true";
        settings["YakShaverDesktop:MaxScreenshotBytes"] = MaxScreenshotBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override void ConfigureServer(ShaveTrackerWebFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        (_root, _serverCertificate) = IssueCertificates();
        var certificate = _serverCertificate;
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
    }

    /// <summary>
    /// A client as the desktop is one: HTTPS that verifies the server's certificate (chain to <see cref="Root"/>, name
    /// 127.0.0.1), and the user's access token on every call when one is given.
    /// </summary>
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The client owns and disposes its handler.")]
    public HttpClient DesktopClient(string? accessToken, CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = cookies is not null,
            CookieContainer = cookies ?? new CookieContainer(),
        };
        handler.SslOptions.CertificateChainPolicy = TrustOnlyRoot();
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = BaseAddress };
        if (accessToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return client;
    }

    /// <summary>Signs <see cref="FakeEntraProvider.NextUser"/> in and returns their delegated token for ShaveTracker's API.</summary>
    public async Task<string> UserTokenAsync(FakeEntraUser user, string scope = $"{FakeEntraProvider.ApiIdUri}/{FakeEntraProvider.UserScope}")
    {
        ArgumentNullException.ThrowIfNull(user);
        Provider.NextUser = user;
        var desktop = Provider.Register(FakeEntraDaemon.Create());
        return await Provider.RequestUserTokenAsync(desktop, scope);
    }

    public X509ChainPolicy TrustOnlyRoot()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(Root);
        return policy;
    }

    /// <summary>A root of trust and a server certificate for 127.0.0.1 and localhost signed by it.</summary>
    private static (X509Certificate2 Root, X509Certificate2 Server) IssueCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=ShaveTracker test root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        using var issued = serverRequest.Create(root, now.AddDays(-1), now.AddDays(6), RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(serverKey);
        // Through PKCS#12, so that the server's TLS stack gets a key it can use on every platform.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
        return (X509CertificateLoader.LoadCertificate(root.Export(X509ContentType.Cert)), server);
    }

    /// <summary>JSON sent as Node's https module sends a body written with req.write: chunked, no Content-Length.</summary>
    public static HttpContent ChunkedJson(string json) => new ChunkedContent(Encoding.UTF8.GetBytes(json), "application/json");

    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedContent(byte[] bytes, string mediaType)
        {
            _bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            // Two writes, two chunks: the server must read the body to its end, not to a length it was told.
            var half = _bytes.Length / 2;
            await stream.WriteAsync(_bytes.AsMemory(0, half));
            await stream.FlushAsync();
            await stream.WriteAsync(_bytes.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
