using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Logs;
using ShaveTracker.Web.Shared;
using static ShaveTracker.Tests.Infrastructure.PipelineRecords;

namespace ShaveTracker.Tests.Logs;

/// <summary>The explorer page rendered with bUnit on the real SQLite test database: the view comes from the URL.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class LogExplorerPageTests : BunitContext, IAsyncLifetime
{
    private readonly SqliteDatabaseFixture _database;
    private Shave _shave = default!;
    private Guid _failedCallId;

    public LogExplorerPageTests(SqliteDatabaseFixture database)
    {
        _database = database;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddComponentHost(database.Factory).AddLogsFeature();
        AddBunitPersistentComponentState();
    }

    public async Task InitializeAsync()
    {
        await _database.ResetAsync();
        var admin = new User { Id = Ids.NewId(), AuthProvider = AuthProvider.Local, DisplayName = "Ada Admin", CreatedAt = DateTime.UtcNow };
        var video = new VideoFile { Id = Ids.NewId(), FileName = "r.mp4", Duration = 75, CreatedAt = DateTime.UtcNow };
        _shave = new Shave
        {
            Id = Ids.NewId(), Title = "Printer prints blank pages", VideoFileId = video.Id, RequesterId = admin.Id, ShaveStatus = ShaveStatus.Failed,
            WorkItemSource = "GitHub", CreatedAt = DateTime.UtcNow.AddHours(-1),
        };
        var now = DateTime.UtcNow;
        var log = AiLog(_shave, "gpt-4o", now.AddMinutes(-3), 4_200);
        var failed = ToolCall(_shave, "create_issue", "github", now.AddMinutes(-2), success: false, durationMs: 30_000, aiLog: log);
        _failedCallId = failed.Id;
        await using (var db = await _database.Factory.CreateDbContextAsync())
        {
            db.AddRange(admin, video, _shave, log, failed, ToolCall(_shave, "search_issues", "github", now.AddMinutes(-1), aiLog: log));
            await db.SaveChangesAsync();
        }

        var auth = AddAuthorization();
        auth.SetAuthorized(admin.DisplayName);
        auth.SetRoles(Roles.Admin);
        auth.SetClaims(new Claim(ClaimNames.UserId, admin.Id.ToString()), new Claim(ClaimNames.Name, admin.DisplayName));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Render<MudBlazor.MudPopoverProvider>();
    }

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    [Fact]
    public void Prerendered_the_page_has_its_first_rows_before_the_grid_loads_them()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/logs?tab=tools");

        var page = Render<LogExplorerPage>();

        var links = page.FindAll("[data-testid=log-first-page] [data-testid=log-link]");
        Assert.Equal(2, links.Count);
        Assert.All(links, l => Assert.StartsWith($"/shaves/{_shave.Id}?tab=trace&record=", l.GetAttribute("href"), StringComparison.Ordinal));
        Assert.Contains("create_issue", page.Find("[data-testid=log-first-page]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tool_call_grid_shows_the_filtered_view_of_the_url_with_links_into_the_trace()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/logs?tab=tools&success=false");

        var page = Render<LogExplorerPage>();

        page.WaitForAssertion(() => Assert.StartsWith("1 tool call, ", page.Find("[data-testid=log-count]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=ai-grid]"));
        var link = Assert.Single(page.FindAll("[data-testid=log-link]"));
        Assert.Equal($"/shaves/{_shave.Id}?tab=trace&record={_failedCallId}", link.GetAttribute("href"));
        Assert.Contains("Failed", page.Find("[data-testid=call-failed]").TextContent, StringComparison.Ordinal);
        // The other grid keeps the days and shave filters, not this grid's own.
        Assert.Equal("/logs", page.Find("a[data-testid=tab-ai]").GetAttribute("href"));
    }

    [Fact]
    public void A_search_that_looks_like_a_secret_is_refused_and_the_page_says_why_next_to_the_field()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/logs?tab=tools&q=" + Uri.EscapeDataString("password=h"));

        var page = Render<LogExplorerPage>();

        page.WaitForAssertion(() => Assert.Contains(LogExplorerPage.SecretSearchRefusal, page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=log-link]"));

        // The rule is stated up front too, before anyone types a search.
        Services.GetRequiredService<NavigationManager>().NavigateTo("/logs?tab=tools");
        var plain = Render<LogExplorerPage>();
        plain.WaitForAssertion(() => Assert.Contains(LogExplorerPage.SecretSearchRule, plain.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain(LogExplorerPage.SecretSearchRefusal, plain.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_longer_than_31_days_is_shortened_and_the_page_says_so()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/logs?from=2025-01-01&to=2025-12-31");

        var page = Render<LogExplorerPage>();

        page.WaitForAssertion(() => Assert.Contains("Showing 2025-12-01 to 2025-12-31", page.Find("[data-testid=bounds-note]").TextContent, StringComparison.Ordinal));
        Assert.Contains("No model calls match", page.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_search_box_states_its_syntax_and_that_a_search_reads_all_time_without_the_other_filters()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/logs?q=printer&model=gpt-4o");

        var page = Render<LogExplorerPage>();

        page.WaitForAssertion(() => Assert.Contains("in every call of all time, newest recorded first", page.Markup, StringComparison.Ordinal));
        Assert.Equal("printer", page.Find("input[data-testid=filter-search]").GetAttribute("value"));
        page.WaitForAssertion(() => Assert.Contains("Showing matches of all time", page.Find("[data-testid=bounds-note]").TextContent, StringComparison.Ordinal));
        Assert.Contains("all time", page.Find("[data-testid=log-count]").TextContent, StringComparison.Ordinal);
    }
}
