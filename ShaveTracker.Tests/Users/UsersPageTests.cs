using Bunit;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Users;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Users;

/// <summary>The users page rendered with bUnit on the real SQLite test database.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class UsersPageTests : BunitContext, IAsyncLifetime
{
    private readonly SqliteDatabaseFixture _database;

    public UsersPageTests(SqliteDatabaseFixture database)
    {
        _database = database;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddComponentHost(database.Factory).AddUsersFeature();
    }

    public Task InitializeAsync() => _database.ResetAsync();

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    [Fact]
    public async Task A_users_shave_count_opens_the_list_of_their_shaves()
    {
        var admin = await BunitSignIn.AddUserAsync(_database, "Ada Admin");
        var alice = await BunitSignIn.AddUserAsync(_database, "Alice Requester");
        await AddShavesAsync(alice, 3);
        BunitSignIn.SignIn(this, admin, Roles.Admin);

        var page = Render<UsersPage>();

        page.WaitForAssertion(() =>
        {
            var link = Assert.Single(page.FindAll("a[data-testid=user-shaves]"));
            Assert.Equal("3", link.TextContent.Trim());
            Assert.Equal($"/shaves?requester={alice.Id}", link.GetAttribute("href"));
        });
        // No shaves, nothing to open: the admin's own 0 is plain text.
        var adminRow = page.FindAll("[data-testid=users-table] tbody tr").Single(r => r.TextContent.Contains("Ada Admin", StringComparison.Ordinal));
        Assert.Empty(adminRow.QuerySelectorAll("a[data-testid=user-shaves]"));
    }

    private async Task AddShavesAsync(User requester, int count)
    {
        await using var db = await _database.Factory.CreateDbContextAsync();
        for (var i = 0; i < count; i++)
        {
            var video = new VideoFile { Id = Ids.NewId(), FileName = $"recording-{i}.mp4", Duration = 60, CreatedAt = DateTime.UtcNow };
            db.AddRange(video, new Shave
            {
                Id = Ids.NewId(), Title = $"Shave {i}", VideoFileId = video.Id, RequesterId = requester.Id, ShaveStatus = ShaveStatus.Completed,
                WorkItemSource = "GitHub", CreatedAt = DateTime.UtcNow,
            });
        }

        await db.SaveChangesAsync();
    }
}
