using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Shaves.Trace;

// The whole trace as one JSON document: the shave, its steps, AI logs, tool calls and transcripts, every free text
// masked. Written row by row to the response, so that a shave with tens of megabytes of payloads never sits in
// memory as a whole. Field names are the columns' (docs/data-model.md), so the file reads like the tables it came from.
public sealed partial class TraceService
{
    public const string ExportFormat = "shavetracker.trace/1";

    // Relaxed escaping keeps prompts readable (apostrophes, <, >): the file is downloaded, never embedded in a page.
    private static readonly JsonWriterOptions ExportWriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Rows written between two flushes to the response.</summary>
    private const int FlushEvery = 50;

    /// <summary>Whether <see cref="WriteExportAsync"/> has something to write for this caller: checked before the response starts.</summary>
    public async Task<bool> CanExportAsync(Caller caller, Guid shaveId, CancellationToken ct)
    {
        if (!caller.CanReviewAiLogs)
        {
            return false;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Shaves.AnyAsync(s => s.Id == shaveId, ct);
    }

    internal static IQueryable<ExportShave> ExportShaveQuery(ShaveTrackerDbContext db, Guid shaveId) =>
        db.Shaves.AsNoTracking().Where(s => s.Id == shaveId).Select(s => new ExportShave(
            s.Id, s.Title, s.ShaveStatus, s.ProjectId, s.Project != null ? s.Project.Name : null, s.RequesterId, s.Requester!.DisplayName,
            s.WorkItemUrl, s.WorkItemSource, s.VideoEmbedUrl, s.CreatedAt, s.UpdatedAt,
            s.VideoFile!.Id, s.VideoFile.FileName, s.VideoFile.FilePath, s.VideoFile.FileHash, s.VideoFile.Duration));

    internal static IQueryable<AiLog> ExportAiLogsQuery(ShaveTrackerDbContext db, Guid shaveId) =>
        db.AiLogs.AsNoTracking().Where(l => l.ShaveId == shaveId).OrderBy(l => l.CreatedAt).ThenBy(l => l.Id);

    internal static IQueryable<ExportUsage> ExportUsageQuery(ShaveTrackerDbContext db, Guid shaveId) =>
        db.AiLogUsages.AsNoTracking().Where(u => u.AiLog!.ShaveId == shaveId)
            .Select(u => new ExportUsage(u.AiLogId, u.InputTokens, u.OutputTokens));

    internal static IQueryable<ToolCall> ExportToolCallsQuery(ShaveTrackerDbContext db, Guid shaveId) =>
        db.ToolCalls.AsNoTracking().Where(c => c.ShaveId == shaveId).OrderBy(c => c.CreatedAt).ThenBy(c => c.Id);

    internal static IQueryable<Transcript> ExportTranscriptsQuery(ShaveTrackerDbContext db, Guid shaveId) =>
        db.Transcripts.AsNoTracking().Where(t => t.ShaveId == shaveId).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id);

    /// <summary>Writes the masked trace to <paramref name="output"/>; false (nothing written) for a non-admin or a missing shave.</summary>
    public async Task<bool> WriteExportAsync(Caller caller, Guid shaveId, Stream output, CancellationToken ct)
    {
        if (!caller.CanReviewAiLogs)
        {
            return false;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var shave = await ExportShaveQuery(db, shaveId).FirstOrDefaultAsync(ct);
        if (shave is null)
        {
            return false;
        }

        await using var json = new Utf8JsonWriter(output, ExportWriterOptions);
        json.WriteStartObject();
        json.WriteString("format", ExportFormat);
        json.WriteString("exported_at", clock.GetUtcNow().UtcDateTime);
        json.WriteString("exported_by", caller.UserId);
        json.WriteBoolean("secrets_masked", true);

        WriteShave(json, shave);
        await WriteStepsAsync(json, db, shaveId, ct);
        // Tokens are a few numbers per AI log, read first; each log is then written with its tokens and cost.
        var usage = await ExportUsageQuery(db, shaveId).ToDictionaryAsync(u => u.AiLogId, ct);
        var prices = await PriceBook.LoadAsync(db, ct);
        var totals = new ExportTotals();
        await WriteArrayAsync(json, "ai_logs", ExportAiLogsQuery(db, shaveId), (w, log) => WriteAiLog(w, log, usage, prices, totals), ct);
        await WriteArrayAsync(json, "tool_calls", ExportToolCallsQuery(db, shaveId), WriteToolCall, ct);
        await WriteArrayAsync(json, "transcripts", ExportTranscriptsQuery(db, shaveId), WriteTranscript, ct);
        totals.Write(json);
        json.WriteEndObject();
        await json.FlushAsync(ct);
        return true;
    }

    private static void WriteShave(Utf8JsonWriter json, ExportShave shave)
    {
        json.WriteStartObject("shave");
        json.WriteString("id", shave.Id);
        json.WriteString("title", SecretMasker.Apply(shave.Title));
        json.WriteString("shave_status", shave.Status.ToDb());
        WriteNullable(json, "project_id", shave.ProjectId);
        json.WriteString("project_name", shave.ProjectName);
        json.WriteString("requester_id", shave.RequesterId);
        json.WriteString("requester_name", shave.RequesterName);
        json.WriteString("work_item_url", SecretMasker.Apply(shave.WorkItemUrl));
        json.WriteString("work_item_source", shave.WorkItemSource);
        json.WriteString("video_embed_url", SecretMasker.Apply(shave.VideoEmbedUrl));
        json.WriteString("created_at", shave.CreatedAt);
        WriteNullable(json, "updated_at", shave.UpdatedAt);
        json.WriteStartObject("video_file");
        json.WriteString("id", shave.VideoFileId);
        json.WriteString("file_name", shave.FileName);
        json.WriteString("file_path", shave.FilePath);
        json.WriteString("file_hash", shave.FileHash);
        json.WriteNumber("duration", shave.VideoSeconds);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static async Task WriteStepsAsync(Utf8JsonWriter json, ShaveTrackerDbContext db, Guid shaveId, CancellationToken ct)
    {
        json.WriteStartArray("process_steps");
        foreach (var step in await StepsQuery(db, shaveId).ToListAsync(ct))
        {
            json.WriteStartObject();
            json.WriteString("id", step.Id);
            json.WriteString("step_name", step.StepName);
            json.WriteString("process_status", step.Status.ToDb());
            json.WriteString("started_at", step.StartedAt);
            WriteNullable(json, "completed_at", step.CompletedAt);
            json.WriteString("error_message", SecretMasker.Apply(step.ErrorMessage));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        await json.FlushAsync(ct);
    }

    /// <summary>
    /// One array of the file, streamed row by row from the database and flushed every <see cref="FlushEvery"/> rows:
    /// a long trace is never held in memory whole.
    /// </summary>
    private static async Task WriteArrayAsync<T>(Utf8JsonWriter json, string name, IQueryable<T> rows, Action<Utf8JsonWriter, T> write, CancellationToken ct)
    {
        var count = 0;
        json.WriteStartArray(name);
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            json.WriteStartObject();
            write(json, row);
            json.WriteEndObject();
            if (++count % FlushEvery == 0)
            {
                await json.FlushAsync(ct);
            }
        }

        json.WriteEndArray();
        await json.FlushAsync(ct);
    }

    private static void WriteAiLog(Utf8JsonWriter json, AiLog log, Dictionary<Guid, ExportUsage> usage, PriceBook prices, ExportTotals totals)
    {
        json.WriteString("id", log.Id);
        WriteNullable(json, "process_step_id", log.ProcessStepId);
        json.WriteString("model_name", log.ModelName);
        json.WriteString("prompt_text", SecretMasker.Apply(log.PromptText));
        json.WriteString("response_text", SecretMasker.Apply(log.ResponseText));
        WriteNullable(json, "duration_ms", log.DurationMs);
        json.WriteString("created_at", log.CreatedAt);
        // ai_log_usage, and the cost by the model's price on the log's day (null: no tokens, or no price).
        var tokens = usage.TryGetValue(log.Id, out var u) ? prices.Cost(log.ModelName, log.CreatedAt, u.InputTokens, u.OutputTokens) : TokenCost.None;
        WriteNullable(json, "input_tokens", tokens.InputTokens);
        WriteNullable(json, "output_tokens", tokens.OutputTokens);
        WriteNullable(json, "cost_usd", tokens.Usd);
        totals.Add(tokens);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, Math.Round(v, 6));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteToolCall(Utf8JsonWriter json, ToolCall call)
    {
        json.WriteString("id", call.Id);
        WriteNullable(json, "process_step_id", call.ProcessStepId);
        WriteNullable(json, "ai_log_id", call.AiLogId);
        json.WriteString("tool_call_id", call.ToolCallId);
        json.WriteString("tool_name", call.ToolName);
        json.WriteString("service_name", call.ServiceName);
        // As stored: text, which is usually JSON but need not be. Embedding it as a string keeps the file valid.
        json.WriteString("args_json", SecretMasker.Apply(call.ArgsJson));
        json.WriteString("result_json", SecretMasker.Apply(call.ResultJson));
        json.WriteBoolean("success", call.Success);
        WriteNullable(json, "duration_ms", call.DurationMs);
        json.WriteString("created_at", call.CreatedAt);
    }

    private static void WriteTranscript(Utf8JsonWriter json, Transcript transcript)
    {
        json.WriteString("id", transcript.Id);
        json.WriteString("text", SecretMasker.Apply(transcript.Text));
        json.WriteString("created_at", transcript.CreatedAt);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, Guid? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, DateTime? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}

internal sealed record ExportUsage(Guid AiLogId, int? InputTokens, int? OutputTokens);

/// <summary>The shave's tokens and cost, summed while its AI logs are written, and written after them.</summary>
internal sealed class ExportTotals
{
    private long _input;
    private long _output;
    private double? _cost;
    private int _unpriced;

    public void Add(TokenCost tokens)
    {
        if (tokens.InputTokens is null && tokens.OutputTokens is null)
        {
            return;
        }

        _input += tokens.InputTokens ?? 0;
        _output += tokens.OutputTokens ?? 0;
        if (tokens.Usd is { } usd)
        {
            _cost = (_cost ?? 0) + usd;
        }
        else
        {
            _unpriced++;
        }
    }

    public void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("input_tokens", _input);
        json.WriteNumber("output_tokens", _output);
        if (_cost is { } cost)
        {
            json.WriteNumber("cost_usd", Math.Round(cost, 6));
        }
        else
        {
            json.WriteNull("cost_usd");
        }

        json.WriteNumber("unpriced_ai_logs", _unpriced);
        json.WriteEndObject();
    }
}

internal sealed record ExportShave(
    Guid Id, string Title, ShaveStatus Status, Guid? ProjectId, string? ProjectName, Guid RequesterId, string RequesterName,
    string? WorkItemUrl, string WorkItemSource, string? VideoEmbedUrl, DateTime CreatedAt, DateTime? UpdatedAt,
    Guid VideoFileId, string FileName, string? FilePath, string? FileHash, int VideoSeconds);
