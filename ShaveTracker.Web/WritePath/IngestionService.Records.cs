using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Infrastructure.Telemetry;

namespace ShaveTracker.Web.WritePath;

// AI logs and tool calls: hundreds per request, all or nothing, a replayed record changes nothing.
public sealed partial class IngestionService
{
    public async Task<CommandResult<BatchResult>> AppendRecordsAsync(Credential credential, Guid shaveId, RecordBatch batch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var result = await ShaveWriter.RetryOnConflictAsync(() => AppendRecordsOnceAsync(credential, shaveId, batch, ct), ct);
        if (result is { Outcome: CommandOutcome.Succeeded, Current: { } accepted })
        {
            // Counted once per request, after the retries: a batch that lost a race and was written on the second
            // try is one batch.
            metrics.RecordsAccepted(IngestedRecordKind.AiLog, accepted.AiLogsCreated, accepted.AiLogsUnchanged);
            metrics.RecordsAccepted(IngestedRecordKind.ToolCall, accepted.ToolCallsCreated, accepted.ToolCallsUnchanged);
        }

        return result;
    }

    private async Task<CommandResult<BatchResult>> AppendRecordsOnceAsync(Credential credential, Guid shaveId, RecordBatch batch, CancellationToken ct)
    {
        var aiLogs = batch.AiLogs ?? [];
        var toolCalls = batch.ToolCalls ?? [];
        var errors = ReportRules.Batch(aiLogs, toolCalls, options.Value);
        if (errors.Any)
        {
            return errors.ToResult<BatchResult>();
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await MayWriteAsync(db, credential, shaveId, ct))
        {
            return CommandResult<BatchResult>.NotFound();
        }

        var known = await KnownRecords.LoadAsync(db, shaveId, aiLogs, toolCalls, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var newLogs = NewAiLogs(shaveId, aiLogs, known, errors, now);
        var newCalls = NewToolCalls(shaveId, toolCalls, known, errors, now);
        if (errors.Any)
        {
            return errors.ToResult<BatchResult>();
        }

        // Large batches: EF batches the INSERTs; change tracking of hundreds of new rows is not needed after.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.AiLogs.AddRange(newLogs);
        var tokens = aiLogs.Where(l => l.InputTokens is not null || l.OutputTokens is not null).DistinctBy(l => l.Id).ToDictionary(l => l.Id!.Value);
        db.AiLogUsages.AddRange(newLogs.Where(l => tokens.ContainsKey(l.Id))
            .Select(l => AiLogUsage.For(l, tokens[l.Id].InputTokens, tokens[l.Id].OutputTokens)));
        db.ToolCalls.AddRange(newCalls);
        if (await writer.SaveAsync(db, new ShaveChange(shaveId, ShaveChangeKind.RecordsAdded, now), ct))
        {
            LogWrite(logger, "records", shaveId, credential.Id, newLogs.Count + newCalls.Count, aiLogs.Count + toolCalls.Count - newLogs.Count - newCalls.Count);
        }

        return CommandResult<BatchResult>.Success(new BatchResult(newLogs.Count, aiLogs.Count - newLogs.Count, newCalls.Count, toolCalls.Count - newCalls.Count));
    }

    private static List<AiLog> NewAiLogs(Guid shaveId, IReadOnlyList<AiLogReport> aiLogs, KnownRecords known, FieldErrors errors, DateTime now)
    {
        var newLogs = new List<AiLog>();
        for (var i = 0; i < aiLogs.Count; i++)
        {
            var log = aiLogs[i];
            known.CheckStep(errors, $"aiLogs[{i}]", log.ProcessStepId);

            if (known.ExistingLogs.TryGetValue(log.Id!.Value, out var owner))
            {
                if (owner != shaveId)
                {
                    errors.Add($"aiLogs[{i}].id", "This id belongs to an AI log of another shave.");
                }

                continue;
            }

            newLogs.Add(new AiLog
            {
                Id = log.Id.Value,
                ShaveId = shaveId,
                ProcessStepId = log.ProcessStepId,
                ModelName = log.ModelName!.Trim(),
                PromptText = log.PromptText,
                ResponseText = log.ResponseText,
                DurationMs = log.DurationMs,
                CreatedAt = log.CreatedAt?.ToUniversalTime() ?? now,
            });
        }

        return newLogs;
    }

    private static List<ToolCall> NewToolCalls(Guid shaveId, IReadOnlyList<ToolCallReport> toolCalls, KnownRecords known, FieldErrors errors, DateTime now)
    {
        var newCalls = new List<ToolCall>();
        for (var i = 0; i < toolCalls.Count; i++)
        {
            var call = toolCalls[i];
            known.CheckStep(errors, $"toolCalls[{i}]", call.ProcessStepId);

            if (call.AiLogId is { } logId && !known.BatchLogIds.Contains(logId) && !known.Logs.Contains(logId))
            {
                errors.Add($"toolCalls[{i}].aiLogId", "No AI log of this shave has this id.");
            }

            if (call.Id is { } rowId && known.CallRows.TryGetValue(rowId, out var taken) &&
                (taken.ShaveId != shaveId || taken.ToolCallId != call.ToolCallId))
            {
                errors.Add($"toolCalls[{i}].id", "This id belongs to another tool call.");
            }

            if (known.ExistingCalls.Contains(call.ToolCallId!))
            {
                continue;
            }

            newCalls.Add(new ToolCall
            {
                Id = call.Id ?? Ids.NewId(),
                ShaveId = shaveId,
                ProcessStepId = call.ProcessStepId,
                AiLogId = call.AiLogId,
                ToolCallId = call.ToolCallId!,
                ToolName = call.ToolName!.Trim(),
                ServiceName = call.ServiceName!.Trim(),
                ArgsJson = ReportRules.JsonText(call.Args),
                ResultJson = ReportRules.JsonText(call.Result),
                Success = call.Success!.Value,
                DurationMs = call.DurationMs,
                CreatedAt = call.CreatedAt?.ToUniversalTime() ?? now,
            });
        }

        return newCalls;
    }

    /// <summary>What a batch refers to that is already stored, read with one query per table, never one per record.</summary>
    private sealed record KnownRecords(
        HashSet<Guid> BatchLogIds,
        HashSet<Guid> Steps,
        Dictionary<Guid, Guid> ExistingLogs,
        HashSet<Guid> Logs,
        HashSet<string> ExistingCalls,
        Dictionary<Guid, (Guid ShaveId, string ToolCallId)> CallRows)
    {
        /// <summary>A record may name a step only of its own shave.</summary>
        public void CheckStep(FieldErrors errors, string at, Guid? stepId)
        {
            if (stepId is { } step && !Steps.Contains(step))
            {
                errors.Add($"{at}.processStepId", "No step of this shave has this id.");
            }
        }

        public static async Task<KnownRecords> LoadAsync(ShaveTrackerDbContext db, Guid shaveId, IReadOnlyList<AiLogReport> aiLogs,
            IReadOnlyList<ToolCallReport> toolCalls, CancellationToken ct)
        {
            var batchLogIds = aiLogs.Select(l => l.Id!.Value).ToHashSet();
            var stepIds = aiLogs.Select(l => l.ProcessStepId).Concat(toolCalls.Select(c => c.ProcessStepId)).OfType<Guid>().Distinct().ToList();
            var steps = stepIds.Count == 0 ? [] : (await db.ProcessSteps.Where(p => p.ShaveId == shaveId && stepIds.Contains(p.Id))
                .Select(p => p.Id).ToListAsync(ct)).ToHashSet();
            var existingLogs = batchLogIds.Count == 0 ? [] : (await db.AiLogs.Where(l => batchLogIds.Contains(l.Id))
                .Select(l => new { l.Id, l.ShaveId }).ToListAsync(ct)).ToDictionary(l => l.Id, l => l.ShaveId);
            var referencedLogIds = toolCalls.Select(c => c.AiLogId).OfType<Guid>().Where(id => !batchLogIds.Contains(id)).Distinct().ToList();
            var logs = referencedLogIds.Count == 0 ? [] : (await db.AiLogs.Where(l => l.ShaveId == shaveId && referencedLogIds.Contains(l.Id))
                .Select(l => l.Id).ToListAsync(ct)).ToHashSet();
            var callIds = toolCalls.Select(c => c.ToolCallId!).ToList();
            var existingCalls = callIds.Count == 0 ? [] : (await db.ToolCalls.Where(c => c.ShaveId == shaveId && callIds.Contains(c.ToolCallId))
                .Select(c => c.ToolCallId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            var callRowIds = toolCalls.Select(c => c.Id).OfType<Guid>().ToList();
            var callRows = callRowIds.Count == 0 ? [] : (await db.ToolCalls.Where(c => callRowIds.Contains(c.Id))
                .Select(c => new { c.Id, c.ShaveId, c.ToolCallId }).ToListAsync(ct)).ToDictionary(c => c.Id, c => (c.ShaveId, c.ToolCallId));
            return new KnownRecords(batchLogIds, steps, existingLogs, logs, existingCalls, callRows);
        }
    }
}
