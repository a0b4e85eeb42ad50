namespace ShaveTracker.Data.Entities;

/// <summary>
/// otel_traces: which shave an OpenTelemetry trace was placed in, so that spans of the trace exported later (in
/// another batch) land in the same shave although they do not carry the shave id themselves.
/// </summary>
public sealed class OtelTrace
{
    /// <summary>The W3C trace id: 32 lowercase hex digits.</summary>
    public const int TraceIdLength = 32;

    public string TraceId { get; set; } = "";
    public Guid ShaveId { get; set; }
    public DateTime FirstSeenAt { get; set; }

    public Shave? Shave { get; set; }
}
