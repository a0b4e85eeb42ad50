using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShaveTracker.Web.Infrastructure;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Infrastructure.LiveUpdates;

namespace ShaveTracker.Tests.Production;

/// <summary>The <c>LiveUpdates</c> section as the app reads it at start.</summary>
public sealed class LiveUpdateOptionsTests
{
    [Theory]
    [InlineData("SqlServer", null, LiveUpdateMode.Database)]
    [InlineData("Sqlite", null, LiveUpdateMode.InProcess)]
    [InlineData("Sqlite", "Database", LiveUpdateMode.Database)]
    [InlineData("SqlServer", "InProcess", LiveUpdateMode.InProcess)]
    public void Unless_set_the_change_feed_is_on_for_sql_server_and_off_for_sqlite(string provider, string? mode, LiveUpdateMode expected)
    {
        using var services = Services(new() { ["Database:Provider"] = provider, ["LiveUpdates:Mode"] = mode });

        Assert.Equal(expected, services.GetRequiredService<IOptions<LiveUpdateOptions>>().Value.Mode);
        Assert.Equal(expected == LiveUpdateMode.Database, services.GetRequiredService<ShaveChangeFeed>().Enabled);
    }

    [Theory]
    [InlineData("LiveUpdates:PollIntervalMilliseconds", "0")]
    [InlineData("LiveUpdates:GapTimeoutSeconds", "0")]
    [InlineData("LiveUpdates:RetentionMinutes", "0")]
    [InlineData("LiveUpdates:MaxBackoffSeconds", "100000")]
    public void A_setting_out_of_range_stops_the_app_naming_it(string key, string value)
    {
        using var services = Services(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LiveUpdateOptions>>().Value);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_must_be_kept_longer_than_the_wait_for_late_commits()
    {
        using var services = Services(new() { ["LiveUpdates:RetentionMinutes"] = "1", ["LiveUpdates:GapTimeoutSeconds"] = "90" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LiveUpdateOptions>>().Value);
        Assert.Contains("LiveUpdates:RetentionMinutes", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The database and live-update registrations of the app with these settings; nothing connects.</summary>
    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["ConnectionStrings:ShaveTracker"] = settings.GetValueOrDefault("Database:Provider") == "SqlServer"
                ? "Server=sql.invalid;Database=ShaveTracker;Integrated Security=true"
                : $"Data Source={Path.Combine(Path.GetTempPath(), "shavetracker-tests", "options", "unused.db")}",
        });
        builder.AddShaveTrackerDatabase();
        builder.AddShaveTrackerLiveUpdates();
        return builder.Services.BuildServiceProvider();
    }
}
