using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Tests.Infrastructure.Browser;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Shared;
using static Microsoft.Playwright.Assertions;

namespace ShaveTracker.Tests.Ingestion;

public sealed class LiveUpdateBrowserTests(WebAppFixture app) : WebTest(app)
{
    [BrowserFact]
    public async Task A_step_and_a_status_reported_through_the_api_appear_on_the_open_page_without_reload()
    {
        var alice = await CreateLocalUserAsync("alice@example.test", "Alice Requester");
        var shaveId = await CreateShaveForAsync(alice, "Watch me live", ShaveStatus.Processing);
        var key = await TestAdmin.CreateApiKeyAsync(App.Factory.Services, "live");
        using var api = App.CreateClient();
        api.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key.Key);

        await using var browser = await OpenBrowserAsync("alice@example.test");
        var page = browser.Page;
        await page.GotoAsync($"/shaves/{shaveId}");
        await Expect(page.Locator("[data-testid=shave-title]")).ToHaveTextAsync("Watch me live");
        // The page is interactive (GotoAsync waited for it): mark the document, a reload would lose the mark.
        await page.Page.EvaluateAsync("() => window.__notReloaded = true");

        var stepId = Guid.CreateVersion7();
        var step = await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}/steps/{stepId}",
            new { stepName = "transcribing", status = "in_progress", startedAt = DateTime.UtcNow });
        step.EnsureSuccessStatusCode();
        await Expect(page.Locator("[data-step=transcribing]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=shave-progress]")).ToContainTextAsync("Transcribing");

        (await api.PostAsJsonAsync($"/api/v1/shaves/{shaveId}/tool-calls",
            new { toolCallId = "call_live", toolName = "create_issue", serviceName = "github", success = true })).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync($"/api/v1/shaves/{shaveId}/steps/{stepId}",
            new { stepName = "transcribing", status = "failed", startedAt = DateTime.UtcNow.AddSeconds(-3), completedAt = DateTime.UtcNow, errorMessage = "Transcription service timed out" })).EnsureSuccessStatusCode();

        await Expect(page.Locator("[data-testid=step-error]")).ToHaveTextAsync("Transcription service timed out");
        Assert.True(await page.Page.EvaluateAsync<bool>("() => window.__notReloaded === true"));
    }
}
