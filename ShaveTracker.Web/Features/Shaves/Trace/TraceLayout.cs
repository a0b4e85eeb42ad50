using System.Globalization;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.Features.Shaves.Trace;

public enum TraceLineKind
{
    Step,
    Unattached,
    Record,
}

/// <summary>One row of the windowed list: a step (or the "Not attached" group), an AI log, or a tool call.</summary>
public sealed record TraceLine(
    TraceLineKind Kind,
    Guid Id,
    int Depth,
    TraceStep? Step,
    TraceRecord? Record,
    int ChildCount,
    int FailedChildCount,
    bool Expanded)
{
    public bool Expandable => ChildCount > 0;

    public DateTime Start => Step?.StartedAt ?? Record?.CreatedAt ?? default;

    public DateTime End => Step?.DrawnEnd ?? Record?.EndsAt ?? default;
}

/// <summary>
/// Turns the skeleton into the rows the list shows, given which steps and AI logs are collapsed, and the geometry of
/// the waterfall. Pure functions, so that refreshing the data keeps the person's expanded/collapsed choices: the
/// choices are ids, and the rows are rebuilt from them.
/// </summary>
public static class TraceLayout
{
    /// <summary>Id of the "Not attached to a step" group (no step has the empty id).</summary>
    public static readonly Guid UnattachedId = Guid.Empty;

    public static List<TraceLine> Flatten(TraceSkeleton skeleton, IReadOnlySet<Guid> collapsed)
    {
        var lines = new List<TraceLine>(skeleton.AiLogCount + skeleton.ToolCallCount + skeleton.Groups.Count);
        foreach (var group in skeleton.Groups)
        {
            var groupExpanded = !collapsed.Contains(group.Key);
            var failed = group.Nodes.Sum(n => (n.Record.Success == false ? 1 : 0) + n.FailedToolCalls);
            lines.Add(new TraceLine(group.Step is null ? TraceLineKind.Unattached : TraceLineKind.Step, group.Key, 0, group.Step, null,
                group.RecordCount, failed, groupExpanded));
            if (!groupExpanded)
            {
                continue;
            }

            foreach (var node in group.Nodes)
            {
                var nodeExpanded = !collapsed.Contains(node.Record.Id);
                lines.Add(new TraceLine(TraceLineKind.Record, node.Record.Id, 1, null, node.Record, node.ToolCalls.Count, node.FailedToolCalls,
                    nodeExpanded));
                if (!nodeExpanded)
                {
                    continue;
                }

                foreach (var call in node.ToolCalls)
                {
                    lines.Add(new TraceLine(TraceLineKind.Record, call.Id, 2, null, call, 0, 0, Expanded: false));
                }
            }
        }

        return lines;
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

    /// <summary>Left edge and width of a bar, in percent of the axis. Short calls stay visible as a sliver.</summary>
    public static (double Left, double Width) Bar(TraceSkeleton skeleton, DateTime start, DateTime end)
    {
        var span = Math.Max(1, (skeleton.AxisEnd - skeleton.AxisStart).TotalMilliseconds);
        const double sliver = 0.2;
        var left = Math.Clamp((start - skeleton.AxisStart).TotalMilliseconds / span * 100, 0, 100 - sliver);
        var width = Math.Max(sliver, Math.Min((end - start).TotalMilliseconds / span * 100, 100 - left));
        return (left, width);
    }

    public static string Css(double percent) => percent.ToString("0.###", CultureInfo.InvariantCulture) + "%";

    /// <summary>Time since the shave was created: +m:ss.fff, or +h:mm:ss.f past the first hour (milliseconds matter less there).</summary>
    public static string Offset(TraceSkeleton skeleton, DateTime at)
    {
        var offset = at - skeleton.Shave.CreatedAt;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var t = offset.Duration();
        return t.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{sign}{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}.{t.Milliseconds / 100}")
            : t.TotalMinutes >= 10 ? string.Create(CultureInfo.InvariantCulture, $"{sign}{t.Minutes}:{t.Seconds:00}.{t.Milliseconds / 10:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{sign}{t.Minutes}:{t.Seconds:00}.{t.Milliseconds:000}");
    }

    /// <summary>A length that fits the duration column: 850 ms, 12.4 s, 4m 05s, 1h 02m.</summary>
    public static string Duration(TimeSpan t) =>
        t.TotalSeconds < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMilliseconds} ms")
        : t.TotalMinutes < 1 ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s")
        : t.TotalHours < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m {t.Seconds:00}s")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h {t.Minutes:00}m");

    /// <summary>An axis label: as precise as the axis is long, so that five of them fit.</summary>
    public static string Tick(TraceSkeleton skeleton, double fraction)
    {
        var span = skeleton.AxisEnd - skeleton.AxisStart;
        var t = (skeleton.AxisStart + (span * fraction) - skeleton.Shave.CreatedAt).Duration();
        var sign = skeleton.AxisStart + (span * fraction) < skeleton.Shave.CreatedAt ? "-" : "+";
        return span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{sign}{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{sign}{(int)t.TotalMinutes}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{sign}{t.TotalSeconds:0.0} s");
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
