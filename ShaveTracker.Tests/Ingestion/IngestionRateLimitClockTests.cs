using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Ingestion;

/// <summary>The ingestion API's rate limit over time, with the app's clock moved by the test.</summary>
public sealed class IngestionRateLimitClockTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private IsolatedWebApp _app = default!;

    public async Task InitializeAsync() => _app = await IsolatedWebApp.StartAsync(new Dictionary<string, string?>
    {
        ["Ingestion:RateLimitPermits"] = "3",
        ["Ingestion:RateLimitWindowSeconds"] = "60",
    }, _clock);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_client_over_its_limit_waits_out_the_rest_of_the_window_and_is_served_again_when_it_ends()
    {
        var key = await TestAdmin.CreateApiKeyAsync(_app.Services, "pipeline");
        using var api = _app.CreateClient();
        api.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key.Key);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(api));
        }

        _clock.Advance(TimeSpan.FromSeconds(20));
        using (var refused = await api.GetAsync(new Uri("/api/v1/shaves", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(40), refused.Headers.RetryAfter?.Delta);
        }

        _clock.Advance(TimeSpan.FromSeconds(39));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(api));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(api));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient api)
    {
        using var response = await api.GetAsync(new Uri("/api/v1/shaves", UriKind.Relative));
        return response.StatusCode;
    }
}
