using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Data;

/// <summary>Enum-like columns hold the readable strings the pipeline uses, not numbers.</summary>
public sealed class EnumStorageTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    [Fact]
    public async Task Shave_status_is_stored_as_its_name()
    {
        var shave = await CreateShaveAsync(status: ShaveStatus.Failed);

        Assert.Equal("Failed", await RawAsync("SELECT shave_status FROM shaves WHERE id = $id", shave.Id));
    }

    [Fact]
    public async Task Process_status_is_stored_in_snake_case()
    {
        var shave = await CreateShaveAsync();
        var step = await InsertAsync(new ProcessStep
        {
            Id = Ids.NewId(), ShaveId = shave.Id, StepName = "transcribing", ProcessStatus = ProcessStatus.InProgress,
            StartedAt = DateTime.UtcNow,
        });

        Assert.Equal("in_progress", await RawAsync("SELECT process_status FROM process_steps WHERE id = $id", step.Id));
    }

    [Theory]
    [InlineData(AuthProvider.Microsoft, "microsoft")]
    [InlineData(AuthProvider.Local, "local")]
    public async Task Auth_provider_is_stored_in_lower_case(AuthProvider provider, string stored)
    {
        var user = await CreateUserAsync(authProvider: provider);

        Assert.Equal(stored, await RawAsync("SELECT auth_provider FROM users WHERE id = $id", user.Id));
    }

    [Fact]
    public async Task A_shave_status_this_version_does_not_know_reads_as_Unknown()
    {
        var shave = await CreateShaveAsync();
        await SqliteRaw.ExecuteAsync(
            Database.ConnectionString, "UPDATE shaves SET shave_status = 'Archived' WHERE id = $id", ("$id", shave.Id));

        await using var db = await NewContextAsync();
        var read = await db.Shaves.AsNoTracking().SingleAsync(s => s.Id == shave.Id);

        Assert.Equal(ShaveStatus.Unknown, read.ShaveStatus);
    }

    private Task<object?> RawAsync(string sql, Guid id) =>
        SqliteRaw.ScalarAsync(Database.ConnectionString, sql, ("$id", id));
}
