using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor.Services;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Dashboard;
using ShaveTracker.Web.Shared;
using static ShaveTracker.Tests.Infrastructure.PipelineRecords;

namespace ShaveTracker.Tests.Dashboard;

/// <summary>The dashboard page rendered with bUnit on the real SQLite test database, as each kind of caller sees it.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class DashboardPageTests : BunitContext, IAsyncLifetime
{
    private readonly SqliteDatabaseFixture _database;
    private User _alice = default!;
    private User _bob = default!;
    private readonly Bunit.TestDoubles.BunitPersistentComponentState _state;

    public DashboardPageTests(SqliteDatabaseFixture database)
    {
        _database = database;
        // MudChart measures itself through JS; the numbers under test do not depend on it.
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddComponentHost(database.Factory).AddDashboardFeature();
        _state = AddBunitPersistentComponentState();
    }

    public async Task InitializeAsync()
    {
        await _database.ResetAsync();
        _alice = await AddUserAsync("Alice Requester");
        _bob = await AddUserAsync("Bob Requester");
        var failed = await AddShaveAsync(_alice, "Printer prints blank pages", ShaveStatus.Failed);
        await AddShaveAsync(_alice, "Dark mode colours", ShaveStatus.Completed);
        await AddShaveAsync(_bob, "Bob's secret project", ShaveStatus.Completed);
        await using var db = await _database.Factory.CreateDbContextAsync();
        var log = AiLog(failed, "gpt-4o", DateTime.UtcNow.AddMinutes(-5), 4_000);
        db.AddRange(log, ToolCall(failed, "create_issue", "github", DateTime.UtcNow.AddMinutes(-4), success: false, aiLog: log));
        await db.SaveChangesAsync();
    }

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    [Fact]
    public void Staff_see_every_shave_in_charts_and_tables_without_links_into_the_log_explorer()
    {
        SignIn(_bob, Roles.Staff);

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.Equal("3", page.Find("[data-testid=card-window-total]").TextContent.Trim()));
        Assert.Equal("1", page.Find("[data-testid=card-window-failed]").TextContent.Trim());
        Assert.NotEmpty(page.FindAll("[data-testid=chart-shaves-per-day] svg"));
        Assert.Contains("create_issue", page.Find("[data-testid=tool-failure-row]").TextContent, StringComparison.Ordinal);
        Assert.Contains("gpt-4o", page.Find("[data-testid=model-percentiles-row]").TextContent, StringComparison.Ordinal);
        Assert.Contains("newest 5,000 timed model calls", page.Find("[data-testid=model-percentiles-method]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("a[href^='/logs']"));
        Assert.NotEmpty(page.FindAll("a[href^='/shaves?status=Failed&from=']"));
    }

    [Fact]
    public void Clicking_a_colour_of_the_stacked_bars_opens_that_status_of_the_window_in_the_shave_list()
    {
        SignIn(_bob, Roles.Staff);
        var page = Render<DashboardPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=chart-shaves-per-day] path.mud-chart-bar")));

        // Series in stack order: Completed, then Failed. Each bar segment's stroke is its series colour.
        page.FindAll("[data-testid=chart-shaves-per-day] path.mud-chart-bar").First(p => p.GetAttribute("stroke") == "#f44336").Click();

        var uri = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri;
        Assert.Contains("/shaves?status=Failed&from=", uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Admins_get_links_from_tools_and_models_into_the_log_explorer()
    {
        SignIn(_bob, Roles.Admin);

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=tool-failure-row] a")));
        Assert.StartsWith("/logs?tab=tools&tool=create_issue&service=github&success=false&from=",
            page.Find("[data-testid=tool-failure-row] a").GetAttribute("href"), StringComparison.Ordinal);
        Assert.StartsWith("/logs?model=gpt-4o&from=", page.Find("[data-testid=model-percentiles-row] a").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_requester_sees_their_own_summary_and_nothing_of_anyone_else()
    {
        SignIn(_alice);

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=my-total]").TextContent.Trim()));
        Assert.Equal(["Dark mode colours", "Printer prints blank pages"], page.FindAll("[data-testid=my-recent-row] a").Select(a => a.TextContent.Trim()).Order());
        Assert.Equal("50%", page.Find("[data-testid=my-failure-rate]").TextContent.Trim());
        Assert.DoesNotContain("Bob's secret project", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=card-window-total]"));
        Assert.Empty(page.FindAll("[data-testid=tool-failures]"));
    }

    [Fact]
    public void A_requesters_chart_counts_in_whole_shaves_up_to_their_busiest_day()
    {
        SignIn(_alice);

        var page = Render<DashboardPage>();

        // Two shaves today: the axis reads 0, 1, 2, not 0 to 20.
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=my-shaves-per-day] svg")));
        var ticks = page.FindAll("[data-testid=my-shaves-per-day] svg .mud-charts-yaxis")
            .SelectMany(e => e.LocalName == "text" ? [e] : e.QuerySelectorAll("text").ToArray())
            .Select(t => t.TextContent.Trim())
            .ToList();
        Assert.True(ticks.Count > 0, page.Find("[data-testid=my-shaves-per-day] svg").OuterHtml);
        Assert.Equal(["0", "1", "2"], ticks.Where(t => t != "shaves"));
    }

    [Fact]
    public void The_prerendered_numbers_travel_to_the_interactive_render_instead_of_being_computed_again()
    {
        SignIn(_alice);
        var window = DashboardWindow.Last(DashboardService.WindowDays, DateOnly.FromDateTime(DateTime.UtcNow));
        _state.Persist("dashboard-requester", new RequesterDashboard(window, [new StatusTotal(ShaveStatus.Completed, 41)], [], []));

        var page = Render<DashboardPage>();

        // 41 is in no table: it came from the persisted state, not from a second round of queries.
        page.WaitForAssertion(() => Assert.Equal("41", page.Find("[data-testid=my-total]").TextContent.Trim()));
    }

    private void SignIn(User user, params string[] roles) => BunitSignIn.SignIn(this, user, roles);

    private Task<User> AddUserAsync(string name) => BunitSignIn.AddUserAsync(_database, name);

    private async Task<Shave> AddShaveAsync(User requester, string title, ShaveStatus status)
    {
        var video = new VideoFile { Id = Ids.NewId(), FileName = "r.mp4", Duration = 75, CreatedAt = DateTime.UtcNow };
        var shave = new Shave
        {
            Id = Ids.NewId(), Title = title, VideoFileId = video.Id, RequesterId = requester.Id, ShaveStatus = status,
            WorkItemSource = "GitHub", CreatedAt = DateTime.UtcNow.AddMinutes(-10),
        };
        await using var db = await _database.Factory.CreateDbContextAsync();
        db.AddRange(video, shave);
        await db.SaveChangesAsync();
        return shave;
    }
}
