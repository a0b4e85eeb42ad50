using System.Net;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Logs;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Security;

/// <summary>
/// Pipeline text (step errors, transcripts, exported titles) reaches every reader masked, whatever their role:
/// through the real pipeline, on the pages as the server renders them and on the exports.
/// </summary>
public sealed class MaskingTests(WebAppFixture app) : WebTest(app)
{
    private const string StepError =
        "GitHub said 401 for Authorization: Bearer ghp_R4nd0mT0k3nV4lu3F0rT3st1ngAbCdEf12 (Server=db;Password=hunter2) with Cookie: sid=Z9y8X7w6V5u4";

    private static readonly string[] Secrets = ["R4nd0mT0k3nV4lu3F0rT3st1ngAbCdEf12", "hunter2", "Z9y8X7w6V5u4"];

    [Theory]
    [InlineData("requester")]
    [InlineData("staff")]
    [InlineData("admin")]
    public async Task The_shave_page_shows_step_errors_and_transcripts_masked_to_every_role(string role)
    {
        var (shaveId, _) = await SetUpAsync();
        using var client = await SignedInClientAsync($"{role}@example.test");
        var html = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri($"/shaves/{shaveId}", UriKind.Relative)));

        Assert.Contains("Bearer ghp_***", html, StringComparison.Ordinal);
        Assert.Contains("Password=***", html, StringComparison.Ordinal);
        Assert.Contains("clientSecret", html, StringComparison.Ordinal);
        AssertNoSecret(html);
    }

    [Theory]
    [InlineData("staff")]
    [InlineData("admin")]
    public async Task The_dashboards_top_errors_are_masked(string role)
    {
        await SetUpAsync();
        using var client = await SignedInClientAsync($"{role}@example.test");
        var html = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/", UriKind.Relative)));

        Assert.Contains("Password=***", html, StringComparison.Ordinal);
        AssertNoSecret(html);
    }

    [Theory]
    [InlineData("requester")]
    [InlineData("staff")]
    [InlineData("admin")]
    public async Task The_csv_export_masks_titles_and_work_item_urls(string role)
    {
        await SetUpAsync();
        using var client = await SignedInClientAsync($"{role}@example.test");
        var csv = await client.GetStringAsync(new Uri("/shaves/export.csv", UriKind.Relative));

        Assert.Contains("token=***", csv, StringComparison.Ordinal);
        Assert.Contains("stk_***", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("Qw3rTy8uIo2pAs5dFg7hJk1lZx4cVb6n", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("a81f0c3d9e7b6a5f", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_trace_export_is_masked_too()
    {
        var (shaveId, _) = await SetUpAsync();
        using var client = await SignedInClientAsync("admin@example.test");
        var json = await client.GetStringAsync(new Uri($"/shaves/{shaveId}/trace.json", UriKind.Relative));
        AssertNoSecret(json);
    }

    [Fact]
    public async Task The_log_explorer_does_not_run_a_search_that_probes_a_masked_value()
    {
        var (shaveId, _) = await SetUpAsync();
        await using (var db = await Factory.CreateDbContextAsync())
        {
            db.AiLogs.Add(new AiLog
            {
                Id = Ids.NewId(), ShaveId = shaveId, ModelName = "gpt-4o", PromptText = "Connect with Server=db;Password=hunter2",
                ResponseText = "Connected.", DurationMs = 800, CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        // The search reads its index, which the app's indexer keeps: caught up here, as it is a moment after a write.
        await App.Factory.Services.GetRequiredService<ShaveTracker.Web.Features.Logs.LogSearchIndexer>().CatchUpAsync(default);
        using var scope = App.Factory.Services.CreateScope();
        var logs = scope.ServiceProvider.GetRequiredService<LogsService>();
        var admin = await TestAdmin.CreateAsync(Factory);
        var ordinary = await logs.ListAiLogsAsync(admin, new LogQuery { Search = "Connect with" }, default);
        Assert.Single(ordinary.Rows);
        Assert.False(ordinary.SearchRefused);

        foreach (var probe in new[] { "Password=h", "password=hu", "Password=hunter2" })
        {
            var refused = await logs.ListAiLogsAsync(admin, new LogQuery { Search = probe }, default);
            Assert.True(refused.SearchRefused, probe);
            Assert.Empty(refused.Rows);
            Assert.Equal(0, refused.TotalCount);
        }

        var tools = await logs.ListToolCallsAsync(admin, new LogQuery { Kind = LogKind.ToolCalls, Search = "ghp_R4" }, default);
        Assert.True(tools.SearchRefused);
    }

    private static void AssertNoSecret(string text)
    {
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    /// <summary>A requester's failed shave with a leaky step error and transcript, and a staff member and an admin.</summary>
    private async Task<(Guid ShaveId, User Requester)> SetUpAsync()
    {
        var requester = await CreateLocalUserAsync("requester@example.test", "Rita Requester");
        await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        await CreateLocalUserAsync("admin@example.test", "Ada Admin", Roles.Admin);
        var shaveId = await CreateShaveForAsync(requester, "Deploy fails with stk_Qw3rTy8uIo2pAs5dFg7hJk1lZx4cVb6nM9mPq0WeRt", ShaveStatus.Failed);
        var now = DateTime.UtcNow;
        await using var db = await Factory.CreateDbContextAsync();
        await db.Shaves.Where(s => s.Id == shaveId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.WorkItemUrl, "https://github.com/contoso/app/issues/7?token=a81f0c3d9e7b6a5f4c3d"));
        db.ProcessSteps.Add(new ProcessStep
        {
            Id = Ids.NewId(), ShaveId = shaveId, StepName = "create_work_item", ProcessStatus = ProcessStatus.Failed,
            StartedAt = now.AddMinutes(-2), CompletedAt = now.AddMinutes(-1), ErrorMessage = StepError,
        });
        db.Transcripts.Add(new Transcript
        {
            Id = Ids.NewId(), ShaveId = shaveId, CreatedAt = now,
            Text = "I pasted the config: {\"clientSecret\": \"Z9y8X7w6V5u4\"} and then the page crashed.",
        });
        await db.SaveChangesAsync();
        return (shaveId, requester);
    }
}
