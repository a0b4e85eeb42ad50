using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Data;

public sealed class CascadeDeleteTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    public enum DeleteWay
    {
        ExecuteDelete,
        TrackedRemove,
        TrackedRemoveWithChildrenLoaded,
    }

    [Theory]
    [InlineData(DeleteWay.ExecuteDelete)]
    [InlineData(DeleteWay.TrackedRemove)]
    [InlineData(DeleteWay.TrackedRemoveWithChildrenLoaded)]
    public async Task Deleting_a_shave_removes_all_its_child_rows(DeleteWay way)
    {
        var doomed = await CreateShaveWithOneOfEachChildAsync();
        var kept = await CreateShaveWithOneOfEachChildAsync();

        await using (var db = await NewContextAsync())
        {
            switch (way)
            {
                case DeleteWay.ExecuteDelete:
                    Assert.Equal(1, await db.Shaves.Where(s => s.Id == doomed.Id).ExecuteDeleteAsync());
                    break;
                case DeleteWay.TrackedRemove:
                    db.Remove(await db.Shaves.SingleAsync(s => s.Id == doomed.Id));
                    await db.SaveChangesAsync();
                    break;
                case DeleteWay.TrackedRemoveWithChildrenLoaded:
                    db.Remove(await db.Shaves
                        .Include(s => s.ProcessSteps)
                        .Include(s => s.AiLogs)
                        .Include(s => s.ToolCalls)
                        .Include(s => s.Transcripts)
                        .Include(s => s.UserActivities)
                        .AsSplitQuery()
                        .SingleAsync(s => s.Id == doomed.Id));
                    await db.SaveChangesAsync();
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(way), way, null);
            }
        }

        Assert.Equal(new ChildCounts(0, 0, 0, 0, 0, 0), await CountAsync(doomed.Id));
        Assert.Equal(new ChildCounts(1, 1, 1, 1, 1, 1), await CountAsync(kept.Id));
    }

    [Fact]
    public async Task Deleting_a_shave_keeps_its_requester_project_and_video_file()
    {
        var requester = await CreateUserAsync();
        var project = await CreateProjectAsync(requester);
        var video = await CreateVideoFileAsync();
        var shave = await CreateShaveAsync(requester, project, video);

        await using var db = await NewContextAsync();
        await db.Shaves.Where(s => s.Id == shave.Id).ExecuteDeleteAsync();

        Assert.True(await db.Users.AnyAsync(u => u.Id == requester.Id));
        Assert.True(await db.Projects.AnyAsync(p => p.Id == project.Id));
        Assert.True(await db.VideoFiles.AnyAsync(v => v.Id == video.Id));
    }

    [Fact]
    public async Task A_user_who_requested_shaves_cannot_be_deleted()
    {
        var requester = await CreateUserAsync();
        await CreateShaveAsync(requester);

        await using var db = await NewContextAsync();
        await Assert.ThrowsAsync<SqliteException>(() => db.Users.Where(u => u.Id == requester.Id).ExecuteDeleteAsync());
        Assert.True(await db.Users.AnyAsync(u => u.Id == requester.Id));
    }

    private sealed record ChildCounts(int Shaves, int Steps, int AiLogs, int ToolCalls, int Transcripts, int Activities);

    private async Task<ChildCounts> CountAsync(Guid shaveId)
    {
        await using var db = await NewContextAsync();
        return new ChildCounts(
            await db.Shaves.CountAsync(x => x.Id == shaveId),
            await db.ProcessSteps.CountAsync(x => x.ShaveId == shaveId),
            await db.AiLogs.CountAsync(x => x.ShaveId == shaveId),
            await db.ToolCalls.CountAsync(x => x.ShaveId == shaveId),
            await db.Transcripts.CountAsync(x => x.ShaveId == shaveId),
            await db.UserActivities.CountAsync(x => x.ShaveId == shaveId));
    }

    /// <summary>A shave with a step, an AI log in that step, and a tool call pointing at both.</summary>
    private async Task<Shave> CreateShaveWithOneOfEachChildAsync()
    {
        var shave = await CreateShaveAsync();
        var now = DateTime.UtcNow;
        var step = new ProcessStep
        {
            Id = Ids.NewId(), ShaveId = shave.Id, StepName = "transcribing", ProcessStatus = ProcessStatus.Completed,
            StartedAt = now, CompletedAt = now,
        };
        var aiLog = new AiLog
        {
            Id = Ids.NewId(), ShaveId = shave.Id, ProcessStepId = step.Id, ModelName = "gpt-4o", CreatedAt = now,
        };
        var toolCall = new ToolCall
        {
            Id = Ids.NewId(), ShaveId = shave.Id, ProcessStepId = step.Id, AiLogId = aiLog.Id, ToolCallId = "call_1",
            ToolName = "create_issue", ServiceName = "github", Success = true, CreatedAt = now,
        };
        var transcript = new Transcript { Id = Ids.NewId(), ShaveId = shave.Id, Text = "The button...", CreatedAt = now };
        var activity = new UserActivity
        {
            Id = Ids.NewId(), ShaveId = shave.Id, UserId = shave.RequesterId, ActivityType = "edited",
            TargetTable = "shaves", TargetId = shave.Id, CreatedAt = now,
        };

        await InsertAsync(step, aiLog, toolCall, transcript, activity);
        return shave;
    }
}
