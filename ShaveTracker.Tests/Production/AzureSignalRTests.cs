using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Azure.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Infrastructure;

namespace ShaveTracker.Tests.Production;

/// <summary>
/// The switch to Azure SignalR Service for the circuits. No service can be reached from here, so these tests check
/// what the app registers and sends to browsers, not a connection through the service.
/// </summary>
public sealed class AzureSignalRTests(WebAppFixture app) : WebTest(app)
{
    // The key is random: nothing here signs a token that any service would accept.
    private static readonly string ConnectionString =
        $"Endpoint=https://shavetracker-test.service.signalr.net;AccessKey={Convert.ToBase64String(Guid.NewGuid().ToByteArray())};Version=1.0;";

    [Fact]
    public void Without_a_connection_string_circuits_stay_on_the_apps_own_signalr()
    {
        var services = ShaveTrackerServices([]);

        Assert.DoesNotContain(services, d => d.ServiceType.Assembly == typeof(ServiceOptions).Assembly);
        Assert.DoesNotContain(services, d => d.ImplementationType?.Assembly == typeof(ServiceOptions).Assembly);
    }

    [Fact]
    public void With_a_connection_string_circuits_go_through_azure_signalr_with_server_sticky_mode_required()
    {
        var services = ShaveTrackerServices(new() { [AzureSignalRSetup.ConnectionStringKey] = ConnectionString });

        var lifetimeManager = services.Last(d => d.ServiceType == typeof(HubLifetimeManager<>));
        Assert.Equal(typeof(ServiceOptions).Assembly, lifetimeManager.ImplementationType!.Assembly);
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ServiceOptions>>().Value;
        Assert.Equal(ServerStickyMode.Required, options.ServerStickyMode);
        Assert.Equal(ConnectionString, options.ConnectionString);
    }

    [Fact]
    public async Task With_the_service_the_pages_allow_the_browser_to_connect_to_it()
    {
        await using var host = new ShaveTrackerWebFactory(App.Database.ConnectionString,
            new Dictionary<string, string?> { [AzureSignalRSetup.ConnectionStringKey] = ConnectionString });
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("/account/signin", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var connect = response.Headers.GetValues("Content-Security-Policy").Single()
            .Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith("connect-src ", StringComparison.Ordinal));
        Assert.Contains(" https://shavetracker-test.service.signalr.net ", connect + " ", StringComparison.Ordinal);
        Assert.Contains(" wss://shavetracker-test.service.signalr.net ", connect + " ", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Endpoint=https://name.service.signalr.net;AccessKey=abc=;Version=1.0;", "https://name.service.signalr.net/")]
    [InlineData("Endpoint=https://name.service.signalr.net;AccessKey=abc=;Version=1.0;ClientEndpoint=https://signalr.contoso.example:8443;",
        "https://signalr.contoso.example:8443/")]
    [InlineData("not a connection string", null)]
    [InlineData("", null)]
    public void The_browsers_connect_to_the_client_endpoint_when_there_is_one(string connectionString, string? expected) =>
        Assert.Equal(expected, AzureSignalRSetup.ClientOrigin(connectionString)?.ToString());

    [Fact]
    public async Task A_value_that_is_not_a_connection_string_stops_the_app_naming_the_setting()
    {
        await using var host = new ShaveTrackerWebFactory(App.Database.ConnectionString,
            new Dictionary<string, string?> { [AzureSignalRSetup.ConnectionStringKey] = "https://shavetracker.service.signalr.net" });

        var error = Assert.Throws<OptionsValidationException>(host.StartServer);
        Assert.Contains(AzureSignalRSetup.ConnectionStringKey, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The app's service registrations with these settings, without starting anything.</summary>
    private IServiceCollection ShaveTrackerServices(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["ConnectionStrings:ShaveTracker"] = App.Database.ConnectionString,
        });
        builder.AddShaveTracker();
        return builder.Services;
    }
}
