using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Shaves;

/// <summary>
/// A plain link to a shave's video on its own site, beside the frame: a video its owner does not let other sites
/// play, or a browser that blocks the frame, shows an error inside the frame and no way on.
/// </summary>
public static class VideoWatchLink
{
    private static readonly string[] YouTubeHosts =
        ["youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com", "youtu.be"];

    /// <summary>Where to watch it and the link's words; null when the address is not an http(s) one.</summary>
    public static (string Url, string Text)? For(string? videoUrl)
    {
        if (!UrlRules.IsHttp(videoUrl) || !Uri.TryCreate(videoUrl!.Trim(), UriKind.Absolute, out var uri))
        {
            return null;
        }

        if (!YouTubeHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase))
        {
            return (uri.AbsoluteUri, $"Open the video on {uri.Host}");
        }

        // An embed address (/embed/<id>) plays the bare video; the watch page is YouTube's own, with its title and comments.
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments is ["embed", var id] && id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? ($"https://www.youtube.com/watch?v={id}", "Open on YouTube")
            : (uri.AbsoluteUri, "Open on YouTube");
    }
}
