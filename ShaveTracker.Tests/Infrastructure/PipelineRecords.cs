using ShaveTracker.Data;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>Unsaved process steps, model calls and tool calls of a shave, for tests to insert in one go.</summary>
public static class PipelineRecords
{
    public static ProcessStep Step(Shave shave, string name, DateTime startedAt, int? durationMs = null,
        ProcessStatus status = ProcessStatus.Completed, string? error = null) => new()
        {
            Id = Ids.NewId(),
            ShaveId = shave.Id,
            StepName = name,
            ProcessStatus = status,
            StartedAt = startedAt,
            CompletedAt = durationMs is { } ms ? startedAt.AddMilliseconds(ms) : null,
            ErrorMessage = error,
        };

    public static AiLog AiLog(Shave shave, string model, DateTime createdAt, int? durationMs = 1000, ProcessStep? step = null,
        string? prompt = "Write a work item.", string? response = "## Pain") => new()
        {
            Id = Ids.NewId(),
            ShaveId = shave.Id,
            ProcessStepId = step?.Id,
            ModelName = model,
            PromptText = prompt,
            ResponseText = response,
            DurationMs = durationMs,
            CreatedAt = createdAt,
        };

    public static ToolCall ToolCall(Shave shave, string tool, string service, DateTime createdAt, bool success = true, int? durationMs = 500,
        ProcessStep? step = null, AiLog? aiLog = null, string? args = "{}", string? result = "{}") => new()
        {
            Id = Ids.NewId(),
            ShaveId = shave.Id,
            ProcessStepId = step?.Id,
            AiLogId = aiLog?.Id,
            ToolCallId = "call_" + Guid.NewGuid().ToString("N"),
            ToolName = tool,
            ServiceName = service,
            ArgsJson = args,
            ResultJson = result,
            Success = success,
            DurationMs = durationMs,
            CreatedAt = createdAt,
        };

    /// <summary>A model price as an admin sets it (the pricing rules derive its LIKE form and specificity).</summary>
    public static ModelPrice Price(string pattern, double inputUsdPerMillion, double outputUsdPerMillion, DateTime from, DateTime? to = null) => new()
    {
        Id = Ids.NewId(),
        ModelPattern = pattern,
        LikePattern = ShaveTracker.Web.Shared.PricePatterns.Like(pattern),
        Specificity = ShaveTracker.Web.Shared.PricePatterns.Specificity(pattern),
        InputUsdPerMillion = inputUsdPerMillion,
        OutputUsdPerMillion = outputUsdPerMillion,
        ValidFrom = from,
        ValidTo = to,
        CreatedAt = from,
    };
}

