using System.Reflection;
using Microsoft.AspNetCore.Components;

namespace ShaveTracker.Web.Components;

/// <summary>
/// The pages rendered without a circuit (<see cref="ExcludeFromInteractiveRoutingAttribute"/>: the shave list,
/// sign-in, the error page). The interactive router must not render them: a navigation to one of them from an
/// interactive page, by link or by code, has to load it from the server (see Routes.razor).
/// </summary>
public static class StaticPages
{
    private static readonly HashSet<string> Paths = typeof(StaticPages).Assembly.GetTypes()
        .Where(t => t.IsDefined(typeof(ExcludeFromInteractiveRoutingAttribute), inherit: true))
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
        .Select(r => r.Template)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="relativeUri"/> (relative to the base, with or without query) is one of them.</summary>
    public static bool Contains(string relativeUri)
    {
        ArgumentNullException.ThrowIfNull(relativeUri);
        var end = relativeUri.IndexOfAny(['?', '#']);
        var path = "/" + (end < 0 ? relativeUri : relativeUri[..end]).Trim('/');
        return Paths.Contains(path);
    }
}
