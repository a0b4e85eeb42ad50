using System.Text.Json;

namespace ShaveTracker.Web.Features.Shaves;

/// <summary>
/// The title and body the model wrote for the work item, read from the arguments of the tool call that created it:
/// GitHub's <c>create_issue</c> (<c>{"title", "body"}</c>) and Azure DevOps' <c>create_work_item</c>
/// (<c>{"fields": {"System.Title", "System.Description"}}</c>, or the fields as a list of <c>{"name", "value"}</c>).
/// Arguments that say neither give nothing: the page then shows only what the URL tells.
/// </summary>
public sealed record WorkItemDraft(string? Title, string? Body)
{
    /// <summary>The tools whose successful call wrote a shave's work item.</summary>
    public static readonly string[] CreateTools = ["create_issue", "create_work_item"];

    /// <summary>At most this much of the arguments is read: a body longer than any tracker accepts is not shown whole.</summary>
    public const int MaxArgsLength = 256 * 1024;

    public static WorkItemDraft? FromArgs(string? argsJson)
    {
        if (string.IsNullOrWhiteSpace(argsJson))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(argsJson, new JsonDocumentOptions { MaxDepth = 32 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var title = Text(root, "title");
            var body = Text(root, "body") ?? Text(root, "description");
            if (root.TryGetProperty("fields", out var fields))
            {
                title ??= Field(fields, "System.Title");
                body ??= Field(fields, "System.Description");
            }

            return title is null && body is null ? null : new WorkItemDraft(title, body);
        }
        catch (JsonException)
        {
            // Cut at MaxArgsLength, or not JSON at all: nothing reliable to show.
            return null;
        }
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString() : null;

    private static string? Field(JsonElement fields, string name)
    {
        if (fields.ValueKind == JsonValueKind.Object)
        {
            return Text(fields, name);
        }

        if (fields.ValueKind == JsonValueKind.Array)
        {
            foreach (var f in fields.EnumerateArray())
            {
                if (f.ValueKind == JsonValueKind.Object && Text(f, "name") == name)
                {
                    return Text(f, "value");
                }
            }
        }

        return null;
    }
}
