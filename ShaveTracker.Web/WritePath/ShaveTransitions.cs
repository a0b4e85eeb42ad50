using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.WritePath;

/// <summary>
/// A status change a person asks for by name: allowed only from <see cref="From"/>. <see cref="ByRequester"/>: the
/// shave's requester asks it of their own shave (anyone else's is not found), on the version there now.
/// </summary>
public sealed record ShaveTransition(string Name, IReadOnlyList<ShaveStatus> From, ShaveStatus To, bool ByRequester = false)
{
    public bool AllowedFrom(ShaveStatus status) => From.Contains(status);
}

/// <summary>
/// The transitions people can ask for, defined once: the service refuses the others, the pages offer only these.
/// (Editing a shave can set any status; these are the one-click actions.) Staff ask for the first two of any shave,
/// a requester for them on their own shaves; the YakShaver Desktop's Undo asks for <see cref="Withdraw"/>.
/// </summary>
public static class ShaveTransitions
{
    /// <summary>Pending/Processing → Cancelled.</summary>
    public static readonly ShaveTransition Cancel = new("cancelled", [ShaveStatus.Pending, ShaveStatus.Processing], ShaveStatus.Cancelled);

    /// <summary>Failed/Cancelled → Pending, so a worker picks it up again.</summary>
    public static readonly ShaveTransition Requeue = new("re-queued", [ShaveStatus.Failed, ShaveStatus.Cancelled], ShaveStatus.Pending);

    /// <summary>
    /// Any status → Cancelled, by the shave's requester (YakShaver Desktop's Undo, pressed after the work item was
    /// written). A shave already cancelled stays so, and the request succeeds without a write.
    /// </summary>
    public static readonly ShaveTransition Withdraw = new("withdrawn",
        [ShaveStatus.Unknown, ShaveStatus.Pending, ShaveStatus.Processing, ShaveStatus.Completed, ShaveStatus.Failed], ShaveStatus.Cancelled, ByRequester: true);
}
