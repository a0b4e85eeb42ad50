using Microsoft.Playwright;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;

namespace ShaveTracker.Tests.Security;

/// <summary>
/// Everything on the shave pages comes from the pipeline or from people: script and HTML in it must arrive in the
/// browser as text. The rows are written straight to the database, so the test holds even for data that got past
/// (or predates) the API's validation.
/// </summary>
public sealed class UntrustedDataBrowserTests(WebAppFixture app) : WebTest(app)
{
    private const string ScriptTag = "<script>alert(1)</script>";
    private const string ImgTag = "<img src=x onerror=alert(1)>";
    private const string JavascriptUrl = "javascript:alert(1)";

    [BrowserFact]
    public async Task Script_and_html_in_titles_transcripts_errors_and_urls_render_as_inert_text()
    {
        var mallory = await CreateLocalUserAsync("mallory@example.test", ImgTag);
        await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        var scriptShave = await CreateHostileShaveAsync(mallory, ScriptTag,
            workItemUrl: JavascriptUrl, videoEmbedUrl: JavascriptUrl, stepError: ImgTag, transcript: ScriptTag + ImgTag);
        var imgShave = await CreateHostileShaveAsync(mallory, ImgTag,
            // Allowed shapes (http links, an embeddable host) with an attribute break-out attempt inside.
            workItemUrl: "https://example.com/\" onmouseover=\"alert(1)",
            videoEmbedUrl: "https://www.youtube.com/embed/x\"><script>alert(1)</script>",
            stepError: ScriptTag, transcript: JavascriptUrl);
        var caseShave = await CreateHostileShaveAsync(mallory, "Mixed case scheme",
            workItemUrl: "JaVaScRiPt:alert(1)", videoEmbedUrl: " javascript:alert(1)", stepError: null, transcript: ImgTag);

        await using var browser = await OpenBrowserAsync("staff@example.test");
        var page = browser.Page;
        var dialogs = new List<string>();
        page.Page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        var violations = new List<string>();
        page.Page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };

        await page.GotoAsync("/shaves");
        await Expect(page.Locator("[data-testid=shave-count]")).ToHaveTextAsync("3 matching shaves");
        await Expect(page.Locator("[data-testid=shave-link]", new() { HasText = ScriptTag })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=shave-link]", new() { HasText = ImgTag })).ToBeVisibleAsync();
        await AssertInertAsync(page, "/shaves");

        foreach (var id in new[] { scriptShave, imgShave, caseShave })
        {
            await page.GotoAsync($"/shaves/{id}");
            await Expect(page.Locator("[data-testid=shave-title]")).ToBeVisibleAsync();
                await AssertInertAsync(page, $"/shaves/{id}");
        }

        await page.GotoAsync($"/shaves/{scriptShave}");
        await Expect(page.Locator("[data-testid=shave-title]")).ToHaveTextAsync(ScriptTag);
        await Expect(page.Locator("[data-testid=step-error]")).ToHaveTextAsync(ImgTag);
        await Expect(page.Locator("[data-testid=transcript]")).ToContainTextAsync(ScriptTag + ImgTag);
        // Not http(s): neither a link nor a frame, just the text.
        await Expect(page.Locator("[data-testid=video-text]")).ToHaveTextAsync(JavascriptUrl);
        await Expect(page.Locator("[data-testid=work-item-link]")).ToHaveCountAsync(0);

        await page.GotoAsync($"/shaves/{imgShave}");
        await Expect(page.Locator("[data-testid=shave-title]")).ToHaveTextAsync(ImgTag);
        // The break-out attempts stay inside their attribute values.
        await Expect(page.Locator("[data-testid=work-item-link]")).ToHaveAttributeAsync("href", "https://example.com/\" onmouseover=\"alert(1)");
        await Expect(page.Locator("[onmouseover]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=video-embed]")).ToHaveAttributeAsync("src", "https://www.youtube.com/embed/x\"><script>alert(1)</script>");
        await page.HoverAsync(page.Locator("[data-testid=work-item-link]"));

        Assert.True(dialogs.Count == 0, "A dialog opened: " + string.Join(" | ", dialogs));
        Assert.True(violations.Count == 0, "The page tried something its CSP refused: " + string.Join(" | ", violations));
    }

    /// <summary>Nothing from the data became markup that runs: no script URL, no handler, no injected element.</summary>
    private static async Task AssertInertAsync(AppPage page, string where)
    {
        await Expect(page.Locator("a[href^='javascript' i], [href*='javascript:' i], [src*='javascript:' i]")).ToHaveCountAsync(0);
        await Expect(page.Locator("img[onerror], [onerror], [onmouseover]")).ToHaveCountAsync(0);
        await Expect(page.Locator("img[src=x]")).ToHaveCountAsync(0);
        var scripts = await page.Locator("script").EvaluateAllAsync<string[]>("els => els.map(e => e.textContent)");
        Assert.False(scripts.Any(text => text.Contains("alert(1)", StringComparison.Ordinal)), $"{where}: a script from the data is in the DOM.");
    }

    private async Task<Guid> CreateHostileShaveAsync(User requester, string title, string? workItemUrl, string? videoEmbedUrl,
        string? stepError, string transcript)
    {
        var project = new Project
        {
            Id = Ids.NewId(), UserId = requester.Id, Name = ImgTag + title, Description = ScriptTag, CreatedAt = DateTime.UtcNow,
        };
        var video = new VideoFile
        {
            Id = Ids.NewId(), FileName = ScriptTag + ".mp4", FilePath = ImgTag, FileHash = JavascriptUrl, Duration = 60,
            CreatedAt = DateTime.UtcNow,
        };
        var shave = new Shave
        {
            Id = Ids.NewId(), Title = title, VideoFileId = video.Id, RequesterId = requester.Id, ProjectId = project.Id,
            ShaveStatus = ShaveStatus.Failed, WorkItemUrl = workItemUrl, WorkItemSource = ImgTag, VideoEmbedUrl = videoEmbedUrl,
            CreatedAt = DateTime.UtcNow,
        };
        var step = new ProcessStep
        {
            Id = Ids.NewId(), ShaveId = shave.Id, StepName = "executing_task", ProcessStatus = ProcessStatus.Failed,
            StartedAt = DateTime.UtcNow.AddMinutes(-1), CompletedAt = DateTime.UtcNow, ErrorMessage = stepError,
        };
        var text = new Transcript { Id = Ids.NewId(), ShaveId = shave.Id, Text = transcript, CreatedAt = DateTime.UtcNow };
        await using var db = await Factory.CreateDbContextAsync();
        db.AddRange(project, video, shave, step, text);
        await db.SaveChangesAsync();
        return shave.Id;
    }
}
