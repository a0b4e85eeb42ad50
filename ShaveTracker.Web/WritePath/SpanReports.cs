namespace ShaveTracker.Web.WritePath;

// What a tracing source reports: spans, each with the attributes of its own and of the resource (the process) that
// emitted it. The OTLP receiver translates protobuf and JSON into these; SpanMapping turns them into a shave's rows.

/// <summary>
/// One finished span. Ids are lowercase hex (32 digits for the trace, 16 for spans), as W3C trace context writes them.
/// Attribute values are text: strings as sent, numbers and booleans in invariant form, arrays and maps as JSON.
/// </summary>
public sealed record SpanReport(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    DateTime StartedAt,
    DateTime EndedAt,
    bool Failed,
    string? StatusMessage,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<SpanEventReport> Events,
    IReadOnlyDictionary<string, string> Resource);

/// <summary>A span's event (an exception, or a GenAI message in the older event-based conventions).</summary>
public sealed record SpanEventReport(string Name, DateTime At, IReadOnlyDictionary<string, string> Attributes);

/// <summary>What a batch of spans did: how many were written or already there, and which were refused and why.</summary>
public sealed record SpanBatchResult(int Accepted, IReadOnlyList<SpanRejection> Rejected)
{
    /// <summary>One line per reason, with how many spans it refused (OTLP's partial_success error_message).</summary>
    public string? Summary => Rejected.Count == 0
        ? null
        : string.Join("; ", Rejected.GroupBy(r => r.Reason).Select(g => g.Count() == 1
            ? $"span {g.First().SpanId}: {g.Key}"
            : $"{g.Count()} spans (e.g. {g.First().SpanId}): {g.Key}"));
}

public sealed record SpanRejection(string TraceId, string SpanId, string Reason);
