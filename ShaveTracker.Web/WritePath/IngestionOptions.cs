using System.ComponentModel.DataAnnotations;

namespace ShaveTracker.Web.WritePath;

/// <summary>The <c>Ingestion</c> section: limits of what every source may send (the body and rate limits are the API's).</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>Largest request body, in bytes (413 above it).</summary>
    [Range(1024, 1L << 31)]
    public long MaxBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Largest single text field (a prompt, a response, args, a result, a transcript), in characters.</summary>
    [Range(1024, 1 << 30)]
    public int MaxPayloadFieldChars { get; set; } = 8 * 1024 * 1024;

    /// <summary>Most AI logs plus tool calls in one batch.</summary>
    [Range(1, 100_000)]
    public int MaxBatchRecords { get; set; } = 5_000;

    /// <summary>Requests each client may make per <see cref="RateLimitWindowSeconds"/>.</summary>
    [Range(1, 1_000_000)]
    public int RateLimitPermits { get; set; } = 1_200;

    [Range(1, 3600)]
    public int RateLimitWindowSeconds { get; set; } = 60;

    /// <summary>
    /// How long a span may wait for a span of its trace that places it in a shave (an exporter sends the spans inside
    /// a step before the step span), in minutes; after that it is dropped.
    /// </summary>
    [Range(1, 7 * 24 * 60)]
    public int PendingSpanMinutes { get; set; } = 60;
}
