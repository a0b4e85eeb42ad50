using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.DesktopPortal;

namespace ShaveTracker.Tests.DesktopPortal;

/// <summary><c>YakShaverDesktop</c>: off unless switched on, and then only with Microsoft sign-in configured.</summary>
public sealed class DesktopPortalOptionsTests
{
    private static readonly Dictionary<string, string?> AzureAd = new()
    {
        ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
        ["AzureAd:TenantId"] = FakeEntraProvider.TenantId.ToString(),
        ["AzureAd:ClientId"] = FakeEntraProvider.ClientId,
    };

    [Fact]
    public void It_is_off_by_default()
    {
        Assert.False(new DesktopPortalOptions().Enabled);
        Assert.True(Validate(new Dictionary<string, string?>(), new DesktopPortalOptions()).Succeeded);
    }

    [Fact]
    public void On_without_azure_ad_fails_naming_both_settings()
    {
        var result = Validate(new Dictionary<string, string?>(), new DesktopPortalOptions { Enabled = true });

        Assert.True(result.Failed);
        Assert.Contains("YakShaverDesktop:Enabled", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("AzureAd:ClientId", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ApiPrefix", "/api/v1")]
    [InlineData("ApiPrefix", "/api/v1/desktop")]
    [InlineData("ApiPrefix", "/")]
    [InlineData("ApiPrefix", "api")]
    [InlineData("TenantsPrefix", "/shaves")]
    [InlineData("TenantsPrefix", "/api")]
    public void A_prefix_that_the_app_already_answers_or_that_is_not_a_path_fails_naming_it(string setting, string value)
    {
        var options = new DesktopPortalOptions { Enabled = true };
        typeof(DesktopPortalOptions).GetProperty(setting)!.SetValue(options, value);

        var result = Validate(AzureAd, options);

        Assert.True(result.Failed);
        Assert.Contains($"YakShaverDesktop:{setting}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_desktops_default_urls_fit_beside_the_ingestion_api()
    {
        Assert.True(Validate(AzureAd, new DesktopPortalOptions { Enabled = true }).Succeeded);
        Assert.True(Validate(AzureAd, new DesktopPortalOptions { Enabled = true, ApiPrefix = "/desktop/api", TenantsPrefix = "/desktop/tenants" }).Succeeded);
    }

    [Fact]
    public async Task The_app_refuses_to_start_with_it_on_and_azure_ad_unset()
    {
        await using var database = new SqliteDatabaseFixture();
        await database.InitializeAsync();
        await using var factory = new ShaveTrackerWebFactory(database.ConnectionString, new Dictionary<string, string?> { ["YakShaverDesktop:Enabled"] = "true" });

        var error = Assert.ThrowsAny<Exception>(() => factory.Services.GetRequiredService<IOptions<DesktopPortalOptions>>());

        var message = error is AggregateException aggregate ? string.Join(" ", aggregate.Flatten().InnerExceptions.Select(e => e.Message)) : error.Message;
        Assert.Contains("YakShaverDesktop:Enabled", message, StringComparison.Ordinal);
        Assert.Contains("AzureAd", message, StringComparison.Ordinal);
    }

    private static ValidateOptionsResult Validate(Dictionary<string, string?> settings, DesktopPortalOptions options) =>
        new DesktopPortalOptionsValidator(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).Validate(null, options);
}
