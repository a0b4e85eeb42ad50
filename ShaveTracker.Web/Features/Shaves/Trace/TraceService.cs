using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Shaves.Trace;

/// <summary>
/// The admin's trace of one shave: its steps, model calls and tool calls on one time axis, each record's payload
/// when it is opened, and the whole trace as one JSON file. Admin only (<see cref="Caller.CanReviewAiLogs"/>): for
/// anyone else every method answers as if the shave did not exist. Every prompt, response, argument, result,
/// error message and transcript leaves this class masked by <see cref="SecretMasker"/>.
/// </summary>
public sealed partial class TraceService(
    IDbContextFactory<ShaveTrackerDbContext> factory,
    TimeProvider clock,
    ILogger<TraceService> logger,
    TraceSkeletonCache? skeletons = null)
{
    /// <summary>How much of a payload the panel shows before "Show all" (256 KB of text).</summary>
    public const int PreviewChars = 256 * 1024;

    /// <summary>Read this much past the cut, so that a secret straddling it is masked whole before cutting.</summary>
    internal const int MaskingMargin = 4 * 1024;

    // ---- Skeleton: one query per table, ids/names/times/status only --------------------------------------

    /// <summary>The header and how many tool calls the trace has (counted on the (shave_id, created_at) index).</summary>
    internal static IQueryable<TraceHeaderAndSize> HeaderAndSizeQuery(ShaveTrackerDbContext db, Guid shaveId) =>
        db.Shaves.AsNoTracking()
            .Where(s => s.Id == shaveId)
            .Select(s => new TraceHeaderAndSize(new TraceShaveHeader(s.Id, s.Title, s.ShaveStatus, s.CreatedAt), db.ToolCalls.Count(c => c.ShaveId == s.Id)));

    internal sealed record TraceHeaderAndSize(TraceShaveHeader Header, int ToolCalls);

    /// <summary>From this many tool calls on, they are read on a second connection beside the steps and AI logs.</summary>
    internal const int ParallelReadFrom = 5_000;

    internal static IQueryable<StepRow> StepsQuery(ShaveTrackerDbContext db, Guid shaveId) => StepRow.Of(db, shaveId);

    /// <summary>With each log's tokens (a LEFT JOIN: most sources report none).</summary>
    internal static IQueryable<TraceRecord> AiLogsQuery(ShaveTrackerDbContext db, Guid shaveId) =>
        from l in db.AiLogs.AsNoTracking().Where(l => l.ShaveId == shaveId)
        join u in db.AiLogUsages.AsNoTracking() on l.Id equals u.AiLogId into usage
        from u in usage.DefaultIfEmpty()
        orderby l.CreatedAt, l.Id
        select new TraceRecord(l.Id, TraceRecordKind.AiLog, l.ProcessStepId, null, l.ModelName, null, null, null, l.DurationMs, l.CreatedAt)
        {
            InputTokens = u != null ? u.InputTokens : null,
            OutputTokens = u != null ? u.OutputTokens : null,
        };

    internal static IQueryable<TraceRecord> ToolCallsQuery(ShaveTrackerDbContext db, Guid shaveId) =>
        db.ToolCalls.AsNoTracking()
            .Where(c => c.ShaveId == shaveId)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
            .Select(c => new TraceRecord(c.Id, TraceRecordKind.ToolCall, c.ProcessStepId, c.AiLogId, c.ToolName, c.ServiceName,
                c.ToolCallId, c.Success, c.DurationMs, c.CreatedAt));

    /// <summary>Null when the shave does not exist or the caller is not an admin.</summary>
    public async Task<TraceSkeleton?> GetSkeletonAsync(Caller caller, Guid shaveId, CancellationToken ct)
    {
        if (!caller.CanReviewAiLogs)
        {
            return null;
        }

        var stopwatch = Stopwatch.StartNew();
        PriceBook prices;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            prices = await PriceBook.LoadAsync(db, ct);
        }

        if (skeletons?.Find(shaveId, prices) is { } kept)
        {
            return kept with { LoadMs = stopwatch.Elapsed.TotalMilliseconds };
        }

        var load = skeletons?.Begin(shaveId);
        TraceSkeleton? skeleton = null;
        try
        {
            skeleton = await LoadSkeletonAsync(shaveId, prices, ct);
            if (skeleton is not null)
            {
                var elapsed = stopwatch.Elapsed.TotalMilliseconds;
                LogSkeleton(logger, shaveId, skeleton.Groups.Count, skeleton.AiLogCount, skeleton.ToolCallCount, elapsed);
                skeleton = skeleton with { LoadMs = elapsed };
            }

            return skeleton;
        }
        finally
        {
            if (load is not null)
            {
                skeletons!.End(load, skeleton, prices);
            }
        }
    }

    private async Task<TraceSkeleton?> LoadSkeletonAsync(Guid shaveId, PriceBook prices, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var found = await HeaderAndSizeQuery(db, shaveId).FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return null;
        }

        var header = found.Header;
        // The tool calls of a long trace (two thirds of its rows) are read on a second thread and connection while this
        // one reads the steps and AI logs: reading and materialising rows is CPU work, and SQLite's driver does it on
        // the calling thread even when asked asynchronously, so without this a 100,000-record trace would use one
        // core of the server while its admin waits. A short trace is read on one connection, one query after another.
        var callsTask = found.ToolCalls < ParallelReadFrom ? null : Task.Run(async () =>
        {
            await using var own = await factory.CreateDbContextAsync(ct);
            return await ToolCallsQuery(own, shaveId).ToListAsync(ct);
        }, ct);
        var steps = await StepsQuery(db, shaveId).ToListAsync(ct);
        var logs = await AiLogsQuery(db, shaveId).ToListAsync(ct);
        var calls = callsTask is not null ? await callsTask : await ToolCallsQuery(db, shaveId).ToListAsync(ct);
        return Priced(Build(header, steps, Priced(Shared(logs), prices), Shared(calls), clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>
    /// The records with one string object per distinct model, tool and server name: a long trace repeats a handful
    /// of names tens of thousands of times, and the skeleton stays in the circuit for as long as the tab is open.
    /// </summary>
    internal static List<TraceRecord> Shared(List<TraceRecord> records)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string? One(string? name) => name is null ? null : names.TryGetValue(name, out var known) ? known : names[name] = name;
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var name = One(r.Name)!;
            var service = One(r.Service);
            if (!ReferenceEquals(name, r.Name) || !ReferenceEquals(service, r.Service))
            {
                records[i] = r with { Name = name, Service = service };
            }
        }

        return records;
    }

    /// <summary>Each AI log with tokens gets its cost by the price of its model on its day.</summary>
    internal static List<TraceRecord> Priced(List<TraceRecord> logs, PriceBook prices)
    {
        for (var i = 0; i < logs.Count; i++)
        {
            var log = logs[i];
            if (log.HasTokens)
            {
                logs[i] = log with { CostUsd = prices.Cost(log.Name, log.CreatedAt, log.InputTokens, log.OutputTokens).Usd };
            }
        }

        return logs;
    }

    /// <summary>The shave's totals, from its priced AI logs.</summary>
    internal static TraceSkeleton Priced(TraceSkeleton skeleton)
    {
        var logs = skeleton.Groups.SelectMany(g => g.Nodes).Select(n => n.Record).Where(r => r.Kind == TraceRecordKind.AiLog && r.HasTokens).ToList();
        var priced = logs.Where(l => l.CostUsd is not null).ToList();
        return skeleton with
        {
            InputTokens = logs.Sum(l => (long)(l.InputTokens ?? 0)),
            OutputTokens = logs.Sum(l => (long)(l.OutputTokens ?? 0)),
            CostUsd = priced.Count > 0 ? priced.Sum(l => l.CostUsd!.Value) : null,
            UnpricedAiLogs = logs.Count - priced.Count,
        };
    }

    /// <summary>
    /// The tree, built in memory from the three lists: a tool call sits under the AI log that issued it (wherever that
    /// log is), else under its step; records whose step is missing go to the "Not attached to a step" group, last.
    /// </summary>
    public static TraceSkeleton Build(TraceShaveHeader header, IReadOnlyList<StepRow> steps, IReadOnlyList<TraceRecord> logs,
        IReadOnlyList<TraceRecord> calls, DateTime now)
    {
        var traceSteps = steps.Select(s =>
        {
            var running = s.Status == ProcessStatus.InProgress && s.CompletedAt is null;
            var drawnEnd = s.CompletedAt ?? (running && now > s.StartedAt ? now : s.StartedAt);
            return new TraceStep(s.Id, s.StepName, s.Status, s.StartedAt, s.CompletedAt, drawnEnd, running, SecretMasker.Apply(s.ErrorMessage));
        }).ToList();
        var stepIds = traceSteps.Select(s => s.Id).ToHashSet();
        var logIds = logs.Select(l => l.Id).ToHashSet();

        var issued = calls.Where(c => c.AiLogId is { } id && logIds.Contains(id))
            .GroupBy(c => c.AiLogId!.Value)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<TraceRecord>)[.. g.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)]);
        var nodes = logs.Select(l => new TraceNode(l, issued.GetValueOrDefault(l.Id, [])))
            .Concat(calls.Where(c => c.AiLogId is not { } id || !logIds.Contains(id)).Select(c => new TraceNode(c, [])))
            .ToLookup(n => n.Record.StepId is { } id && stepIds.Contains(id) ? id : Guid.Empty);

        List<TraceNode> Ordered(Guid key) => [.. nodes[key].OrderBy(n => n.Record.CreatedAt).ThenBy(n => n.Record.Id)];

        var groups = traceSteps.Select(s => new TraceGroup(s, Ordered(s.Id))).ToList();
        var unattached = Ordered(Guid.Empty);
        if (unattached.Count > 0)
        {
            groups.Add(new TraceGroup(null, unattached));
        }

        var starts = traceSteps.Select(s => s.StartedAt).Concat(logs.Select(l => l.CreatedAt)).Concat(calls.Select(c => c.CreatedAt));
        var ends = traceSteps.Select(s => s.DrawnEnd).Concat(logs.Select(l => l.EndsAt)).Concat(calls.Select(c => c.EndsAt));
        var axisStart = starts.Append(header.CreatedAt).Min();
        var axisEnd = ends.Append(axisStart.AddSeconds(1)).Max();
        return new TraceSkeleton(header, axisStart, axisEnd, now, groups, logs.Count, calls.Count, calls.Count(c => c.Success == false));
    }

    // ---- One record, opened: its payload, masked, the first part unless the whole is asked for ----------

    internal static IQueryable<PayloadRow<AiLogDetailHead>> AiLogDetailQuery(ShaveTrackerDbContext db, Guid shaveId, Guid logId, int? take)
    {
        var log = db.AiLogs.AsNoTracking().Where(l => l.ShaveId == shaveId && l.Id == logId);
        // Two shapes rather than one with a CASE on a parameter: each is a plain SELECT that any planner reads well.
        return take is int n
            ? log.Select(l => new PayloadRow<AiLogDetailHead>(
                new AiLogDetailHead(l.Id, l.ShaveId, l.ProcessStepId, l.ProcessStep != null ? l.ProcessStep.StepName : null, l.ModelName,
                    l.DurationMs, l.CreatedAt,
                    db.AiLogUsages.Where(u => u.AiLogId == l.Id).Select(u => u.InputTokens).FirstOrDefault(),
                    db.AiLogUsages.Where(u => u.AiLogId == l.Id).Select(u => u.OutputTokens).FirstOrDefault()),
                l.PromptText!.Substring(0, n), (int?)l.PromptText!.Length,
                l.ResponseText!.Substring(0, n), (int?)l.ResponseText!.Length))
            : log.Select(l => new PayloadRow<AiLogDetailHead>(
                new AiLogDetailHead(l.Id, l.ShaveId, l.ProcessStepId, l.ProcessStep != null ? l.ProcessStep.StepName : null, l.ModelName,
                    l.DurationMs, l.CreatedAt,
                    db.AiLogUsages.Where(u => u.AiLogId == l.Id).Select(u => u.InputTokens).FirstOrDefault(),
                    db.AiLogUsages.Where(u => u.AiLogId == l.Id).Select(u => u.OutputTokens).FirstOrDefault()),
                l.PromptText, (int?)l.PromptText!.Length,
                l.ResponseText, (int?)l.ResponseText!.Length));
    }

    internal static IQueryable<PayloadRow<ToolCallDetailHead>> ToolCallDetailQuery(ShaveTrackerDbContext db, Guid shaveId, Guid callId, int? take)
    {
        var call = db.ToolCalls.AsNoTracking().Where(c => c.ShaveId == shaveId && c.Id == callId);
        return take is int n
            ? call.Select(c => new PayloadRow<ToolCallDetailHead>(
                new ToolCallDetailHead(c.Id, c.ShaveId, c.ProcessStepId, c.ProcessStep != null ? c.ProcessStep.StepName : null, c.AiLogId,
                    c.AiLog != null ? c.AiLog.ModelName : null, c.ToolCallId, c.ToolName, c.ServiceName, c.Success, c.DurationMs, c.CreatedAt),
                c.ArgsJson!.Substring(0, n), (int?)c.ArgsJson!.Length,
                c.ResultJson!.Substring(0, n), (int?)c.ResultJson!.Length))
            : call.Select(c => new PayloadRow<ToolCallDetailHead>(
                new ToolCallDetailHead(c.Id, c.ShaveId, c.ProcessStepId, c.ProcessStep != null ? c.ProcessStep.StepName : null, c.AiLogId,
                    c.AiLog != null ? c.AiLog.ModelName : null, c.ToolCallId, c.ToolName, c.ServiceName, c.Success, c.DurationMs, c.CreatedAt),
                c.ArgsJson, (int?)c.ArgsJson!.Length,
                c.ResultJson, (int?)c.ResultJson!.Length));
    }

    /// <summary>
    /// An AI log of this shave with its prompt and response masked; the first <see cref="PreviewChars"/> of each
    /// unless <paramref name="whole"/>. Null when it does not exist here or the caller is not an admin.
    /// </summary>
    public async Task<AiLogDetail?> GetAiLogAsync(Caller caller, Guid shaveId, Guid logId, bool whole, CancellationToken ct)
    {
        if (!caller.CanReviewAiLogs)
        {
            return null;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await AiLogDetailQuery(db, shaveId, logId, whole ? null : PreviewChars + MaskingMargin).FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        var h = row.Head;
        return new AiLogDetail(h.Id, h.ShaveId, h.StepId, h.StepName, h.ModelName, h.DurationMs, h.CreatedAt,
            Payload(row.First, row.FirstLength, whole), Payload(row.Second, row.SecondLength, whole), h.InputTokens, h.OutputTokens);
    }

    /// <summary>A tool call of this shave with its args and result masked; see <see cref="GetAiLogAsync"/>.</summary>
    public async Task<ToolCallDetail?> GetToolCallAsync(Caller caller, Guid shaveId, Guid callId, bool whole, CancellationToken ct)
    {
        if (!caller.CanReviewAiLogs)
        {
            return null;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await ToolCallDetailQuery(db, shaveId, callId, whole ? null : PreviewChars + MaskingMargin).FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        var h = row.Head;
        return new ToolCallDetail(h.Id, h.ShaveId, h.StepId, h.StepName, h.AiLogId, h.AiLogModel, h.ToolCallId, h.ToolName, h.ServiceName,
            h.Success, h.DurationMs, h.CreatedAt, Payload(row.First, row.FirstLength, whole), Payload(row.Second, row.SecondLength, whole));
    }

    internal static TracePayload Payload(string? text, int? totalLength, bool whole)
    {
        if (text is null)
        {
            return TracePayload.None;
        }

        var total = totalLength ?? text.Length;
        return whole || total <= PreviewChars
            ? new TracePayload(SecretMasker.Apply(text), total, IsCut: false)
            : new TracePayload(SecretMasker.ApplyAndCut(text, PreviewChars), total, IsCut: true);
    }

    internal static IQueryable<PayloadText> PayloadQuery(ShaveTrackerDbContext db, Guid shaveId, Guid recordId, TracePayloadPart part) => part switch
    {
        TracePayloadPart.Prompt => db.AiLogs.AsNoTracking().Where(l => l.ShaveId == shaveId && l.Id == recordId).Select(l => new PayloadText(l.PromptText)),
        TracePayloadPart.Response => db.AiLogs.AsNoTracking().Where(l => l.ShaveId == shaveId && l.Id == recordId).Select(l => new PayloadText(l.ResponseText)),
        TracePayloadPart.Args => db.ToolCalls.AsNoTracking().Where(c => c.ShaveId == shaveId && c.Id == recordId).Select(c => new PayloadText(c.ArgsJson)),
        TracePayloadPart.Result => db.ToolCalls.AsNoTracking().Where(c => c.ShaveId == shaveId && c.Id == recordId).Select(c => new PayloadText(c.ResultJson)),
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, null),
    };

    /// <summary>One whole payload, masked, as a file to download. Null when the record is not this shave's or the caller is not an admin.</summary>
    public async Task<TracePayloadFile?> GetPayloadFileAsync(Caller caller, Guid shaveId, Guid recordId, TracePayloadPart part, CancellationToken ct)
    {
        if (!caller.CanReviewAiLogs)
        {
            return null;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await PayloadQuery(db, shaveId, recordId, part).FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        var text = SecretMasker.Apply(row.Text) ?? "";
        var kind = part is TracePayloadPart.Prompt or TracePayloadPart.Response ? "ai-log" : "tool-call";
        var json = part is TracePayloadPart.Args or TracePayloadPart.Result && IsJson(text);
        var name = $"{kind}-{recordId}-{part.ToString().ToLowerInvariant()}{(json ? ".json" : ".txt")}";
        return new TracePayloadFile(name, json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8", text);
    }

    internal static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Trace skeleton of shave {ShaveId}: {Steps} steps, {AiLogs} AI logs, {ToolCalls} tool calls in {ElapsedMs:0.0} ms")]
    private static partial void LogSkeleton(ILogger logger, Guid shaveId, int steps, int aiLogs, int toolCalls, double elapsedMs);
}


internal sealed record AiLogDetailHead(Guid Id, Guid ShaveId, Guid? StepId, string? StepName, string ModelName, int? DurationMs, DateTime CreatedAt,
    int? InputTokens, int? OutputTokens);

internal sealed record ToolCallDetailHead(Guid Id, Guid ShaveId, Guid? StepId, string? StepName, Guid? AiLogId, string? AiLogModel,
    string ToolCallId, string ToolName, string ServiceName, bool Success, int? DurationMs, DateTime CreatedAt);

/// <summary>A record's head and its two payloads (prompt/response or args/result) as read, before masking.</summary>
internal sealed record PayloadRow<THead>(THead Head, string? First, int? FirstLength, string? Second, int? SecondLength);

internal sealed record PayloadText(string? Text);
