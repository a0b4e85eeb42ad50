using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Data;

/// <summary>(shave_id, tool_call_id) identifies a tool call, so a replayed pipeline report cannot add it twice.</summary>
public sealed class ToolCallUniquenessTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    [Fact]
    public async Task The_same_tool_call_id_cannot_be_stored_twice_for_a_shave()
    {
        var shave = await CreateShaveAsync();
        await InsertAsync(NewToolCall(shave.Id, "call_abc"));

        await Assert.ThrowsAsync<DbUpdateException>(() => InsertAsync(NewToolCall(shave.Id, "call_abc")));

        await using var db = await NewContextAsync();
        Assert.Equal(1, await db.ToolCalls.CountAsync(t => t.ShaveId == shave.Id));
    }

    [Fact]
    public async Task The_same_tool_call_id_can_appear_on_another_shave()
    {
        var first = await CreateShaveAsync();
        var second = await CreateShaveAsync();
        await InsertAsync(NewToolCall(first.Id, "call_abc"));

        await InsertAsync(NewToolCall(second.Id, "call_abc"));

        await using var db = await NewContextAsync();
        Assert.Equal(2, await db.ToolCalls.CountAsync(t => t.ToolCallId == "call_abc"));
    }

    private static ToolCall NewToolCall(Guid shaveId, string toolCallId) => new()
    {
        Id = Ids.NewId(),
        ShaveId = shaveId,
        ToolCallId = toolCallId,
        ToolName = "create_issue",
        ServiceName = "github",
        Success = true,
        CreatedAt = DateTime.UtcNow,
    };
}
