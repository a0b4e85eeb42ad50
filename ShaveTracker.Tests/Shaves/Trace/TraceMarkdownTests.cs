using ShaveTracker.Web.Features.Shaves.Trace;

namespace ShaveTracker.Tests.Shaves.Trace;

public sealed class TraceMarkdownTests
{
    [Fact]
    public void Raw_html_from_the_data_is_escaped_not_rendered()
    {
        var html = TraceMarkdown.ToSafeHtml("Hello <script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n<div onclick=\"steal()\">hi</div>");

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<div", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JaVaScRiPt:alert(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("[click][evil]\n\n[evil]: javascript:alert(1)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("[click](vbscript:msgbox)")]
    [InlineData("[click](/shaves/export.csv)")]
    public void Links_other_than_http_https_and_mailto_lose_their_href(string markdown)
    {
        var html = TraceMarkdown.ToSafeHtml(markdown);

        Assert.DoesNotContain("href", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<a", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("[repo](https://github.com/contoso/storefront-web)", "https://github.com/contoso/storefront-web")]
    [InlineData("see <https://example.com/a?b=1>", "https://example.com/a?b=1")]
    [InlineData("[mail](mailto:ada@example.com)", "mailto:ada@example.com")]
    public void Http_https_and_mailto_links_survive_and_open_safely(string markdown, string href)
    {
        var html = TraceMarkdown.ToSafeHtml(markdown);

        Assert.Contains($"href=\"{href.Replace("&", "&amp;", StringComparison.Ordinal)}\"", html, StringComparison.Ordinal);
        Assert.Contains("rel=\"nofollow noopener noreferrer\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Images_become_links_so_that_reading_a_prompt_loads_nothing_from_elsewhere()
    {
        var html = TraceMarkdown.ToSafeHtml("![Login page at 0:12](https://media.yakshaver.example/frames/abc/12.jpg)");

        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<a href=\"https://media.yakshaver.example/frames/abc/12.jpg\"", html, StringComparison.Ordinal);
        Assert.Contains("Login page at 0:12", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Attribute_syntax_is_not_an_extension_here()
    {
        var html = TraceMarkdown.ToSafeHtml("# Title {onclick=alert(1)}\n\n[x](https://example.com){onmouseover=alert(1)}");

        Assert.DoesNotContain("onclick=", html.Replace("{onclick=alert(1)}", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain(" onmouseover=", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Work_item_markdown_renders_as_expected()
    {
        var html = TraceMarkdown.ToSafeHtml("## Pain\nThe **login** button does nothing.\n\n1. First\n2. Second\n\n| a | b |\n|---|---|\n| 1 | 2 |");

        Assert.Contains("<h2>Pain</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>login</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<ol>", html, StringComparison.Ordinal);
        Assert.Contains("<table>", html, StringComparison.Ordinal);
    }
}
