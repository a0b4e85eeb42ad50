using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Features.DemoData;
using ShaveTracker.Web.Features.Logs;
using ShaveTracker.Web.Features.Shaves.Trace;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Shaves.Trace;

/// <summary>The admin's whole path through the demo's 30,000-record shave, from its failures to a search and back.</summary>
/// <remarks>
/// Its own app, database and browser (a collection of its own), as the accessibility sweep has: seeding and indexing
/// 30,000 records is the longest setup of the suite, and it runs beside the other browser tests instead of after them.
/// </remarks>
[Collection(LongTraceCollection.Name)]
public sealed partial class LongTraceBrowserTests(WebAppFixture app) : WebTest(app)
{
    [BrowserFact]
    public async Task Admin_narrows_the_30000_record_demo_trace_to_its_failures_zooms_in_reads_the_failing_model_call_and_comes_back_to_it_from_a_search()
    {
        await new DemoDataSeeder(Factory, Options.Create(new DemoOptions { Password = Password, LongTrace = true }), NullLogger<DemoDataSeeder>.Instance)
            .SeedAsync(default);
        // The explorer's search (the last step) reads the index of payloads, which has 37,000 new records to take in:
        // the app's indexer catches up (its readiness signal) on a thread of its own (SQLite calls complete synchronously)
        // while the trace is walked.
        var indexer = App.Factory.Services.GetRequiredService<LogSearchIndexer>();
        var indexed = Task.Run(() => indexer.CatchUpAsync(default));
        Guid shaveId, logId, callId, quietLogId;
        string toolCallId;
        DateTime createdAt;
        int records;
        (DateTime Start, DateTime End) failedStepTime;
        List<(DateTime Start, DateTime End)> failedCallTimes;
        await using (var db = await Factory.CreateDbContextAsync())
        {
            var shave = await db.Shaves.Where(s => s.Title == DemoDataGenerator.LongFailedTitle).Select(s => new { s.Id, s.CreatedAt }).SingleAsync();
            (shaveId, createdAt) = (shave.Id, shave.CreatedAt);
            var step = await db.ProcessSteps.Where(p => p.ShaveId == shaveId && p.ProcessStatus == ProcessStatus.Failed)
                .Select(p => new { p.Id, p.StartedAt, p.CompletedAt }).SingleAsync();
            var call = await db.ToolCalls.Where(c => c.ProcessStepId == step.Id && c.ToolName == "create_issue" && !c.Success)
                .Select(c => new { c.Id, c.AiLogId, c.ToolCallId }).SingleAsync();
            (callId, logId, toolCallId) = (call.Id, call.AiLogId!.Value, call.ToolCallId);
            // The failed step's first model call: none of its calls failed, so it is the row under the step in the whole
            // trace and no row at all among the failures.
            quietLogId = await db.AiLogs.Where(l => l.ProcessStepId == step.Id).OrderBy(l => l.CreatedAt).Select(l => l.Id).FirstAsync();
            Assert.False(await db.ToolCalls.AnyAsync(c => c.AiLogId == quietLogId && !c.Success));
            records = await db.ProcessSteps.CountAsync(p => p.ShaveId == shaveId) + DemoDataGenerator.LongAiLogs + DemoDataGenerator.LongToolCalls;
            // What "failures only" shows: the failed step and the failed tool calls (a model call records no outcome).
            failedStepTime = (step.StartedAt, step.CompletedAt!.Value);
            failedCallTimes = [.. (await db.ToolCalls.Where(c => c.ShaveId == shaveId && !c.Success).Select(c => new { c.CreatedAt, c.DurationMs }).ToListAsync())
                .Select(c => (c.CreatedAt, c.CreatedAt.AddMilliseconds(c.DurationMs ?? 0)))];
        }

        await using var browser = await OpenBrowserAsync(DemoAccounts.Admin.UserName);
        var page = browser.Page;

        // 1. The trace of the 30,000 records.
        await page.GotoAsync($"/shaves/{shaveId}?tab=trace");
        await Assertions.Expect(page.Locator("[data-testid=trace][data-keys=on]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=trace-ai-log-count]")).ToHaveTextAsync(Count(DemoDataGenerator.LongAiLogs) + " AI logs");
        await Assertions.Expect(page.Locator("[data-testid=trace-tool-call-count]")).ToHaveTextAsync(Count(DemoDataGenerator.LongToolCalls) + " tool calls");
        var failedStep = page.Locator("[data-testid=trace-step][data-status=failed]");
        await Assertions.Expect(failedStep).ToHaveAttributeAsync("data-step", "executing_task:batch-97");
        await Assertions.Expect(failedStep).ToHaveClassAsync(Cursor());
        var rowBelow = failedStep.Locator("xpath=following-sibling::*[@data-id][1]");
        await Assertions.Expect(rowBelow).ToHaveAttributeAsync("data-id", quietLogId.ToString());
        var ticks = page.Locator("[data-testid=trace-axis] .tick");
        var wholeAxis = await ticks.AllTextContentsAsync();

        // 2. The failures only: the chip says how many calls failed, the count how many rows match of all of them.
        var chip = page.Locator("[data-testid=trace-failed-filter]");
        await Assertions.Expect(chip).ToContainTextAsync(Count(failedCallTimes.Count) + " failed");
        await page.ClickAsync(chip);
        await page.WaitForUrlAsync(u => u.Contains("failed=1", StringComparison.Ordinal));
        await Assertions.Expect(chip).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator("[data-testid=trace-match-count]")).ToHaveTextAsync($"{Count(failedCallTimes.Count + 1)} of {Count(records)} records");
        var shownCalls = page.Locator("[data-testid=trace-record][data-kind=tool-call]");
        await Assertions.Expect(shownCalls.First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=trace-record][data-kind=tool-call]:not(.failed)")).ToHaveCountAsync(0);

        // j and k move through the rows shown only: below the failed step is now the first of its model calls that has a
        // failed call (the quiet one before it is not shown), then that failed call; and back up.
        var cursor = page.Locator("[data-testid=trace-rows] .trace-row.cursor");
        await Assertions.Expect(failedStep).ToHaveClassAsync(Cursor());
        await Assertions.Expect(page.Locator($"[data-id='{quietLogId}']")).ToHaveCountAsync(0);
        var stepId = await failedStep.GetAttributeAsync("data-id");
        var below = await rowBelow.GetAttributeAsync("data-id");
        await page.PressAsync("j");
        await Assertions.Expect(cursor).ToHaveAttributeAsync("data-id", below!);
        await Assertions.Expect(cursor).ToHaveAttributeAsync("data-kind", "ai-log");
        await Assertions.Expect(cursor.Locator(".error")).ToContainTextAsync("failed call");
        var failedCall = await cursor.Locator("xpath=following-sibling::*[@data-id][1]").GetAttributeAsync("data-id");
        await page.PressAsync("j");
        await Assertions.Expect(cursor).ToHaveAttributeAsync("data-id", failedCall!);
        await Assertions.Expect(cursor).ToHaveAttributeAsync("data-kind", "tool-call");
        await Assertions.Expect(cursor).ToHaveClassAsync(new Regex(@"\bfailed\b"));
        await page.PressAsync("k");
        await Assertions.Expect(cursor).ToHaveAttributeAsync("data-id", below!);
        await page.PressAsync("k");
        await Assertions.Expect(cursor).ToHaveAttributeAsync("data-id", stepId!);

        // 3. z zooms the timeline into the failed step: the axis counts in its time, and the count in what failed then.
        await page.PressAsync("z");
        await page.WaitForUrlAsync(u => u.Contains("from=", StringComparison.Ordinal) && u.Contains("to=", StringComparison.Ordinal));
        var zoom = TraceView.Parse(page.Url);
        var (from, to) = (createdAt.AddMilliseconds(zoom.FromMs!.Value), createdAt.AddMilliseconds(zoom.ToMs!.Value));
        Assert.True(from <= failedStepTime.Start && to >= failedStepTime.End, "the zoom covers the failed step");
        Assert.True(to - from < (failedStepTime.End - failedStepTime.Start) * 1.1, "the zoom is the failed step's time");
        var (fromHours, toHours) = ((int)(from - createdAt).TotalHours, (int)(to - createdAt).TotalHours);
        await Assertions.Expect(page.Locator("[data-testid=trace-zoom-range]")).ToHaveTextAsync(
            new Regex($@"^Zoomed to \+{fromHours}:\d\d:\d\d\.\d{{3}} – \+{toHours}:\d\d:\d\d\.\d{{3}} \(\d+ min \d\d s\)$"));
        await Assertions.Expect(ticks).Not.ToHaveTextAsync([.. wholeAxis]);
        await Assertions.Expect(ticks.First).ToHaveTextAsync(new Regex($@"^({fromHours}|{toHours}) h( \d\d min)?"));
        var inZoom = 1 + failedCallTimes.Count(c => c.Start <= to && c.End >= from);
        await Assertions.Expect(page.Locator("[data-testid=trace-match-count]")).ToHaveTextAsync($"{Count(inZoom)} of {Count(records)} records");
        await Assertions.Expect(page.Locator("[data-testid=trace-step]")).ToHaveCountAsync(1);

        // 4. The model call that issued the failing call, as a conversation: the system prompt and the user's turn under
        // their roles, and the reply, which says why it asked for that call.
        await page.ClickAsync(page.Locator($"[data-id='{logId}']"));
        await page.WaitForUrlAsync(u => RecordIn(u) == logId.ToString());
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-title]")).ToHaveTextAsync("AI log · gpt-4.1");
        await Assertions.Expect(page.Locator("[data-testid=payload-prompt-conversation] [data-testid=chat-role]")).ToHaveTextAsync(["System", "User"]);
        var response = page.Locator("[data-testid=payload-response-conversation]");
        await Assertions.Expect(response.Locator("[data-testid=chat-role]")).ToHaveTextAsync(["Assistant"]);
        await Assertions.Expect(response.Locator("[data-testid=chat-text]")).ToContainTextAsync(DemoDataGenerator.FailingReplyWord);
        var askedFor = response.Locator($"[data-testid=chat-tool-call][data-call-id='{toolCallId}']");
        await Assertions.Expect(askedFor).ToContainTextAsync("create_issue");

        // The call it asked for opens as its record: it failed, and its arguments are a JSON tree (masked).
        await page.ClickAsync(askedFor.Locator("[data-testid=chat-tool-call-open]"));
        await page.WaitForUrlAsync(u => RecordIn(u) == callId.ToString());
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-title]")).ToHaveTextAsync("Tool call · create_issue@github");
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-success]")).ToHaveTextAsync("failure");
        var args = page.Locator("[data-testid=payload-args-tree]");
        await Assertions.Expect(args.Locator("[data-testid=json-toggle]").First).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(args.Locator(".jt-key")).ToHaveTextAsync(["\"owner\"", "\"repo\"", "\"title\"", "\"body\"", "\"labels\""]);
        await Assertions.Expect(args).ToContainTextAsync("Password=***");
        await Assertions.Expect(page.Locator("[data-testid=payload-args-cut]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=payload-result-tree]")).ToContainTextAsync("\"Validation Failed\"");

        // 5. The log explorer's search of every payload finds the reply's word, once the index has caught up, in both
        // failed imports (the same mistake twice); this shave's leads back to the same record.
        await indexed;
        await page.GotoAsync("/logs");
        await page.FillAsync("input[data-testid=filter-search]", DemoDataGenerator.FailingReplyWord);
        await page.WaitForUrlAsync(u => u.Contains("q=" + DemoDataGenerator.FailingReplyWord, StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=log-count]")).ToContainTextAsync("2 model calls, all time");
        await Assertions.Expect(page.Locator("[data-testid=log-snippet] mark")).ToHaveTextAsync([DemoDataGenerator.FailingReplyWord, DemoDataGenerator.FailingReplyWord]);
        var link = page.Locator($"[data-testid=log-link][href='/shaves/{shaveId}?tab=trace&record={logId}']");
        await Assertions.Expect(link).ToHaveCountAsync(1);
        await page.ClickAsync(link);
        await page.WaitForUrlAsync(u => u.Contains($"/shaves/{shaveId}", StringComparison.Ordinal) && RecordIn(u) == logId.ToString());
        await Assertions.Expect(page.Locator($"[data-id='{logId}']")).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(page.Locator("[data-testid=trace-panel-title]")).ToHaveTextAsync("AI log · gpt-4.1");
        await Assertions.Expect(page.Locator("[data-testid=payload-response-conversation] [data-testid=chat-text]"))
            .ToContainTextAsync(DemoDataGenerator.FailingReplyWord);
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string? RecordIn(string url) =>
        RecordPattern().Match(url) is { Success: true } m ? m.Groups[1].Value : null;

    private static Regex Cursor() => CursorPattern();

    [GeneratedRegex(@"\bcursor\b")]
    private static partial Regex CursorPattern();

    [GeneratedRegex("[?&]record=([0-9a-fA-F-]{36})")]
    private static partial Regex RecordPattern();
}

[CollectionDefinition(Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix",
    Justification = "xunit's naming for a collection definition; it is not a collection type.")]
public sealed class LongTraceCollection : ICollectionFixture<WebAppFixture>
{
    public const string Name = "Long trace";
}
