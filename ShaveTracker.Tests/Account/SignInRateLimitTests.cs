using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Account;

namespace ShaveTracker.Tests.Account;

/// <summary>
/// The sign-in rate limit per client address, through the real pipeline on a real port with a low limit (every
/// other test host raises it, since all tests sign in from one address).
/// </summary>
public sealed class SignInRateLimitTests : IAsyncLifetime
{
    private const int Limit = 3;
    private IsolatedWebApp _app = default!;

    public async Task InitializeAsync()
    {
        _app = await IsolatedWebApp.StartAsync(new Dictionary<string, string?>
        {
            ["SignIn:RateLimitPermits"] = Limit.ToString(CultureInfo.InvariantCulture),
            // Long enough that the window cannot roll over while a test runs.
            ["SignIn:RateLimitWindowSeconds"] = "600",
        });
        await LocalSignIn.CreateUserAsync(_app.Database.Factory, "alice@example.test", "Alice Requester");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Sign_in_attempts_above_the_limit_get_429_with_Retry_After_and_a_page_saying_how_long_to_wait()
    {
        using var client = _app.CreateClient();
        for (var i = 0; i < Limit; i++)
        {
            using var wrong = await LocalSignIn.PostAsync(client, _app.BaseAddress, _app.BaseAddress, "alice@example.test", "not-the-password", "/users");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        // Even the right password is not tried any more from this address until the window ends.
        using var refused = await LocalSignIn.PostAsync(client, _app.BaseAddress, _app.BaseAddress, "alice@example.test", LocalSignIn.Password, "/users");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 600);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Too many sign-in attempts", page, StringComparison.Ordinal);
        var wait = Regex.Match(page, "data-testid=\"signin-retry-after\"[^>]*>([0-9]+) minutes<");
        Assert.True(wait.Success, "The page does not say how long to wait.");
        Assert.Equal(Math.Ceiling(retryAfter.Value.TotalSeconds / 60), int.Parse(wait.Groups[1].Value, CultureInfo.InvariantCulture));
        // Back to the form, still on the way to the page the person wanted.
        Assert.Contains("href=\"/account/signin?returnUrl=%2Fusers\"", page, StringComparison.Ordinal);
        // A page of the app, with its styles, not a bare error.
        Assert.Matches("<link rel=\"stylesheet\" href=\"app\\.[^\"]*css\"", page);

        // No cookie came with the refusal; the form itself still shows (looking at it is not an attempt).
        using var home = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        using var form = await client.GetAsync(new Uri("/account/signin", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
    }

    [Fact]
    public async Task Another_address_is_not_held_back_by_one_that_reached_the_limit()
    {
        using var limited = _app.CreateClient();
        for (var i = 0; i <= Limit; i++)
        {
            using var _ = await LocalSignIn.PostAsync(limited, _app.BaseAddress, _app.BaseAddress, "alice@example.test", "not-the-password", null);
        }

        using (var refused = await LocalSignIn.PostAsync(limited, _app.BaseAddress, _app.BaseAddress, "alice@example.test", LocalSignIn.Password, null))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        // 127.0.0.2 is this machine too (all of 127/8 is loopback), but another client address for the server.
        using var other = _app.CreateClient(From(IPAddress.Parse("127.0.0.2")));
        using var signedIn = await LocalSignIn.PostAsync(other, _app.BaseAddress, _app.BaseAddress, "alice@example.test");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    [Theory]
    [InlineData("2001:db8::1", "2001:db8::ffff:1", true)]
    [InlineData("2001:db8::1", "2001:db8:0:1::1", false)]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7", true)]
    [InlineData("192.0.2.7", "192.0.2.8", false)]
    public void Addresses_share_a_limit_per_IPv4_address_and_per_IPv6_64_block(string a, string b, bool shared) =>
        Assert.Equal(shared, SignInRateLimitPolicy.ClientPartition(IPAddress.Parse(a)) == SignInRateLimitPolicy.ClientPartition(IPAddress.Parse(b)));

    /// <summary>A handler whose connections leave from <paramref name="source"/>.</summary>
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The stream owns the socket; the client owns the handler.")]
    private static SocketsHttpHandler From(IPAddress source) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = true,
        CookieContainer = new CookieContainer(),
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

/// <summary>Starting a Microsoft sign-in is an attempt too, counted with the local form's.</summary>
public sealed class MicrosoftSignInRateLimitTests(ThrottledMicrosoftSignInFixture app) : IClassFixture<ThrottledMicrosoftSignInFixture>
{
    [Fact]
    public async Task Microsoft_sign_ins_and_local_sign_ins_from_one_address_share_the_limit()
    {
        using var session = app.CreateSession();
        for (var i = 0; i < ThrottledMicrosoftSignInFixture.Limit; i++)
        {
            using var challenge = await session.Http.GetAsync(new Uri("/account/signin/microsoft?returnUrl=%2F", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        }

        using var refused = await session.Http.GetAsync(new Uri("/account/signin/microsoft?returnUrl=%2F", UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Contains("Too many sign-in attempts", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var local = await LocalSignIn.PostAsync(session.Http, app.BaseAddress, app.BaseAddress, "nobody@example.test", "whatever", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, local.StatusCode);
    }
}

public sealed class ThrottledMicrosoftSignInFixture() : MicrosoftSignInFixture(confidentialClient: true)
{
    public const int Limit = 2;

    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["SignIn:RateLimitPermits"] = Limit.ToString(CultureInfo.InvariantCulture);
        settings["SignIn:RateLimitWindowSeconds"] = "600";
    }
}
