using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.Account;

/// <summary>
/// Every route the app serves (read from its route table, so a new page or endpoint cannot be forgotten) against
/// every kind of caller. A route missing from <see cref="Expectations"/> fails the test.
/// </summary>
public sealed class AuthorizationMatrixTests(WebAppFixture app) : WebTest(app)
{
    public enum Outcome
    {
        Ok,
        SignIn,
        Denied,
        NotFound,
        BadRequest,
        Unauthorized,
    }

    private static readonly string[] Callers = ["anonymous", "requester", "other requester", "staff", "admin"];

    /// <summary>Route pattern → method and expected outcome for each caller, in <see cref="Callers"/> order.</summary>
    private static readonly Dictionary<string, (string Method, Outcome[] Outcomes)> Expectations = new()
    {
        // The dashboard: every shave for staff and admins, their own summary for requesters.
        ["/"] = ("GET", [Outcome.SignIn, Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok]),
        ["/shaves"] = ("GET", [Outcome.SignIn, Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok]),
        // {Id} is a shave of "requester": "other requester" gets the same 404 as for a shave that does not exist.
        ["/shaves/{Id:guid}"] = ("GET", [Outcome.SignIn, Outcome.Ok, Outcome.NotFound, Outcome.Ok, Outcome.Ok]),
        ["/shaves/export.csv"] = ("GET", [Outcome.SignIn, Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok]),
        // The list's filter suggestions: everyone signed in (a requester's requester search finds only themself).
        ["/shaves/filter-options/projects"] = ("GET", [Outcome.SignIn, Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok]),
        ["/shaves/filter-options/requesters"] = ("GET", [Outcome.SignIn, Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok]),
        ["/admin/api-keys"] = ("GET", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Denied, Outcome.Ok]),
        ["/admin/prices"] = ("GET", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Denied, Outcome.Ok]),
        // The log explorer is for admins only (CanReviewAiLogs): requesters and staff are denied.
        ["/logs"] = ("GET", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Denied, Outcome.Ok]),
        // The pipeline's API takes API keys or bearer tokens only: a browser's sign-in cookie is no credential there.
        ["/api/v1/shaves"] = ("GET", Everyone(Outcome.Unauthorized)),
        ["/api/v1/shaves/{shaveId:guid}"] = ("PUT", Everyone(Outcome.Unauthorized)),
        ["/api/v1/shaves/{shaveId:guid}/steps/{stepId:guid}"] = ("PUT", Everyone(Outcome.Unauthorized)),
        ["/api/v1/shaves/{shaveId:guid}/records"] = ("POST", Everyone(Outcome.Unauthorized)),
        ["/api/v1/shaves/{shaveId:guid}/ai-logs"] = ("POST", Everyone(Outcome.Unauthorized)),
        ["/api/v1/shaves/{shaveId:guid}/tool-calls"] = ("POST", Everyone(Outcome.Unauthorized)),
        ["/api/v1/shaves/{shaveId:guid}/transcript"] = ("PUT", Everyone(Outcome.Unauthorized)),
        ["/v1/traces"] = ("POST", Everyone(Outcome.Unauthorized)),
        ["/opentelemetry.proto.collector.trace.v1.TraceService/Export"] = ("POST", Everyone(Outcome.Unauthorized)),
        ["/users"] = ("GET", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Denied, Outcome.Ok]),
        // Projects are staff business: requesters are denied the pages (and the service refuses them too).
        ["/projects"] = ("GET", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Ok, Outcome.Ok]),
        ["/projects/new"] = ("GET", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Ok, Outcome.Ok]),
        // {Id} is a real project, holding the shave of "requester".
        ["/projects/{Id:guid}"] = ("GET", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Ok, Outcome.Ok]),
        ["/projects/{Id:guid}/edit"] = ("GET", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Ok, Outcome.Ok]),
        // The admin trace's downloads (CanReviewAiLogs): even the shave's own requester and staff are refused.
        ["/shaves/{id:guid}/trace.json"] = ("GET", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Denied, Outcome.Ok]),
        // {recordId} is an AI log of that shave and {part} its prompt.
        ["/shaves/{id:guid}/trace/{recordId:guid}/{part}"] = ("GET", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Denied, Outcome.Ok]),
        ["/account/signin"] = ("GET", [Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok]),
        ["/account/access-denied"] = ("GET", [Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok]),
        ["/not-found"] = ("GET", [Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok]),
        ["/Error"] = ("GET", [Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok]),
        ["/health"] = ("GET", [Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok]),
        ["/health/live"] = ("GET", [Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok]),
        ["/health/ready"] = ("GET", [Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok, Outcome.Ok]),
        // Microsoft sign-in is not configured in this host: the endpoint says so to everyone.
        ["/account/signin/microsoft"] = ("GET", [Outcome.NotFound, Outcome.NotFound, Outcome.NotFound, Outcome.NotFound, Outcome.NotFound]),
        // No antiforgery token in a matrix request: refused for everyone signed in (the form test covers the real
        // flow); someone not signed in is simply told they are signed out.
        ["/account/signout"] = ("POST", [Outcome.SignIn, Outcome.BadRequest, Outcome.BadRequest, Outcome.BadRequest, Outcome.BadRequest]),
    };

    [Fact]
    public async Task Every_route_gives_each_kind_of_caller_exactly_what_it_may_see()
    {
        var requester = await CreateLocalUserAsync("req@example.test", "Rita Requester");
        await CreateLocalUserAsync("other@example.test", "Otto Other");
        var staff = await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        _projectId = await CreateProjectAsync(staff);
        _shaveId = await CreateShaveForAsync(requester, projectId: _projectId);
        _aiLogId = await CreateAiLogAsync(_shaveId);
        await CreateLocalUserAsync("admin@example.test", "Ada Admin", Roles.Admin);

        var clients = new[]
        {
            App.CreateClient(),
            await SignedInClientAsync("req@example.test"),
            await SignedInClientAsync("other@example.test"),
            await SignedInClientAsync("staff@example.test"),
            await SignedInClientAsync("admin@example.test"),
        };

        var routes = DiscoverRoutes();
        var failures = new StringBuilder();
        foreach (var route in routes.Where(r => !Expectations.ContainsKey(r)))
        {
            failures.AppendLine($"{route}: no expectation in the matrix — add a row for it.");
        }

        foreach (var (pattern, (method, outcomes)) in Expectations)
        {
            if (!routes.Contains(pattern))
            {
                failures.AppendLine($"{pattern}: in the matrix but not served by the app.");
                continue;
            }

            for (var i = 0; i < Callers.Length; i++)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), Fill(pattern));
                using var response = await clients[i].SendAsync(request);
                var actual = Classify(response);
                if (actual != outcomes[i])
                {
                    failures.AppendLine($"{method} {pattern} as {Callers[i]}: expected {outcomes[i]}, got {actual} ({(int)response.StatusCode} {response.Headers.Location})");
                }
            }
        }

        foreach (var client in clients)
        {
            client.Dispose();
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }

    private static Outcome[] Everyone(Outcome outcome) => [outcome, outcome, outcome, outcome, outcome];

    private Guid _shaveId;
    private Guid _projectId;
    private Guid _aiLogId;

    /// <summary>Each route's {Id} is a real record of the kind the route is about, so "Ok" means the page rendered it.</summary>
    private string Fill(string pattern)
    {
        pattern = pattern
            .Replace("{id:guid}", _shaveId.ToString(), StringComparison.Ordinal)
            .Replace("{recordId:guid}", _aiLogId.ToString(), StringComparison.Ordinal)
            .Replace("{part}", "prompt", StringComparison.Ordinal)
            .Replace("{shaveId:guid}", _shaveId.ToString(), StringComparison.Ordinal)
            .Replace("{stepId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        if (!pattern.Contains("{Id:guid}", StringComparison.Ordinal))
        {
            return pattern;
        }

        var id = pattern.StartsWith("/projects/", StringComparison.Ordinal) ? _projectId
            : pattern.StartsWith("/shaves/", StringComparison.Ordinal) ? _shaveId
            : throw new InvalidOperationException($"{pattern}: say which record its {{Id}} stands for.");
        return pattern.Replace("{Id:guid}", id.ToString(), StringComparison.Ordinal);
    }

    private async Task<Guid> CreateProjectAsync(User owner)
    {
        var project = new Project
        {
            Id = Ids.NewId(), UserId = owner.Id, Name = "Storefront Web", BacklogUrl = "https://github.com/contoso/storefront-web",
            Source = ProjectSources.Remote, CustomPrompt = "Write GitHub issues.", CreatedAt = DateTime.UtcNow,
        };
        await using var db = await Factory.CreateDbContextAsync();
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        return project.Id;
    }

    private async Task<Guid> CreateAiLogAsync(Guid shaveId)
    {
        var log = new AiLog
        {
            Id = ShaveTracker.Data.Ids.NewId(), ShaveId = shaveId, ModelName = "gpt-4o", PromptText = "Write the work item.",
            ResponseText = "Done.", DurationMs = 900, CreatedAt = DateTime.UtcNow,
        };
        await using var db = await Factory.CreateDbContextAsync();
        db.AiLogs.Add(log);
        await db.SaveChangesAsync();
        return log.Id;
    }

    private HashSet<string> DiscoverRoutes()
    {
        var sources = App.Factory.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        return sources
            .SelectMany(s => s.Endpoints)
            .OfType<RouteEndpoint>()
            // Fingerprinted static files (MudBlazor's CSS, app.css, ...) are assets, not routes of the app.
            .Where(e => !e.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal)))
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            .Where(IsApplicationRoute)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Framework plumbing (the Blazor hub, its script) and static files are not pages.</summary>
    private static bool IsApplicationRoute(string route)
    {
        if (route.Contains(":file}", StringComparison.Ordinal) ||
            route.StartsWith("/_blazor", StringComparison.Ordinal) || route.StartsWith("/_framework", StringComparison.Ordinal) ||
            route.StartsWith("/_content", StringComparison.Ordinal))
        {
            return false;
        }

        return true;
    }

    private static Outcome Classify(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.OK => Outcome.Ok,
            HttpStatusCode.NotFound => Outcome.NotFound,
            HttpStatusCode.BadRequest => Outcome.BadRequest,
            HttpStatusCode.Unauthorized => Outcome.Unauthorized,
            HttpStatusCode.Redirect when location.Contains("/account/signin", StringComparison.Ordinal) => Outcome.SignIn,
            HttpStatusCode.Redirect when location.Contains("/account/access-denied", StringComparison.Ordinal) => Outcome.Denied,
            _ => (Outcome)(-1),
        };
    }
}
