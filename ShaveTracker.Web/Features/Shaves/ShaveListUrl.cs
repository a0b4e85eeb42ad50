using System.Globalization;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Shaves;

/// <summary>
/// The shave list's view state ⇄ its URL. Unknown or malformed values fall back to the defaults instead of failing,
/// so an edited or old link still opens a sensible view.
/// </summary>
public static class ShaveListUrl
{
    public static ShaveListQuery Parse(string? status, string? project, string? requester, string? from, string? to,
        string? q, string? sort, string? dir, int? page, int? size)
    {
        var statuses = (status ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => EnumStrings.TryParseShaveStatus(s, out var v) ? v : (ShaveStatus?)null)
            .OfType<ShaveStatus>()
            .Distinct()
            .OrderBy(s => s)
            .ToList();
        var sortValue = Enum.TryParse<ShaveSort>(sort, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(sort, out _)
            ? parsed
            : ShaveSort.Created;
        var search = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (search?.Length > ShaveListQuery.MaxSearchLength)
        {
            search = search[..ShaveListQuery.MaxSearchLength];
        }

        return new ShaveListQuery
        {
            Statuses = statuses,
            ProjectId = Guid.TryParse(project, out var p) ? p : null,
            RequesterId = Guid.TryParse(requester, out var r) ? r : null,
            CreatedFrom = ParseDate(from),
            CreatedTo = ParseDate(to),
            Search = search,
            Sort = sortValue,
            Descending = !string.Equals(dir, "asc", StringComparison.OrdinalIgnoreCase),
            Page = ListPaging.PageFromUrl(page),
            PageSize = ListPaging.SizeFromUrl(size, ShaveListQuery.PageSizes, ShaveListQuery.DefaultPageSize),
        };
    }

    /// <summary>A query string (with or without the leading "?") as <see cref="Parse"/> reads its parameters.</summary>
    public static ShaveListQuery FromQueryString(string? queryString)
    {
        var values = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString);
        string? Get(string name) => values.TryGetValue(name, out var v) ? v.ToString() : null;
        int? GetInt(string name) => int.TryParse(Get(name), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;
        return Parse(Get("status"), Get("project"), Get("requester"), Get("from"), Get("to"), Get("q"), Get("sort"), Get("dir"),
            GetInt("page"), GetInt("size"));
    }

    /// <summary>The canonical query string (defaults omitted), so equal views have equal URLs.</summary>
    public static string ToQueryString(ShaveListQuery query)
    {
        var parts = new List<string>();
        if (query.Statuses.Count > 0)
        {
            parts.Add("status=" + string.Join(",", query.Statuses.Distinct().Order().Select(s => s.ToDb())));
        }

        Add(parts, "project", query.ProjectId?.ToString());
        Add(parts, "requester", query.RequesterId?.ToString());
        Add(parts, "from", query.CreatedFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add(parts, "to", query.CreatedTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add(parts, "q", query.Search);
        ListPaging.AddOrder(parts, query.Sort, ShaveSort.Created, query.Descending, defaultDescending: true);

        return ListPaging.ToQueryString(parts, query.Page, query.PageSize, ShaveListQuery.DefaultPageSize);
    }

    /// <summary>The name of a shave page's query parameter that carries the view of the list it was opened from.</summary>
    public const string ListParameter = "list";

    /// <summary>A shave's page, with the list's view (its canonical query string) to return to; none for the unfiltered list.</summary>
    public static string ShaveFromList(Guid id, string view)
    {
        var query = (view ?? "").TrimStart('?');
        return query.Length == 0 ? $"/shaves/{id}" : $"/shaves/{id}?{ListParameter}={Uri.EscapeDataString(query)}";
    }

    /// <summary>
    /// The list a shave page leads back to. Whatever the parameter holds, the answer is the shave list with only the
    /// list's own filters, read and written again by <see cref="FromQueryString"/>: never another page or another site.
    /// </summary>
    public static string ListFromShave(string? list) =>
        "/shaves" + ToQueryString(FromQueryString(string.IsNullOrWhiteSpace(list) ? null : "?" + list.TrimStart('?')));

    private static void Add(List<string> parts, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parts.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }

    private static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
