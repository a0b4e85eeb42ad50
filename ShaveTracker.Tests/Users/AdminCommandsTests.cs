using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Features.Users;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Users;

/// <summary>The admins' commands answer a refusal with a result the page can show, and change nothing.</summary>
public sealed class AdminCommandsTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    private UsersService Users => new(Factory, TimeProvider.System, NullLogger<UsersService>.Instance);

    private ApiKeyService Keys => new(Factory, TimeProvider.System, NullLogger<ApiKeyService>.Instance);

    [Fact]
    public async Task An_admin_cannot_remove_their_own_admin_role_and_keeps_it()
    {
        var ada = await CreateUserAsync("Ada Admin");
        var admin = await AdminAsync(ada);
        Assert.True((await Users.SetRoleAsync(admin, ada.Id, Roles.Admin, granted: true, default)).Succeeded);

        var result = await Users.SetRoleAsync(admin, ada.Id, Roles.Admin, granted: false, default);

        Assert.Equal(CommandOutcome.Invalid, result.Outcome);
        Assert.Contains("your own Admin role", result.Errors!["role"], StringComparison.Ordinal);
        await using var db = await NewContextAsync();
        Assert.True(await db.UserRoles.AnyAsync(r => r.UserId == ada.Id && r.Role == Roles.Admin));
    }

    [Fact]
    public async Task Role_changes_by_staff_or_for_a_missing_user_are_refused()
    {
        var sam = await CreateUserAsync("Sam Staff");
        var staff = new Caller(sam.Id, sam.DisplayName, IsStaff: true, IsAdmin: false);
        var admin = await AdminAsync(await CreateUserAsync("Ada Admin"));

        Assert.Equal(CommandOutcome.Forbidden, (await Users.SetRoleAsync(staff, sam.Id, Roles.Admin, granted: true, default)).Outcome);
        Assert.Equal(CommandOutcome.NotFound, (await Users.SetRoleAsync(admin, Guid.NewGuid(), Roles.Staff, granted: true, default)).Outcome);
        Assert.Equal(CommandOutcome.Invalid, (await Users.SetRoleAsync(admin, sam.Id, "Owner", granted: true, default)).Outcome);
        await using var db = await NewContextAsync();
        Assert.False(await db.UserRoles.AnyAsync(r => r.UserId == sam.Id));
    }

    [Fact]
    public async Task An_api_key_needs_a_name_and_an_admin()
    {
        var admin = await AdminAsync(await CreateUserAsync("Ada Admin"));

        Assert.Equal(["name"], (await Keys.CreateAsync(admin, "   ", 30, default)).Errors!.Keys);
        Assert.Equal(["lifetime"], (await Keys.CreateAsync(admin, "worker", 0, default)).Errors!.Keys);
        Assert.Equal(CommandOutcome.Forbidden, (await Keys.CreateAsync(admin with { IsAdmin = false, IsStaff = true }, "worker", 30, default)).Outcome);
        var created = await Keys.CreateAsync(admin, "worker", 30, default);
        Assert.StartsWith(ApiKeyService.Prefix, created.Current!.Key, StringComparison.Ordinal);
        Assert.True((await Keys.RevokeAsync(admin, created.Current.Id, default)).Succeeded);
        Assert.Equal(CommandOutcome.NotFound, (await Keys.RevokeAsync(admin, created.Current.Id, default)).Outcome);
        await using var db = await NewContextAsync();
        Assert.Single(await db.ApiKeys.ToListAsync());
    }

    /// <summary>An admin as the database knows them: privileged commands re-read the acting user's roles.</summary>
    private async Task<Caller> AdminAsync(ShaveTracker.Data.Entities.User user)
    {
        await using (var db = await NewContextAsync())
        {
            db.UserRoles.Add(new ShaveTracker.Data.Entities.UserRole { UserId = user.Id, Role = Roles.Admin, GrantedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        return new Caller(user.Id, user.DisplayName, IsStaff: false, IsAdmin: true);
    }
}
