using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor.Services;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Components.Shared;
using ShaveTracker.Web.Components.Layout;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Layout;

public sealed class MainLayoutTests : BunitContext, IAsyncLifetime
{
    private readonly CapturingLogger<PageErrorBoundary> _errors = new();

    public MainLayoutTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<ILogger<PageErrorBoundary>>(_errors);
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
        auth.SetPolicies([.. Policies.GrantedTo(new Caller(Guid.NewGuid(), "Ada", roles.Contains(Roles.Staff), roles.Contains(Roles.Admin)))]);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var layout = RenderInteractive(b => b.AddMarkupContent(0, "<p id=\"page-body\">the page</p>"));

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

    [Fact]
    public void A_page_that_fails_is_replaced_by_an_error_panel_with_a_logged_reference_and_Retry_renders_it_again()
    {
        AddAuthorization().SetAuthorized("Ada");
        var attempts = new Attempts();
        var layout = RenderInteractive(b =>
        {
            b.OpenComponent<FailsOnce>(0);
            b.AddComponentParameter(1, nameof(FailsOnce.Attempts), attempts);
            b.CloseComponent();
        });

        // The frame is still there; the page is the panel.
        Assert.NotNull(layout.Find(".mud-navmenu"));
        Assert.Empty(layout.FindAll("#page-body"));
        var panel = layout.Find("[data-testid=page-error]");
        Assert.Contains("Something went wrong", panel.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("database is away", panel.TextContent, StringComparison.Ordinal);
        var reference = layout.Find("[data-testid=page-error-reference]").TextContent;
        var logged = Assert.Single(_errors.Events);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Equal(reference, logged.Values[PageErrorBoundary.ReferenceProperty]);

        layout.Find("[data-testid=page-error-retry]").Click();

        Assert.Equal("the page", layout.Find("#page-body").TextContent);
        Assert.Empty(layout.FindAll("[data-testid=page-error]"));
        Assert.Equal(2, attempts.Count);
    }

    /// <summary>
    /// The layout of an interactive page, around <paramref name="body"/> (prerendering has no error boundary: a failure
    /// there is the error page). After the services are set up: setting the renderer info builds the provider.
    /// </summary>
    private IRenderedComponent<MainLayout> RenderInteractive(RenderFragment body)
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return Render<MainLayout>(p => p.Add(x => x.Body, body));
    }

    private sealed class Attempts
    {
        public int Count { get; set; }
    }

    /// <summary>A page whose first load fails (the database is away) and whose second succeeds.</summary>
    private sealed class FailsOnce : ComponentBase
    {
        [Parameter]
        public Attempts Attempts { get; set; } = default!;

        protected override void OnInitialized()
        {
            if (Attempts.Count++ == 0)
            {
                throw new InvalidOperationException("The database is away.");
            }
        }

        protected override void BuildRenderTree(RenderTreeBuilder builder) =>
            builder.AddMarkupContent(0, "<p id=\"page-body\">the page</p>");
    }
}
