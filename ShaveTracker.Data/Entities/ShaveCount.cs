namespace ShaveTracker.Data.Entities;

/// <summary>
/// shave_counts: how many shaves there are per status — overall (<c>dimension</c> = "all"), per project ("project",
/// key = the project id or "" for none) and per requester ("requester"). Kept exact by database triggers on
/// <c>shaves</c> (see the ShaveCounts migrations), so the list can show its total without counting a million rows.
/// </summary>
public sealed class ShaveCount
{
    public const string All = "all";
    public const string Project = "project";
    public const string Requester = "requester";

    public string Dimension { get; set; } = "";
    public string DimKey { get; set; } = "";
    public ShaveStatus ShaveStatus { get; set; }
    public long Total { get; set; }

    /// <summary>The key of a project or requester id, as the triggers write it on both providers.</summary>
    public static string KeyOf(Guid? id) => id?.ToString("D").ToUpperInvariant() ?? "";
}
