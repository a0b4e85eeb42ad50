using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Infrastructure.LiveUpdates;

namespace ShaveTracker.Tests.Production;

/// <summary>
/// The poller as the app runs it (a background service on its own loop) while its database goes away and comes
/// back. Its own database file, because the test takes the file away.
/// </summary>
public sealed class ChangeFeedOutageTests : IAsyncLifetime
{
    private readonly SqliteDatabaseFixture _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task The_poller_outlives_a_database_outage_says_so_once_and_delivers_changes_when_the_database_is_back()
    {
        var options = Options.Create(new LiveUpdateOptions
        {
            Mode = LiveUpdateMode.Database, PollIntervalMilliseconds = 50, MaxBackoffSeconds = 1,
        });
        var notifier = new InProcessShaveChangeNotifier(NullLogger<InProcessShaveChangeNotifier>.Instance, TestMetrics.Create());
        var log = new CapturingLogger<ShaveChangePoller>();
        var received = new List<Guid>();
        using var _ = notifier.Subscribe(null, change =>
        {
            lock (received)
            {
                received.Add(change.ShaveId);
            }

            return Task.CompletedTask;
        });
        using var poller = new ShaveChangePoller(_database.Factory, new ShaveChangeFeed(options), notifier, options, TimeProvider.System, log);
        await poller.StartAsync(default);
        try
        {
            await Eventually.TrueAsync(() => poller.HighWater is not null, "the poller found the end of the feed");
            var before = await WriteAsync();
            await Eventually.TrueAsync(() => Received(received).Contains(before), "a change before the outage was delivered");

            var folder = Path.GetDirectoryName(new SqliteConnectionStringBuilder(_database.ConnectionString).DataSource)!;
            var away = folder + ".away";
            Directory.Move(folder, away);
            SqliteConnection.ClearAllPools();
            try
            {
                await Eventually.TrueAsync(() => log.Events.Any(e => e.Level == LogLevel.Warning), "the failure was logged");
                // Several more failed tries (with back-off), and still one warning: an outage does not flood the log.
                await Eventually.TrueAsync(() => log.Events.Count(e => e.Level == LogLevel.Debug) >= 3, "the poller kept trying");
                Assert.Single(log.Events, e => e.Level == LogLevel.Warning);
                Assert.False(poller.ExecuteTask!.IsCompleted);
            }
            finally
            {
                Directory.Move(away, folder);
            }

            var after = await WriteAsync();
            await Eventually.TrueAsync(() => Received(received).Contains(after), "a change after the outage was delivered");
            await Eventually.TrueAsync(() => log.Events.Any(e => e.Level == LogLevel.Information && e.Message.Contains("read again", StringComparison.Ordinal)),
                "the recovery was logged");
            Assert.Equal([before, after], Received(received));
        }
        finally
        {
            await poller.StopAsync(default);
        }

        Assert.True(poller.ExecuteTask!.IsCompletedSuccessfully);
    }

    private async Task<Guid> WriteAsync()
    {
        var shaveId = Guid.NewGuid();
        await using var db = await _database.Factory.CreateDbContextAsync();
        db.ShaveChanges.Add(new ShaveChangeEntry
        {
            ShaveId = shaveId, Kind = nameof(ShaveChangeKind.StepsChanged), ChangedAt = DateTime.UtcNow, OriginInstance = Guid.NewGuid(),
        });
        await db.SaveChangesAsync();
        return shaveId;
    }

    private static List<Guid> Received(List<Guid> received)
    {
        lock (received)
        {
            return [.. received];
        }
    }
}
