using System.Globalization;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Projects;

/// <summary>
/// The project list's view state ⇄ its URL. Unknown or malformed values fall back to the defaults instead of
/// failing, so an edited or old link still opens a sensible view.
/// </summary>
public static class ProjectListUrl
{
    public static ProjectListQuery Parse(string? q, string? show, string? sort, string? dir, int? page, int? size)
    {
        var search = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (search?.Length > ProjectListQuery.MaxSearchLength)
        {
            search = search[..ProjectListQuery.MaxSearchLength];
        }

        return new ProjectListQuery
        {
            Search = search,
            Activity = ParseEnum(show, ProjectActivity.All),
            Sort = ParseEnum(sort, ProjectSort.Name),
            Descending = string.Equals(dir, "desc", StringComparison.OrdinalIgnoreCase),
            Page = ListPaging.PageFromUrl(page),
            PageSize = ListPaging.SizeFromUrl(size, ProjectListQuery.PageSizes, ProjectListQuery.DefaultPageSize),
        };
    }

    /// <summary>The canonical query string (defaults omitted), so equal views have equal URLs.</summary>
    public static string ToQueryString(ProjectListQuery query)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(query.Search))
        {
            parts.Add("q=" + Uri.EscapeDataString(query.Search));
        }

        if (query.Activity != ProjectActivity.All)
        {
            parts.Add("show=" + query.Activity.ToString().ToLowerInvariant());
        }

        ListPaging.AddOrder(parts, query.Sort, ProjectSort.Name, query.Descending, defaultDescending: false);

        return ListPaging.ToQueryString(parts, query.Page, query.PageSize, ProjectListQuery.DefaultPageSize);
    }

    // Names only: Enum.TryParse would also accept "7" or "1,2".
    private static T ParseEnum<T>(string? value, T fallback)
        where T : struct, Enum =>
        Enum.GetValues<T>().FirstOrDefault(v => string.Equals(v.ToString(), value, StringComparison.OrdinalIgnoreCase), fallback);
}
