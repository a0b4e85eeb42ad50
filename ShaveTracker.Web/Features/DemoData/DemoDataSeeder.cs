using ShaveTracker.Web.Shared;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShaveTracker.Data;

namespace ShaveTracker.Web.Features.DemoData;

/// <summary>
/// Fills a development database with a deterministic demo: the <see cref="DemoAccounts"/>, more requesters,
/// projects, and about 300 shaves of the last 60 days in every status, with steps, transcripts, model calls,
/// tool calls and an audit trail, plus two heavy shaves (one with 50 steps, 2,000 AI logs and 3,000 tool calls) for the
/// admin trace. Runs once: a database that already has the demo admin is left alone.
/// </summary>
public sealed class DemoDataSeeder(
    IDbContextFactory<ShaveTrackerDbContext> factory,
    IOptions<DemoOptions> options,
    ILogger<DemoDataSeeder> logger)
{
    /// <summary>Seeds relative to the current minute. False if the demo data is already there.</summary>
    public Task<bool> SeedAsync(CancellationToken ct) => SeedAsync(DateTime.UtcNow, ct);

    /// <summary>
    /// Seeds relative to <paramref name="now"/> (UTC, truncated to the minute): the same moment gives the same rows
    /// and ids. False, writing nothing, if the demo data is already there.
    /// </summary>
    public async Task<bool> SeedAsync(DateTime now, CancellationToken ct)
    {
        var password = options.Value.Password;
        if (string.IsNullOrEmpty(password))
        {
            throw new InvalidOperationException($"{DemoOptions.SectionName}:{nameof(DemoOptions.Password)} must not be empty.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.Users.AnyAsync(u => u.Id == DemoAccounts.Admin.Id, ct))
        {
            logger.LogInformation("Demo data is already present ({UserName} exists); nothing seeded", DemoAccounts.Admin.UserName);
            return false;
        }

        var stopwatch = Stopwatch.StartNew();
        var data = new DemoDataGenerator(ToUtcMinute(now), password, options.Value.LongTrace).Generate();
        db.Users.AddRange(data.Users);
        db.LocalAccounts.AddRange(data.LocalAccounts);
        db.UserRoles.AddRange(data.UserRoles);
        db.Projects.AddRange(data.Projects);
        db.VideoFiles.AddRange(data.VideoFiles);
        db.Shaves.AddRange(data.Shaves);
        db.ProcessSteps.AddRange(data.ProcessSteps);
        db.Transcripts.AddRange(data.Transcripts);
        db.AiLogs.AddRange(data.AiLogs);
        db.AiLogUsages.AddRange(data.AiLogs.Select(DemoDataGenerator.UsageOf));
        db.ToolCalls.AddRange(data.ToolCalls);
        db.UserActivities.AddRange(data.UserActivities);

        // One SaveChanges is one transaction: a crash half-way leaves no half demo behind, and no admin row that
        // would stop the next start from trying again.
        await db.SaveChangesAsync(ct);

        logger.LogInformation(
            "Seeded demo data in {ElapsedMs} ms: {Users} users, {Projects} projects, {Shaves} shaves, {Steps} process steps, " +
            "{AiLogs} AI logs, {ToolCalls} tool calls, {Transcripts} transcripts, {Activities} user activities",
            stopwatch.ElapsedMilliseconds, data.Users.Count, data.Projects.Count, data.Shaves.Count, data.ProcessSteps.Count,
            data.AiLogs.Count, data.ToolCalls.Count, data.Transcripts.Count, data.UserActivities.Count);
        return true;
    }

    private static DateTime ToUtcMinute(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
    }
}
