using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Security;

/// <summary>The headers every kind of response carries: pages, error pages, the health probe and the API.</summary>
public sealed partial class SecurityHeadersTests(WebAppFixture app) : WebTest(app)
{
    [Theory]
    [InlineData("/account/signin", HttpStatusCode.OK, false)]
    [InlineData("/health", HttpStatusCode.OK, false)]
    [InlineData("/api/v1/shaves", HttpStatusCode.Unauthorized, false)]
    [InlineData("/shaves", HttpStatusCode.Redirect, false)]
    [InlineData("/no-such-page", HttpStatusCode.NotFound, true)]
    [InlineData("/Error", HttpStatusCode.OK, false)]
    public async Task Every_response_carries_the_security_headers(string path, HttpStatusCode status, bool signedIn)
    {
        if (signedIn)
        {
            await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        }

        using var client = signedIn ? await SignedInClientAsync("alice@example.test") : App.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task A_signed_in_page_allows_only_its_own_origin_its_nonce_and_the_video_hosts()
    {
        await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        using var client = await SignedInClientAsync("alice@example.test");
        using var response = await client.GetAsync(new Uri("/shaves", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertSecurityHeaders(response);

        var csp = Directives(response);
        Assert.Equal("'self'", csp["default-src"]);
        var nonce = NonceSource().Match(csp["script-src"]);
        Assert.True(nonce.Success, csp["script-src"]);
        Assert.Equal($"'self' {nonce.Value}", csp["script-src"]);
        Assert.Equal("'self' 'unsafe-inline'", csp["style-src"]);
        Assert.Equal("'self' data:", csp["img-src"]);
        Assert.Equal($"'self' ws://{App.BaseAddress.Authority}", csp["connect-src"]);
        Assert.Equal("https://www.youtube.com https://youtube.com https://www.youtube-nocookie.com", csp["frame-src"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
        Assert.Equal("'self'", csp["base-uri"]);
        Assert.Equal("'self'", csp["form-action"]);
        Assert.Equal("'none'", csp["object-src"]);

        // The import map, the one inline script, carries this response's nonce; the next response gets another.
        var html = await response.Content.ReadAsStringAsync();
        var value = nonce.Groups[1].Value;
        Assert.Contains($"<script type=\"importmap\" nonce=\"{WebUtility.HtmlEncode(value)}\">", html, StringComparison.Ordinal);
        using var again = await client.GetAsync(new Uri("/shaves", UriKind.Relative));
        Assert.NotEqual(csp["script-src"], Directives(again)["script-src"]);
    }

    [Fact]
    public async Task Outside_development_cookies_are_secure_and_https_responses_carry_hsts()
    {
        await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        await using var production = new ShaveTrackerWebFactory(App.Database.ConnectionString,
            new Dictionary<string, string?> { [WebHostDefaults.EnvironmentKey] = Environments.Production });
        Assert.True(production.Services.GetRequiredService<IHostEnvironment>().IsProduction());
        using var client = production.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://shavetracker.example"),
            AllowAutoRedirect = false,
        });

        using var signIn = await client.GetAsync(new Uri("/account/signin", UriKind.Relative));
        Assert.StartsWith("max-age=", signIn.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        var antiforgery = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", antiforgery, StringComparison.OrdinalIgnoreCase);

        using var posted = await PostSignInAsync(client, "alice@example.test", Password);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var auth = Assert.Single(posted.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ShaveTracker.Auth=", StringComparison.Ordinal));
        Assert.Contains("; secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=lax", auth, StringComparison.OrdinalIgnoreCase);
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var csp = Directives(response);
        Assert.Equal("'self'", csp["default-src"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
        Assert.Equal("'none'", csp["object-src"]);
        Assert.DoesNotContain("unsafe", csp["script-src"], StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.Contains("camera=()", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Directives(HttpResponseMessage response) =>
        Header(response, "Content-Security-Policy")
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "", StringComparer.Ordinal);

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) :
        response.Content.Headers.TryGetValues(name, out var content) ? string.Join(", ", content) :
        throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri}: no {name} header.");

    [GeneratedRegex("'nonce-([A-Za-z0-9_-]+)'")]
    private static partial Regex NonceSource();
}
