using System.Text.Json;

namespace ShaveTracker.Web.Features.Shaves;

public sealed record ActivityChange(string Field, string Before, string After);

/// <summary>
/// Reads an activity's details_json ({"before": {...}, "after": {...}}) into field changes. Details written by
/// another client or an older version are shown as far as they can be read; unreadable JSON is shown raw.
/// </summary>
public static class ActivityChanges
{
    public static IReadOnlyList<ActivityChange> Describe(string? detailsJson)
    {
        if (string.IsNullOrWhiteSpace(detailsJson))
        {
            return [];
        }

        try
        {
            using var doc = JsonDocument.Parse(detailsJson);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("before", out var before) || !root.TryGetProperty("after", out var after) ||
                before.ValueKind != JsonValueKind.Object || after.ValueKind != JsonValueKind.Object)
            {
                return [new ActivityChange("details", "", Truncate(detailsJson))];
            }

            var fields = before.EnumerateObject().Select(p => p.Name)
                .Concat(after.EnumerateObject().Select(p => p.Name))
                .Distinct(StringComparer.Ordinal)
                .Where(f => !f.EndsWith("Id", StringComparison.Ordinal) || !before.TryGetProperty(f[..^2], out _));
            return fields
                .Select(f => new ActivityChange(f, Show(before, f), Show(after, f)))
                .Where(c => c.Before != c.After)
                .ToList();
        }
        catch (JsonException)
        {
            return [new ActivityChange("details", "", Truncate(detailsJson))];
        }
    }

    /// <summary>The name of the credential an activity was written through (the pipeline's key, a desktop), if it says.</summary>
    public static string? CredentialName(string? detailsJson)
    {
        if (string.IsNullOrWhiteSpace(detailsJson) || !detailsJson.Contains("\"credential\"", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(detailsJson);
            return doc.RootElement.ValueKind == JsonValueKind.Object &&
                   doc.RootElement.TryGetProperty("credential", out var credential) && credential.ValueKind == JsonValueKind.Object &&
                   credential.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                ? Truncate(name.GetString() ?? "")
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Show(JsonElement obj, string name) =>
        !obj.TryGetProperty(name, out var v) ? "—" : v.ValueKind switch
        {
            JsonValueKind.Null => "(none)",
            JsonValueKind.String => Truncate(v.GetString() ?? ""),
            _ => Truncate(v.GetRawText()),
        };

    private static string Truncate(string s) => s.Length > 300 ? s[..300] + "…" : s;
}
