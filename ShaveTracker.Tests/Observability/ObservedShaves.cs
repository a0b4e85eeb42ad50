using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Observability;

/// <summary>A finished shave with one step, two model calls and a tool call, for pages that show its trace.</summary>
internal static class ObservedShaves
{
    public static async Task<Guid> CreateAsync(SqliteDatabaseFixture database, User requester, string title)
    {
        var video = new VideoFile { Id = Ids.NewId(), FileName = "recording.mp4", Duration = 60, CreatedAt = DateTime.UtcNow };
        var shave = new Shave
        {
            Id = Ids.NewId(), Title = title, VideoFileId = video.Id, RequesterId = requester.Id, WorkItemSource = "GitHub",
            ShaveStatus = ShaveStatus.Completed, CreatedAt = DateTime.UtcNow.AddMinutes(-5),
        };
        var started = DateTime.UtcNow.AddMinutes(-4);
        var step = PipelineRecords.Step(shave, "executing_task", started, durationMs: 9_000);
        var first = PipelineRecords.AiLog(shave, "gpt-4o", started.AddSeconds(1), step: step);
        var second = PipelineRecords.AiLog(shave, "gpt-4o", started.AddSeconds(5), step: step);
        var call = PipelineRecords.ToolCall(shave, "create_issue", "github", started.AddSeconds(3), step: step, aiLog: first);
        await using var db = await database.Factory.CreateDbContextAsync();
        db.AddRange(video, shave, step, first, second, call);
        await db.SaveChangesAsync();
        return shave.Id;
    }
}
