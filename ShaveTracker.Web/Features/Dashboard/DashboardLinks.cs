using System.Globalization;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.Features.Dashboard;

/// <summary>
/// Where the dashboard's charts and rows lead: the shave list and the log explorer, filtered to what was clicked. The
/// URLs are those pages' public contract (their query parameters); tests parse these with the pages' own parsers.
/// </summary>
public static class DashboardLinks
{
    public static string Shaves(DashboardWindow window, ShaveStatus? status = null) =>
        "/shaves?" + Join(("status", status?.ToDb()), ("from", Day(window.From)), ("to", Day(window.To)));

    /// <summary>Every shave with a status now, whenever it was created (for a requester: their own, as their list only holds those).</summary>
    public static string ShavesWithStatus(ShaveStatus status) => "/shaves?" + Join(("status", status.ToDb()));

    public static string Shave(Guid id) => $"/shaves/{id}";

    /// <summary>A project's shaves created in the window (the cost is by call day; the calls of these shaves are most of it).</summary>
    public static string ProjectShaves(DashboardWindow window, Guid projectId) =>
        "/shaves?" + Join(("project", projectId.ToString()), ("from", Day(window.From)), ("to", Day(window.To)));

    /// <summary>A model's calls of the window, newest first.</summary>
    public static string ModelCalls(DashboardWindow window, string model) =>
        "/logs?" + Join(("model", model), ("from", Day(window.From)), ("to", Day(window.To)));

    /// <summary>A model's calls of the window, slowest first; without a model, every model call.</summary>
    public static string SlowestModelCalls(DashboardWindow window, string? model = null) =>
        "/logs?" + Join(("model", model), ("from", Day(window.From)), ("to", Day(window.To)), ("sort", "duration"));

    /// <summary>A tool's calls of the window, slowest first; without a tool, every tool call.</summary>
    public static string SlowestToolCalls(DashboardWindow window, string? service = null, string? tool = null) =>
        "/logs?" + Join(("tab", "tools"), ("tool", tool), ("service", service), ("from", Day(window.From)), ("to", Day(window.To)),
            ("sort", "duration"));

    /// <summary>A tool's failed calls of the window; without a tool, every failed call.</summary>
    public static string FailedToolCalls(DashboardWindow window, string? service = null, string? tool = null) =>
        "/logs?" + Join(("tab", "tools"), ("tool", tool), ("service", service), ("success", "false"), ("from", Day(window.From)),
            ("to", Day(window.To)));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Join(params (string Name, string? Value)[] parts) =>
        string.Join("&", parts.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));
}
