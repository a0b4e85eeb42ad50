namespace ShaveTracker.Data.Entities;

/// <summary>shaves: one run of the pipeline, from a recording to a backlog item.</summary>
public sealed class Shave : IConcurrencyAware
{
    // Column limits, here once: the EF configuration and every validator read them.
    public const int TitleMaxLength = 500;
    public const int UrlMaxLength = 2048;
    public const int WorkItemSourceMaxLength = 100;

    public Guid Id { get; set; }
    public string Title { get; set; } = "";
    public Guid VideoFileId { get; set; }
    public Guid RequesterId { get; set; }
    public Guid? ProjectId { get; set; }
    public ShaveStatus ShaveStatus { get; set; } = ShaveStatus.Pending;
    public string? WorkItemUrl { get; set; }

    /// <summary>Where the work item lives or which client made it (GitHub, AzureDevOps, "YakShaver Desktop").</summary>
    public string WorkItemSource { get; set; } = "";

    public string? VideoEmbedUrl { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }

    public VideoFile? VideoFile { get; set; }
    public User? Requester { get; set; }
    public Project? Project { get; set; }
    public List<ProcessStep> ProcessSteps { get; } = [];
    public List<AiLog> AiLogs { get; } = [];
    public List<ToolCall> ToolCalls { get; } = [];
    public List<Transcript> Transcripts { get; } = [];
    public List<UserActivity> UserActivities { get; } = [];
}
