using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Features.DemoData;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Shaves.Trace;

/// <summary>The trace tab in a real browser, through the real sign-in, on the demo data.</summary>
public sealed partial class TraceBrowserTests(WebAppFixture app) : WebTest(app)
{
    [BrowserFact]
    public async Task Admin_finds_the_failing_tool_call_of_the_heavy_demo_shave_moves_with_the_keyboard_then_narrows_searches_and_zooms_the_trace()
    {
        await SeedDemoDataAsync();
        Guid shaveId;
        await using (var db = await Factory.CreateDbContextAsync())
        {
            shaveId = await db.Shaves.Where(s => s.Title == DemoDataGenerator.HeavyFailedTitle).Select(s => s.Id).SingleAsync();
        }

        await using var browser = await OpenBrowserAsync(DemoAccounts.Admin.UserName);
        var page = browser.Page;
        await page.GotoAsync($"/shaves/{shaveId}");
        await page.ClickAsync(page.Locator(".mud-tab", new() { HasText = "Trace" }));
        await page.WaitForUrlAsync(u => TraceTab().IsMatch(u));

        // The failed step is highlighted, and the list starts on it.
        var failedStep = page.Locator("[data-testid=trace-step][data-status=failed]");
        await Assertions.Expect(failedStep).ToBeVisibleAsync();
        await Assertions.Expect(failedStep).ToHaveAttributeAsync("data-step", "executing_task:batch-41");
        await Assertions.Expect(failedStep).ToHaveClassAsync(new Regex(@"\bcursor\b"));
        await Assertions.Expect(failedStep.Locator("[data-testid=trace-step-error]")).ToContainTextAsync("422");
        await Assertions.Expect(page.Locator("[data-testid=trace-step-count]")).ToHaveTextAsync("50 steps");

        // Enter opens the step; its panel names the failed call, which opens with its JSON.
        await Assertions.Expect(page.Locator("[data-testid=trace][data-keys=on]")).ToHaveCountAsync(1);
        await page.PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-step-error]")).ToContainTextAsync("Validation Failed");
        await page.ClickAsync(page.Locator("[data-testid=trace-panel-failed-call]").First);
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-title]")).ToHaveTextAsync("Tool call · create_issue@github");
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-success]")).ToHaveTextAsync("failure");
        var result = page.Locator("[data-testid=payload-result-tree]");
        await Assertions.Expect(result).ToContainTextAsync("\"Validation Failed\"");
        // Deeper levels open on request.
        await page.ClickAsync(result.Locator("[data-testid=json-toggle]", new() { HasText = "\"errors\"" }));
        await page.ClickAsync(result.Locator("[data-testid=json-toggle]", new() { HasText = "0:" }));
        await Assertions.Expect(result).ToContainTextAsync("body is too long");
        // The arguments are 1.3 MB: the first 256 KB, masked, with the rest on request.
        await Assertions.Expect(page.Locator("[data-testid=payload-args-cut]")).ToContainTextAsync("Showing the first 256 KB");
        await Assertions.Expect(page.Locator("[data-testid=payload-args-text]")).ToContainTextAsync("Password=***");

        var callId = RecordIn(page.Url);
        var callRow = page.Locator($"[data-id='{callId}']");
        await Assertions.Expect(callRow).ToBeVisibleAsync();
        await Assertions.Expect(callRow).ToHaveAttributeAsync("aria-selected", "true");

        // k: the row above opens in the panel and in the URL; j: back; Esc closes; Enter reopens.
        // The row above in the list's order: the nearest earlier row element (the virtualized list may have its
        // spacer there for a moment while it re-renders around the opened row, so wait for a row).
        var aboveRow = callRow.Locator("xpath=preceding-sibling::*[@data-id][1]");
        await Assertions.Expect(aboveRow).ToHaveCountAsync(1);
        var above = await aboveRow.GetAttributeAsync("data-id");
        Assert.False(string.IsNullOrEmpty(above));
        await page.PressAsync("k");
        await page.WaitForUrlAsync(u => RecordIn(u) == above);
        await Assertions.Expect(page.Locator($"[data-id='{above}']")).ToHaveAttributeAsync("aria-selected", "true");
        await page.PressAsync("j");
        await page.WaitForUrlAsync(u => RecordIn(u) == callId);
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-title]")).ToHaveTextAsync("Tool call · create_issue@github");
        await page.PressAsync("Escape");
        await Assertions.Expect(page.Locator("[data-testid=trace-panel]")).ToHaveCountAsync(0);
        Assert.Null(RecordIn(page.Url));
        await page.PressAsync("Enter");
        await page.WaitForUrlAsync(u => RecordIn(u) == callId);

        // Only the rows around the view are in the document; scrolled to the end, the list renders its last rows.
        var list = page.Locator("[data-testid=trace-rows]");
        var total = int.Parse((await list.GetAttributeAsync("data-total"))!, CultureInfo.InvariantCulture);
        Assert.True(await list.Locator("[role=treeitem]").CountAsync() < total);
        await list.EvaluateAsync("el => el.scrollTop = el.scrollHeight");
        await Assertions.Expect(list).ToHaveAttributeAsync("data-end", total.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(list.Locator("[role=treeitem]").Last).ToBeInViewportAsync();

        // A copied link reopens the same record.
        var link = page.Url;
        var second = await browser.NewPageAsync();
        await second.GotoAsync(link);
        await Assertions.Expect(second.Locator("[data-testid=payload-result-tree]")).ToContainTextAsync("Validation Failed");

        // Narrowed, searched and zoomed: the trace opened afresh (the demo data is seeded once for both halves).
        await page.GotoAsync($"/shaves/{shaveId}?tab=trace");
        await Assertions.Expect(page.Locator("[data-testid=trace][data-keys=on]")).ToHaveCountAsync(1);
        var calls = page.Locator("[data-testid=trace-record][data-kind=tool-call]");

        // The red chip shows the failures only, and says it does.
        var chip = page.Locator("[data-testid=trace-failed-filter]");
        await page.ClickAsync(chip);
        await page.WaitForUrlAsync(u => u.Contains("failed=1", StringComparison.Ordinal));
        await Assertions.Expect(chip).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator("[data-testid=trace-match-count]")).ToHaveTextAsync(new Regex(@"^\d+ of 5,050 records$"));
        await Assertions.Expect(calls.First).ToBeVisibleAsync();
        await Assertions.Expect(calls.Filter(new() { HasText = "success" })).ToHaveCountAsync(0);

        // j and k move through the rows shown: from the failed step to the row under it, and back.
        var step = failedStep;
        await Assertions.Expect(step).ToHaveClassAsync(new Regex(@"\bcursor\b"));
        var below = await step.Locator("xpath=following-sibling::*[@data-id][1]").GetAttributeAsync("data-id");
        await page.PressAsync("j");
        await Assertions.Expect(page.Locator($"[data-id='{below}']")).ToHaveClassAsync(new Regex(@"\bcursor\b"));
        await page.PressAsync("k");
        await Assertions.Expect(step).ToHaveClassAsync(new Regex(@"\bcursor\b"));

        // A search narrows further (Enter searches at once; typing waits for a pause).
        await page.FillAsync("#trace-search", "create_issue");
        await page.PressAsync("Enter", page.Locator("#trace-search"));
        await page.WaitForUrlAsync(u => u.Contains("q=create_issue", StringComparison.Ordinal));
        await Assertions.Expect(calls.First).ToHaveAttributeAsync("data-label", "create_issue@github");
        await Assertions.Expect(page.Locator("[data-testid=trace-record][data-kind=tool-call]:not([data-label='create_issue@github'])")).ToHaveCountAsync(0);

        // The failed step's bar zooms the timeline into its time; its name is never cut without an ellipsis.
        await Assertions.Expect(step.Locator(".name")).ToHaveAttributeAsync("title", "executing_task:batch-41");
        await page.ClickAsync(step.Locator("[data-testid=trace-step-bar]"));
        await page.WaitForUrlAsync(u => u.Contains("from=", StringComparison.Ordinal) && u.Contains("to=", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=trace-zoom-range]")).ToHaveTextAsync(new Regex(@"^Zoomed to \+3:\d\d:\d\d\.\d{3} – \+3:\d\d:\d\d\.\d{3} \(5 min \d\d s\)$"));
        await Assertions.Expect(page.Locator("[data-testid=trace-axis] .tick").First).ToContainTextAsync("3 h ");

        // A copied link reopens the same view.
        var third = await browser.NewPageAsync();
        await third.GotoAsync(page.Url);
        await Assertions.Expect(third.Locator("[data-testid=trace-failed-filter]")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(third.Locator("#trace-search")).ToHaveValueAsync("create_issue");
        await Assertions.Expect(third.Locator("[data-testid=trace-zoom-range]")).ToBeVisibleAsync();

        // Esc zooms back out; Back returns to the zoom, and Reset zoom leaves it again.
        await page.PressAsync("Escape");
        await page.WaitForUrlAsync(u => !u.Contains("from=", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=trace-zoom-range]")).ToHaveCountAsync(0);
        await page.GoBackAsync();
        await Assertions.Expect(page.Locator("[data-testid=trace-zoom-range]")).ToBeVisibleAsync();
        await page.ClickAsync("[data-testid=trace-zoom-reset]");
        await Assertions.Expect(page.Locator("[data-testid=trace-zoom-range]")).ToHaveCountAsync(0);
        Assert.Contains("failed=1", page.Url, StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task Admin_reads_a_model_call_as_a_conversation_opens_the_tool_call_it_asked_for_and_widens_the_panel()
    {
        await SeedDemoDataAsync();
        Guid shaveId, logId, callId;
        string toolName;
        await using (var db = await Factory.CreateDbContextAsync())
        {
            shaveId = await db.Shaves.Where(s => s.Title == DemoDataGenerator.HeavyFailedTitle).Select(s => s.Id).SingleAsync();
            logId = await db.AiLogs.Where(l => l.ShaveId == shaveId && l.ProcessStep!.StepName == "executing_task:batch-02")
                .OrderBy(l => l.CreatedAt).Select(l => l.Id).FirstAsync();
            var call = await db.ToolCalls.Where(c => c.AiLogId == logId).OrderBy(c => c.CreatedAt).Select(c => new { c.Id, c.ToolName }).FirstAsync();
            (callId, toolName) = (call.Id, call.ToolName);
        }

        await using var browser = await OpenBrowserAsync(DemoAccounts.Admin.UserName);
        var page = browser.Page;
        await page.GotoAsync($"/shaves/{shaveId}?tab=trace&record={logId}");

        // The prompt is the system prompt and the user's turn, each under its role; the response asks for tool calls.
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-title]")).ToHaveTextAsync("AI log · gpt-4.1");
        await Assertions.Expect(page.Locator("[data-testid=payload-prompt-conversation] [data-testid=chat-role]")).ToHaveTextAsync(["System", "User"]);
        await Assertions.Expect(page.Locator("[data-testid=payload-prompt-conversation]")).Not.ToContainTextAsync("[system]");
        var response = page.Locator("[data-testid=payload-response-conversation]");
        await Assertions.Expect(response.Locator("[data-testid=chat-role]")).ToHaveTextAsync(["Assistant"]);
        var toolCall = response.Locator("[data-testid=chat-tool-call]").First;
        await Assertions.Expect(toolCall).ToContainTextAsync(toolName);
        await Assertions.Expect(toolCall.Locator("[data-testid=chat-json]")).ToContainTextAsync("\"query\": \"repo:contoso/storefront-web");

        // The raw text is one click away, as it was stored (masked).
        await page.ClickAsync(page.Locator("[data-testid=payload-response-mode] >> text=Raw"));
        await Assertions.Expect(page.Locator("[data-testid=payload-response-raw]")).ToContainTextAsync("[tool_calls]");

        // Wide, then full screen, then back.
        var panel = page.Locator("[data-testid=trace-panel]");
        var normalWidth = (await panel.BoundingBoxAsync())!.Width;
        await page.ClickAsync("[data-testid=trace-panel-wide]");
        await Assertions.Expect(panel).ToHaveAttributeAsync("data-size", "wide");
        Assert.True((await panel.BoundingBoxAsync())!.Width > normalWidth * 1.4, "the wide panel is wider");
        await page.ClickAsync("[data-testid=trace-panel-full]");
        await Assertions.Expect(panel).ToHaveAttributeAsync("data-size", "full");
        await page.Page.WaitForFunctionAsync("() => { const r = document.querySelector('[data-testid=trace-panel]').getBoundingClientRect(); return r.left === 0 && r.width === window.innerWidth; }");
        await page.ClickAsync("[data-testid=trace-panel-full]");
        await Assertions.Expect(panel).ToHaveAttributeAsync("data-size", "normal");

        // The tool call opens its own record.
        await page.ClickAsync(page.Locator("[data-testid=payload-response-mode] >> text=Conversation"));
        await page.ClickAsync(response.Locator($"[data-testid=chat-tool-call]:has-text('{toolName}') [data-testid=chat-tool-call-open]").First);
        await page.WaitForUrlAsync(u => RecordIn(u) == callId.ToString());
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-title]")).ToContainTextAsync("Tool call · " + toolName);

        // On a phone the panel is the page, and nothing scrolls sideways.
        await page.SetViewportSizeAsync(390, 844);
        await page.Page.WaitForFunctionAsync("() => { const r = document.querySelector('[data-testid=trace-panel]').getBoundingClientRect(); return r.left === 0 && r.width === window.innerWidth; }");
        await page.Page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= window.innerWidth");
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-full]")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-close]")).ToBeInViewportAsync();
    }

    [BrowserFact]
    public async Task Staff_and_requesters_cannot_reach_the_trace_tab()
    {
        var requester = await CreateLocalUserAsync("req@example.test", "Rita Requester");
        await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        var shaveId = await CreateShaveForAsync(requester, status: ShaveTracker.Data.Entities.ShaveStatus.Failed);

        foreach (var user in new[] { "req@example.test", "staff@example.test" })
        {
            await using var browser = await OpenBrowserAsync(user);
            var page = browser.Page;
            await page.GotoAsync($"/shaves/{shaveId}?tab=trace");

            await Assertions.Expect(page.Locator("[data-testid=shave-title]")).ToBeVisibleAsync();
            // The overview is what they get, whatever the URL asks for.
            await Assertions.Expect(page.GetByText("No steps reported yet")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".mud-tab", new() { HasText = "Trace" })).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("[data-testid=trace]")).ToHaveCountAsync(0);

            var export = await page.Page.APIRequest.GetAsync($"/shaves/{shaveId}/trace.json", new() { MaxRedirects = 0 });
            Assert.Equal(302, export.Status);
            Assert.Contains("/account/access-denied", export.Headers["location"], StringComparison.Ordinal);
        }
    }

    private static Regex TraceTab() => TraceTabPattern();

    private static string? RecordIn(string url) =>
        RecordPattern().Match(url) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("[?&]tab=trace")]
    private static partial Regex TraceTabPattern();

    [GeneratedRegex("[?&]record=([0-9a-fA-F-]{36})")]
    private static partial Regex RecordPattern();
}
