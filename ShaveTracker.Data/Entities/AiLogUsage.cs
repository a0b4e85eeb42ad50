namespace ShaveTracker.Data.Entities;

/// <summary>
/// ai_log_usage: the tokens one model call used, beside its ai_logs row (which keeps the shape the pipeline has always
/// written). A call whose source did not say has no row; either count may be unknown.
/// </summary>
public sealed class AiLogUsage
{
    public Guid AiLogId { get; set; }
    public int? InputTokens { get; set; }
    public int? OutputTokens { get; set; }

    public AiLog? AiLog { get; set; }
}
