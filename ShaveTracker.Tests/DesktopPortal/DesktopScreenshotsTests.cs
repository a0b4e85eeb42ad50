using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.DesktopPortal;

namespace ShaveTracker.Tests.DesktopPortal;

/// <summary>The screenshot store on its own: what counts as an image, the SQL Server SQL of a save, and who may attach one.</summary>
public sealed class DesktopScreenshotsTests(SqliteDatabaseFixture database) : SqlServerWriteTest(database)
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    private DesktopScreenshots Store(IDbContextFactory<ShaveTrackerDbContext>? factory = null) =>
        new(factory ?? Database.Factory, Options.Create(new DesktopPortalOptions { Enabled = true }), _clock);

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00 }, DesktopScreenshots.Png)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xDB }, DesktopScreenshots.Jpeg)]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, null)]
    [InlineData(new byte[] { 0x3C, 0x73, 0x76, 0x67 }, null)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E }, null)]
    [InlineData(new byte[0], null)]
    public void Only_png_and_jpeg_signatures_are_images(byte[] content, string? expected) =>
        Assert.Equal(expected, DesktopScreenshots.Sniff(content));

    [Fact]
    public async Task A_stored_screenshot_is_one_insert_on_sql_server_and_has_a_random_token()
    {
        var uploader = await UserAsync();
        StoredScreenshot? first = null;

        var writes = await SaveAndAssertSqlServerWritesAsync(async () =>
            first = await Store(RecordingFactory).StoreAsync(uploader, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], DesktopScreenshots.Png, default));
        var second = await Store().StoreAsync(uploader, [0xFF, 0xD8, 0xFF], DesktopScreenshots.Jpeg, default);

        AssertWrites(writes, "INSERT screenshots");
        Assert.Matches("^[A-Za-z0-9_-]{43}$", first!.Token);
        Assert.NotEqual(first.Token, second.Token);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, first.CreatedAt);
        Assert.EndsWith($"/api/desktopapp/screenshots/{second.Token}.jpg", Store().PathOf(second), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_record_attaches_only_its_own_users_screenshot()
    {
        var ada = await UserAsync();
        var bob = await UserAsync();
        var shot = await Store().StoreAsync(ada, [0xFF, 0xD8, 0xFF], DesktopScreenshots.Jpeg, default);
        var shaveId = await ShaveAsync(bob);
        var url = $"https://shavetracker.example{Store().PathOf(shot)}";

        await Store().AttachAsync(bob, url, shaveId, default);
        await using (var db = await Database.Factory.CreateDbContextAsync())
        {
            Assert.Null((await db.Screenshots.SingleAsync()).ShaveId);
        }

        await Store().AttachAsync(ada, "https://elsewhere.example/not-ours.png", shaveId, default);
        await Store().AttachAsync(ada, url, shaveId, default);
        await using (var db = await Database.Factory.CreateDbContextAsync())
        {
            Assert.Equal(shaveId, (await db.Screenshots.SingleAsync()).ShaveId);
        }
    }

    private async Task<Guid> UserAsync()
    {
        await using var db = await Database.Factory.CreateDbContextAsync();
        var user = new User { Id = Guid.NewGuid(), AuthProvider = AuthProvider.Microsoft, DisplayName = "Someone", CreatedAt = DateTime.UtcNow };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    }

    private async Task<Guid> ShaveAsync(Guid requester)
    {
        await using var db = await Database.Factory.CreateDbContextAsync();
        var video = new VideoFile { Id = Ids.NewId(), FileName = "a.mp4", CreatedAt = DateTime.UtcNow };
        var shave = new Shave { Id = Ids.NewId(), Title = "t", VideoFileId = video.Id, RequesterId = requester, WorkItemSource = "", CreatedAt = DateTime.UtcNow };
        db.AddRange(video, shave);
        await db.SaveChangesAsync();
        return shave.Id;
    }
}
