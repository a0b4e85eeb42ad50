using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ShaveTracker.Web.Features.Shaves.Trace;

/// <summary>
/// Prompts and responses as HTML that is safe to put on the page. The text is data written by a model or pasted by a
/// requester, so: raw HTML is never passed through (DisableHtml escapes it), only http, https and mailto links stay
/// links (anything else keeps its text and loses the link), and images become links, because loading an image that a
/// prompt names would tell its host that an admin is reading it (the usual way injected prompts leak data).
/// No extension that adds attributes (generic attributes, for one) is enabled.
/// </summary>
public static class TraceMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .Build();

    private static readonly string[] AllowedSchemes = [Uri.UriSchemeHttp, Uri.UriSchemeHttps, Uri.UriSchemeMailto];

    public static string ToSafeHtml(string? markdown)
    {
        if (string.IsNullOrEmpty(markdown))
        {
            return "";
        }

        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            var url = link.GetDynamicUrl?.Invoke() ?? link.Url;
            link.GetDynamicUrl = null;
            if (link.IsImage)
            {
                link.IsImage = false;
                if (link.FirstChild is null)
                {
                    link.AppendChild(new LiteralInline("image"));
                }
            }

            if (!IsAllowed(url))
            {
                Unwrap(link);
                continue;
            }

            link.Url = url;
            var attributes = link.GetAttributes();
            attributes.AddPropertyIfNotExist("rel", "nofollow noopener noreferrer");
            attributes.AddPropertyIfNotExist("target", "_blank");
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!IsAllowed(autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url))
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
                continue;
            }

            var attributes = autolink.GetAttributes();
            attributes.AddPropertyIfNotExist("rel", "nofollow noopener noreferrer");
            attributes.AddPropertyIfNotExist("target", "_blank");
        }

        return document.ToHtml(Pipeline);
    }

    internal static bool IsAllowed(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && AllowedSchemes.Contains(uri.Scheme) &&
        (uri.Scheme == Uri.UriSchemeMailto || !string.IsNullOrEmpty(uri.Host));

    /// <summary>Puts the link's text where the link was.</summary>
    private static void Unwrap(LinkInline link)
    {
        var children = link.ToList();
        foreach (var child in children)
        {
            child.Remove();
            link.InsertBefore(child);
        }

        link.Remove();
    }
}
