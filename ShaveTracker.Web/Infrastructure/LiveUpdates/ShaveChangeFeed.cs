using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Infrastructure.LiveUpdates;

public enum LiveUpdateMode
{
    /// <summary>Changes reach the pages of the instance that wrote them, and no other.</summary>
    InProcess,

    /// <summary>Changes are also written to <c>shave_changes</c>, which every instance polls.</summary>
    Database,
}

/// <summary>The <c>LiveUpdates</c> section: how "shave X changed" reaches pages open on other instances.</summary>
public sealed class LiveUpdateOptions
{
    public const string SectionName = "LiveUpdates";

    /// <summary>
    /// Unset: <see cref="LiveUpdateMode.Database"/> on SQL Server (the provider of multi-instance deployments),
    /// <see cref="LiveUpdateMode.InProcess"/> on SQLite (one embedded instance, which need not poll itself).
    /// </summary>
    public LiveUpdateMode? Mode { get; set; }

    /// <summary>How often each instance reads the feed; a page on another instance lags at most about this much.</summary>
    [Range(50, 60_000, ErrorMessage = "LiveUpdates:PollIntervalMilliseconds must be between {1} and {2}.")]
    public int PollIntervalMilliseconds { get; set; } = 500;

    /// <summary>
    /// How long a hole in the ids is watched for a late commit. Ids are handed out when a row is inserted, not when
    /// its transaction commits, so a reader can see id 11 before id 10 (a large batch still writing, SQL Server's
    /// read-committed snapshot); a hole that stays empty this long was a rolled-back write.
    /// </summary>
    [Range(1, 600, ErrorMessage = "LiveUpdates:GapTimeoutSeconds must be between {1} and {2}.")]
    public int GapTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Rows older than this are deleted. It is how long an instance cut off from the database can be away and
    /// still catch up on what it missed when it is back.
    /// </summary>
    [Range(1, 7 * 24 * 60, ErrorMessage = "LiveUpdates:RetentionMinutes must be between {1} and {2}.")]
    public int RetentionMinutes { get; set; } = 60;

    /// <summary>The longest wait between two tries while the database does not answer.</summary>
    [Range(1, 600, ErrorMessage = "LiveUpdates:MaxBackoffSeconds must be between {1} and {2}.")]
    public int MaxBackoffSeconds { get; set; } = 30;
}

/// <summary>
/// The writer's side of the change feed. A write adds its change with <see cref="Record"/> before its
/// <c>SaveChanges</c>, so the feed row commits in the same transaction as the change it describes: a change that
/// committed always reaches the other instances, and one that rolled back never does. (Writing the row right after
/// the commit would leave a window, a crash or a lost connection, in which the change is saved but never announced,
/// and pages elsewhere would stay stale until the next change.) The writer then calls
/// <see cref="IShaveChangeNotifier.Publish"/> as before: its own pages hear at once, without waiting for a poll.
/// </summary>
public sealed class ShaveChangeFeed(IOptions<LiveUpdateOptions> options)
{
    /// <summary>This process, in the rows it writes: its poller skips them, its pages were told already.</summary>
    public Guid InstanceId { get; } = Guid.NewGuid();

    public bool Enabled => options.Value.Mode == LiveUpdateMode.Database;

    public void Record(ShaveTrackerDbContext db, ShaveChange change)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(change);
        if (!Enabled)
        {
            return;
        }

        db.ShaveChanges.Add(new ShaveChangeEntry
        {
            ShaveId = change.ShaveId,
            Kind = change.Kind.ToString(),
            ChangedAt = change.At,
            OriginInstance = InstanceId,
        });
    }

    /// <summary>A kind this version does not know (a newer instance wrote it) is still a change: an update.</summary>
    internal static ShaveChange ToChange(Guid shaveId, string kind, DateTime changedAt) =>
        new(shaveId,
            Enum.TryParse<ShaveChangeKind>(kind, ignoreCase: false, out var k) && Enum.IsDefined(k) && !int.TryParse(kind, out _)
                ? k
                : ShaveChangeKind.Updated,
            changedAt);
}

public static class LiveUpdateSetup
{
    public static WebApplicationBuilder AddShaveTrackerLiveUpdates(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LiveUpdateOptions>()
            .Bind(builder.Configuration.GetSection(LiveUpdateOptions.SectionName))
            .PostConfigure<IOptions<DatabaseOptions>>((o, database) => o.Mode ??=
                database.Value.Provider == DatabaseProvider.SqlServer ? LiveUpdateMode.Database : LiveUpdateMode.InProcess)
            .ValidateDataAnnotations()
            .Validate(o => o.Mode is null || Enum.IsDefined(o.Mode.Value),
                "LiveUpdates:Mode must be 'InProcess' or 'Database'.")
            .Validate(o => o.RetentionMinutes * 60 > o.GapTimeoutSeconds,
                "LiveUpdates:RetentionMinutes must be longer than LiveUpdates:GapTimeoutSeconds: a row must outlive the wait for the rows before it.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IShaveChangeNotifier, InProcessShaveChangeNotifier>();
        builder.Services.AddSingleton<ShaveChangeFeed>();
        // Always registered; it stops at once unless the mode is Database.
        builder.Services.AddHostedService<ShaveChangePoller>();
        return builder;
    }
}
