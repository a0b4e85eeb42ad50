using System.Globalization;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Logs;

/// <summary>
/// The explorer's view state ⇄ its URL. Unknown or malformed values fall back to the defaults instead of failing, so an
/// edited or old link still opens a sensible view. Filters of the other grid are dropped, so that equal views have
/// equal URLs.
/// </summary>
public static class LogExplorerUrl
{
    public const string Path = "/logs";

    public static LogQuery Parse(string? tab, string? model, string? tool, string? service, string? success,
        int? minMs, string? from, string? to, string? project, string? status, string? q, string? sort, string? dir, int? page, int? size,
        string? minCost = null)
    {
        var kind = string.Equals(tab, "tools", StringComparison.OrdinalIgnoreCase) ? LogKind.ToolCalls : LogKind.AiLogs;
        var query = new LogQuery
        {
            Kind = kind,
            Model = kind == LogKind.AiLogs ? Name(model) : null,
            Tool = kind == LogKind.ToolCalls ? Name(tool) : null,
            Service = kind == LogKind.ToolCalls ? Name(service) : null,
            Success = kind != LogKind.ToolCalls ? null
                : string.Equals(success, "true", StringComparison.OrdinalIgnoreCase) ? true
                : string.Equals(success, "false", StringComparison.OrdinalIgnoreCase) ? false
                : null,
            MinDurationMs = minMs is > 0 ? minMs : null,
            MinCostUsd = kind == LogKind.AiLogs && double.TryParse(minCost, NumberStyles.Float, CultureInfo.InvariantCulture, out var cost)
                         && cost > 0 && double.IsFinite(cost) ? cost : null,
            From = ParseDate(from),
            To = ParseDate(to),
            ProjectId = Guid.TryParse(project, out var p) ? p : null,
            ShaveStatus = EnumStrings.TryParseShaveStatus(status, out var s) ? s : null,
            Search = Text(q, LogQuery.MaxSearchLength),
            Sort = Enum.TryParse<LogSort>(sort, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(sort, out _)
                   && (parsed != LogSort.Cost || kind == LogKind.AiLogs)
                ? parsed
                : LogSort.Created,
            Descending = !string.Equals(dir, "asc", StringComparison.OrdinalIgnoreCase),
            Page = ListPaging.PageFromUrl(page),
            PageSize = ListPaging.SizeFromUrl(size, LogQuery.PageSizes, LogQuery.DefaultPageSize),
        };
        return query;
    }

    /// <summary>The canonical query string (defaults omitted).</summary>
    public static string ToQueryString(LogQuery query)
    {
        var parts = new List<string>();
        if (query.Kind == LogKind.ToolCalls)
        {
            parts.Add("tab=tools");
            Add(parts, "tool", query.Tool);
            Add(parts, "service", query.Service);
            Add(parts, "success", query.Success is { } ok ? (ok ? "true" : "false") : null);
        }
        else
        {
            Add(parts, "model", query.Model);
            Add(parts, "minCost", query.MinCostUsd?.ToString("0.######", CultureInfo.InvariantCulture));
        }

        Add(parts, "minMs", query.MinDurationMs?.ToString(CultureInfo.InvariantCulture));
        Add(parts, "from", query.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add(parts, "to", query.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add(parts, "project", query.ProjectId?.ToString());
        Add(parts, "status", query.ShaveStatus?.ToDb());
        Add(parts, "q", query.Search);
        ListPaging.AddOrder(parts, query.Sort, LogSort.Created, query.Descending, defaultDescending: true);

        return ListPaging.ToQueryString(parts, query.Page, query.PageSize, LogQuery.DefaultPageSize);
    }

    public static string ToUrl(LogQuery query) => Path + ToQueryString(query);

    /// <summary>Where a row leads: the record, selected in its shave's trace.</summary>
    public static string TraceUrl(Guid shaveId, Guid recordId) => $"/shaves/{shaveId}?tab=trace&record={recordId}";

    private static string? Name(string? value) => Text(value, LogQuery.MaxNameLength);

    private static string? Text(string? value, int max)
    {
        var text = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        return text?.Length > max ? text[..max] : text;
    }

    private static void Add(List<string> parts, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parts.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }

    /// <summary>A day, if it is one and the window around it stays within the calendar (else it is ignored, as any bad value).</summary>
    private static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) &&
        d.DayNumber > DateOnly.MinValue.DayNumber + LogQuery.MaxWindowDays && d.DayNumber < DateOnly.MaxValue.DayNumber - LogQuery.MaxWindowDays
            ? d
            : null;
}
