namespace ShaveTracker.Data.Entities;

/// <summary>
/// ai_log_usage: the tokens one model call used, beside its ai_logs row (which keeps the shape the pipeline has always
/// written). A call whose source did not say has no row; either count may be unknown. The log's shave, model and time
/// are copied here when the row is written (a log never changes them), so that the dashboard and the log explorer sum
/// and price a window of calls from this small table and its own index, without reading ai_logs.
/// </summary>
public sealed class AiLogUsage
{
    public Guid AiLogId { get; set; }
    public int? InputTokens { get; set; }
    public int? OutputTokens { get; set; }

    public Guid ShaveId { get; set; }
    public string ModelName { get; set; } = "";
    public DateTime CreatedAt { get; set; }

    public AiLog? AiLog { get; set; }

    public static AiLogUsage For(AiLog log, int? inputTokens, int? outputTokens)
    {
        ArgumentNullException.ThrowIfNull(log);
        return new AiLogUsage
        {
            AiLogId = log.Id,
            InputTokens = inputTokens,
            OutputTokens = outputTokens,
            ShaveId = log.ShaveId,
            ModelName = log.ModelName,
            CreatedAt = log.CreatedAt,
        };
    }
}
