using ShaveTracker.Web.Features.Projects;

namespace ShaveTracker.Tests.Projects;

public sealed class BacklogUrlsTests
{
    [Theory]
    [InlineData("https://github.com/contoso/storefront-web", "https://github.com/contoso/storefront-web", BacklogHost.GitHub, "contoso/storefront-web")]
    [InlineData("  https://GitHub.com/contoso/web.site/  ", "https://github.com/contoso/web.site", BacklogHost.GitHub, "contoso/web.site")]
    [InlineData("https://dev.azure.com/contoso/Payments", "https://dev.azure.com/contoso/Payments", BacklogHost.AzureDevOps, "contoso/Payments")]
    [InlineData("https://dev.azure.com/contoso/Payments%20Platform/", "https://dev.azure.com/contoso/Payments%20Platform", BacklogHost.AzureDevOps, "contoso/Payments Platform")]
    [InlineData("https://dev.azure.com/contoso/Payments Platform", "https://dev.azure.com/contoso/Payments%20Platform", BacklogHost.AzureDevOps, "contoso/Payments Platform")]
    [InlineData("https://fabrikam.visualstudio.com/Intranet", "https://fabrikam.visualstudio.com/Intranet", BacklogHost.AzureDevOps, "fabrikam/Intranet")]
    public void Repositories_and_projects_are_accepted_in_canonical_form(string input, string canonical, BacklogHost kind, string label)
    {
        var (link, error) = BacklogUrls.Check(input);

        Assert.Null(error);
        Assert.Equal(canonical, link!.Url);
        Assert.Equal(kind, link.Kind);
        Assert.Equal(label, link.Label);
        // Canonical URLs are themselves accepted unchanged, so saving twice changes nothing.
        Assert.Equal(canonical, BacklogUrls.Check(canonical).Link!.Url);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("http://github.com/contoso/web")]
    [InlineData("ftp://github.com/contoso/web")]
    [InlineData("https://gitlab.com/contoso/web")]
    [InlineData("https://github.com.evil.example/contoso/web")]
    [InlineData("https://user:pass@github.com/contoso/web")]
    [InlineData("https://github.com:8443/contoso/web")]
    [InlineData("https://github.com/contoso")]
    [InlineData("https://github.com/contoso/web/issues")]
    [InlineData("https://github.com/contoso/web#readme")]
    [InlineData("https://github.com/-contoso/web")]
    [InlineData("https://github.com/contoso/..")]
    [InlineData("https://dev.azure.com/contoso")]
    [InlineData("https://dev.azure.com/contoso/Payments/_backlogs")]
    [InlineData("https://dev.azure.com/contoso/_Payments")]
    [InlineData("https://dev.azure.com/contoso/Pay%3Fments")]
    [InlineData("https://visualstudio.com/Intranet")]
    [InlineData("https://fabrikam.visualstudio.com/")]
    [InlineData("github.com/contoso/web")]
    [InlineData("/contoso/web")]
    public void Anything_else_is_refused_with_a_message_naming_what_is_expected(string input)
    {
        var (link, error) = BacklogUrls.Check(input);

        Assert.Null(link);
        Assert.Contains("github.com/owner/repo", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Over_long_addresses_are_refused()
    {
        var (link, error) = BacklogUrls.Check("https://github.com/contoso/" + new string('a', BacklogUrls.MaxLength));
        Assert.Null(link);
        Assert.Contains("2048", error, StringComparison.Ordinal);
    }
}
