namespace ShaveTracker.Data.Entities;

/// <summary>
/// tool_calls: one MCP tool call made by the model. (shave_id, tool_call_id) identifies a call, so a replayed
/// report cannot add a second row. Args and result can be megabytes: never read by lists.
/// </summary>
public sealed class ToolCall
{
    /// <summary>The limit of <see cref="ToolCallId"/>, <see cref="ToolName"/> and <see cref="ServiceName"/>.</summary>
    public const int NameMaxLength = 200;

    public Guid Id { get; set; }
    public Guid ShaveId { get; set; }
    public Guid? ProcessStepId { get; set; }
    public Guid? AiLogId { get; set; }

    /// <summary>The id the model gave the call.</summary>
    public string ToolCallId { get; set; } = "";

    public string ToolName { get; set; } = "";

    /// <summary>The MCP server the tool came from (github, azure-devops, youtube, ...).</summary>
    public string ServiceName { get; set; } = "";

    public string? ArgsJson { get; set; }
    public string? ResultJson { get; set; }
    public bool Success { get; set; }
    public int? DurationMs { get; set; }
    public DateTime CreatedAt { get; set; }

    public Shave? Shave { get; set; }
    public ProcessStep? ProcessStep { get; set; }
    public AiLog? AiLog { get; set; }
}
