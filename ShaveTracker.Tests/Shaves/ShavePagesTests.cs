using Microsoft.Extensions.Time.Testing;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Infrastructure.Telemetry;
using ShaveTracker.Web.Infrastructure.LiveUpdates;

namespace ShaveTracker.Tests.Shaves;

/// <summary>The shave pages rendered with bUnit on the real SQLite test database (no fake service).</summary>
[Collection(DatabaseCollection.Name)]
public sealed class ShavePagesTests : BunitContext, IAsyncLifetime
{
    private readonly SqliteDatabaseFixture _database;
    // Pages read this clock; it starts at the real now, so what they stamp looks like any other run.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private User _staff = default!;
    private User _alice = default!;

    public ShavePagesTests(SqliteDatabaseFixture database)
    {
        _database = database;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddComponentHost(database.Factory, _clock).AddShavesFeature(ComponentServices.NoConfiguration);
    }

    public async Task InitializeAsync()
    {
        await _database.ResetAsync();
        _staff = await AddUserAsync("Stan Staff");
        _alice = await AddUserAsync("Alice Requester");
    }

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    [Fact]
    public async Task List_page_shows_the_rows_and_count_of_the_view_in_the_url()
    {
        await AddShaveAsync(_alice, "Printer prints blank pages", ShaveStatus.Failed);
        await AddShaveAsync(_alice, "Dark mode colours", ShaveStatus.Completed);
        SignIn(_staff, Roles.Staff);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/shaves?status=Failed");

        var page = Render<ShaveListPage>();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("1 matching shave", page.Find("[data-testid=shave-count]").TextContent.Trim());
            var links = page.FindAll("[data-testid=shave-link]");
            Assert.Equal("Printer prints blank pages", Assert.Single(links).TextContent.Trim());
        });
    }

    [Fact]
    public async Task List_page_with_no_match_says_why_and_offers_to_clear_the_filters()
    {
        await AddShaveAsync(_alice, "Dark mode colours", ShaveStatus.Completed);
        SignIn(_staff, Roles.Staff);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/shaves?q=nothing-like-this");

        var page = Render<ShaveListPage>();

        page.WaitForAssertion(() =>
        {
            var empty = page.Find("[data-testid=empty-state]");
            Assert.Contains("No shaves match these filters", empty.TextContent, StringComparison.Ordinal);
            Assert.Contains("Clear filters", empty.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Requester_list_has_no_requester_filter_and_no_bulk_selection()
    {
        await AddShaveAsync(_alice, "Mine", ShaveStatus.Completed);
        SignIn(_alice);

        var page = Render<ShaveListPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=shave-link]")));
        Assert.Empty(page.FindAll("[data-testid=filter-requester]"));
        Assert.Empty(page.FindAll("[data-testid=select-all], [data-testid=row-select]"));
    }

    [Fact]
    public async Task List_page_links_sort_status_and_pages_to_the_next_view_keeping_its_filters()
    {
        for (var i = 0; i < 12; i++)
        {
            await AddShaveAsync(_alice, $"Failed shave {i:00}", ShaveStatus.Failed);
        }

        SignIn(_staff, Roles.Staff);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/shaves?status=Failed&size=10");

        var page = Render<ShaveListPage>();

        page.WaitForAssertion(() => Assert.Equal(10, page.FindAll("[data-testid=shave-link]").Count));
        Assert.Equal("1-10 of 12", page.Find("[data-testid=page-range]").TextContent);
        // A new column sorts ascending first; the sorted one (created, newest first) flips; both go back to page 1.
        Assert.Equal("/shaves?status=Failed&sort=title&dir=asc&size=10", page.Find("[data-testid=sort-title]").GetAttribute("href"));
        Assert.Equal("/shaves?status=Failed&dir=asc&size=10", page.Find("[data-testid=sort-created]").GetAttribute("href"));
        Assert.Equal("/shaves?status=Failed&page=2&size=10", page.Find("[data-testid=page-next]").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=page-previous]"));
        // Status chips toggle their status in the view; several at once.
        var failed = page.Find("[data-testid=filter-status] [data-status=Failed]");
        Assert.Equal("true", failed.GetAttribute("aria-current"));
        Assert.Null(page.Find("[data-testid=filter-status] [data-status=Pending]").GetAttribute("aria-current"));
        Assert.Equal("/shaves?size=10", failed.GetAttribute("href"));
        Assert.Equal("/shaves?status=Pending,Failed&size=10", page.Find("[data-testid=filter-status] [data-status=Pending]").GetAttribute("href"));
        // The filter form carries what its fields do not show, so applying a search keeps the view's other choices.
        Assert.Equal("Failed", page.Find("form[data-shave-filters] input[name=status]").GetAttribute("value"));
        Assert.Equal("/shaves/export.csv?status=Failed&size=10", page.Find("[data-testid=export-csv]").GetAttribute("href"));
    }

    [Fact]
    public void List_page_answers_a_non_canonical_address_with_the_canonical_one()
    {
        SignIn(_staff, Roles.Staff);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/shaves?q=&size=25&status=failed&from=&sort=nonsense");

        Render<ShaveListPage>();

        Assert.Equal("http://localhost/shaves?status=Failed", navigation.Uri);
    }

    [Fact]
    public async Task Live_island_counts_new_shaves_of_the_view_and_reloads_the_page_when_a_row_on_screen_changes()
    {
        var shown = await AddShaveAsync(_alice, "On screen", ShaveStatus.Failed);
        SignIn(_staff, Roles.Staff);
        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        navigation.NavigateTo("/shaves?status=Failed");
        var changes = Services.GetRequiredService<IShaveChangeNotifier>();
        var live = Render<ShaveListLive>(p => p
            .Add(x => x.View, "?status=Failed")
            .Add(x => x.VisibleIds, [shown])
            .Add(x => x.LoadedTotal, 1));
        live.WaitForElement("[data-testid=live-updates]");
        var pageLoads = navigation.History.Count;

        var created = await AddShaveAsync(_alice, "Arrived later", ShaveStatus.Failed);
        changes.Publish(new ShaveChange(created, ShaveChangeKind.Created, DateTime.UtcNow));

        live.WaitForAssertion(() => Assert.Equal("1 new shave matches this view.", live.Find("[data-testid=new-shaves] span").TextContent));
        Assert.Equal(pageLoads, navigation.History.Count);

        // The page is reloaded in place: the island asks the browser for an enhanced refresh of the list (the
        // browser tests see the rows change without a page load), and navigates nowhere itself. Live refreshes are
        // at most one a second: this one waits for the second since the count to be up.
        changes.Publish(new ShaveChange(shown, ShaveChangeKind.StatusChanged, DateTime.UtcNow));
        Assert.Empty(JSInterop.Invocations["shaveList.refresh"]);
        _clock.Advance(CoalescingRefresher.Pace);

        live.WaitForAssertion(() => JSInterop.VerifyInvoke("shaveList.refresh"));
        Assert.Equal(pageLoads, navigation.History.Count);
    }

    [Fact]
    public async Task Bulk_island_requeues_the_selected_shaves_once_confirmed()
    {
        var first = await AddShaveAsync(_alice, "First", ShaveStatus.Failed);
        var second = await AddShaveAsync(_alice, "Second", ShaveStatus.Failed);
        SignIn(_staff, Roles.Staff);
        var bulk = Render<ShaveBulkActions>(p => p.Add(x => x.View, ""));
        Assert.Empty(bulk.FindAll("[data-testid=bulk-bar]"));

        await bulk.InvokeAsync(() => bulk.Instance.SetSelection([first, second]));
        bulk.WaitForAssertion(() => Assert.Equal("2 selected", bulk.Find("[data-testid=selected-count]").TextContent));
        bulk.Find("[data-testid=bulk-requeue]").Click();
        bulk.WaitForAssertion(() => Assert.Contains("Re-queue 2 shaves?", bulk.Find(".mud-dialog").TextContent, StringComparison.Ordinal));
        bulk.FindAll(".mud-dialog-actions button").Single(b => b.TextContent.Trim() == "Re-queue").Click();

        bulk.WaitForAssertion(() => Assert.Contains("2 shaves re-queued.", bulk.Find("[data-testid=bulk-outcome]").TextContent, StringComparison.Ordinal));
        Assert.Empty(bulk.FindAll("[data-testid=bulk-bar]"));
        JSInterop.VerifyInvoke("shaveList.clearSelection");
        await using var db = await _database.Factory.CreateDbContextAsync();
        Assert.All(await db.Shaves.ToListAsync(), s => Assert.Equal(ShaveStatus.Pending, s.ShaveStatus));
    }

    [Fact]
    public async Task Bulk_island_changes_nothing_when_the_confirmation_is_declined()
    {
        var id = await AddShaveAsync(_alice, "Keep running", ShaveStatus.Processing);
        SignIn(_staff, Roles.Staff);
        var bulk = Render<ShaveBulkActions>(p => p.Add(x => x.View, ""));

        await bulk.InvokeAsync(() => bulk.Instance.SetSelection([id]));
        bulk.WaitForElement("[data-testid=bulk-cancel]").Click();
        bulk.WaitForAssertion(() => Assert.Contains("Cancel 1 shave?", bulk.Find(".mud-dialog").TextContent, StringComparison.Ordinal));
        bulk.FindAll(".mud-dialog-actions button").Single(b => b.TextContent.Trim() == "Keep them").Click();

        bulk.WaitForAssertion(() => Assert.Empty(bulk.FindAll(".mud-dialog")));
        Assert.Equal("1 selected", bulk.Find("[data-testid=selected-count]").TextContent);
        Assert.Empty(bulk.FindAll("[data-testid=bulk-outcome]"));
        await using var db = await _database.Factory.CreateDbContextAsync();
        Assert.Equal(ShaveStatus.Processing, (await db.Shaves.SingleAsync()).ShaveStatus);
    }

    [Fact]
    public async Task A_staff_role_removed_while_someone_elses_shave_is_open_takes_the_shave_out_of_sight_at_once()
    {
        var id = await AddShaveAsync(_alice, "Printer prints blank pages", ShaveStatus.Failed);
        var auth = SignIn(_staff, Roles.Staff);
        var page = Render<ShaveDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=edit-shave]");

        BunitSignIn.SetRoles(auth, _staff);

        page.WaitForAssertion(() =>
        {
            Assert.Contains("you can no longer see it", page.Find("[data-testid=shave-gone]").TextContent, StringComparison.Ordinal);
            Assert.Empty(page.FindAll("[data-testid=shave-title]"));
            Assert.Empty(page.FindAll("[data-testid=edit-shave]"));
        });
    }

    [Fact]
    public async Task A_requester_granted_staff_while_her_own_shave_is_open_keeps_it_and_gets_the_staff_actions()
    {
        var id = await AddShaveAsync(_alice, "Printer prints blank pages", ShaveStatus.Failed);
        var auth = SignIn(_alice);
        var page = Render<ShaveDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=shave-title]");
        Assert.Empty(page.FindAll("[data-testid=edit-shave]"));

        BunitSignIn.SetRoles(auth, _alice, Roles.Staff);

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Printer prints blank pages", page.Find("[data-testid=shave-title]").TextContent.Trim());
            Assert.NotEmpty(page.FindAll("[data-testid=edit-shave]"));
            Assert.Empty(page.FindAll("[data-testid=shave-gone]"));
        });
    }

    [Fact]
    public async Task Edit_form_shows_each_validation_message_next_to_its_field()
    {
        var id = await AddShaveAsync(_alice, "Keep me", ShaveStatus.Failed);
        SignIn(_staff, Roles.Staff);
        var page = Render<ShaveDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=edit-shave]").Click();

        page.Find("input[data-testid=edit-title]").Input("   ");
        page.Find("input[data-testid=edit-work-item-url]").Input("javascript:alert(1)");
        page.Find("[data-testid=save-shave]").Click();

        page.WaitForAssertion(() =>
        {
            var form = page.Find("[data-testid=edit-form]").TextContent;
            Assert.Contains("Give the shave a title.", form, StringComparison.Ordinal);
            Assert.Contains("Enter a full web address starting with https:// or http://.", form, StringComparison.Ordinal);
        });
        await using var db = await _database.Factory.CreateDbContextAsync();
        Assert.Equal("Keep me", (await db.Shaves.SingleAsync()).Title);
    }

    [Fact]
    public async Task Saving_a_stale_copy_shows_the_conflict_with_the_current_values()
    {
        var id = await AddShaveAsync(_alice, "Original", ShaveStatus.Failed);
        SignIn(_staff, Roles.Staff);
        var page = Render<ShaveDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=edit-shave]").Click();

        // Someone else saves first.
        var other = new ShavesService(_database.Factory, TestShaveChanges.Writer(Services.GetRequiredService<IShaveChangeNotifier>()), TimeProvider.System,
            NullLogger<ShavesService>.Instance);
        var caller = new Caller(_staff.Id, _staff.DisplayName, true, false);
        var loaded = (await other.GetAsync(caller, id, default))!;
        Assert.True((await other.UpdateAsync(caller, id, new ShaveEdit("Their title", null, ShaveStatus.Failed, null, "GitHub", loaded.UpdatedAt), default)).Succeeded);

        page.Find("input[data-testid=edit-title]").Input("My title");
        page.Find("[data-testid=save-shave]").Click();

        page.WaitForAssertion(() =>
        {
            var conflict = page.Find("[data-testid=conflict-message]").TextContent;
            Assert.Contains("Someone else saved this shave", conflict, StringComparison.Ordinal);
            Assert.Contains("“Their title”", conflict, StringComparison.Ordinal);
        });
        await using var db = await _database.Factory.CreateDbContextAsync();
        Assert.Equal("Their title", (await db.Shaves.SingleAsync()).Title);
    }

    [Fact]
    public async Task Detail_page_open_on_a_shave_an_admin_deletes_says_it_is_gone_and_offers_the_list()
    {
        var id = await AddShaveAsync(_alice, "Soon gone", ShaveStatus.Failed);
        SignIn(_staff, Roles.Staff);
        var page = Render<ShaveDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=edit-shave]");

        // An admin elsewhere deletes it through the service: the delete announces itself.
        var admin = await AddUserAsync("Ada Admin");
        var service = new ShavesService(_database.Factory, TestShaveChanges.Writer(Services.GetRequiredService<IShaveChangeNotifier>()), TimeProvider.System,
            NullLogger<ShavesService>.Instance);
        Assert.True((await service.DeleteAsync(await TestAdmin.GrantAsync(_database.Factory, admin), id, default)).Succeeded);

        page.WaitForAssertion(() => Assert.Contains("“Soon gone” has been deleted", page.Find("[data-testid=shave-gone]").TextContent, StringComparison.Ordinal));
        Assert.Equal("/shaves", page.Find("[data-testid=back-to-shaves]").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=edit-shave]"));
    }

    [Fact]
    public async Task Detail_page_frames_only_allowed_video_hosts_and_never_links_javascript()
    {
        var id = await AddShaveAsync(_alice, "Video", ShaveStatus.Completed, embedUrl: "https://evil.example/embed/x", workItemUrl: "javascript:alert(1)");
        SignIn(_alice);

        var page = Render<ShaveDetailPage>(p => p.Add(x => x.Id, id));

        page.WaitForElement("[data-testid=video-link]");
        Assert.Empty(page.FindAll("iframe"));
        Assert.Empty(page.FindAll("a[href^='javascript']"));
        Assert.Empty(page.FindAll("[data-testid=edit-shave]"));
    }

    [Fact]
    public async Task Staff_reach_the_shaves_project_and_every_shave_of_its_requester_from_its_page()
    {
        var project = new Project
        {
            Id = Ids.NewId(), UserId = _staff.Id, Name = "Storefront Web", BacklogUrl = "https://github.com/contoso/storefront",
            Source = ProjectSources.Remote, CreatedAt = DateTime.UtcNow,
        };
        await using (var db = await _database.Factory.CreateDbContextAsync())
        {
            db.Projects.Add(project);
            await db.SaveChangesAsync();
        }

        var id = await AddShaveAsync(_alice, "Printer prints blank pages", ShaveStatus.Failed);
        await using (var db = await _database.Factory.CreateDbContextAsync())
        {
            (await db.Shaves.SingleAsync(s => s.Id == id)).ProjectId = project.Id;
            await db.SaveChangesAsync();
        }

        SignIn(_staff, Roles.Staff);

        var page = Render<ShaveDetailPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Equal($"/projects/{project.Id}", page.Find("a[data-testid=shave-project]").GetAttribute("href")));
        Assert.Equal("Storefront Web", page.Find("a[data-testid=shave-project]").TextContent.Trim());
        Assert.Equal($"/shaves?requester={_alice.Id}", page.Find("a[data-testid=shave-requester]").GetAttribute("href"));
    }

    [Fact]
    public async Task A_framed_video_has_a_plain_link_to_its_watch_page_beside_the_frame()
    {
        var id = await AddShaveAsync(_alice, "Video", ShaveStatus.Completed, embedUrl: "https://www.youtube.com/embed/dQw4w9WgXcQ");
        SignIn(_alice);

        var page = Render<ShaveDetailPage>(p => p.Add(x => x.Id, id));

        var link = page.WaitForElement("a[data-testid=video-source-link]");
        Assert.Single(page.FindAll("iframe[data-testid=video-embed]"));
        Assert.Equal("https://www.youtube.com/watch?v=dQw4w9WgXcQ", link.GetAttribute("href"));
        Assert.Equal("Open on YouTube", link.TextContent.Trim());
        Assert.Equal("_blank", link.GetAttribute("target"));
        Assert.Contains("noopener", link.GetAttribute("rel") ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://www.youtube.com/embed/abc123", "https://www.youtube.com/watch?v=abc123", "Open on YouTube")]
    [InlineData("https://www.youtube-nocookie.com/embed/abc-_9", "https://www.youtube.com/watch?v=abc-_9", "Open on YouTube")]
    [InlineData("https://www.youtube.com/embed/x\"><script>", "https://www.youtube.com/embed/x%22%3E%3Cscript%3E", "Open on YouTube")]
    [InlineData("https://videos.example/v/42", "https://videos.example/v/42", "Open the video on videos.example")]
    [InlineData("javascript:alert(1)", null, null)]
    [InlineData("data:text/html,hi", null, null)]
    [InlineData("//www.youtube.com/embed/abc", null, null)]
    [InlineData("", null, null)]
    public void The_video_link_is_to_an_http_address_only(string videoUrl, string? expectedUrl, string? expectedText)
    {
        var link = VideoWatchLink.For(videoUrl);

        Assert.Equal(expectedUrl, link?.Url);
        Assert.Equal(expectedText, link?.Text);
    }

    [Fact]
    public async Task A_shave_opened_from_a_filtered_list_leads_back_to_that_view_by_its_breadcrumb()
    {
        var id = await AddShaveAsync(_alice, "Printer prints blank pages", ShaveStatus.Failed);
        SignIn(_staff, Roles.Staff);
        Services.GetRequiredService<NavigationManager>().NavigateTo(
            $"/shaves/{id}?list={Uri.EscapeDataString("status=Failed&sort=title&dir=asc&page=2")}");

        var page = Render<ShaveDetailPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() =>
            Assert.Equal("/shaves?status=Failed&sort=title&dir=asc&page=2", page.Find(".mud-breadcrumbs a").GetAttribute("href")));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/shaves")]
    [InlineData("/shaves?status=Failed")]
    [InlineData("javascript:alert(1)")]
    [InlineData("status=Nonsense&project=not-a-guid&page=-3")]
    public void The_way_back_to_the_list_is_always_the_shave_list_itself(string list)
    {
        var url = ShaveListUrl.ListFromShave(list);

        Assert.StartsWith("/shaves", url, StringComparison.Ordinal);
        Assert.DoesNotContain("//", url, StringComparison.Ordinal);
        Assert.DoesNotContain(":", url, StringComparison.Ordinal);
        Assert.Equal(url, "/shaves" + ShaveListUrl.ToQueryString(ShaveListUrl.FromQueryString(new Uri("http://app" + url).Query)));
    }

    [Fact]
    public async Task List_rows_link_to_their_shave_with_the_view_to_return_to()
    {
        var id = await AddShaveAsync(_alice, "Printer prints blank pages", ShaveStatus.Failed);
        SignIn(_staff, Roles.Staff);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/shaves?status=Failed&sort=title&dir=asc");

        var page = Render<ShaveListPage>();

        page.WaitForAssertion(() => Assert.Equal($"/shaves/{id}?list={Uri.EscapeDataString("status=Failed&sort=title&dir=asc")}",
            page.Find("[data-testid=shave-link]").GetAttribute("href")));
    }

    [Fact]
    public async Task Closing_the_page_on_the_trace_tab_navigates_nowhere()
    {
        // Closing the browser tab disposes the page and its tabs; the tabs then report another active tab, which is
        // no choice of the reader's: navigating on it fails on the disconnected circuit (an error in the log per tab closed).
        var id = await AddShaveAsync(_alice, "Traced", ShaveStatus.Failed);
        var admin = await AddUserAsync("Ada Admin");
        SignIn(admin, Roles.Admin);
        var navigation = Services.GetRequiredService<NavigationManager>();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        // A circuit that has rendered other pages before reuses their freed component slots, so its renderer disposes the
        // next page's components in no particular order; a page rendered and removed first gives this one that history.
        navigation.NavigateTo($"/shaves/{id}");
        Render<ShaveDetailPage>(p => p.Add(x => x.Id, id)).WaitForElement("[data-testid=shave-title]");
        await DisposeComponentsAsync();
        navigation.NavigateTo($"/shaves/{id}?tab=trace");
        var page = Render<ShaveDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=trace]");
        var url = navigation.Uri;

        // As the circuit is torn down: the renderer disposes every component (children may go before their page).
#pragma warning disable BL0006 // The renderer itself is what this test must dispose, as CircuitHost does.
        await Renderer.DisposeAsync();
#pragma warning restore BL0006

        Assert.Equal(url, navigation.Uri);
    }

    [Fact]
    public async Task An_open_page_counts_the_running_steps_time_on_as_the_clock_moves()
    {
        var id = await AddShaveAsync(_alice, "Still going", ShaveStatus.Processing);
        await using (var db = await _database.Factory.CreateDbContextAsync())
        {
            db.ProcessSteps.Add(new ProcessStep
            {
                Id = Ids.NewId(), ShaveId = id, StepName = "transcribing", ProcessStatus = ProcessStatus.InProgress,
                StartedAt = _clock.GetUtcNow().UtcDateTime.AddMinutes(-2).AddSeconds(-30),
            });
            await db.SaveChangesAsync();
        }

        SignIn(_alice);
        var page = Render<ShaveDetailPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Equal("“Transcribing” running for 2 min", page.Find("[data-testid=summary-headline]").TextContent));

        // Nothing reports meanwhile: the page still tells the time that has passed.
        _clock.Advance(TimeSpan.FromMinutes(1));
        page.WaitForAssertion(() => Assert.Equal("“Transcribing” running for 3 min", page.Find("[data-testid=summary-headline]").TextContent));
        _clock.Advance(TimeSpan.FromHours(1));
        page.WaitForAssertion(() => Assert.Equal("“Transcribing” running for 1 h 03 min", page.Find("[data-testid=summary-headline]").TextContent));
    }

    [Fact]
    public async Task The_requester_sees_the_work_item_by_its_number_with_the_title_and_body_the_model_wrote()
    {
        var id = await AddShaveAsync(_alice, "Printer", ShaveStatus.Completed, workItemUrl: "https://github.com/contoso/office/issues/42");
        await using (var db = await _database.Factory.CreateDbContextAsync())
        {
            db.ToolCalls.Add(new ToolCall
            {
                Id = Ids.NewId(), ShaveId = id, ToolCallId = "call_1", ToolName = "create_issue", ServiceName = "github", Success = true,
                ArgsJson = """{"owner":"contoso","repo":"office","title":"Level 3 printer prints blank pages","body":"## Pain\n<script>alert(1)</script>Blank pages."}""",
                CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        SignIn(_alice);
        var page = Render<ShaveDetailPage>(p => p.Add(x => x.Id, id));

        page.WaitForAssertion(() => Assert.Equal("contoso/office #42", page.Find("[data-testid=work-item-link]").TextContent.Trim()));
        Assert.Equal("Level 3 printer prints blank pages", page.Find("[data-testid=work-item-title]").TextContent);
        var body = page.Find("[data-testid=work-item-description]");
        Assert.Equal("Pain", body.QuerySelector("h2")!.TextContent);
        Assert.Empty(body.QuerySelectorAll("script"));
        Assert.Contains("The work item is contoso/office #42 on GitHub.", page.Find("[data-testid=shave-summary]").TextContent, StringComparison.Ordinal);
    }

    private BunitAuthorizationContext SignIn(User user, params string[] roles) => BunitSignIn.SignIn(this, user, roles);

    private Task<User> AddUserAsync(string name) => BunitSignIn.AddUserAsync(_database, name);

    private async Task<Guid> AddShaveAsync(User requester, string title, ShaveStatus status, string? embedUrl = null, string? workItemUrl = null)
    {
        var video = new VideoFile { Id = Ids.NewId(), FileName = "r.mp4", Duration = 75, CreatedAt = DateTime.UtcNow };
        var shave = new Shave
        {
            Id = Ids.NewId(), Title = title, VideoFileId = video.Id, RequesterId = requester.Id, ShaveStatus = status,
            WorkItemSource = "GitHub", VideoEmbedUrl = embedUrl, WorkItemUrl = workItemUrl, CreatedAt = DateTime.UtcNow,
        };
        await using var db = await _database.Factory.CreateDbContextAsync();
        db.AddRange(video, shave);
        await db.SaveChangesAsync();
        return shave.Id;
    }
}
