namespace ShaveTracker.Data.Entities;

/// <summary>process_steps: one step of a shave's pipeline run (uploading_video, transcribing, ...).</summary>
public sealed class ProcessStep
{
    public const int StepNameMaxLength = 100;
    public const int ErrorMessageMaxLength = 8000;

    public Guid Id { get; set; }
    public Guid ShaveId { get; set; }

    /// <summary>Open-ended: a new pipeline version can add a step.</summary>
    public string StepName { get; set; } = "";

    public ProcessStatus ProcessStatus { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public string? ErrorMessage { get; set; }

    public Shave? Shave { get; set; }
    public List<AiLog> AiLogs { get; } = [];
    public List<ToolCall> ToolCalls { get; } = [];
}
