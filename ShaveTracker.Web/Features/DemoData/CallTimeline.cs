using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.Features.DemoData;

/// <summary>
/// The model and tool calls of one process step, laid out one after another from the step's start. Calls are
/// written with natural durations first (their texts depend on each other), then squeezed into the step when they
/// overran it, so that every call happens inside its step. A call that was prepared but never added (the run was
/// interrupted first) is not saved.
/// </summary>
internal sealed class CallTimeline
{
    private const int MinModelCallMs = 800;
    private const int MaxModelCallMs = 45_000;

    private readonly List<Entry> _entries = [];
    private double _cursorMs;

    public IEnumerable<AiLog> AiLogs => _entries.Select(e => e.Log).OfType<AiLog>();
    public IEnumerable<ToolCall> ToolCalls => _entries.Select(e => e.Call).OfType<ToolCall>();

    public void Add(AiLog log, int durationMs, int gapMs) => Append(new Entry(log, null, null), durationMs, gapMs);

    public void Add(ToolCall call, AiLog? issuer, int durationMs, int gapMs) =>
        Append(new Entry(null, call, issuer), durationMs, gapMs);

    /// <summary>Stamps times and time-ordered ids; a tool call's ai_log_id is known only once its issuer has an id.</summary>
    public void Place(DateTime start, double spanMs, DemoRandom rng)
    {
        var scale = _cursorMs > spanMs * 0.97 ? spanMs * 0.97 / _cursorMs : 1;
        foreach (var entry in _entries)
        {
            var at = start.AddMilliseconds(Math.Round(entry.OffsetMs * scale));
            var durationMs = (int)Math.Round(entry.DurationMs * scale);
            if (entry.Log is { } log)
            {
                log.CreatedAt = at;
                log.DurationMs = Math.Clamp(durationMs, MinModelCallMs, MaxModelCallMs);
                log.Id = rng.UuidV7(at);
            }
            else if (entry.Call is { } call)
            {
                call.CreatedAt = at;
                call.DurationMs = Math.Max(durationMs, 20);
                call.Id = rng.UuidV7(at);
                call.AiLogId = entry.Issuer?.Id;
            }
        }
    }

    private void Append(Entry entry, int durationMs, int gapMs)
    {
        _cursorMs += gapMs;
        entry.OffsetMs = _cursorMs;
        entry.DurationMs = durationMs;
        _cursorMs += durationMs;
        _entries.Add(entry);
    }

    private sealed class Entry(AiLog? log, ToolCall? call, AiLog? issuer)
    {
        public AiLog? Log => log;
        public ToolCall? Call => call;
        public AiLog? Issuer => issuer;
        public double OffsetMs { get; set; }
        public double DurationMs { get; set; }
    }
}
