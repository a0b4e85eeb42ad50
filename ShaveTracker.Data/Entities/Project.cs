namespace ShaveTracker.Data.Entities;

/// <summary>projects: a backlog that shaves are written into.</summary>
public sealed class Project : IConcurrencyAware
{
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 4000;
    public const int BacklogUrlMaxLength = 2048;

    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string? BacklogUrl { get; set; }
    public bool IsActive { get; set; } = true;

    /// <summary>"local" or "remote" (<see cref="ProjectSources"/>); open-ended in the data.</summary>
    public string Source { get; set; } = ProjectSources.Remote;

    /// <summary>Can be megabytes: read only when a person opens the project.</summary>
    public string? CustomPrompt { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }

    public User? User { get; set; }
    public List<Shave> Shaves { get; } = [];
}
