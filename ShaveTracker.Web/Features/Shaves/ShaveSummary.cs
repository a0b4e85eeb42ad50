using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Web.Features.Shaves;

/// <summary>
/// What happened to a shave and what can be done, in a sentence or three: the first thing its page shows, for every
/// status. <see cref="Error"/> is the failed step's own message (already masked); <see cref="Next"/> says what the
/// reader, or someone they can ask, may do about it.
/// </summary>
public sealed record ShaveSummary(string Headline, string? Detail, string? Error, string? Next, bool NeedsStaff)
{
    public const int ErrorLength = 400;

    public static ShaveSummary Of(ShaveDetail shave, DateTime now, bool readerIsStaff)
    {
        var steps = ShaveRuns.Split(shave).Current;
        var done = steps.Count(s => s.Status is ProcessStatus.Completed or ProcessStatus.Skipped);
        switch (shave.Status)
        {
            case ShaveStatus.Failed:
            {
                var failed = steps.LastOrDefault(s => s.Status == ProcessStatus.Failed);
                var at = failed?.CompletedAt ?? failed?.StartedAt ?? shave.UpdatedAt ?? shave.CreatedAt;
                var headline = failed is null
                    ? $"It failed on {Format.Utc(at)} UTC"
                    : $"It failed at “{PipelineWords.Step(failed.StepName)}” on {Format.Utc(at)} UTC";
                // The steps below keep the whole message; a summary of a page of stack trace would be no summary.
                var error = string.IsNullOrWhiteSpace(failed?.ErrorMessage) ? null
                    : failed.ErrorMessage.Length > ErrorLength ? failed.ErrorMessage[..ErrorLength] + "…" : failed.ErrorMessage;
                var detail = error is null ? "The pipeline reported no reason." : null;
                if (NeedsProject(shave, error))
                {
                    return new(headline, detail, error, readerIsStaff
                        ? "It needs a project: set one with Edit, then re-queue it."
                        : "It needs a project, and only staff can set a shave's project: ask a member of staff to set one, then re-queue it.",
                        NeedsStaff: !readerIsStaff);
                }

                return new(headline, detail, error, "Re-queue it to run the pipeline again.", NeedsStaff: false);
            }

            case ShaveStatus.Processing:
            {
                var running = steps.LastOrDefault(s => s.Status == ProcessStatus.InProgress);
                var progress = steps.Count == 0 ? null : $"{done} of {steps.Count} steps done.";
                if (running is null)
                {
                    return new("The pipeline is working on it", progress ?? "No step has reported yet.", null,
                        "You can cancel it while it runs.", NeedsStaff: false);
                }

                return new($"“{PipelineWords.Step(running.StepName)}” running for {Format.Span(now - running.StartedAt)}",
                    $"Started {Format.Utc(running.StartedAt)} UTC. {progress}", null, "You can cancel it while it runs.", NeedsStaff: false);
            }

            case ShaveStatus.Pending:
            {
                var since = shave.UpdatedAt ?? shave.CreatedAt;
                return new($"Waiting for the pipeline to pick it up, for {Format.Span(now - since)}",
                    $"Queued since {Format.Utc(since)} UTC.", null, "You can cancel it before it runs.", NeedsStaff: false);
            }

            case ShaveStatus.Completed:
            {
                var at = steps.Where(s => s.CompletedAt is not null).Select(s => s.CompletedAt).Max() ?? shave.UpdatedAt ?? shave.CreatedAt;
                var workItem = WorkItemReference.Parse(shave.WorkItemUrl);
                return new($"Done on {Format.Utc(at)} UTC",
                    workItem is null ? "The pipeline reported no work item." : $"The work item is {workItem.Label}.", null, null, NeedsStaff: false);
            }

            case ShaveStatus.Cancelled:
            {
                var cancel = shave.Activity.FirstOrDefault(a => a.ActivityType == ActivityTypes.StatusChanged &&
                    EnumStrings.TryParseShaveStatus(ActivityDetails.Read(a.DetailsJson).After.GetValueOrDefault("status"), out var to) &&
                    to == ShaveStatus.Cancelled);
                var by = cancel is null ? "" : $" by {ActivitySentences.Who(cancel, ActivityDetails.Read(cancel.DetailsJson), startsSentence: false)}";
                var at = cancel?.CreatedAt ?? shave.UpdatedAt ?? shave.CreatedAt;
                return new($"Cancelled{by} on {Format.Utc(at)} UTC", null, null, "Re-queue it to run the pipeline again.", NeedsStaff: false);
            }

            default:
                // Unknown: the value the desktop starts a shave with, and what a status this app does not know reads as.
                return new("Its state is not known",
                    "The pipeline has not reported how this shave is going, so whether anything is running on it cannot be told. " +
                    "This happens when the YakShaver Desktop that recorded it stopped before it reported a status.",
                    null,
                    readerIsStaff ? "Set its status with Edit when you know it." : "If it stays so, ask a member of staff to look at it.",
                    NeedsStaff: !readerIsStaff);
        }
    }

    /// <summary>A failure the reader cannot fix alone: the shave has no project, and its error is about one.</summary>
    private static bool NeedsProject(ShaveDetail shave, string? error) =>
        shave.ProjectId is null && error is not null && error.Contains("project", StringComparison.OrdinalIgnoreCase);
}
