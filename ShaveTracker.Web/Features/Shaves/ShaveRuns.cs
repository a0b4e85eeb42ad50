using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Web.Features.Shaves;

/// <summary>
/// A re-queued shave runs again: its steps that started before the last re-queue (a status change from failed or
/// cancelled back to pending) are the earlier run's, the rest the current run's.
/// </summary>
public static class ShaveRuns
{
    public static DateTime? RequeuedAt(ShaveDetail shave) =>
        shave.Activity
            .Where(a => a.ActivityType == ActivityTypes.StatusChanged && IsRequeue(a.DetailsJson))
            .Select(a => (DateTime?)a.CreatedAt)
            .Max();

    public static (IReadOnlyList<StepRow> Current, IReadOnlyList<StepRow> Earlier) Split(ShaveDetail shave)
    {
        if (RequeuedAt(shave) is not { } requeued)
        {
            return (shave.Steps, []);
        }

        // A step not started has no time of its own yet: it belongs to the run to come.
        bool Earlier(StepRow s) => s.Status != ProcessStatus.NotStarted && s.StartedAt < requeued;
        return (shave.Steps.Where(s => !Earlier(s)).ToList(), shave.Steps.Where(Earlier).ToList());
    }

    private static bool IsRequeue(string? detailsJson)
    {
        var details = ActivityDetails.Read(detailsJson);
        return EnumStrings.TryParseShaveStatus(details.After.GetValueOrDefault("status"), out var to) && to == ShaveStatus.Pending &&
               EnumStrings.TryParseShaveStatus(details.Before.GetValueOrDefault("status"), out var from) && from is ShaveStatus.Failed or ShaveStatus.Cancelled;
    }
}
