namespace ShaveTracker.Web.Features.Shaves;

/// <summary>The <c>Video</c> section: which hosts a shave's video_embed_url may be framed from.</summary>
public sealed class VideoEmbedOptions
{
    public const string SectionName = "Video";

    public List<string> AllowedEmbedHosts { get; set; } = ["www.youtube.com", "youtube.com", "www.youtube-nocookie.com"];

    /// <summary>An https URL on an allowed host; anything else is shown as a plain link, never framed.</summary>
    public bool CanEmbed(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) &&
        uri.Scheme == Uri.UriSchemeHttps &&
        AllowedEmbedHosts.Any(h => string.Equals(h, uri.Host, StringComparison.OrdinalIgnoreCase));
}
