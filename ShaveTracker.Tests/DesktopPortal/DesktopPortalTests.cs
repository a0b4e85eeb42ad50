using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.DesktopPortal;

/// <summary>
/// What YakShaver Desktop sends to its portal, byte for byte as its portal client sends it (chunked JSON, multipart
/// with the part <c>file</c>, the <c>:cancel</c> route), over HTTPS, with Entra-shaped delegated tokens checked by
/// the app's real bearer validation.
/// </summary>
public sealed partial class DesktopPortalTests(DesktopPortalFixture app) : IClassFixture<DesktopPortalFixture>, IAsyncLifetime
{
    private Guid _projectId;
    private Guid _inactiveProjectId;

    public async Task InitializeAsync()
    {
        await app.Database.ResetAsync();
        await using var db = await app.Database.Factory.CreateDbContextAsync();
        var owner = new User { Id = Guid.NewGuid(), AuthProvider = AuthProvider.Local, DisplayName = "Project owner", CreatedAt = DateTime.UtcNow };
        var active = new Project
        {
            Id = Ids.NewId(), UserId = owner.Id, Name = "Payments", Description = "The payments backlog",
            BacklogUrl = "https://github.com/contoso/payments", CustomPrompt = "Label every issue 'payments'.", CreatedAt = DateTime.UtcNow,
        };
        var inactive = new Project { Id = Ids.NewId(), UserId = owner.Id, Name = "Archived", IsActive = false, CreatedAt = DateTime.UtcNow };
        db.AddRange(owner, active, inactive);
        await db.SaveChangesAsync();
        (_projectId, _inactiveProjectId) = (active.Id, inactive.Id);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_desktops_whole_sequence_makes_one_shave_that_its_requester_and_staff_see()
    {
        var ada = NewUser("Ada Lovelace");
        using var desktop = app.DesktopClient(await app.UserTokenAsync(ada));

        // Sign-in: the desktop calls the tenant callback and fails the sign-in on anything but 2xx.
        using (var callback = await desktop.GetAsync(new Uri("/tenants/auth/callback", UriKind.Relative)))
        {
            await AssertStatusAsync(HttpStatusCode.OK, callback);
        }

        // The project picker, then the chosen project's details.
        var summaries = await desktop.GetFromJsonAsync<JsonElement>(new Uri("/api/projects/summaries", UriKind.Relative));
        var summary = Assert.Single(summaries.EnumerateArray());
        Assert.Equal(_projectId.ToString(), summary.GetProperty("id").GetString());
        Assert.Equal("Payments", summary.GetProperty("title").GetString());
        var details = await desktop.GetFromJsonAsync<JsonElement>(new Uri($"/api/projects/{_projectId}", UriKind.Relative));
        Assert.Equal("Label every issue 'payments'.", details.GetProperty("desktopAgentProjectPrompt").GetString());

        // The model uploads a screenshot while writing the work item, and embeds its URL.
        var screenshotUrl = await UploadAsync(desktop, Png, "screenshot.png", "image/png");

        var record = TaskRecord(_projectId, "https://github.com/contoso/payments/issues/42",
            imageUrl: screenshotUrl.AbsoluteUri, description: "## Pain\nThe **Pay** button does nothing.\n\n<script>alert(1)</script>");
        var first = await PostTaskRecordAsync(desktop, record);
        await AssertStatusAsync(HttpStatusCode.Created, first);
        var workItemId = await WorkItemIdAsync(first);
        // Running the shave again from an earlier stage posts the same report again.
        var second = await PostTaskRecordAsync(desktop, record);
        await AssertStatusAsync(HttpStatusCode.OK, second);
        Assert.Equal(workItemId, await WorkItemIdAsync(second));

        await using (var db = await app.Database.Factory.CreateDbContextAsync())
        {
            var shave = await db.Shaves.AsNoTracking().Include(s => s.VideoFile).Include(s => s.WorkItem).SingleAsync();
            Assert.Equal(workItemId, shave.Id);
            Assert.Equal((ada.ObjectId, _projectId, ShaveStatus.Completed, "GitHub"), (shave.RequesterId, shave.ProjectId!.Value, shave.ShaveStatus, shave.WorkItemSource));
            Assert.Equal("https://www.youtube.com/embed/dQw4w9WgXcQ", shave.VideoEmbedUrl);
            Assert.Equal("https://www.youtube.com/watch?v=dQw4w9WgXcQ", shave.VideoFile!.FilePath);
            Assert.Equal("Figure: The Pay button", shave.WorkItem!.ScreenshotFigure);
            Assert.Equal(1, await db.VideoFiles.CountAsync());
            Assert.Equal(["shave.created"], await db.UserActivities.Where(a => a.ShaveId == shave.Id).Select(a => a.ActivityType).ToListAsync());
            Assert.Equal(shave.Id, (await db.Screenshots.SingleAsync()).ShaveId);
        }

        // The requester finds it in ShaveTracker (same person: the token's oid is the web sign-in's user), and so does staff.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var shaves = scope.ServiceProvider.GetRequiredService<ShavesService>();
            var requester = new Caller(ada.ObjectId, ada.Name, IsStaff: false, IsAdmin: false);
            var staff = new Caller(Guid.NewGuid(), "Sam Staff", IsStaff: true, IsAdmin: false);
            var mine = await shaves.ListAsync(requester, new ShaveListQuery(), CancellationToken.None);
            Assert.Equal(workItemId, Assert.Single(mine.Rows).Id);
            var seenByStaff = await shaves.GetAsync(staff, workItemId, CancellationToken.None);
            Assert.Equal("Pay button does nothing", seenByStaff!.Title);
            Assert.Equal("Ada Lovelace", seenByStaff.RequesterName);
            Assert.Contains("The **Pay** button", seenByStaff.WorkItem!.Description, StringComparison.Ordinal);
        }

        // The screenshot is there for the work item's readers, who are not signed in.
        using (var anonymous = app.DesktopClient(accessToken: null))
        using (var image = await anonymous.GetAsync(screenshotUrl))
        {
            await AssertStatusAsync(HttpStatusCode.OK, image);
            Assert.Equal(Png, await image.Content.ReadAsByteArrayAsync());
        }

        // Undo, pressed twice: the second finds it cancelled already.
        for (var press = 0; press < 2; press++)
        {
            using var cancel = await desktop.PostAsync(new Uri($"/api/desktopapp/work-items/{workItemId}:cancel", UriKind.Relative), content: null);
            await AssertStatusAsync(HttpStatusCode.OK, cancel);
        }

        // A run from an earlier stage after the Undo posts the report once more: the same shave, still cancelled.
        var third = await PostTaskRecordAsync(desktop, record);
        await AssertStatusAsync(HttpStatusCode.OK, third);
        Assert.Equal(workItemId, await WorkItemIdAsync(third));

        await using (var db = await app.Database.Factory.CreateDbContextAsync())
        {
            Assert.Equal(ShaveStatus.Cancelled, (await db.Shaves.SingleAsync()).ShaveStatus);
            var audit = await db.UserActivities.Where(a => a.ActivityType == "shave.status_changed").SingleAsync();
            Assert.Equal(ada.ObjectId, audit.UserId);
            Assert.Contains("Cancelled", audit.DetailsJson, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_requester_sees_the_desktops_shave_in_the_browser_after_signing_in_with_microsoft()
    {
        var ada = NewUser("Ada Lovelace");
        using var desktop = app.DesktopClient(await app.UserTokenAsync(ada));
        var posted = await PostTaskRecordAsync(desktop, TaskRecord(_projectId, "https://github.com/contoso/payments/issues/7",
            imageUrl: "https://images.elsewhere.test/shot.png", description: "Steps: press **Pay**.\n\n<img src=x onerror=alert(1)>"));
        await AssertStatusAsync(HttpStatusCode.Created, posted);
        var shaveId = await WorkItemIdAsync(posted);

        var cookies = new CookieContainer();
        using var browser = app.DesktopClient(accessToken: null, cookies);
        app.Provider.NextUser = ada;
        using (var signedIn = await app.SignInWithMicrosoftAsync(browser, $"/shaves/{shaveId}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        var page = await browser.GetStringAsync(new Uri($"/shaves/{shaveId}", UriKind.Relative));
        Assert.Contains("Pay button does nothing", page, StringComparison.Ordinal);
        // The description as sanitised markdown: emphasis rendered, the raw HTML escaped.
        Assert.Contains("<strong>Pay</strong>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", page, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", page, StringComparison.Ordinal);
        Assert.Contains("Figure: The Pay button", page, StringComparison.Ordinal);
        // A screenshot on another host is a link, never loaded by the page.
        Assert.Contains("href=\"https://images.elsewhere.test/shot.png\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"https://images.elsewhere.test/shot.png\"", page, StringComparison.Ordinal);

        // A screenshot this app serves is shown as the image itself.
        var own = await UploadAsync(desktop, Png, "screenshot.png", "image/png");
        var withOwn = await WorkItemIdAsync(await PostTaskRecordAsync(desktop, TaskRecord(_projectId, "https://github.com/contoso/payments/issues/8", imageUrl: own.AbsoluteUri)));
        var ownPage = await browser.GetStringAsync(new Uri($"/shaves/{withOwn}", UriKind.Relative));
        Assert.Contains($"src=\"{own.AbsoluteUri}\"", ownPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tenant_callback_creates_and_updates_the_user_as_web_sign_in_with_microsoft_does()
    {
        var grace = NewUser("Grace Hopper");
        using (var desktop = app.DesktopClient(await app.UserTokenAsync(grace)))
        using (var callback = await desktop.GetAsync(new Uri("/tenants/auth/callback", UriKind.Relative)))
        {
            await AssertStatusAsync(HttpStatusCode.OK, callback);
        }

        using (var renamed = app.DesktopClient(await app.UserTokenAsync(grace with { Name = "Rear Admiral Grace Hopper" })))
        using (var callback = await renamed.GetAsync(new Uri("/tenants/auth/callback", UriKind.Relative)))
        {
            await AssertStatusAsync(HttpStatusCode.OK, callback);
        }

        await using var db = await app.Database.Factory.CreateDbContextAsync();
        var user = await db.Users.SingleAsync(u => u.Id == grace.ObjectId);
        Assert.Equal((AuthProvider.Microsoft, "Rear Admiral Grace Hopper"), (user.AuthProvider, user.DisplayName));
        Assert.Equal(2, (await db.UserSignIns.SingleAsync(s => s.UserId == grace.ObjectId)).SignInCount);
    }

    [Fact]
    public async Task Projects_are_the_active_ones_with_the_custom_prompt_and_backlog_url_the_desktop_reads()
    {
        using var desktop = app.DesktopClient(await app.UserTokenAsync(NewUser("Ada Lovelace")));
        // One work item this month, one from long ago: recentWorkItemsCount counts the last 30 days.
        await AssertStatusAsync(HttpStatusCode.Created, await PostTaskRecordAsync(desktop, TaskRecord(_projectId, "https://github.com/contoso/payments/issues/21")));
        await using (var db = await app.Database.Factory.CreateDbContextAsync())
        {
            var old = await db.Shaves.SingleAsync();
            var video = new VideoFile { Id = Ids.NewId(), FileName = "old.mp4", CreatedAt = DateTime.UtcNow.AddDays(-40) };
            db.AddRange(video, new Shave
            {
                Id = Ids.NewId(), Title = "Old", VideoFileId = video.Id, RequesterId = old.RequesterId, ProjectId = _projectId,
                WorkItemUrl = "https://github.com/contoso/payments/issues/1", WorkItemSource = "GitHub", CreatedAt = DateTime.UtcNow.AddDays(-40),
            });
            await db.SaveChangesAsync();
        }

        var summaries = await desktop.GetFromJsonAsync<JsonElement>(new Uri("/api/projects/summaries", UriKind.Relative));
        Assert.Equal([_projectId.ToString()], summaries.EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        var details = await desktop.GetFromJsonAsync<JsonElement>(new Uri($"/api/projects/{_projectId}", UriKind.Relative));
        Assert.Equal("Payments", details.GetProperty("name").GetString());
        Assert.Equal("https://github.com/contoso/payments", details.GetProperty("backlogUrl").GetString());
        Assert.Equal("Label every issue 'payments'.", details.GetProperty("desktopAgentProjectPrompt").GetString());
        Assert.Equal(JsonValueKind.Array, details.GetProperty("members").ValueKind);
        Assert.Equal(JsonValueKind.String, details.GetProperty("videoHostType").ValueKind);
        Assert.Equal(1, details.GetProperty("recentWorkItemsCount").GetInt32());
        foreach (var flag in new[] { "allowWebhooks", "allowCreatePbi", "placeItemOnTopOfProductBacklog" })
        {
            Assert.True(details.GetProperty(flag).ValueKind is JsonValueKind.True or JsonValueKind.False, flag);
        }

        // No selectedMcpServerIds: the desktop then allows all its MCP servers.
        Assert.False(details.TryGetProperty("selectedMcpServerIds", out _));

        using var inactive = await desktop.GetAsync(new Uri($"/api/projects/{_inactiveProjectId}", UriKind.Relative));
        await AssertProblemAsync(HttpStatusCode.NotFound, inactive);
        using var unknown = await desktop.GetAsync(new Uri($"/api/projects/{Guid.NewGuid()}", UriKind.Relative));
        await AssertProblemAsync(HttpStatusCode.NotFound, unknown);
    }

    [Theory]
    [InlineData("https://github.com/contoso/payments/issues/1", "GitHub")]
    [InlineData("https://dev.azure.com/contoso/Payments/_workitems/edit/4810", "AzureDevOps")]
    [InlineData("https://contoso.visualstudio.com/Payments/_workitems/edit/4810", "AzureDevOps")]
    [InlineData("https://jira.contoso.test/browse/PAY-1", "YakShaver Desktop")]
    public async Task The_work_item_source_comes_from_the_work_item_url(string workItemUrl, string source)
    {
        using var desktop = app.DesktopClient(await app.UserTokenAsync(NewUser("Ada Lovelace")));

        await AssertStatusAsync(HttpStatusCode.Created, await PostTaskRecordAsync(desktop, TaskRecord(_projectId, workItemUrl)));

        await using var db = await app.Database.Factory.CreateDbContextAsync();
        Assert.Equal(source, (await db.Shaves.SingleAsync()).WorkItemSource);
    }

    [Fact]
    public async Task A_video_elsewhere_than_the_allowed_embed_hosts_is_kept_as_a_link_and_never_as_the_embed()
    {
        using var desktop = app.DesktopClient(await app.UserTokenAsync(NewUser("Ada Lovelace")));
        var record = TaskRecord(_projectId, "https://github.com/contoso/payments/issues/9") with
        {
            UploadedVideoProvider = "vimeo",
            UploadedVideoEmbedUrl = "https://player.vimeo.com/video/123456",
            UploadedVideoUrl = "https://vimeo.com/123456",
        };

        await AssertStatusAsync(HttpStatusCode.Created, await PostTaskRecordAsync(desktop, record));

        await using var db = await app.Database.Factory.CreateDbContextAsync();
        var shave = await db.Shaves.Include(s => s.VideoFile).SingleAsync();
        Assert.Null(shave.VideoEmbedUrl);
        Assert.Equal("https://vimeo.com/123456", shave.VideoFile!.FilePath);
    }

    [Fact]
    public async Task The_same_report_posted_twice_at_once_makes_one_shave()
    {
        using var desktop = app.DesktopClient(await app.UserTokenAsync(NewUser("Ada Lovelace")));

        // The two posts meet at a different point each time (one commits before, while or after the other reads):
        // enough rounds to meet each of them.
        const int rounds = 12;
        for (var round = 0; round < rounds; round++)
        {
            var record = TaskRecord(_projectId, $"https://github.com/contoso/payments/issues/{77 + round}");
            var answers = await Task.WhenAll(PostTaskRecordAsync(desktop, record), PostTaskRecordAsync(desktop, record));
            var ids = await Task.WhenAll(answers.Select(WorkItemIdAsync));
            Assert.Equal(ids[0], ids[1]);
        }

        await using var db = await app.Database.Factory.CreateDbContextAsync();
        Assert.Equal(rounds, await db.Shaves.CountAsync());
        Assert.Equal(rounds, await db.UserActivities.CountAsync(a => a.ActivityType == "shave.created"));
    }

    [Fact]
    public async Task A_task_record_without_a_work_item_url_is_a_new_shave_each_time()
    {
        using var desktop = app.DesktopClient(await app.UserTokenAsync(NewUser("Ada Lovelace")));
        var record = TaskRecord(_projectId, workItemUrl: null);

        var first = await WorkItemIdAsync(await PostTaskRecordAsync(desktop, record));
        var second = await WorkItemIdAsync(await PostTaskRecordAsync(desktop, record));

        Assert.NotEqual(first, second);
        await using var db = await app.Database.Factory.CreateDbContextAsync();
        Assert.Equal(DesktopSourceName, (await db.Shaves.FirstAsync()).WorkItemSource);
    }

    public static TheoryData<string> TaskRecordKeys()
    {
        var data = new TheoryData<string>();
        foreach (var key in new[] { "projectName", "projectId", "title", "description", "workItemUrl", "imageUrl", "imageFigure", "uploadedVideoProvider", "uploadedVideoEmbedUrl", "uploadedVideoUrl" })
        {
            data.Add(key);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TaskRecordKeys))]
    public async Task A_task_record_missing_a_field_is_400_naming_it_and_writes_nothing(string key)
    {
        using var desktop = app.DesktopClient(await app.UserTokenAsync(NewUser("Ada Lovelace")));
        var body = JsonSerializer.SerializeToNode(TaskRecord(_projectId, "https://github.com/contoso/payments/issues/3"), Web)!.AsObject();
        body.Remove(key);

        using var response = await desktop.PostAsync(new Uri("/api/desktopapp/post-task-record", UriKind.Relative), DesktopPortalFixture.ChunkedJson(body.ToJsonString()));

        await AssertFieldProblemAsync(response, key);
        await AssertNoShaveAsync();
    }

    public static TheoryData<string, string> BadTaskRecords() => new()
    {
        { "projectId", """{"projectId":"not-a-uuid"}""" },
        { "workItemUrl", """{"workItemUrl":"javascript:alert(1)"}""" },
        { "imageUrl", """{"imageUrl":"file:///etc/passwd"}""" },
        { "uploadedVideoEmbedUrl", """{"uploadedVideoEmbedUrl":"javascript:alert(1)"}""" },
        { "uploadedVideoUrl", """{"uploadedVideoUrl":"ftp://videos.contoso.test/1.mp4"}""" },
        { "title", """{"title":"   "}""" },
        { "title", """{"title":null}""" },
        { "imageFigure", """{"imageFigure":42}""" },
    };

    [Theory]
    [MemberData(nameof(BadTaskRecords))]
    public async Task A_task_record_with_a_bad_value_is_400_naming_the_field_and_writes_nothing(string field, string change)
    {
        using var desktop = app.DesktopClient(await app.UserTokenAsync(NewUser("Ada Lovelace")));
        var body = JsonSerializer.SerializeToNode(TaskRecord(_projectId, "https://github.com/contoso/payments/issues/3"), Web)!.AsObject();
        foreach (var (key, value) in JsonDocument.Parse(change).RootElement.EnumerateObject().Select(p => (p.Name, p.Value)))
        {
            body[key] = System.Text.Json.Nodes.JsonNode.Parse(value.GetRawText());
        }

        using var response = await desktop.PostAsync(new Uri("/api/desktopapp/post-task-record", UriKind.Relative), DesktopPortalFixture.ChunkedJson(body.ToJsonString()));

        await AssertFieldProblemAsync(response, field);
        await AssertNoShaveAsync();
    }

    [Fact]
    public async Task A_task_record_for_an_unknown_or_inactive_project_is_400_naming_the_project()
    {
        using var desktop = app.DesktopClient(await app.UserTokenAsync(NewUser("Ada Lovelace")));

        foreach (var project in new[] { Guid.NewGuid(), _inactiveProjectId })
        {
            using var response = await PostTaskRecordAsync(desktop, TaskRecord(project, "https://github.com/contoso/payments/issues/3"));
            await AssertFieldProblemAsync(response, "projectId");
        }

        await AssertNoShaveAsync();
    }

    [Fact]
    public async Task A_task_record_is_announced_to_open_pages()
    {
        var notifier = app.Factory.Services.GetRequiredService<IShaveChangeNotifier>();
        var announced = new TaskCompletionSource<ShaveChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = notifier.Subscribe(null, change =>
        {
            announced.TrySetResult(change);
            return Task.CompletedTask;
        });
        using var desktop = app.DesktopClient(await app.UserTokenAsync(NewUser("Ada Lovelace")));

        var shaveId = await WorkItemIdAsync(await PostTaskRecordAsync(desktop, TaskRecord(_projectId, "https://github.com/contoso/payments/issues/11")));

        var change = await announced.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((shaveId, ShaveChangeKind.Created), (change.ShaveId, change.Kind));
    }
}
