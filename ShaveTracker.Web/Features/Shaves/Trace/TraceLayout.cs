using System.Globalization;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.Features.Shaves.Trace;

public enum TraceLineKind
{
    Step,
    Unattached,
    Record,
}

/// <summary>
/// One row of the windowed list: a step (or the "Not attached" group), an AI log, or a tool call. A struct, so that
/// the list of rows is one array that is refilled (not reallocated row by row) when the filters change.
/// <see cref="ChildCount"/> is how many rows are under it in the current view; <see cref="Matches"/> is false for a
/// step or AI log shown only because something under it matches.
/// </summary>
public readonly record struct TraceLine(
    TraceLineKind Kind,
    Guid Id,
    int Depth,
    TraceStep? Step,
    TraceRecord? Record,
    int ChildCount,
    int FailedChildCount,
    bool Expanded,
    bool Matches = true)
{
    public bool Expandable => ChildCount > 0;

    public DateTime Start => Step?.StartedAt ?? Record?.CreatedAt ?? default;

    public DateTime End => Step?.DrawnEnd ?? Record?.EndsAt ?? default;
}

/// <summary>How many rows match the view, of how many the trace has (steps, AI logs and tool calls).</summary>
public readonly record struct TraceCounts(int Matching, int Total);

/// <summary>The stretch of time the waterfall draws: the whole trace, or what the admin zoomed into.</summary>
public readonly record struct TraceWindow(DateTime Start, DateTime End)
{
    public TimeSpan Length => End - Start;

    public static TraceWindow Of(TraceSkeleton skeleton, TraceView view) => view.IsZoomed
        ? new(skeleton.Shave.CreatedAt.AddMilliseconds(view.FromMs!.Value), skeleton.Shave.CreatedAt.AddMilliseconds(view.ToMs!.Value))
        : new(skeleton.AxisStart, skeleton.AxisEnd);

    public bool Overlaps(DateTime start, DateTime end) => start <= End && end >= Start;
}

/// <summary>
/// Turns the skeleton into the rows the list shows, given which steps and AI logs are collapsed and how the view is
/// narrowed, and the geometry of the waterfall. Pure functions, so that refreshing the data keeps the person's
/// choices: the choices are ids and a <see cref="TraceView"/>, and the rows are rebuilt from them.
/// </summary>
public static class TraceLayout
{
    /// <summary>Id of the "Not attached to a step" group (no step has the empty id).</summary>
    public static readonly Guid UnattachedId = Guid.Empty;

    public static List<TraceLine> Flatten(TraceSkeleton skeleton, IReadOnlySet<Guid> collapsed)
    {
        var lines = new List<TraceLine>(skeleton.AiLogCount + skeleton.ToolCallCount + skeleton.Groups.Count);
        Flatten(skeleton, collapsed, TraceView.All, lines);
        return lines;
    }

    /// <summary>
    /// Refills <paramref name="lines"/> with the rows <paramref name="view"/> shows: the rows that match it, each
    /// under its step and AI log (kept as context when they do not match themselves), in time order. Collapsed steps
    /// and AI logs hide their rows but still count what matches under them.
    /// </summary>
    public static TraceCounts Flatten(TraceSkeleton skeleton, IReadOnlySet<Guid> collapsed, TraceView view, List<TraceLine> lines)
    {
        lines.Clear();
        var match = new Matcher(view, TraceWindow.Of(skeleton, view));
        var matching = 0;
        // Loops by index, not foreach: an interface's enumerator is an allocation per step and per AI log, and this
        // runs over every record on each filter change.
        var groups = skeleton.Groups;
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var groupExpanded = !collapsed.Contains(group.Key);
            var stepName = group.Step?.StepName;
            var stepNameMatches = match.TextIn(stepName);
            var stepMatches = group.Step is { } step && match.Step(step, stepNameMatches);
            var groupAt = lines.Count;
            lines.Add(default);
            var shown = 0;
            var failed = 0;
            var nodes = group.Nodes;
            for (var n = 0; n < nodes.Count; n++)
            {
                var node = nodes[n];
                var log = node.Record;
                var logMatches = match.Record(log, null, stepNameMatches);
                var nodeExpanded = !collapsed.Contains(log.Id);
                var nodeAt = lines.Count;
                if (groupExpanded)
                {
                    lines.Add(default);
                }

                var issuer = log.Kind == TraceRecordKind.AiLog ? log.Name : null;
                var calls = 0;
                var toolCalls = node.ToolCalls;
                for (var c = 0; c < toolCalls.Count; c++)
                {
                    var call = toolCalls[c];
                    if (!match.Record(call, issuer, stepNameMatches))
                    {
                        continue;
                    }

                    calls++;
                    if (groupExpanded && nodeExpanded)
                    {
                        lines.Add(new TraceLine(TraceLineKind.Record, call.Id, 2, null, call, 0, 0, Expanded: false));
                    }
                }

                if (!logMatches && calls == 0)
                {
                    if (groupExpanded)
                    {
                        lines.RemoveRange(nodeAt, lines.Count - nodeAt);
                    }

                    continue;
                }

                matching += (logMatches ? 1 : 0) + calls;
                shown += 1 + calls;
                failed += (log.Success == false ? 1 : 0) + node.FailedToolCalls;
                if (groupExpanded)
                {
                    lines[nodeAt] = new TraceLine(TraceLineKind.Record, log.Id, 1, null, log, calls, node.FailedToolCalls, nodeExpanded, logMatches);
                }
            }

            if (!stepMatches && shown == 0)
            {
                lines.RemoveRange(groupAt, lines.Count - groupAt);
                continue;
            }

            matching += stepMatches ? 1 : 0;
            lines[groupAt] = new TraceLine(group.Step is null ? TraceLineKind.Unattached : TraceLineKind.Step, group.Key, 0, group.Step, null,
                shown, failed, groupExpanded, stepMatches);
        }

        var stepCount = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            stepCount += groups[g].Step is null ? 0 : 1;
        }

        return new TraceCounts(matching, skeleton.AiLogCount + skeleton.ToolCallCount + stepCount);
    }

    /// <summary>What a view asks of each row; the text test of a step's name is made once for all its records.</summary>
    private readonly struct Matcher(TraceView view, TraceWindow window)
    {
        public bool TextIn(string? name) => view.Text is { } text && name is not null && name.Contains(text, StringComparison.OrdinalIgnoreCase);

        public bool Step(TraceStep step, bool nameMatches) =>
            view.Kind is null or TraceKindFilter.Step
            && view.Model is null && view.Tool is null
            && (!view.FailuresOnly || step.Status == Data.Entities.ProcessStatus.Failed)
            && (view.Text is null || nameMatches)
            && (!view.IsZoomed || window.Overlaps(step.StartedAt, step.DrawnEnd));

        /// <param name="issuer">The model of the AI log that issued a tool call (a tool call's model is its issuer's).</param>
        public bool Record(TraceRecord r, string? issuer, bool stepNameMatches)
        {
            var isLog = r.Kind == TraceRecordKind.AiLog;
            var model = isLog ? r.Name : issuer;
            return (view.Kind is null || view.Kind == (isLog ? TraceKindFilter.AiLog : TraceKindFilter.ToolCall))
                && (!view.FailuresOnly || r.Success == false)
                && (view.Model is null || string.Equals(model, view.Model, StringComparison.Ordinal))
                && (view.Tool is null || (!isLog && string.Equals(r.Name, view.Tool, StringComparison.Ordinal)))
                && (view.Text is null || stepNameMatches || TextIn(r.Label) || (!isLog && TextIn(issuer)))
                && (!view.IsZoomed || window.Overlaps(r.CreatedAt, r.EndsAt));
        }
    }

    /// <summary>The group (step) and AI log a record sits under, so that opening it can expand them.</summary>
    public static IEnumerable<Guid> AncestorsOf(TraceSkeleton skeleton, Guid id)
    {
        foreach (var group in skeleton.Groups)
        {
            foreach (var node in group.Nodes)
            {
                if (node.Record.Id == id)
                {
                    return [group.Key];
                }

                if (node.ToolCalls.Any(c => c.Id == id))
                {
                    return [group.Key, node.Record.Id];
                }
            }
        }

        return [];
    }

    /// <summary>Left edge and width of a bar, in percent of the window. Short calls stay visible as a sliver; a bar
    /// that starts or ends outside a zoomed window is cut at its edge.</summary>
    public static (double Left, double Width) Bar(TraceWindow window, DateTime start, DateTime end)
    {
        var span = Math.Max(1, window.Length.TotalMilliseconds);
        const double sliver = 0.2;
        var left = Math.Clamp((start - window.Start).TotalMilliseconds / span * 100, 0, 100 - sliver);
        var right = Math.Clamp((end - window.Start).TotalMilliseconds / span * 100, 0, 100);
        return (left, Math.Max(sliver, right - left));
    }

    public static (double Left, double Width) Bar(TraceSkeleton skeleton, DateTime start, DateTime end) =>
        Bar(new TraceWindow(skeleton.AxisStart, skeleton.AxisEnd), start, end);

    public static string Css(double percent) => percent.ToString("0.###", CultureInfo.InvariantCulture) + "%";

    /// <summary>
    /// Time since the shave was created, always as +h:mm:ss.mmm, so that every row of every trace reads alike and the
    /// column lines up (a stopwatch's reading, not a length: lengths are <see cref="Web.Shared.Format.Elapsed"/>).
    /// </summary>
    public static string Offset(TraceSkeleton skeleton, DateTime at) => Offset(at - skeleton.Shave.CreatedAt);

    public static string Offset(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var t = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}.{t.Milliseconds:000}");
    }

    public static string StatusText(ProcessStatus status) => status switch
    {
        ProcessStatus.NotStarted => "not started",
        ProcessStatus.InProgress => "running",
        ProcessStatus.Completed => "completed",
        ProcessStatus.Failed => "failed",
        ProcessStatus.Skipped => "skipped",
        _ => status.ToString(),
    };
}
