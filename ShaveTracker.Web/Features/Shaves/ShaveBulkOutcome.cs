using MudBlazor;

namespace ShaveTracker.Web.Features.Shaves;

public sealed record BulkOutcome(string Message, Severity Severity, IReadOnlyList<string> Details);

/// <summary>
/// What the last bulk action on this circuit's shave list came to, for the view it ran on. The refresh that shows the
/// changed rows streams the page again, and the bulk-actions island can come back from it as a new component: it
/// takes the outcome up from here instead of losing it. Scoped: one per circuit, that is per open list.
/// </summary>
public sealed class ShaveBulkOutcome
{
    private (string View, BulkOutcome Outcome)? _last;

    public void Set(string view, BulkOutcome? outcome) => _last = outcome is null ? null : (view, outcome);

    public BulkOutcome? For(string view) => _last is { } last && last.View == view ? last.Outcome : null;
}
