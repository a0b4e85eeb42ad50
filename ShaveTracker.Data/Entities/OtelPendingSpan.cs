namespace ShaveTracker.Data.Entities;

/// <summary>
/// otel_pending_spans: a span that arrived before anything placed its trace in a shave. Exporters send a span when it
/// ends, so the spans inside a step reach the app before the step span that carries the shave id; they wait here, as
/// received, until a span of their trace places it (then they are written and removed) or until they expire.
/// </summary>
public sealed class OtelPendingSpan
{
    /// <summary>The W3C span id: 16 lowercase hex digits.</summary>
    public const int SpanIdLength = 16;

    /// <summary>The id of the credential that sent it: only that credential's spans place it.</summary>
    public const int CredentialIdMaxLength = 100;

    public string TraceId { get; set; } = "";
    public string SpanId { get; set; } = "";
    public string CredentialId { get; set; } = "";

    /// <summary>The span as received, in the app's own JSON form of a span.</summary>
    public string SpanJson { get; set; } = "";

    public DateTime ReceivedAt { get; set; }
}
