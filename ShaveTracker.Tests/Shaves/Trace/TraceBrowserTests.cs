using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.DemoData;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Shaves.Trace;

/// <summary>The trace tab in a real browser, through the real sign-in, on the demo data.</summary>
public sealed partial class TraceBrowserTests(WebAppFixture app) : WebTest(app)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 20_000 };

    [Fact]
    public async Task Admin_finds_the_failing_tool_call_of_a_failed_demo_shave_reads_its_json_and_moves_with_the_keyboard()
    {
        await new DemoDataSeeder(Factory, Options.Create(new DemoOptions { Password = Password }), NullLogger<DemoDataSeeder>.Instance)
            .SeedAsync(default);
        Guid shaveId;
        await using (var db = await Factory.CreateDbContextAsync())
        {
            shaveId = await db.Shaves.Where(s => s.Title == DemoDataGenerator.HeavyFailedTitle).Select(s => s.Id).SingleAsync();
        }

        var (context, page) = await OpenBrowserAsync(DemoAccounts.Admin.UserName);
        await using var _ = context;
        await page.GotoAsync($"/shaves/{shaveId}");
        // The page is prerendered: a click that lands before the circuit is up does nothing, so click until it takes.
        for (var attempt = 1; ; attempt++)
        {
            await page.Locator(".mud-tab", new() { HasText = "Trace" }).ClickAsync();
            try
            {
                await page.WaitForURLAsync(TraceTab(), new() { Timeout = 3_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 5)
            {
                // Not interactive yet.
            }
        }

        // The failed step is highlighted, and the list starts on it.
        var failedStep = page.Locator("[data-testid=trace-step][data-status=failed]");
        await Assertions.Expect(failedStep).ToBeVisibleAsync(Soon);
        await Assertions.Expect(failedStep).ToHaveAttributeAsync("data-step", "executing_task:batch-41");
        await Assertions.Expect(failedStep).ToHaveClassAsync(new Regex(@"\bcursor\b"));
        await Assertions.Expect(failedStep.Locator("[data-testid=trace-step-error]")).ToContainTextAsync("422");
        Assert.Equal("50 steps", (await page.Locator("[data-testid=trace-step-count]").InnerTextAsync()).Trim());

        // Enter opens the step; its panel names the failed call, which opens with its JSON.
        await Assertions.Expect(page.Locator("[data-testid=trace][data-keys=on]")).ToHaveCountAsync(1);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-step-error]")).ToContainTextAsync("Validation Failed");
        await page.Locator("[data-testid=trace-panel-failed-call]").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-title]")).ToHaveTextAsync("Tool call · create_issue@github");
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-success]")).ToHaveTextAsync("failure");
        var result = page.Locator("[data-testid=payload-result-tree]");
        await Assertions.Expect(result).ToContainTextAsync("\"Validation Failed\"");
        // Deeper levels open on request.
        await result.Locator("[data-testid=json-toggle]", new() { HasText = "\"errors\"" }).ClickAsync();
        await result.Locator("[data-testid=json-toggle]", new() { HasText = "0:" }).ClickAsync();
        await Assertions.Expect(result).ToContainTextAsync("body is too long");
        // The arguments are 1.3 MB: the first 256 KB, masked, with the rest on request.
        await Assertions.Expect(page.Locator("[data-testid=payload-args-cut]")).ToContainTextAsync("Showing the first 256 KB");
        await Assertions.Expect(page.Locator("[data-testid=payload-args-text]")).ToContainTextAsync("Password=***");

        var callId = RecordIn(page.Url);
        var callRow = page.Locator($"[data-id='{callId}']");
        await Assertions.Expect(callRow).ToBeVisibleAsync();
        await Assertions.Expect(callRow).ToHaveAttributeAsync("aria-selected", "true");

        // k: the row above opens in the panel and in the URL; j: back; Esc closes; Enter reopens.
        var above = await callRow.EvaluateAsync<string>("row => row.previousElementSibling.dataset.id");
        await page.Keyboard.PressAsync("k");
        await page.WaitForURLAsync(u => RecordIn(u) == above);
        await Assertions.Expect(page.Locator($"[data-id='{above}']")).ToHaveAttributeAsync("aria-selected", "true");
        await page.Keyboard.PressAsync("j");
        await page.WaitForURLAsync(u => RecordIn(u) == callId);
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-title]")).ToHaveTextAsync("Tool call · create_issue@github");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("[data-testid=trace-panel]")).ToHaveCountAsync(0);
        Assert.Null(RecordIn(page.Url));
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(u => RecordIn(u) == callId);

        // A copied link reopens the same record.
        var link = page.Url;
        var second = await context.NewPageAsync();
        await second.GotoAsync(link);
        await Assertions.Expect(second.Locator("[data-testid=payload-result-tree]")).ToContainTextAsync("Validation Failed", new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task Staff_and_requesters_cannot_reach_the_trace_tab()
    {
        var requester = await CreateLocalUserAsync("req@example.test", "Rita Requester");
        await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        var shaveId = await CreateShaveForAsync(requester, status: ShaveTracker.Data.Entities.ShaveStatus.Failed);

        foreach (var user in new[] { "req@example.test", "staff@example.test" })
        {
            var (context, page) = await OpenBrowserAsync(user);
            await using var _ = context;
            await page.GotoAsync($"/shaves/{shaveId}?tab=trace");

            await Assertions.Expect(page.Locator("[data-testid=shave-title]")).ToBeVisibleAsync(Soon);
            // The overview is what they get, whatever the URL asks for.
            await Assertions.Expect(page.GetByText("No steps reported yet")).ToBeVisibleAsync();
            Assert.Equal(0, await page.Locator(".mud-tab", new() { HasText = "Trace" }).CountAsync());
            Assert.Equal(0, await page.Locator("[data-testid=trace]").CountAsync());

            var export = await page.APIRequest.GetAsync($"/shaves/{shaveId}/trace.json", new() { MaxRedirects = 0 });
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
