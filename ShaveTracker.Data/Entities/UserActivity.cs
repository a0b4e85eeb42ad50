namespace ShaveTracker.Data.Entities;

/// <summary>
/// user_activities: the audit trail of a shave — who did what to which row, with before/after values in
/// <see cref="DetailsJson"/>. <see cref="UserId"/> has no foreign key on purpose: the trail outlives the user.
/// </summary>
public sealed class UserActivity
{
    public const int ActivityTypeMaxLength = 100;
    public const int TargetTableMaxLength = 100;

    public Guid Id { get; set; }
    public Guid ShaveId { get; set; }
    public Guid? UserId { get; set; }
    public string ActivityType { get; set; } = "";
    public string? TargetTable { get; set; }
    public Guid? TargetId { get; set; }
    public string? DetailsJson { get; set; }
    public DateTime CreatedAt { get; set; }

    public Shave? Shave { get; set; }
}
