using System.Text.RegularExpressions;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.Features.Projects;

public enum BacklogHost
{
    GitHub,
    AzureDevOps,
}

/// <summary>A backlog address that passed <see cref="BacklogUrls.Check"/>: its canonical URL and what it points at.</summary>
public sealed record BacklogLink(BacklogHost Kind, string Url, string Owner, string Name)
{
    /// <summary>"owner/repo" or "org/project", as people say it.</summary>
    public string Label => $"{Owner}/{Name}";
}

/// <summary>
/// What a project's backlog_url may be: the pipeline's MCP tools write work items into a GitHub repository or an
/// Azure DevOps project, so the address must name exactly one of those — nothing else becomes a link the pipeline
/// would follow. Only https, no credentials, ports, queries or fragments.
/// </summary>
public static partial class BacklogUrls
{
    public const int MaxLength = Project.BacklogUrlMaxLength;

    public const string Expected =
        "Enter a GitHub repository (https://github.com/owner/repo) or an Azure DevOps project " +
        "(https://dev.azure.com/org/project or https://org.visualstudio.com/project).";

    /// <summary>The canonical link, or the message to show next to the field.</summary>
    public static (BacklogLink? Link, string? Error) Check(string url)
    {
        var trimmed = url.Trim();
        if (trimmed.Length > MaxLength)
        {
            return (null, $"Keep the URL under {MaxLength} characters.");
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri))
        {
            return (null, Expected);
        }

        // javascript:, data:, http:, a rooted path (file: on Unix) ...
        if (uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host))
        {
            return (null, "Only https:// addresses are accepted. " + Expected);
        }

        // "https://github.com@evil.example/..." has user info and another host: refuse anything unusual outright.
        if (!string.IsNullOrEmpty(uri.UserInfo) || !uri.IsDefaultPort || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return (null, Expected);
        }

        var link = Parse(uri);
        return link is null ? (null, Expected) : (link, null);
    }

    /// <summary>What a stored URL points at, for display; null when it is not a backlog address (older or foreign data).</summary>
    public static BacklogLink? Describe(string? url) =>
        string.IsNullOrWhiteSpace(url) ? null : Check(url).Link;

    private static BacklogLink? Parse(Uri uri)
    {
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var host = uri.Host.ToLowerInvariant();
        if (host == "github.com")
        {
            return segments.Length == 2 && GitHubOwner().IsMatch(segments[0]) && GitHubRepo().IsMatch(segments[1]) &&
                   segments[1] is not ("." or "..")
                ? new BacklogLink(BacklogHost.GitHub, $"https://github.com/{segments[0]}/{segments[1]}", segments[0], segments[1])
                : null;
        }

        if (host == "dev.azure.com")
        {
            return segments.Length == 2 && AzureOrganization().IsMatch(segments[0]) && IsAzureProject(segments[1])
                ? new BacklogLink(BacklogHost.AzureDevOps, $"https://dev.azure.com/{segments[0]}/{segments[1]}",
                    segments[0], Uri.UnescapeDataString(segments[1]))
                : null;
        }

        const string legacySuffix = ".visualstudio.com";
        if (host.EndsWith(legacySuffix, StringComparison.Ordinal))
        {
            var organization = host[..^legacySuffix.Length];
            return segments.Length == 1 && AzureOrganization().IsMatch(organization) && IsAzureProject(segments[0])
                ? new BacklogLink(BacklogHost.AzureDevOps, $"https://{organization}.visualstudio.com/{segments[0]}",
                    organization, Uri.UnescapeDataString(segments[0]))
                : null;
        }

        return null;
    }

    /// <summary>Azure DevOps project names: up to 64 characters, none of its reserved ones, not starting with _ or .</summary>
    private static bool IsAzureProject(string escapedSegment)
    {
        var name = Uri.UnescapeDataString(escapedSegment);
        return name.Length is > 0 and <= 64 && name.Trim() == name && !name.StartsWith('_') && !name.StartsWith('.') &&
               !name.EndsWith('.') && name.AsSpan().IndexOfAny(AzureReserved) < 0 && !name.Any(char.IsControl);
    }

    private static readonly System.Buffers.SearchValues<char> AzureReserved = System.Buffers.SearchValues.Create("\\/:*?\"<>|;#${},+=[]%&");

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")]
    private static partial Regex GitHubOwner();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex GitHubRepo();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?$")]
    private static partial Regex AzureOrganization();
}
