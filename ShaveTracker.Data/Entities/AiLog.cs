namespace ShaveTracker.Data.Entities;

/// <summary>ai_logs: one model call. Prompt and response can be megabytes: never read by lists.</summary>
public sealed class AiLog
{
    public const int ModelNameMaxLength = 200;

    public Guid Id { get; set; }
    public Guid ShaveId { get; set; }
    public Guid? ProcessStepId { get; set; }
    public string ModelName { get; set; } = "";
    public string? PromptText { get; set; }
    public string? ResponseText { get; set; }
    public int? DurationMs { get; set; }
    public DateTime CreatedAt { get; set; }

    public Shave? Shave { get; set; }
    public ProcessStep? ProcessStep { get; set; }
    public List<ToolCall> ToolCalls { get; } = [];
}
