using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Ingestion;

namespace ShaveTracker.Tests.DesktopPortal;

// What the desktop may not do: another person's shave, a token that is not a user's of this tenant with the scope,
// the OAuth brokering ShaveTracker does not offer; and where its routes are described.
public sealed partial class DesktopPortalTests
{
    [Fact]
    public async Task Cancelling_someone_elses_shave_or_an_unknown_one_is_404_and_changes_nothing()
    {
        using var ada = app.DesktopClient(await app.UserTokenAsync(NewUser("Ada Lovelace")));
        var shaveId = await WorkItemIdAsync(await PostTaskRecordAsync(ada, TaskRecord(_projectId, "https://github.com/contoso/payments/issues/5")));
        using var bob = app.DesktopClient(await app.UserTokenAsync(NewUser("Bob Builder")));

        using (var other = await bob.PostAsync(new Uri($"/api/desktopapp/work-items/{shaveId}:cancel", UriKind.Relative), content: null))
        {
            await AssertProblemAsync(HttpStatusCode.NotFound, other);
        }

        foreach (var unknown in new[] { Guid.NewGuid().ToString(), "not-a-uuid" })
        {
            using var response = await ada.PostAsync(new Uri($"/api/desktopapp/work-items/{unknown}:cancel", UriKind.Relative), content: null);
            await AssertProblemAsync(HttpStatusCode.NotFound, response);
        }

        await using var db = await app.Database.Factory.CreateDbContextAsync();
        Assert.Equal(ShaveStatus.Completed, (await db.Shaves.SingleAsync()).ShaveStatus);
        Assert.False(await db.UserActivities.AnyAsync(a => a.ActivityType == "shave.status_changed"));
    }


    public static TheoryData<string, string> UserRoutes() => new()
    {
        { "GET", "/tenants/auth/callback" },
        { "GET", "/api/projects/summaries" },
        { "GET", "/api/projects/{project}" },
        { "POST", "/api/desktopapp/post-task-record" },
        { "POST", "/api/desktopapp/work-items/{shave}:cancel" },
        { "POST", "/api/desktopapp/upload-screenshot" },
    };

    [Theory]
    [MemberData(nameof(UserRoutes))]
    public async Task Without_a_token_every_route_is_401_problem_details(string method, string path)
    {
        using var desktop = app.DesktopClient(accessToken: null);

        using var response = await SendAsync(desktop, method, path);

        await AssertProblemAsync(HttpStatusCode.Unauthorized, response);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(UserRoutes))]
    public async Task A_token_for_another_api_is_401_and_writes_nothing(string method, string path)
    {
        using var desktop = app.DesktopClient(await app.UserTokenAsync(NewUser("Ada Lovelace"), $"api://{FakeEntraProvider.OtherApiClientId}/{FakeEntraProvider.UserScope}"));

        using var response = await SendAsync(desktop, method, path);

        await AssertProblemAsync(HttpStatusCode.Unauthorized, response);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(UserRoutes))]
    public async Task A_user_of_another_tenant_is_401_and_writes_nothing(string method, string path)
    {
        using var desktop = app.DesktopClient(await app.UserTokenAsync(NewUser("Mallory") with { TenantId = Guid.NewGuid() }));

        using var response = await SendAsync(desktop, method, path);

        await AssertProblemAsync(HttpStatusCode.Unauthorized, response);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(UserRoutes))]
    public async Task A_users_token_for_the_api_without_the_access_as_user_scope_is_403_and_writes_nothing(string method, string path)
    {
        using var desktop = app.DesktopClient(await app.UserTokenAsync(NewUser("Ada Lovelace"), $"{FakeEntraProvider.ApiIdUri}/.default"));

        using var response = await SendAsync(desktop, method, path);

        await AssertProblemAsync(HttpStatusCode.Forbidden, response);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(UserRoutes))]
    public async Task An_app_token_without_the_user_scope_is_403_and_writes_nothing(string method, string path)
    {
        // The pipeline's worker: a valid token for ShaveTracker's API, with an app role but no user and no scp.
        var worker = app.Provider.Register(FakeEntraDaemon.Create(IngestionEndpoints.IngestRole));
        using var desktop = app.DesktopClient(await app.Provider.RequestAppTokenAsync(worker));

        using var response = await SendAsync(desktop, method, path);

        await AssertProblemAsync(HttpStatusCode.Forbidden, response);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task The_oauth_brokering_the_desktop_asks_for_is_501_problem_details_that_say_what_to_do()
    {
        using var desktop = app.DesktopClient(accessToken: null);

        foreach (var (method, path) in new[]
        {
            ("GET", "/api/mcp/auth/start?serverUrl=https%3A%2F%2Fapi.githubcopilot.com%2Fmcp%2F&redirectUri=yakshaver-desktop%3A%2F%2Foauth%2Fcallback"),
            ("GET", "/api/mcp/auth/result?serverUrl=x&retrievalToken=y"),
            ("POST", "/api/mcp/auth/refresh"),
            ("GET", "/api/desktop-video-hostings/youtube/auth/start?redirectUri=yakshaver-desktop%3A%2F%2Fyoutube%2Foauth%2Fcallback"),
            ("POST", "/api/desktop-video-hostings/youtube/auth/refresh"),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
            if (method == "POST")
            {
                request.Content = JsonContent.Create(new { refreshToken = "r" });
            }

            using var response = await desktop.SendAsync(request);
            var body = await AssertProblemAsync(HttpStatusCode.NotImplemented, response);
            Assert.Equal("not_supported", body.GetProperty("error").GetString());
            Assert.Contains("instead", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_desktops_routes_are_in_the_openapi_document()
    {
        var document = await app.Factory.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>("v1").GetOpenApiDocumentAsync();

        var paths = document.Paths.Keys.ToList();
        foreach (var path in new[]
        {
            "/tenants/auth/callback", "/api/projects/summaries", "/api/projects/{id}", "/api/desktopapp/post-task-record",
            "/api/desktopapp/work-items/{workItemId}:cancel", "/api/desktopapp/upload-screenshot", "/api/desktopapp/screenshots/{file}",
        })
        {
            Assert.Contains(path, paths);
        }

        Assert.Contains(paths, p => p.StartsWith("/api/mcp/auth/", StringComparison.Ordinal));
        Assert.Contains(paths, p => p.StartsWith("/api/desktop-video-hostings/youtube/auth/", StringComparison.Ordinal));
    }
}
