using System.Globalization;

namespace ShaveTracker.Web.Shared;

/// <summary>
/// A work item as people name it, read from its URL: "contoso/storefront-web #123" on GitHub,
/// "Contoso / Storefront #4512" on Azure DevOps. Other addresses have no reference (<see cref="Parse"/> is null)
/// and are shown by their host.
/// </summary>
public sealed record WorkItemReference(string Host, string Container, string Number)
{
    public string Label => $"{Container} #{Number} on {Host}";

    public string Name => $"{Container} #{Number}";

    public static WorkItemReference? Parse(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        var parts = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var host = uri.Host.ToLowerInvariant();
        if (host is "github.com" or "www.github.com")
        {
            // /{owner}/{repo}/issues/{n} or /pull/{n}
            return parts.Length >= 4 && parts[2] is "issues" or "pull" && IsNumber(parts[3])
                ? new WorkItemReference("GitHub", $"{parts[0]}/{parts[1]}", parts[3])
                : null;
        }

        // https://dev.azure.com/{org}/{project}/_workitems/edit/{id}, https://{org}.visualstudio.com/{project}/_workitems/edit/{id}
        var edit = Array.FindIndex(parts, p => p.Equals("_workitems", StringComparison.OrdinalIgnoreCase));
        if (edit >= 1 && edit + 2 < parts.Length && parts[edit + 1].Equals("edit", StringComparison.OrdinalIgnoreCase) && IsNumber(parts[edit + 2]))
        {
            if (host == "dev.azure.com" && edit >= 2)
            {
                return new WorkItemReference("Azure DevOps", $"{parts[0]} / {parts[edit - 1]}", parts[edit + 2]);
            }

            if (host.EndsWith(".visualstudio.com", StringComparison.Ordinal))
            {
                return new WorkItemReference("Azure DevOps", $"{host[..host.IndexOf('.', StringComparison.Ordinal)]} / {parts[edit - 1]}", parts[edit + 2]);
            }
        }

        return null;
    }

    private static bool IsNumber(string s) => s.Length is > 0 and <= 12 && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
