using System.Globalization;

namespace ShaveTracker.Web.Shared;

/// <summary>
/// How a list's order, page and page size appear in its URL, the same for every list: the page is 1-based in the
/// URL and 0-based in the query, a size is kept only if the list offers it, and defaults are left out of the URL.
/// </summary>
public static class ListPaging
{
    /// <summary>The 0-based page of a URL's 1-based <c>page</c>.</summary>
    public static int PageFromUrl(int? page) => Math.Max(0, (page ?? 1) - 1);

    /// <summary>The page size of a URL's <c>size</c>: one the list offers, else its default.</summary>
    public static int SizeFromUrl(int? size, IReadOnlyList<int> offered, int defaultSize)
    {
        ArgumentNullException.ThrowIfNull(offered);
        return size is { } s && offered.Contains(s) ? s : defaultSize;
    }

    /// <summary>Adds <c>sort</c> unless the list is in its default order, and <c>dir</c> unless in its default direction.</summary>
    public static void AddOrder<TSort>(List<string> parts, TSort sort, TSort defaultSort, bool descending, bool defaultDescending)
        where TSort : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (!EqualityComparer<TSort>.Default.Equals(sort, defaultSort))
        {
            parts.Add("sort=" + sort.ToString().ToLowerInvariant());
        }

        if (descending != defaultDescending)
        {
            parts.Add(descending ? "dir=desc" : "dir=asc");
        }
    }

    /// <summary>Adds <c>page</c> and <c>size</c> unless they are the defaults, and joins the parts into a query string.</summary>
    public static string ToQueryString(List<string> parts, int page, int pageSize, int defaultSize)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (page > 0)
        {
            parts.Add("page=" + (page + 1).ToString(CultureInfo.InvariantCulture));
        }

        if (pageSize != defaultSize)
        {
            parts.Add("size=" + pageSize.ToString(CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}
