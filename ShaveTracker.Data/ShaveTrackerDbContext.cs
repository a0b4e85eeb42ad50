using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Data;

/// <summary>
/// The unit of work and the repository. One instance per operation, from
/// <c>IDbContextFactory&lt;ShaveTrackerDbContext&gt;</c>. Each provider has a sealed subclass
/// (<see cref="SqliteShaveTrackerDbContext"/>, <see cref="SqlServerShaveTrackerDbContext"/>) only so that each can
/// own its migration set inside this assembly; the model is the same.
/// It also holds ASP.NET Core's data-protection key ring (<see cref="IDataProtectionKeyContext"/>): the keys that
/// sign-in and antiforgery cookies are encrypted with live beside the data, so every instance reads the same keys.
/// </summary>
public abstract class ShaveTrackerDbContext : DbContext, IDataProtectionKeyContext
{
    protected ShaveTrackerDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<User> Users => Set<User>();
    public DbSet<VideoFile> VideoFiles => Set<VideoFile>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<Shave> Shaves => Set<Shave>();
    public DbSet<ProcessStep> ProcessSteps => Set<ProcessStep>();
    public DbSet<AiLog> AiLogs => Set<AiLog>();
    public DbSet<AiLogUsage> AiLogUsages => Set<AiLogUsage>();
    public DbSet<ModelPrice> ModelPrices => Set<ModelPrice>();
    public DbSet<OtelTrace> OtelTraces => Set<OtelTrace>();
    public DbSet<OtelPendingSpan> OtelPendingSpans => Set<OtelPendingSpan>();
    public DbSet<ToolCall> ToolCalls => Set<ToolCall>();
    public DbSet<Transcript> Transcripts => Set<Transcript>();
    public DbSet<UserActivity> UserActivities => Set<UserActivity>();
    public DbSet<ShaveWorkItem> ShaveWorkItems => Set<ShaveWorkItem>();
    public DbSet<Screenshot> Screenshots => Set<Screenshot>();
    public DbSet<LocalAccount> LocalAccounts => Set<LocalAccount>();
    public DbSet<UserRole> UserRoles => Set<UserRole>();
    public DbSet<UserSignIn> UserSignIns => Set<UserSignIn>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<SignInThrottle> SignInThrottles => Set<SignInThrottle>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ShaveCount> ShaveCounts => Set<ShaveCount>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<ShaveDailyCount> ShaveDailyCounts => Set<ShaveDailyCount>();
    public DbSet<AiLogDailyStat> AiLogDailyStats => Set<AiLogDailyStat>();
    public DbSet<ToolCallDailyStat> ToolCallDailyStats => Set<ToolCallDailyStat>();
    public DbSet<StepErrorDailyCount> StepErrorDailyCounts => Set<StepErrorDailyCount>();
    public DbSet<ShaveChangeEntry> ShaveChanges => Set<ShaveChangeEntry>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // SQLite hands DateTime back as Kind=Unspecified; every timestamp in this model is UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ShaveTrackerDbContext).Assembly);
        SnakeCaseNaming.Apply(modelBuilder);
        FailedToolCallIndexes(modelBuilder.Entity<ToolCall>());
    }

    /// <summary>
    /// Failed calls are a few percent of tool_calls, and "what failed" is the question staff ask most: with these
    /// partial indexes the explorer's failed-calls view (and its bounded count) reads only failures instead of walking
    /// every call of the window to skip the successful ones (215 ms → a few ms at 1M shaves). The filter is written as
    /// each provider renders <c>!t.Success</c>, because both match a partial index only on that same expression with
    /// a constant (a parameter never matches).
    /// </summary>
    private void FailedToolCallIndexes(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<ToolCall> b)
    {
        var failed = Database.IsSqlServer() ? "[success] = CAST(0 AS bit)" : "NOT \"success\"";
        b.HasIndex(x => new { x.ToolName, x.CreatedAt, x.ServiceName, x.Success, x.DurationMs, x.ShaveId }, "ix_tool_calls_failed_by_tool").HasFilter(failed);
        b.HasIndex(x => new { x.CreatedAt, x.ToolName, x.ServiceName, x.Success, x.DurationMs, x.ShaveId }, "ix_tool_calls_failed").HasFilter(failed);
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction and commits it; the tracked changes it saves and any commands it
    /// sends itself on this context's connection commit or roll back together. On SQLite it first waits for this
    /// process's turn at the file's write lock (<see cref="SqliteWriteGate"/>), as a save does.
    /// </summary>
    public virtual Task InWriteTransactionAsync(Func<Task> write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        return Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var tx = await Database.BeginTransactionAsync(ct);
            await write();
            await tx.CommitAsync(ct);
        });
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampConcurrencyTokens();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampConcurrencyTokens();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// Every modified shave or project gets a new <c>updated_at</c>; EF compares the original value in the
    /// UPDATE's WHERE clause, so a save based on a stale read affects no row and throws
    /// <see cref="DbUpdateConcurrencyException"/>.
    /// </summary>
    private void StampConcurrencyTokens()
    {
        var now = DateTime.UtcNow;
        foreach (var entry in ChangeTracker.Entries<IConcurrencyAware>())
        {
            if (entry.State != EntityState.Modified)
            {
                continue;
            }

            var original = entry.Property(e => e.UpdatedAt).OriginalValue;
            // Strictly increasing even when two saves fall in the same clock tick.
            entry.Entity.UpdatedAt = original is { } previous && previous >= now ? previous.AddTicks(10) : now;
        }
    }
}

public sealed class SqliteShaveTrackerDbContext(DbContextOptions<SqliteShaveTrackerDbContext> options)
    : ShaveTrackerDbContext(options)
{
    private SemaphoreSlim? _writeGate;

    // This process's saves queue for the file's single write lock (SqliteWriteGate) instead of sleeping through
    // SQLITE_BUSY. A save inside a transaction the caller began is not queued: that transaction may already hold the
    // write lock, and queueing it behind a save that waits for that lock would stall both.
    private SemaphoreSlim? WriteGate => Database.CurrentTransaction is not null ? null
        : _writeGate ??= SqliteWriteGate.For(Database.GetConnectionString());

    public override async Task InWriteTransactionAsync(Func<Task> write, CancellationToken ct)
    {
        var gate = WriteGate;
        if (gate is not null)
        {
            await gate.WaitAsync(ct);
        }

        try
        {
            await base.InWriteTransactionAsync(write, ct);
        }
        finally
        {
            gate?.Release();
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var gate = WriteGate;
        gate?.Wait();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            gate?.Release();
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var gate = WriteGate;
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken);
        }

        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            gate?.Release();
        }
    }
}

public sealed class SqlServerShaveTrackerDbContext(DbContextOptions<SqlServerShaveTrackerDbContext> options)
    : ShaveTrackerDbContext(options);
