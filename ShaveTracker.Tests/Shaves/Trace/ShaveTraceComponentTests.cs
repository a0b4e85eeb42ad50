using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Features.Shaves.Trace;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Infrastructure.Telemetry;
using static ShaveTracker.Tests.Shaves.Trace.TraceTestData;
using ShaveTracker.Web.Infrastructure.LiveUpdates;
using Microsoft.Extensions.Time.Testing;

namespace ShaveTracker.Tests.Shaves.Trace;

public sealed class ShaveTraceComponentTests(SqliteDatabaseFixture database) : DatabaseTest(database)
{
    /// <summary>The trace loads from a real database file: the first query of a run compiles first.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private BunitContext? _bunit;

    public override async Task DisposeAsync()
    {
        if (_bunit is not null)
        {
            await _bunit.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    private BunitContext Bunit(User admin, IShaveChangeNotifier? changes = null, TimeProvider? clock = null)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        if (changes is not null)
        {
            ctx.Services.AddSingleton(changes);
        }

        ctx.Services.AddComponentHost(Factory, clock).AddShavesFeature(ComponentServices.NoConfiguration);
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized(admin.DisplayName);
        // Roles first: setting them replaces the claims set before.
        auth.SetRoles(Roles.Admin);
        auth.SetClaims(new Claim(ClaimNames.UserId, admin.Id.ToString()));
        // The trace skips loading while prerendering; here it is the interactive render.
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return _bunit = ctx;
    }

    private async Task<(User Admin, Shave Shave, ProcessStep Analyse, ProcessStep Execute, AiLog Log, ToolCall Failed)> SeedAsync()
    {
        var admin = await CreateUserAsync("Ada");
        var shave = await CreateShaveAsync(createdAt: Start, status: ShaveStatus.Failed);
        var analyse = Step(shave, "analyzing_transcript", ProcessStatus.Completed, 1, 20);
        var execute = Step(shave, "executing_task", ProcessStatus.Failed, 21, 60, "MCP tool create_issue returned 422: Validation Failed");
        var first = Log(shave, analyse, 2, model: "gpt-4.1-mini");
        var log = Log(shave, execute, 22, model: "gpt-4o");
        var search = Call(shave, execute, log, 25, "search_issues");
        var failed = Call(shave, execute, log, 27, "create_issue", success: false, result: "{\"error\":{\"status\":422,\"message\":\"Validation Failed\"}}");
        var loose = Call(shave, null, null, 70, "get_rate_limit");
        await InsertAsync(analyse, execute, first, log, search, failed, loose);
        return (admin, shave, analyse, execute, log, failed);
    }

    [Fact]
    public async Task Timeline_draws_each_step_as_a_bar_with_its_records_nested_under_it()
    {
        var (admin, shave, analyse, execute, log, failed) = await SeedAsync();
        var cut = Bunit(admin).Render<ShaveTrace>(p => p.Add(x => x.ShaveId, shave.Id));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=trace-step]").Count), Patience);
        var steps = cut.FindAll("[data-testid=trace-step]");
        Assert.Equal(["analyzing_transcript", "executing_task"], steps.Select(s => s.GetAttribute("data-step")));
        Assert.Equal("failed", steps[1].GetAttribute("data-status"));
        Assert.Contains("MCP tool create_issue returned 422", steps[1].QuerySelector("[data-testid=trace-step-error]")!.TextContent, StringComparison.Ordinal);
        // Bars sit on one axis: the second step starts right of the first.
        var bars = steps.Select(s => s.QuerySelector(".step-bar")!.GetAttribute("style")!).ToList();
        Assert.All(bars, style => Assert.Matches(@"left:[\d.]+%;width:[\d.]+%", style));
        Assert.True(Left(bars[1]) > Left(bars[0]));

        // Rows in order, with their depth: step, AI log, the tool calls it issued; then "Not attached to a step".
        var rows = cut.FindAll("[role=treeitem]");
        Assert.Equal(["1", "2", "1", "2", "3", "3", "1", "2"], rows.Select(r => r.GetAttribute("aria-level")));
        Guid IdAt(int i) => Guid.Parse(rows[i].GetAttribute("data-id")!);
        Assert.Equal((analyse.Id, execute.Id, log.Id, failed.Id, Guid.Empty), (IdAt(0), IdAt(2), IdAt(3), IdAt(5), IdAt(6)));
        var failedRow = cut.Find($"[data-id='{failed.Id}']");
        Assert.Equal("create_issue@github", failedRow.GetAttribute("data-label"));
        Assert.Contains("failure", failedRow.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 failed call", cut.Find($"[data-id='{log.Id}']").TextContent, StringComparison.Ordinal);
        Assert.Contains("Not attached to a step", cut.Find("[data-testid=trace-unattached]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_failed_chip_shows_only_failures_says_so_and_j_k_move_within_them()
    {
        var (admin, shave, _, execute, log, failed) = await SeedAsync();
        var ctx = Bunit(admin);
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        var cut = ctx.Render<ShaveTrace>(p => p.Add(x => x.ShaveId, shave.Id));
        cut.WaitForAssertion(() => Assert.Equal(8, cut.FindAll("[role=treeitem]").Count), Patience);
        Assert.Equal("false", cut.Find("[data-testid=trace-failed-filter]").GetAttribute("aria-pressed"));
        Assert.Empty(cut.FindAll("[data-testid=trace-match-count]"));

        cut.Find("[data-testid=trace-failed-filter]").Click();

        Assert.Contains("failed=1", navigation.Uri, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal([execute.Id, log.Id, failed.Id], RowIds(cut)));
        Assert.Equal("true", cut.Find("[data-testid=trace-failed-filter]").GetAttribute("aria-pressed"));
        // The failed step and the failed call; the AI log between them is there for context only.
        Assert.Equal("2 of 7 records", cut.Find("[data-testid=trace-match-count]").TextContent.Trim());
        Assert.Contains("context", cut.Find($"[data-id='{log.Id}']").ClassList);

        // The list opened on the failed step; j and k go through the rows shown, and stop at their ends.
        Assert.Equal(execute.Id, Cursor(cut));
        foreach (var (key, expected) in new[] { ("j", log.Id), ("j", failed.Id), ("j", failed.Id), ("k", log.Id) })
        {
            await cut.InvokeAsync(() => cut.Instance.OnTraceKey(key));
            Assert.Equal(expected, Cursor(cut));
        }

        // Again: everything is back.
        cut.Find("[data-testid=trace-failed-filter]").Click();
        Assert.DoesNotContain("failed=", navigation.Uri, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal(8, cut.FindAll("[role=treeitem]").Count));
        Assert.Equal(log.Id, Cursor(cut));
    }

    [Fact]
    public async Task A_filter_that_hides_the_open_record_closes_it_and_the_search_waits_for_typing_to_pause()
    {
        var (admin, shave, analyse, execute, log, failed) = await SeedAsync();
        var first = await FirstLogAsync(analyse.Id);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var ctx = Bunit(admin, clock: clock);
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        var cut = ctx.Render<ShaveTrace>(p => p.Add(x => x.ShaveId, shave.Id).Add(x => x.Record, first));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=trace-panel]")), Patience);
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("record", first.ToString()));

        // The open AI log is no failure: showing only failures closes it, in the same history entry.
        cut.Find("[data-testid=trace-failed-filter]").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=trace-panel]")));
        Assert.Contains("failed=1", navigation.Uri, StringComparison.Ordinal);
        Assert.DoesNotContain("record=", navigation.Uri, StringComparison.Ordinal);

        // Typing narrows once the keys pause, not at each key.
        cut.Find("#trace-search").Input("create");
        clock.Advance(ShaveTrace.SearchDelay - TimeSpan.FromMilliseconds(1));
        Assert.DoesNotContain("q=", navigation.Uri, StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        cut.WaitForAssertion(() => Assert.Contains("q=create", navigation.Uri, StringComparison.Ordinal));
        cut.WaitForAssertion(() => Assert.Equal([execute.Id, log.Id, failed.Id], RowIds(cut)));
        Assert.Equal("1 of 7 records", cut.Find("[data-testid=trace-match-count]").TextContent.Trim());

        cut.Find("[data-testid=trace-clear-filters]").Click();
        Assert.DoesNotContain("q=", navigation.Uri, StringComparison.Ordinal);
        Assert.DoesNotContain("failed=", navigation.Uri, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal(8, cut.FindAll("[role=treeitem]").Count));
    }

    [Fact]
    public async Task The_trace_of_a_running_shave_reads_itself_again_every_five_seconds_of_its_clock()
    {
        var admin = await CreateUserAsync("Ada");
        var shave = await CreateShaveAsync(createdAt: Start, status: ShaveStatus.Processing);
        var running = Step(shave, "executing_task", ProcessStatus.InProgress, 1, null);
        await InsertAsync(running, Log(shave, running, 2));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cut = Bunit(admin, clock: clock).Render<ShaveTrace>(p => p.Add(x => x.ShaveId, shave.Id));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[role=treeitem]").Count), Patience);

        // A record written with no change notice (as by a pipeline whose notice was lost): only the refresh finds it.
        var later = Log(shave, running, 3);
        await InsertAsync(later);
        clock.Advance(ShaveTrace.RefreshInterval - TimeSpan.FromMilliseconds(1));
        Assert.Empty(cut.FindAll($"[data-id='{later.Id}']"));

        // Waited for less than the interval in real time: only the page's clock can have brought it.
        clock.Advance(TimeSpan.FromMilliseconds(1));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll($"[data-id='{later.Id}']")), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Zooming_into_a_step_narrows_the_timeline_to_its_time_and_escape_zooms_back_out()
    {
        var (admin, shave, analyse, execute, log, _) = await SeedAsync();
        var ctx = Bunit(admin);
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        var cut = ctx.Render<ShaveTrace>(p => p.Add(x => x.ShaveId, shave.Id));
        cut.WaitForAssertion(() => Assert.Equal(8, cut.FindAll("[role=treeitem]").Count), Patience);

        cut.Find($"[data-id='{execute.Id}'] [data-testid=trace-step-bar]").Click();

        // 21 s to 60 s since the shave was created, and a little room either side.
        cut.WaitForAssertion(() => Assert.Matches(@"from=20\d{3}&to=60\d{3}", navigation.Uri));
        cut.WaitForAssertion(() => Assert.DoesNotContain(analyse.Id, RowIds(cut)));
        Assert.Contains(log.Id, RowIds(cut));
        Assert.Contains("Zoomed to +0:00:20.", cut.Find("[data-testid=trace-zoom-range]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["30 s", "40 s", "50 s", "1 min"], cut.FindAll("[data-testid=trace-axis] .tick").Select(t => t.TextContent));
        var bar = cut.Find($"[data-id='{execute.Id}'] .step-bar").GetAttribute("style")!;
        Assert.InRange(Left(bar), 0, 5);

        await cut.InvokeAsync(() => cut.Instance.OnTraceKey("Escape"));
        Assert.DoesNotContain("from=", navigation.Uri, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal(8, cut.FindAll("[role=treeitem]").Count));
        Assert.Empty(cut.FindAll("[data-testid=trace-zoom-reset]"));
    }

    private static List<Guid> RowIds(IRenderedComponent<ShaveTrace> cut) =>
        [.. cut.FindAll("[role=treeitem]").Select(r => Guid.Parse(r.GetAttribute("data-id")!))];

    private static Guid? Cursor(IRenderedComponent<ShaveTrace> cut) =>
        cut.FindAll("[role=treeitem].cursor").Select(r => Guid.Parse(r.GetAttribute("data-id")!)).Cast<Guid?>().SingleOrDefault();

    private async Task<Guid> FirstLogAsync(Guid stepId)
    {
        await using var db = await Factory.CreateDbContextAsync();
        return await db.AiLogs.Where(l => l.ProcessStepId == stepId).Select(l => l.Id).SingleAsync();
    }

    [Fact]
    public async Task Collapsed_steps_stay_collapsed_when_the_data_refreshes()
    {
        var (admin, shave, analyse, execute, log, _) = await SeedAsync();
        var cut = Bunit(admin).Render<ShaveTrace>(p => p.Add(x => x.ShaveId, shave.Id));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll($"[data-id='{log.Id}']")), Patience);

        cut.Find($"[data-id='{execute.Id}'] [data-testid=trace-toggle]").Click();
        Assert.Empty(cut.FindAll($"[data-id='{log.Id}']"));

        // Something new arrives; the refresh rebuilds the rows from the same collapsed ids.
        await InsertAsync(Log(shave, analyse, 5, model: "o3-mini"));
        cut.Find("[data-testid=trace-refresh] button, button[data-testid=trace-refresh]").Click();

        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[data-kind=ai-log]"), r => r.GetAttribute("data-label") == "o3-mini"), Patience);
        Assert.Empty(cut.FindAll($"[data-id='{log.Id}']"));
        Assert.Equal("false", cut.Find($"[data-id='{execute.Id}']").GetAttribute("aria-expanded"));
    }

    [Fact]
    public async Task The_record_in_the_url_opens_in_the_panel_with_its_json()
    {
        var (admin, shave, _, _, log, failed) = await SeedAsync();
        var cut = Bunit(admin).Render<ShaveTrace>(p => p.Add(x => x.ShaveId, shave.Id).Add(x => x.Record, failed.Id));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=payload-result-tree]")), Patience);
        Assert.Equal("Tool call · create_issue@github", cut.Find("[data-testid=trace-panel-title]").TextContent.Trim());
        Assert.Equal("failure", cut.Find("[data-testid=trace-panel-success]").TextContent.Trim());
        Assert.Contains("\"Validation Failed\"", cut.Find("[data-testid=payload-result-tree]").TextContent, StringComparison.Ordinal);
        Assert.Contains("gpt-4o", cut.Find("[data-testid=trace-panel-ai-log-link]").TextContent, StringComparison.Ordinal);
        Assert.Equal("true", cut.Find($"[data-id='{failed.Id}']").GetAttribute("aria-selected"));
        Assert.Equal("false", cut.Find($"[data-id='{log.Id}']").GetAttribute("aria-selected"));
    }

    [Fact]
    public async Task A_model_call_reads_as_a_conversation_whose_tool_call_opens_its_record_and_the_panel_widens_and_fills_the_screen()
    {
        var admin = await CreateUserAsync("Ada");
        var shave = await CreateShaveAsync(createdAt: Start, status: ShaveStatus.Failed);
        var execute = Step(shave, "executing_task", ProcessStatus.Failed, 1, 60, "MCP tool create_issue returned 422");
        var log = Log(shave, execute, 2, prompt: """[{"role":"system","content":"You file bugs."},{"role":"user","content":"Printer prints blank pages."}]""");
        var call = Call(shave, execute, log, 5, "create_issue", success: false);
        log.ResponseText = $$$"""{"choices":[{"finish_reason":"tool_calls","message":{"role":"assistant","content":null,"tool_calls":[{"id":"{{{call.ToolCallId}}}","type":"function","function":{"name":"create_issue","arguments":"{\"title\":\"Blank pages\"}"}}]}}]}""";
        await InsertAsync(execute, log, call);
        var ctx = Bunit(admin);
        var cut = ctx.Render<ShaveTrace>(p => p.Add(x => x.ShaveId, shave.Id).Add(x => x.Record, log.Id));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=payload-response-conversation]")), Patience);
        Assert.Equal(["System", "User"], cut.FindAll("[data-testid=payload-prompt-conversation] [data-testid=chat-role]").Select(r => r.TextContent));
        Assert.Equal(call.ToolCallId, cut.Find("[data-testid=payload-response-conversation] [data-testid=chat-tool-call]").GetAttribute("data-call-id"));

        var panel = () => cut.Find("[data-testid=trace-panel]");
        Assert.Equal("normal", panel().GetAttribute("data-size"));
        cut.Find("[data-testid=trace-panel-wide]").Click();
        Assert.Equal("wide", panel().GetAttribute("data-size"));
        cut.Find("[data-testid=trace-panel-full]").Click();
        Assert.Equal("full", panel().GetAttribute("data-size"));
        Assert.Empty(cut.FindAll("[data-testid=trace-panel-wide]"));
        cut.Find("[data-testid=trace-panel-full]").Click();
        Assert.Equal("normal", panel().GetAttribute("data-size"));

        cut.Find("[data-testid=chat-tool-call-open]").Click();
        Assert.Contains($"record={call.Id}", ctx.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_trace_renders_the_rows_around_the_view_and_follows_the_browser_as_it_scrolls()
    {
        var admin = await CreateUserAsync("Ada");
        var shave = await CreateShaveAsync(createdAt: Start, status: ShaveStatus.Completed);
        var step = Step(shave, "executing_task", ProcessStatus.Completed, 1, 900);
        var logs = Enumerable.Range(0, 400).Select(i => Log(shave, step, 2 + i, model: $"model-{i:000}")).ToArray();
        await InsertAsync(step, logs);
        var cut = Bunit(admin).Render<ShaveTrace>(p => p.Add(x => x.ShaveId, shave.Id));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=trace-record]")), Patience);

        // 401 rows (the step and its logs); before the browser has said what it shows, the top screen and an overscan
        // are rendered, and the spacer below stands for the rest at 32 px a row.
        var list = cut.Find("[data-testid=trace-rows]");
        Assert.Equal("401", list.GetAttribute("data-total"));
        var rendered = cut.FindAll("[role=treeitem]").Count;
        Assert.InRange(rendered, 30, 100);
        Assert.Equal((0, rendered), (int.Parse(list.GetAttribute("data-first")!), int.Parse(list.GetAttribute("data-end")!)));
        Assert.Equal($"height:{(401 - rendered) * ShaveTrace.RowHeight}px", cut.FindAll(".trace-spacer")[1].GetAttribute("style"));

        // The browser scrolled to row 300 with 20 rows in view: the rows there are rendered, the first ones are not.
        await cut.InvokeAsync(() => cut.Instance.OnTraceView(300, 20));
        var labels = cut.FindAll("[data-testid=trace-record]").Select(r => r.GetAttribute("data-label")).ToList();
        Assert.Contains("model-299", labels); // row 300 is the 300th log: the step is row 0
        Assert.DoesNotContain("model-000", labels);
        var first = int.Parse(cut.Find("[data-testid=trace-rows]").GetAttribute("data-first")!);
        Assert.InRange(first, 240, 300);
        Assert.Equal($"height:{first * ShaveTrace.RowHeight}px", cut.FindAll(".trace-spacer")[0].GetAttribute("style"));

        // A report of nonsense (a hostile client) renders nothing beyond the list.
        await cut.InvokeAsync(() => cut.Instance.OnTraceView(int.MaxValue, int.MaxValue));
        var end = int.Parse(cut.Find("[data-testid=trace-rows]").GetAttribute("data-end")!);
        Assert.Equal(401, end);
        Assert.InRange(cut.FindAll("[role=treeitem]").Count, 0, 231);

        // Collapsing the step leaves one row; the window shrinks with it and shows it.
        await cut.InvokeAsync(() => cut.Instance.OnTraceView(0, 20));
        cut.Find($"[data-id='{step.Id}'] [data-testid=trace-toggle]").Click();
        Assert.Single(cut.FindAll("[role=treeitem]"));

        // A report sent before the list shrank (the browser was still scrolled far down) still shows the rows left.
        await cut.InvokeAsync(() => cut.Instance.OnTraceView(300, 20));
        Assert.Single(cut.FindAll("[role=treeitem]"));
    }

    [Fact]
    public async Task A_report_still_on_its_way_when_the_reader_leaves_the_trace_is_dropped_quietly()
    {
        var (admin, shave, _, _, _, _) = await SeedAsync();
        var changes = new HeldChanges();
        var ctx = Bunit(admin, changes);
        var cut = ctx.Render<ShaveTrace>(p => p.Add(x => x.ShaveId, shave.Id));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=trace-record]")), Patience);
        // The trace's own subscription (the instance's shared skeletons listen too).
        var delivery = Assert.Single(changes.Subscribers, s => s.Target is not TraceSkeletonCache);

        await ctx.DisposeComponentsAsync();

        // Delivered after the trace went away: it must neither throw nor touch the disposed component.
        await delivery(new ShaveChange(shave.Id, ShaveChangeKind.RecordsAdded, DateTime.UtcNow));
    }

    /// <summary>Keeps each subscriber's callback, so a test can deliver a change whenever it likes.</summary>
    private sealed class HeldChanges : IShaveChangeNotifier
    {
        public List<Func<ShaveChange, Task>> Subscribers { get; } = [];

        public void Publish(ShaveChange change) => throw new NotSupportedException("The test delivers changes itself.");

        public IDisposable Subscribe(Guid? shaveId, Func<ShaveChange, Task> onChange)
        {
            Subscribers.Add(onChange);
            return new NoSubscription();
        }

        // Unsubscribing does not stop a delivery already under way, which is the case under test.
        private sealed class NoSubscription : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }

    [Fact]
    public void Text_that_is_not_json_is_shown_as_text_not_an_error()
    {
        using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();

        var cut = ctx.Render<TracePayloadView>(p => p
            .Add(x => x.Title, "Result")
            .Add(x => x.TestId, "result")
            .Add(x => x.AsJson, true)
            .Add(x => x.Payload, new TracePayload("502 Bad Gateway {\"half\": ", 27, IsCut: false)));

        Assert.Empty(cut.FindAll("[data-testid=payload-result-tree]"));
        Assert.Equal("502 Bad Gateway {\"half\": ", cut.Find("[data-testid=payload-result-text]").TextContent);
        Assert.Contains("Not valid JSON", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_with_a_script_renders_inert()
    {
        using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();

        var cut = ctx.Render<TracePayloadView>(p => p
            .Add(x => x.Title, "Response")
            .Add(x => x.TestId, "response")
            .Add(x => x.Payload, new TracePayload(
                "**Done.** <script>alert('x')</script> <img src=x onerror=alert(1)> [open](javascript:alert(1)) [repo](https://github.com/contoso/web)", 120, IsCut: false)));

        var markdown = cut.Find("[data-testid=payload-response-markdown]");
        Assert.Empty(markdown.QuerySelectorAll("script, img, [onerror]"));
        Assert.Contains("<script>alert('x')</script>", markdown.TextContent, StringComparison.Ordinal);
        Assert.Equal("Done.", markdown.QuerySelector("strong")!.TextContent);
        var links = markdown.QuerySelectorAll("a");
        Assert.Equal("https://github.com/contoso/web", Assert.Single(links).GetAttribute("href"));
    }

    [Fact]
    public void A_cut_payload_says_so_and_offers_the_rest()
    {
        using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        var shown = 0;

        var cut = ctx.Render<TracePayloadView>(p => p
            .Add(x => x.Title, "Arguments")
            .Add(x => x.TestId, "args")
            .Add(x => x.AsJson, true)
            .Add(x => x.DownloadUrl, "/shaves/x/trace/y/args")
            .Add(x => x.OnShowAll, () => shown++)
            .Add(x => x.Payload, new TracePayload("{\"body\":\"aaaa", 2 * 1024 * 1024, IsCut: true)));

        Assert.Contains("Showing the first 256 KB of 2 MB", cut.Find("[data-testid=payload-args-cut]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Cut short", cut.Markup, StringComparison.Ordinal);
        cut.Find("[data-testid=payload-args-show-all]").Click();
        Assert.Equal(1, shown);
    }

    private static double Left(string style) =>
        double.Parse(style.Split(';')[0].Replace("left:", "", StringComparison.Ordinal).TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
}
