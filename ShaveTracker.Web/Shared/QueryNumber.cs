using System.Globalization;

namespace ShaveTracker.Web.Shared;

/// <summary>
/// A number from a page's query string, read as text: anything that is not a whole number in range is no value
/// (the page's default), never an error page.
/// </summary>
public static class QueryNumber
{
    public static int? Parse(string? value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;
}
