using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.WritePath;

/// <summary>A status change a person asks for by name: allowed only from <see cref="From"/>.</summary>
public sealed record ShaveTransition(string Name, IReadOnlyList<ShaveStatus> From, ShaveStatus To)
{
    public bool AllowedFrom(ShaveStatus status) => From.Contains(status);
}

/// <summary>
/// The transitions staff can ask for, defined once: the service refuses the others, the pages offer only these.
/// (Editing a shave can set any status; these are the one-click actions.)
/// </summary>
public static class ShaveTransitions
{
    /// <summary>Pending/Processing → Cancelled.</summary>
    public static readonly ShaveTransition Cancel = new("cancelled", [ShaveStatus.Pending, ShaveStatus.Processing], ShaveStatus.Cancelled);

    /// <summary>Failed/Cancelled → Pending, so a worker picks it up again.</summary>
    public static readonly ShaveTransition Requeue = new("re-queued", [ShaveStatus.Failed, ShaveStatus.Cancelled], ShaveStatus.Pending);
}
