using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using ShaveTracker.Web.Components.Layout;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Layout;

public sealed class MainLayoutTests : BunitContext, IAsyncLifetime
{
    public MainLayoutTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    [Theory]
    [InlineData(new string[0], new[] { "Dashboard", "Shaves" }, new[] { "Projects", "Users", "API keys" })]
    [InlineData(new[] { Roles.Staff }, new[] { "Dashboard", "Shaves", "Projects" }, new[] { "Users", "API keys" })]
    [InlineData(new[] { Roles.Admin }, new[] { "Dashboard", "Shaves", "Projects", "Users", "API keys" }, new string[0])]
    public void Layout_shows_the_app_bar_the_signed_in_user_and_only_the_links_their_role_may_use(string[] roles, string[] shown, string[] hidden)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("Ada");
        auth.SetRoles(roles);
        auth.SetClaims(new Claim(ClaimNames.UserId, Guid.NewGuid().ToString()), new Claim(ClaimNames.Name, "Ada Example"));
        // bUnit's fake authorization grants policies by name: the ones the app's policies give these roles.
        auth.SetPolicies(roles.Contains(Roles.Admin)
            ? [Policies.CanManageProjects, Policies.CanManageShaves, Policies.CanManageUsers, Policies.CanReviewAiLogs]
            : roles.Contains(Roles.Staff) ? [Policies.CanManageProjects, Policies.CanManageShaves] : []);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var layout = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id=\"page-body\">the page</p>"))));

        Assert.Contains("ShaveTracker", layout.Find(".mud-appbar").TextContent, StringComparison.Ordinal);
        Assert.Equal("the page", layout.Find("#page-body").TextContent);
        Assert.NotNull(layout.Find("[data-testid=theme-toggle]"));
        Assert.NotNull(layout.Find("form[action='/account/signout'] [data-testid=signout]"));
        var nav = layout.Find(".mud-navmenu").TextContent;
        Assert.All(shown, link => Assert.Contains(link, nav, StringComparison.Ordinal));
        Assert.All(hidden, link => Assert.DoesNotContain(link, nav, StringComparison.Ordinal));
        // Interactive: the buttons are handled here, not by layout.js.
        Assert.Null(layout.Find("[data-testid=theme-toggle]").GetAttribute("data-theme-reload"));
        Assert.Empty(layout.FindAll("[data-drawer-toggle]"));
    }

    [Fact]
    public void Static_layout_opens_in_the_theme_picked_and_leaves_its_buttons_to_layout_js()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("Ada");
        auth.SetClaims(new Claim(ClaimNames.UserId, Guid.NewGuid().ToString()), new Claim(ClaimNames.Name, "Ada Example"));
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var layout = Render<MainLayout>(p => p
            .Add(x => x.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p>the page</p>")))
            .AddCascadingValue("DarkMode", true));

        // Dark, as the cookie said; a click switches to light and reloads, since no circuit re-renders the theme.
        var theme = layout.Find("[data-testid=theme-toggle]");
        Assert.Equal("light", theme.GetAttribute("data-theme-next"));
        Assert.NotNull(theme.GetAttribute("data-theme-reload"));
        Assert.NotNull(layout.Find("[aria-label='Toggle navigation']").GetAttribute("data-drawer-toggle"));
        // Popovers, dialogs and snackbars need a circuit: none on a static page.
        Assert.Empty(layout.FindAll(".mud-popover-provider"));
    }
}
