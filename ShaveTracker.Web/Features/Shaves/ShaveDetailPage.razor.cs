using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.Features.Shaves;

public sealed partial class ShaveDetailPage
{
    /// <summary>What the edit form binds to: the shave's editable fields and the version the editor loaded.</summary>
    private sealed class EditModel
    {
        public string Title { get; set; } = "";
        public Guid? ProjectId { get; set; }
        public ShaveStatus Status { get; set; }
        public string? WorkItemUrl { get; set; }
        public string? WorkItemSource { get; set; }
        public DateTime? ExpectedUpdatedAt { get; set; }

        public static EditModel From(ShaveDetail s) => new()
        {
            Title = s.Title,
            ProjectId = s.ProjectId,
            Status = s.Status,
            WorkItemUrl = s.WorkItemUrl,
            WorkItemSource = s.WorkItemSource,
            ExpectedUpdatedAt = s.UpdatedAt,
        };

        public ShaveEdit ToEdit() => new(Title, ProjectId, Status, WorkItemUrl, WorkItemSource, ExpectedUpdatedAt);
    }
}
