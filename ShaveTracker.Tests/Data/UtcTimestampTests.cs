using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Data;

/// <summary>Every timestamp is stored as UTC and read back as Kind=Utc (SQLite alone would say Unspecified).</summary>
public sealed class UtcTimestampTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    // Sub-millisecond ticks included: nothing may be truncated on the way.
    private static readonly DateTime Instant = new DateTime(2025, 7, 14, 9, 30, 15, DateTimeKind.Utc).AddTicks(1_234_567);

    [Theory]
    [InlineData(DateTimeKind.Utc)]
    [InlineData(DateTimeKind.Local)]
    [InlineData(DateTimeKind.Unspecified)] // taken to be UTC already
    public async Task A_timestamp_reads_back_as_the_same_instant_in_utc(DateTimeKind writtenAs)
    {
        var written = writtenAs switch
        {
            DateTimeKind.Local => Instant.ToLocalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(Instant, DateTimeKind.Unspecified),
            _ => Instant,
        };
        var shave = await CreateShaveAsync(createdAt: written);
        var step = await InsertAsync(new ProcessStep
        {
            Id = Ids.NewId(), ShaveId = shave.Id, StepName = "transcribing", ProcessStatus = ProcessStatus.Completed,
            StartedAt = written, CompletedAt = written,
        });

        await using var db = await NewContextAsync();
        var readShave = await db.Shaves.AsNoTracking().SingleAsync(s => s.Id == shave.Id);
        var readStep = await db.ProcessSteps.AsNoTracking().SingleAsync(s => s.Id == step.Id);

        AssertUtcInstant(readShave.CreatedAt);
        AssertUtcInstant(readStep.StartedAt);
        AssertUtcInstant(readStep.CompletedAt);
        Assert.Equal(
            "2025-07-14 09:30:15.1234567",
            await SqliteRaw.ScalarAsync(Database.ConnectionString, "SELECT created_at FROM shaves WHERE id = $id", ("$id", shave.Id)));
        // Parameters go through the same conversion as values.
        Assert.Equal(1, await db.Shaves.CountAsync(s => s.CreatedAt == written));
    }

    [Fact]
    public async Task A_nullable_timestamp_round_trips_as_utc_or_null()
    {
        var project = await CreateProjectAsync();
        var shave = await CreateShaveAsync(project: project);
        await using (var db = await NewContextAsync())
        {
            var tracked = await db.Projects.SingleAsync(p => p.Id == project.Id);
            tracked.Name = "Renamed";
            await db.SaveChangesAsync();
        }

        await using var read = await NewContextAsync();
        var readProject = await read.Projects.AsNoTracking().SingleAsync(p => p.Id == project.Id);
        var readShave = await read.Shaves.AsNoTracking().SingleAsync(s => s.Id == shave.Id);

        Assert.Equal(DateTimeKind.Utc, readProject.UpdatedAt?.Kind);
        Assert.InRange(readProject.UpdatedAt!.Value, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
        Assert.Null(readShave.UpdatedAt);
    }

    private static void AssertUtcInstant(DateTime? value)
    {
        Assert.NotNull(value);
        Assert.Equal(DateTimeKind.Utc, value.Value.Kind);
        Assert.Equal(Instant.Ticks, value.Value.Ticks);
    }
}
