namespace ShaveTracker.Web.Features.Shaves.Trace;

/// <summary>The models and tools a trace has, each with how many records it has, for the trace's filter lists.</summary>
public sealed record TraceChoices(IReadOnlyList<(string Name, int Count)> Models, IReadOnlyList<(string Name, int Count)> Tools)
{
    public static readonly TraceChoices None = new([], []);

    public static TraceChoices Of(TraceSkeleton skeleton)
    {
        var models = new Dictionary<string, int>(StringComparer.Ordinal);
        var tools = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in skeleton.Groups.SelectMany(g => g.Nodes))
        {
            Count(node.Record);
            foreach (var call in node.ToolCalls)
            {
                Count(call);
            }
        }

        return new TraceChoices(Sorted(models), Sorted(tools));

        void Count(TraceRecord r)
        {
            var counts = r.Kind == TraceRecordKind.AiLog ? models : tools;
            counts[r.Name] = counts.GetValueOrDefault(r.Name) + 1;
        }

        static List<(string, int)> Sorted(Dictionary<string, int> counts) =>
            [.. counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value))];
    }
}
