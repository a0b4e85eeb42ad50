using Microsoft.EntityFrameworkCore;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Data;

/// <summary>
/// Shaves and projects use updated_at as their concurrency token: of two people editing the same row from the
/// same read, the first save wins and the second is told, rather than silently overwriting.
/// </summary>
public sealed class ConcurrencyTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_second_of_two_concurrent_shave_edits_fails(bool editedBefore)
    {
        var shave = await CreateShaveAsync(title: "Original");
        if (editedBefore)
        {
            await RenameShaveAsync(shave.Id, "Edited once");
        }

        await using var first = await NewContextAsync();
        await using var second = await NewContextAsync();
        var mine = await first.Shaves.SingleAsync(s => s.Id == shave.Id);
        var theirs = await second.Shaves.SingleAsync(s => s.Id == shave.Id);
        Assert.Equal(editedBefore, mine.UpdatedAt is not null);

        mine.Title = "First";
        await first.SaveChangesAsync();
        theirs.Title = "Second";

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var read = await NewContextAsync();
        Assert.Equal("First", await read.Shaves.Where(s => s.Id == shave.Id).Select(s => s.Title).SingleAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_second_of_two_concurrent_project_edits_fails(bool editedBefore)
    {
        var project = await CreateProjectAsync(name: "Original");
        if (editedBefore)
        {
            await using var db = await NewContextAsync();
            (await db.Projects.SingleAsync(p => p.Id == project.Id)).Name = "Edited once";
            await db.SaveChangesAsync();
        }

        await using var first = await NewContextAsync();
        await using var second = await NewContextAsync();
        var mine = await first.Projects.SingleAsync(p => p.Id == project.Id);
        var theirs = await second.Projects.SingleAsync(p => p.Id == project.Id);
        Assert.Equal(editedBefore, mine.UpdatedAt is not null);

        mine.Name = "First";
        await first.SaveChangesAsync();
        theirs.Name = "Second";

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var read = await NewContextAsync();
        Assert.Equal("First", await read.Projects.Where(p => p.Id == project.Id).Select(p => p.Name).SingleAsync());
    }

    [Fact]
    public async Task Edits_made_one_after_another_all_save_and_advance_updated_at()
    {
        var shave = await CreateShaveAsync(title: "Original");

        var firstStamp = await RenameShaveAsync(shave.Id, "Once");
        var secondStamp = await RenameShaveAsync(shave.Id, "Twice");
        var thirdStamp = await RenameShaveAsync(shave.Id, "Thrice");

        Assert.True(firstStamp < secondStamp && secondStamp < thirdStamp, $"{firstStamp:O} < {secondStamp:O} < {thirdStamp:O}");
        await using var read = await NewContextAsync();
        Assert.Equal("Thrice", await read.Shaves.Where(s => s.Id == shave.Id).Select(s => s.Title).SingleAsync());
    }

    /// <summary>Loads, renames and saves in a fresh context; returns the new updated_at.</summary>
    private async Task<DateTime> RenameShaveAsync(Guid id, string title)
    {
        await using var db = await NewContextAsync();
        var shave = await db.Shaves.SingleAsync(s => s.Id == id);
        shave.Title = title;
        await db.SaveChangesAsync();
        return shave.UpdatedAt!.Value;
    }
}
