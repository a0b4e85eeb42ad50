using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.DemoData;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.DemoData;

public sealed class DemoDataSeederTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    [Fact]
    public async Task Seeding_twice_adds_nothing_the_second_time_and_the_demo_accounts_sign_in()
    {
        var seeder = new DemoDataSeeder(Factory, Options.Create(new DemoOptions { LongTrace = false }), NullLogger<DemoDataSeeder>.Instance);
        var now = new DateTime(2026, 11, 24, 22, 30, 0, DateTimeKind.Utc);

        Assert.True(await seeder.SeedAsync(now, default));
        var first = await CountsAsync();
        Assert.False(await seeder.SeedAsync(now, default));
        Assert.Equal(first, await CountsAsync());

        await using var db = await NewContextAsync();
        // Every status, real step names, payloads, failing tool calls: what the pages need to show.
        Assert.Equal(Enum.GetValues<ShaveStatus>().Length, await db.Shaves.Select(s => s.ShaveStatus).Distinct().CountAsync());
        Assert.True(await db.Shaves.CountAsync() >= 300);
        Assert.True(await db.Projects.CountAsync(p => !p.IsActive) >= 1);
        Assert.True(await db.Projects.CountAsync(p => p.CustomPrompt != null) >= 1);
        Assert.True(await db.ToolCalls.AnyAsync(c => !c.Success));
        Assert.True(await db.ProcessSteps.AnyAsync(p => p.ProcessStatus == ProcessStatus.Failed && p.ErrorMessage != null));
        var hashes = await db.VideoFiles.Where(v => v.FileHash != null).GroupBy(v => v.FileHash).Where(g => g.Count() > 1).CountAsync();
        Assert.True(hashes >= 1);
        foreach (var demo in DemoAccounts.All)
        {
            var account = await db.LocalAccounts.SingleAsync(a => a.UserName == demo.UserName);
            Assert.NotEqual(PasswordVerificationResult.Failed,
                new PasswordHasher<LocalAccount>().VerifyHashedPassword(account, account.PasswordHash, "Demo-Password-1"));
        }

        Assert.True(await db.Shaves.CountAsync(s => s.RequesterId == DemoAccounts.Alice.Id) > 0);
        Assert.True(await db.Shaves.CountAsync(s => s.RequesterId == DemoAccounts.Bob.Id) > 0);
    }

    private async Task<(int Users, int Shaves, int Steps, int Logs, int Calls, int Transcripts, int Activities)> CountsAsync()
    {
        await using var db = await NewContextAsync();
        return (await db.Users.CountAsync(), await db.Shaves.CountAsync(), await db.ProcessSteps.CountAsync(), await db.AiLogs.CountAsync(),
            await db.ToolCalls.CountAsync(), await db.Transcripts.CountAsync(), await db.UserActivities.CountAsync());
    }
}
