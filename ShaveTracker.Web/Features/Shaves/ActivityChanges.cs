using System.Globalization;
using System.Text.Json;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Web.Features.Shaves;

/// <summary>
/// An activity's details_json (<c>{"before": {...}, "after": {...}, "credential": {...}}</c>) as field values. Keys
/// are compared as people read them, whatever the writer's casing (<c>projectId</c>, <c>project_id</c>,
/// <c>shave_status</c> for <c>status</c>): this app, older versions and other clients write the same facts
/// differently. <see cref="Readable"/> is false for details that are not such an object; they are never shown raw.
/// </summary>
public sealed record ActivityDetails(
    IReadOnlyDictionary<string, string?> Before,
    IReadOnlyDictionary<string, string?> After,
    string? CredentialName,
    bool Readable)
{
    private static readonly ActivityDetails Unreadable = new(new Dictionary<string, string?>(), new Dictionary<string, string?>(), null, false);

    /// <summary>The key people mean: lower case, no separators, "shave_status" read as "status".</summary>
    public static string Key(string name)
    {
        var key = new string([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
        return key switch
        {
            "shavestatus" => "status",
            "projectname" => "project",
            _ => key,
        };
    }

    public static ActivityDetails Read(string? detailsJson)
    {
        if (string.IsNullOrWhiteSpace(detailsJson))
        {
            return Unreadable with { Readable = true };
        }

        try
        {
            using var doc = JsonDocument.Parse(detailsJson);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Unreadable;
            }

            string? credential = null;
            if (root.TryGetProperty("credential", out var c) && c.ValueKind == JsonValueKind.Object &&
                c.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                credential = Cut(name.GetString() ?? "");
            }

            var before = Values(root, "before");
            var after = Values(root, "after");
            return before is null || after is null ? Unreadable with { CredentialName = credential } : new ActivityDetails(before, after, credential, true);
        }
        catch (JsonException)
        {
            return Unreadable;
        }
    }

    /// <summary>The value after the change, when the change set that field.</summary>
    public string? Changed(string key) => After.TryGetValue(key, out var a) && (!Before.TryGetValue(key, out var b) || b != a) ? a : null;

    private static Dictionary<string, string?>? Values(JsonElement root, string side)
    {
        if (!root.TryGetProperty(side, out var obj))
        {
            return new Dictionary<string, string?>();
        }

        if (obj.ValueKind == JsonValueKind.Null)
        {
            return new Dictionary<string, string?>();
        }

        if (obj.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            values[Key(p.Name)] = p.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => Cut(p.Value.GetString() ?? ""),
                _ => Cut(p.Value.GetRawText()),
            };
        }

        return values;
    }

    private static string Cut(string s) => s.Length > 300 ? s[..300] + "…" : s;
}

/// <summary>
/// An activity as a sentence: "Sam Staff moved it from Intranet to Mobile App." Project ids in the details are
/// resolved to names through <c>projectNames</c> (the service looks them up); statuses, fields and types that this
/// app does not know are still told, readably.
/// </summary>
public static class ActivitySentences
{
    /// <summary>The person, else the credential a machine wrote through (the pipeline's key), else the pipeline.</summary>
    public static string Who(ActivityRow a, ActivityDetails details, bool startsSentence = true)
    {
        var who = a.UserName ?? (a.UserId is not null ? "A former user"
            : details.CredentialName is { } credential ? $"The pipeline ({credential})" : "The pipeline");
        return startsSentence || a.UserName is not null ? who : char.ToLowerInvariant(who[0]) + who[1..];
    }

    /// <summary>The project ids an activity names, for the service to resolve.</summary>
    public static IEnumerable<Guid> ProjectIds(ActivityDetails details) =>
        details.Before.Concat(details.After)
            .Where(p => p.Key == "projectid" && Guid.TryParse(p.Value, out _))
            .Select(p => Guid.Parse(p.Value!));

    public static string Describe(ActivityRow a, IReadOnlyDictionary<Guid, string> projectNames)
    {
        var details = ActivityDetails.Read(a.DetailsJson);
        var who = Who(a, details);
        if (!details.Readable)
        {
            return $"{who} {Readable(a.ActivityType)} (its details could not be read).";
        }

        var b = details.Before;
        var after = details.After;
        switch (a.ActivityType)
        {
            case ActivityTypes.Created:
            {
                var title = after.GetValueOrDefault("title");
                var project = ProjectOf(after, projectNames);
                return $"{who} created it{(title is null ? "" : $" as “{title}”")}{(project is null ? "" : $", in {project}")}.";
            }

            case ActivityTypes.TranscriptAdded:
                return $"{who} added the transcript{Characters(after)}.";

            case ActivityTypes.TranscriptReplaced:
                return $"{who} replaced the transcript{Characters(after)}.";
        }

        var parts = new List<string>();
        var from = Status(b.GetValueOrDefault("status"));
        var to = Status(after.GetValueOrDefault("status"));
        if (after.ContainsKey("status") && from != to)
        {
            parts.Add(to == ShaveStatus.Cancelled.ToString() ? "cancelled it"
                : to == ShaveStatus.Pending.ToString() && from is "Failed" or "Cancelled" ? "re-queued it"
                : from is null ? $"set its status to {to ?? "none"}" : $"changed its status from {from} to {to ?? "none"}");
        }

        var projectBefore = ProjectOf(b, projectNames);
        var projectAfter = ProjectOf(after, projectNames);
        if ((after.ContainsKey("projectid") || after.ContainsKey("project")) && projectBefore != projectAfter)
        {
            parts.Add(projectBefore is null ? $"put it in {projectAfter}"
                : projectAfter is null ? $"took it out of {projectBefore}"
                : $"moved it from {projectBefore} to {projectAfter}");
        }

        if (details.Changed("title") is { } newTitle)
        {
            parts.Add(b.GetValueOrDefault("title") is { } oldTitle ? $"renamed it from “{oldTitle}” to “{newTitle}”" : $"titled it “{newTitle}”");
        }

        if (after.ContainsKey("workitemurl") && b.GetValueOrDefault("workitemurl") != after["workitemurl"])
        {
            parts.Add(after["workitemurl"] is { } url ? $"set its work item to {url}" : "removed its work item");
        }

        if (after.ContainsKey("workitemsource") && (b.GetValueOrDefault("workitemsource") ?? "") != (after["workitemsource"] ?? ""))
        {
            parts.Add(string.IsNullOrEmpty(after["workitemsource"]) ? "cleared its work item source" : $"set its work item source to {after["workitemsource"]}");
        }

        // Fields this app does not know, as they were written.
        var told = new HashSet<string>(StringComparer.Ordinal) { "status", "projectid", "project", "title", "workitemurl", "workitemsource" };
        foreach (var key in b.Keys.Concat(after.Keys).Distinct().Where(k => !told.Contains(k)))
        {
            var oldValue = b.GetValueOrDefault(key);
            var newValue = after.GetValueOrDefault(key);
            if (oldValue != newValue)
            {
                parts.Add($"changed {Readable(key)} from {oldValue ?? "none"} to {newValue ?? "none"}");
            }
        }

        return parts.Count == 0
            ? $"{who} {Readable(a.ActivityType)}."
            : $"{who} {string.Join(parts.Count > 2 ? ", " : " and ", parts.Take(parts.Count - 1))}{(parts.Count > 1 ? (parts.Count > 2 ? ", and " : " and ") : "")}{parts[^1]}.";
    }

    private static string? ProjectOf(IReadOnlyDictionary<string, string?> values, IReadOnlyDictionary<Guid, string> names)
    {
        if (values.GetValueOrDefault("projectid") is { } id && Guid.TryParse(id, out var guid))
        {
            return names.GetValueOrDefault(guid) ?? values.GetValueOrDefault("project") ?? "a project since deleted";
        }

        return values.GetValueOrDefault("project");
    }

    private static string? Status(string? value) =>
        value is null ? null
        : EnumStrings.TryParseShaveStatus(value, out var status) ? status.ToString()
        : value;

    private static string Characters(IReadOnlyDictionary<string, string?> after) =>
        after.GetValueOrDefault("characters") is { } n && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? string.Create(CultureInfo.InvariantCulture, $" ({count:N0} characters)")
            : "";

    /// <summary>"shave.status_changed" → "changed status", "shave.archived" → "archived": a type this app does not know.</summary>
    private static string Readable(string type)
    {
        var name = type.StartsWith("shave.", StringComparison.Ordinal) ? type["shave.".Length..] : type;
        return name.Replace('_', ' ').Replace('.', ' ').Trim().ToLowerInvariant() switch
        {
            "" => "changed it",
            "updated" => "changed it",
            "status changed" => "changed its status",
            "project changed" => "changed its project",
            var words => words,
        };
    }
}
