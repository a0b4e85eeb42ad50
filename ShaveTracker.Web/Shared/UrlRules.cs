namespace ShaveTracker.Web.Shared;

/// <summary>What a URL typed by a person, or sent by the pipeline, must be before it is stored or rendered as a link.</summary>
public static class UrlRules
{
    /// <summary>Null when <paramref name="url"/> is an absolute http(s) URL within the length; else the message to show.</summary>
    public static string? Check(string url, int maxLength)
    {
        var trimmed = url.Trim();
        if (trimmed.Length > maxLength)
        {
            return $"Keep the URL under {maxLength} characters.";
        }

        return IsHttp(trimmed) ? null : "Enter a full web address starting with https:// or http://.";
    }

    /// <summary>Only http and https become clickable: never javascript:, data: or a relative path.</summary>
    public static bool IsHttp(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) &&
        !string.IsNullOrEmpty(uri.Host);
}
