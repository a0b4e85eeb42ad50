using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.Features.Shaves.Trace;

public enum TraceRecordKind
{
    AiLog,
    ToolCall,
}

/// <summary>The four payload columns a person can open, download or export.</summary>
public enum TracePayloadPart
{
    Prompt,
    Response,
    Args,
    Result,
}

public sealed record TraceShaveHeader(Guid Id, string Title, ShaveStatus Status, DateTime CreatedAt);

/// <summary>One process step on the time axis. <see cref="DrawnEnd"/> is "now" for a step that is still running.</summary>
public sealed record TraceStep(
    Guid Id,
    string StepName,
    ProcessStatus Status,
    DateTime StartedAt,
    DateTime? CompletedAt,
    DateTime DrawnEnd,
    bool IsRunning,
    string? ErrorMessage);

/// <summary>
/// One row of the skeleton: an AI log (<see cref="Name"/> is the model) or a tool call (<see cref="Name"/> is the
/// tool, <see cref="Service"/> its MCP server). No payload: that is loaded when the record is opened.
/// </summary>
public sealed record TraceRecord(
    Guid Id,
    TraceRecordKind Kind,
    Guid? StepId,
    Guid? AiLogId,
    string Name,
    string? Service,
    string? ToolCallId,
    bool? Success,
    int? DurationMs,
    DateTime CreatedAt)
{
    /// <summary>"gpt-4o" or "create_issue@github"; made once, as the trace's search reads it for every row.</summary>
    public string Label { get; } = Kind == TraceRecordKind.AiLog ? Name : $"{Name}@{Service}";

    /// <summary>AI logs: the tokens the source reported (ai_log_usage), either may be unknown.</summary>
    public int? InputTokens { get; init; }

    public int? OutputTokens { get; init; }

    /// <summary>AI logs: what the tokens cost by the model's price on the call's day; null without tokens or a price.</summary>
    public double? CostUsd { get; init; }

    public bool HasTokens => InputTokens is not null || OutputTokens is not null;

    public DateTime EndsAt => CreatedAt.AddMilliseconds(DurationMs ?? 0);
}

/// <summary>An AI log with the tool calls it issued, or a tool call on its own (then <see cref="ToolCalls"/> is empty).</summary>
public sealed record TraceNode(TraceRecord Record, IReadOnlyList<TraceRecord> ToolCalls)
{
    /// <summary>Counted once: the trace's rows are rebuilt from the node on every filter change.</summary>
    public int FailedToolCalls { get; } = ToolCalls.Count(c => c.Success == false);
}

/// <summary>A step and what happened in it, in time order; <see cref="Step"/> is null for "Not attached to a step".</summary>
public sealed record TraceGroup(TraceStep? Step, IReadOnlyList<TraceNode> Nodes)
{
    public Guid Key => Step?.Id ?? Guid.Empty;

    public int RecordCount => Nodes.Count + Nodes.Sum(n => n.ToolCalls.Count);
}

/// <summary>
/// The trace of one shave without any payload: what the timeline draws. <see cref="AxisStart"/>..<see cref="AxisEnd"/>
/// is the shared time axis; offsets are measured from the shave's created_at.
/// </summary>
public sealed record TraceSkeleton(
    TraceShaveHeader Shave,
    DateTime AxisStart,
    DateTime AxisEnd,
    DateTime LoadedAt,
    IReadOnlyList<TraceGroup> Groups,
    int AiLogCount,
    int ToolCallCount,
    int FailedToolCallCount)
{
    /// <summary>Server time the three queries and the tree took, shown on the page.</summary>
    public double LoadMs { get; init; }

    /// <summary>The tokens of every AI log of the shave, and what the priced ones cost (null when none is priced).</summary>
    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public double? CostUsd { get; init; }

    /// <summary>AI logs with tokens whose model has no price on their day: their cost is missing from <see cref="CostUsd"/>.</summary>
    public int UnpricedAiLogs { get; init; }

    public TraceStep? FindStep(Guid id) => Groups.Select(g => g.Step).FirstOrDefault(s => s?.Id == id);

    public TraceRecord? FindRecord(Guid id)
    {
        foreach (var node in Groups.SelectMany(g => g.Nodes))
        {
            if (node.Record.Id == id)
            {
                return node.Record;
            }

            foreach (var call in node.ToolCalls)
            {
                if (call.Id == id)
                {
                    return call;
                }
            }
        }

        return null;
    }

    /// <summary>The tool calls an AI log issued (empty for anything else).</summary>
    public IReadOnlyList<TraceRecord> ToolCallsOf(Guid aiLogId) =>
        Groups.SelectMany(g => g.Nodes).FirstOrDefault(n => n.Record.Id == aiLogId)?.ToolCalls ?? [];
}

/// <summary>
/// A payload as the panel shows it: masked, and cut to <see cref="TraceService.PreviewChars"/> unless the whole text
/// was asked for. <see cref="TotalLength"/> is the stored length in characters.
/// </summary>
public sealed record TracePayload(string? Text, int TotalLength, bool IsCut)
{
    public static readonly TracePayload None = new(null, 0, false);
}

public sealed record AiLogDetail(
    Guid Id,
    Guid ShaveId,
    Guid? StepId,
    string? StepName,
    string ModelName,
    int? DurationMs,
    DateTime CreatedAt,
    TracePayload Prompt,
    TracePayload Response,
    int? InputTokens = null,
    int? OutputTokens = null);

public sealed record ToolCallDetail(
    Guid Id,
    Guid ShaveId,
    Guid? StepId,
    string? StepName,
    Guid? AiLogId,
    string? AiLogModel,
    string ToolCallId,
    string ToolName,
    string ServiceName,
    bool Success,
    int? DurationMs,
    DateTime CreatedAt,
    TracePayload Args,
    TracePayload Result);

/// <summary>A whole payload for download: masked, with the file name and content type to send it under.</summary>
public sealed record TracePayloadFile(string FileName, string ContentType, string Text);
