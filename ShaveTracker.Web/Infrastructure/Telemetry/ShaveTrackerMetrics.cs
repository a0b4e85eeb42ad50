using System.Diagnostics.Metrics;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Infrastructure.Telemetry;

/// <summary>What the pipeline reports in batches, as counted by <see cref="ShaveTrackerMetrics.RecordsName"/>.</summary>
public enum IngestedRecordKind
{
    AiLog,
    ToolCall,
}

/// <summary>
/// ShaveTracker's own metrics, in the <see cref="MeterName"/> meter: what the pipeline sends and what the API refuses,
/// how late live updates reach open pages, and how many interactive sessions the instance holds. Exported with the
/// ASP.NET Core, HttpClient, EF Core and runtime metrics when OTLP is configured (see <see cref="TelemetrySetup"/>).
/// </summary>
/// <remarks>
/// The meter comes from the host's <see cref="IMeterFactory"/>, so two hosts in one process (the tests run several)
/// keep their measurements apart.
/// </remarks>
public sealed class ShaveTrackerMetrics
{
    public const string MeterName = "ShaveTracker";

    public const string RecordsName = "shavetracker.ingestion.records";
    public const string RejectedName = "shavetracker.ingestion.rejected";
    public const string LiveUpdateLagName = "shavetracker.live_updates.lag";
    public const string ActiveCircuitsName = "shavetracker.circuits.active";

    public const string KindTag = "shavetracker.record.kind";
    public const string OutcomeTag = "shavetracker.record.outcome";
    public const string ReasonTag = "shavetracker.reject.reason";
    public const string StatusCodeTag = "http.response.status_code";
    public const string ChangeKindTag = "shavetracker.change.kind";

    private readonly Counter<long> _records;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _liveUpdateLag;
    private readonly UpDownCounter<long> _activeCircuits;

    public ShaveTrackerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _records = meter.CreateCounter<long>(RecordsName, "{record}",
            "AI logs and tool calls accepted by the ingestion API, by kind; outcome 'unchanged' is a replay of a record already stored.");
        _rejected = meter.CreateCounter<long>(RejectedName, "{request}",
            "Ingestion write requests that were refused or failed, by reason and HTTP status code.");
        _liveUpdateLag = meter.CreateHistogram(LiveUpdateLagName, "s",
            "Time from a change being written to a watching page being notified of it, on this or another instance.",
            advice: new InstrumentAdvice<double>
            {
                // In-process delivery takes microseconds to milliseconds; a change feed between instances takes
                // up to its polling interval (seconds). The default buckets (0 to 10,000) would put all of it in one.
                HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
            });
        _activeCircuits = meter.CreateUpDownCounter<long>(ActiveCircuitsName, "{circuit}",
            "Interactive sessions (Blazor circuits) held by this instance, connected or waiting for their browser to reconnect.");
    }

    /// <summary>Records of one kind the API accepted: written now, or found already stored (a replay).</summary>
    public void RecordsAccepted(IngestedRecordKind kind, int created, int unchanged)
    {
        var name = kind == IngestedRecordKind.AiLog ? "ai_log" : "tool_call";
        Add(_records, created, name, "created");
        Add(_records, unchanged, name, "unchanged");
    }

    /// <summary>An ingestion write that did not succeed, with the reason derived from its status code.</summary>
    public void RequestRejected(int statusCode) =>
        _rejected.Add(1, new KeyValuePair<string, object?>(ReasonTag, RejectReason(statusCode)),
            new KeyValuePair<string, object?>(StatusCodeTag, statusCode));

    /// <summary>How long a published change waited before a subscriber was called with it.</summary>
    public void RecordLiveUpdateLag(TimeSpan lag, ShaveChangeKind kind) =>
        _liveUpdateLag.Record(Math.Max(0, lag.TotalSeconds), new KeyValuePair<string, object?>(ChangeKindTag, ChangeKindName(kind)));

    public void CircuitOpened() => _activeCircuits.Add(1);

    public void CircuitClosed() => _activeCircuits.Add(-1);

    public static string RejectReason(int statusCode) => statusCode switch
    {
        StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity => "invalid",
        StatusCodes.Status401Unauthorized => "unauthenticated",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status413PayloadTooLarge => "too_large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        StatusCodes.Status429TooManyRequests => "rate_limited",
        >= 500 => "server_error",
        _ => "other",
    };

    private static void Add(Counter<long> counter, int count, string kind, string outcome)
    {
        if (count > 0)
        {
            counter.Add(count, new KeyValuePair<string, object?>(KindTag, kind), new KeyValuePair<string, object?>(OutcomeTag, outcome));
        }
    }

    // Tag values are fixed strings: Enum.ToString per measurement would allocate on a hot path.
    private static string ChangeKindName(ShaveChangeKind kind) => kind switch
    {
        ShaveChangeKind.Created => "created",
        ShaveChangeKind.Updated => "updated",
        ShaveChangeKind.StatusChanged => "status_changed",
        ShaveChangeKind.StepsChanged => "steps_changed",
        ShaveChangeKind.RecordsAdded => "records_added",
        ShaveChangeKind.TranscriptChanged => "transcript_changed",
        ShaveChangeKind.Deleted => "deleted",
        _ => "other",
    };
}
