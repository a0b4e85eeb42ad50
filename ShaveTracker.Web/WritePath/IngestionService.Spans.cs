using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Infrastructure.Telemetry;

namespace ShaveTracker.Web.WritePath;

// Spans (OpenTelemetry traces): placed in their shaves, mapped to steps, AI logs and tool calls (SpanMapping), and
// written in one transaction per export. A span that cannot be written is refused on its own, with its reason; the
// rest of the export is written. A span sent again finds its rows by their derived ids and writes nothing.
public sealed partial class IngestionService
{
    public async Task<SpanBatchResult> AppendSpansAsync(Credential credential, IReadOnlyList<SpanReport> spans, IReadOnlyList<SpanRejection> refusedEarlier,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(spans);
        var result = await ShaveWriter.RetryOnConflictAsync(() => AppendSpansOnceAsync(credential, spans, ct), ct);
        metrics.RecordsAccepted(IngestedRecordKind.AiLog, result.AiLogsCreated, result.AiLogsUnchanged);
        metrics.RecordsAccepted(IngestedRecordKind.ToolCall, result.ToolCallsCreated, result.ToolCallsUnchanged);
        return new SpanBatchResult(result.Accepted, [.. refusedEarlier, .. result.Rejected]);
    }

    private sealed record SpanWrite(int Accepted, List<SpanRejection> Rejected, int AiLogsCreated, int AiLogsUnchanged, int ToolCallsCreated, int ToolCallsUnchanged);

    private async Task<SpanWrite> AppendSpansOnceAsync(Credential credential, IReadOnlyList<SpanReport> spans, CancellationToken ct)
    {
        var rejected = new List<SpanRejection>();
        void Refuse(SpanReport span, string reason) => rejected.Add(new SpanRejection(span.TraceId, span.SpanId, reason));

        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var traceIds = spans.Select(s => s.TraceId).Distinct(StringComparer.Ordinal).ToList();
        var earlier = await db.OtelTraces.Where(t => traceIds.Contains(t.TraceId)).ToDictionaryAsync(t => t.TraceId, t => t.ShaveId, StringComparer.Ordinal, ct);

        // The spans of these traces that arrived before anything placed them, from this credential only: this export
        // may carry the span that places them (usually the step span, which ends, and is sent, after its children).
        var cutoff = now.AddMinutes(-options.Value.PendingSpanMinutes);
        var waiting = await db.OtelPendingSpans
            .Where(p => traceIds.Contains(p.TraceId) && p.CredentialId == credential.Id && p.ReceivedAt >= cutoff)
            .ToListAsync(ct);
        var waitingKeys = waiting.Select(w => (w.TraceId, w.SpanId)).ToHashSet();
        var sent = spans.Select(s => (s.TraceId, s.SpanId)).ToHashSet();
        var resumed = new Dictionary<SpanReport, OtelPendingSpan>(ReferenceEqualityComparer.Instance);
        foreach (var row in waiting.Where(w => !sent.Contains((w.TraceId, w.SpanId))))
        {
            if (JsonSerializer.Deserialize<SpanReport>(row.SpanJson, PendingJson) is { } pending)
            {
                resumed[pending] = row;
            }
        }

        IReadOnlyList<SpanReport> all = resumed.Count == 0 ? spans : [.. spans, .. resumed.Keys];

        var placed = SpanMapping.Place(all, earlier);
        var named = placed.Values.Select(p => p.ShaveId).OfType<Guid>().Distinct().ToList();
        var requesters = await db.Shaves.Where(s => named.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.RequesterId, ct);

        var byId = SpanMapping.Index(all);
        var groups = new Dictionary<Guid, ShaveSpans>();
        var pended = 0;
        foreach (var span in all)
        {
            var (shaveId, problem) = placed[span];
            var isResumed = resumed.TryGetValue(span, out var row);
            if (shaveId is null && problem == SpanMapping.NotPlaced)
            {
                // Nothing places it yet: it waits (once, however often it is sent) instead of being refused.
                if (!isResumed && !waitingKeys.Contains((span.TraceId, span.SpanId)))
                {
                    db.OtelPendingSpans.Add(new OtelPendingSpan
                    {
                        TraceId = span.TraceId, SpanId = span.SpanId, CredentialId = credential.Id,
                        SpanJson = JsonSerializer.Serialize(span, PendingJson), ReceivedAt = now,
                    });
                    waitingKeys.Add((span.TraceId, span.SpanId));
                }

                pended++;
                continue;
            }

            if (isResumed)
            {
                // Placed at last (written below) or refused: either way it waits no longer. A refusal of a span
                // sent earlier has nobody to answer; it is logged.
                db.OtelPendingSpans.Remove(row!);
            }
            else if (waitingKeys.Contains((span.TraceId, span.SpanId)))
            {
                db.OtelPendingSpans.Remove(waiting.First(w => w.TraceId == span.TraceId && w.SpanId == span.SpanId));
            }

            string? reason = null;
            if (shaveId is not { } id)
            {
                reason = problem!;
            }
            else if (!requesters.TryGetValue(id, out var requester) || !credential.MayWriteShaveOf(requester))
            {
                reason = $"No shave has the id {id}: create it first (PUT /api/v1/shaves/{id}).";
            }
            else
            {
                var group = groups.TryGetValue(id, out var g) ? g : groups[id] = new ShaveSpans(id);
                MapSpan(span, byId, group, out reason);
            }

            if (reason is not null)
            {
                if (isResumed)
                {
                    LogPendingSpanRefused(logger, span.TraceId, span.SpanId, credential.Id, reason);
                }
                else
                {
                    Refuse(span, reason);
                }
            }
        }

        foreach (var traceId in traceIds.Where(t => !earlier.ContainsKey(t)))
        {
            if (groups.Values.FirstOrDefault(g => g.Traces.Contains(traceId)) is { } first)
            {
                db.OtelTraces.Add(new OtelTrace { TraceId = traceId, ShaveId = first.ShaveId, FirstSeenAt = now });
            }
        }

        var write = new SpanWrite(spans.Count - rejected.Count, rejected, 0, 0, 0, 0);
        var changes = new List<ShaveChange>();
        var rows = new NewRows();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var group in groups.Values)
        {
            write = await AddRowsAsync(db, group, rows, write, changes, now, ct);
        }

        if (await writer.SaveAsync(db, changes, rows, ct))
        {
            foreach (var group in groups.Values)
            {
                LogWrite(logger, "spans", group.ShaveId, credential.Id, group.Spans, 0);
            }
        }

        if (pended > 0)
        {
            // Spans whose trace nothing placed in time go; done beside the write, so they never pile up unnoticed.
            await db.OtelPendingSpans.Where(p => p.ReceivedAt < cutoff).ExecuteDeleteAsync(ct);
        }

        return write;
    }

    private static readonly JsonSerializerOptions PendingJson = new(JsonSerializerDefaults.Web);

    [LoggerMessage(Level = LogLevel.Information, Message = "A waiting span {TraceId}/{SpanId} of {Credential} was placed and refused: {Reason}")]
    private static partial void LogPendingSpanRefused(ILogger logger, string traceId, string spanId, string credential, string reason);

    /// <summary>What one shave receives from an export: its steps, AI logs (with tokens) and tool calls, already checked.</summary>
    private sealed class ShaveSpans(Guid shaveId)
    {
        public Guid ShaveId { get; } = shaveId;
        public HashSet<string> Traces { get; } = new(StringComparer.Ordinal);
        public int Spans { get; set; }
        public List<(Guid Id, StepReport Report, ProcessStatus Status)> Steps { get; } = [];
        public List<AiLogReport> AiLogs { get; } = [];

        /// <summary>The id each AI log had before ids were ordered by time, which its row has if an earlier version wrote it.</summary>
        public Dictionary<Guid, Guid> EarlierLogIds { get; } = [];
        public List<(ToolCallReport Call, SpanReport Span, string? Args, string? Result)> ToolCalls { get; } = [];

        /// <summary>The span that reports each tool call id of <see cref="ToolCalls"/>.</summary>
        public Dictionary<string, string> CallSpans { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Maps one span into its shave's rows, checked by the same rules as the API's reports; false with the reason if it breaks one.</summary>
    private bool MapSpan(SpanReport span, IReadOnlyDictionary<(string, string), SpanReport> byId, ShaveSpans group, out string? reason)
    {
        reason = null;
        var stepId = SpanMapping.StepIdOf(span, byId);
        switch (SpanMapping.RoleOf(span))
        {
            case SpanRole.Step:
                var step = SpanMapping.Step(span);
                var stepErrors = ReportRules.Step(step, out var status);
                if (stepErrors.Any)
                {
                    reason = Describe(stepErrors);
                    return false;
                }

                group.Steps.Add((stepId!.Value, step, status));
                break;
            case SpanRole.Inference:
                var log = SpanMapping.AiLog(span, stepId);
                var logErrors = ReportRules.Batch([log], [], options.Value);
                if (logErrors.Any)
                {
                    reason = Describe(logErrors);
                    return false;
                }

                group.AiLogs.Add(log);
                group.EarlierLogIds[log.Id!.Value] = SpanMapping.DerivedId(span.TraceId, span.SpanId, "ai_log");
                break;
            case SpanRole.Tool:
                var call = SpanMapping.ToolCall(span, stepId, aiLogId: null);
                var (args, result) = SpanMapping.ToolCallTexts(span);
                var callErrors = ReportRules.Batch([], [call], options.Value);
                ReportRules.Payload(callErrors, "toolCalls[0].args", args, options.Value.MaxPayloadFieldChars);
                ReportRules.Payload(callErrors, "toolCalls[0].result", result, options.Value.MaxPayloadFieldChars);
                if (callErrors.Any)
                {
                    reason = Describe(callErrors);
                    return false;
                }

                if (!group.CallSpans.TryAdd(call.ToolCallId!, span.SpanId) && group.CallSpans[call.ToolCallId!] != span.SpanId)
                {
                    reason = $"Another span of this export reports the tool call id '{call.ToolCallId}'.";
                    return false;
                }

                group.ToolCalls.Add((call, span, args, result));
                break;
        }

        group.Traces.Add(span.TraceId);
        group.Spans++;
        return true;
    }

    private static string Describe(FieldErrors errors) =>
        string.Join(" ", errors.ToDictionary().Select(e => $"{e.Key.Replace("aiLogs[0].", "", StringComparison.Ordinal).Replace("toolCalls[0].", "", StringComparison.Ordinal)}: {e.Value}"));

    /// <summary>Adds the rows the database does not hold yet, linking each tool call to the AI log whose response asked for it.</summary>
    private static async Task<SpanWrite> AddRowsAsync(ShaveTrackerDbContext db, ShaveSpans group, NewRows rows, SpanWrite write, List<ShaveChange> changes,
        DateTime now, CancellationToken ct)
    {
        var shaveId = group.ShaveId;
        var stepIds = group.Steps.Select(s => s.Id).ToList();
        var knownSteps = stepIds.Count == 0 ? [] : (await db.ProcessSteps.Where(p => stepIds.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct)).ToHashSet();
        foreach (var (id, report, status) in group.Steps.Where(s => !knownSteps.Contains(s.Id)))
        {
            db.ProcessSteps.Add(new ProcessStep
            {
                Id = id, ShaveId = shaveId, StepName = report.StepName!.Trim(), ProcessStatus = status,
                StartedAt = report.StartedAt!.Value, CompletedAt = report.CompletedAt, ErrorMessage = report.ErrorMessage,
            });
        }

        // A record may name a step of this export, or one written by an earlier one.
        var referenced = group.AiLogs.Select(l => l.ProcessStepId).Concat(group.ToolCalls.Select(c => c.Call.ProcessStepId)).OfType<Guid>()
            .Where(s => !stepIds.Contains(s)).Distinct().ToList();
        var earlierSteps = referenced.Count == 0 ? [] : (await db.ProcessSteps.Where(p => p.ShaveId == shaveId && referenced.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct)).ToHashSet();
        Guid? StepOrNone(Guid? step) => step is { } s && (stepIds.Contains(s) || earlierSteps.Contains(s)) ? s : null;

        var logIds = group.AiLogs.Select(l => l.Id!.Value).Concat(group.EarlierLogIds.Values).ToList();
        // One JSON parameter (json_each, OPENJSON) rather than one parameter per id: SQLite's driver finds each named
        // parameter by a walk through all of them, which for an export's 500 ids was a twentieth of the server's time.
        var knownLogs = logIds.Count == 0 ? [] : (await db.AiLogs.Where(l => EF.Parameter(logIds).Contains(l.Id)).Select(l => l.Id).ToListAsync(ct)).ToHashSet();
        var newLogs = group.AiLogs.Where(l => !knownLogs.Contains(l.Id!.Value) && !knownLogs.Contains(group.EarlierLogIds[l.Id!.Value])).ToList();
        foreach (var log in newLogs)
        {
            var row = new AiLog
            {
                Id = log.Id!.Value, ShaveId = shaveId, ProcessStepId = StepOrNone(log.ProcessStepId), ModelName = log.ModelName!.Trim(),
                PromptText = log.PromptText, ResponseText = log.ResponseText, DurationMs = log.DurationMs, CreatedAt = log.CreatedAt ?? now,
            };
            rows.AiLogs.Add(row);
            if (log.InputTokens is not null || log.OutputTokens is not null)
            {
                rows.Usages.Add(AiLogUsage.For(row, log.InputTokens, log.OutputTokens));
            }
        }

        var callIds = group.ToolCalls.Select(c => c.Call.ToolCallId!).ToList();
        var knownCalls = callIds.Count == 0 ? [] : (await db.ToolCalls.Where(c => c.ShaveId == shaveId && EF.Parameter(callIds).Contains(c.ToolCallId))
            .Select(c => c.ToolCallId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var newCalls = group.ToolCalls.Where(c => !knownCalls.Contains(c.Call.ToolCallId!)).ToList();
        var askedBy = await AskedByAsync(db, shaveId, group, newCalls.Select(c => c.Call.ToolCallId!).ToList(), ct);
        foreach (var (call, _, args, result) in newCalls)
        {
            rows.ToolCalls.Add(new ToolCall
            {
                Id = call.Id!.Value, ShaveId = shaveId, ProcessStepId = StepOrNone(call.ProcessStepId), AiLogId = askedBy.GetValueOrDefault(call.ToolCallId!),
                ToolCallId = call.ToolCallId!, ToolName = call.ToolName!.Trim(), ServiceName = call.ServiceName!.Trim(),
                ArgsJson = args, ResultJson = result, Success = call.Success!.Value,
                DurationMs = call.DurationMs, CreatedAt = call.CreatedAt ?? now,
            });
        }

        if (group.Steps.Count > knownSteps.Count)
        {
            changes.Add(new ShaveChange(shaveId, ShaveChangeKind.StepsChanged, now));
        }

        if (newLogs.Count + newCalls.Count > 0)
        {
            changes.Add(new ShaveChange(shaveId, ShaveChangeKind.RecordsAdded, now));
        }

        return write with
        {
            AiLogsCreated = write.AiLogsCreated + newLogs.Count,
            AiLogsUnchanged = write.AiLogsUnchanged + group.AiLogs.Count - newLogs.Count,
            ToolCallsCreated = write.ToolCallsCreated + newCalls.Count,
            ToolCallsUnchanged = write.ToolCallsUnchanged + group.ToolCalls.Count - newCalls.Count,
        };
    }

    /// <summary>
    /// The AI log whose response asked for each tool call: one of this export, else the newest of the shave's earlier
    /// ones whose response names the call id (a model call usually ends, and is exported, before its tools run).
    /// </summary>
    private static async Task<Dictionary<string, Guid>> AskedByAsync(ShaveTrackerDbContext db, Guid shaveId, ShaveSpans group, List<string> callIds,
        CancellationToken ct)
    {
        var askedBy = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var log in group.AiLogs)
        {
            foreach (var id in SpanMapping.RequestedToolCalls(log.ResponseText))
            {
                askedBy.TryAdd(id, log.Id!.Value);
            }
        }

        foreach (var id in callIds.Where(c => !askedBy.ContainsKey(c)).Take(MaxEarlierLookups))
        {
            var quoted = $"\"{id}\"";
            if (await db.AiLogs.Where(l => l.ShaveId == shaveId && l.ResponseText != null && l.ResponseText.Contains(quoted))
                    .OrderByDescending(l => l.CreatedAt).Select(l => (Guid?)l.Id).FirstOrDefaultAsync(ct) is { } logId)
            {
                askedBy[id] = logId;
            }
        }

        return askedBy;
    }

    /// <summary>Tool calls of one export looked up in earlier AI logs, at most (each is a search of the shave's responses).</summary>
    private const int MaxEarlierLookups = 50;
}
