using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Security;

/// <summary>
/// No query value makes the app fail: every routable page and endpoint, read from the app's route table (so a new one
/// cannot be forgotten), gets hostile values in each of its query parameters, as each kind of caller, and must
/// answer with something other than a 5xx.
/// </summary>
/// <remarks>
/// Its own app (a collection of its own): its thousands of requests are the longest test without a browser, and they
/// run beside the browser tests instead of between them.
/// </remarks>
[Collection(HostileQueryCollection.Name)]
public sealed class HostileQueryTests(WebAppFixture app) : WebTest(app)
{
    private static readonly string[] HostileValues =
    [
        "9999-12-31", "0001-01-01", "2026-02-30", "99999999999999999999", "2147483647", "-2147483648", "-1", "0",
        "1e308", "NaN", "' OR 1=1 --", "\"; DROP TABLE shaves; --", "a* OR b NEAR(c, d)", "\"unbalanced", "title:(x",
        "^*", "\0", "abc\0def", "%", "_", "[", "\\", "<script>alert(1)</script>", "../../etc/passwd", "😀",
        new string('x', 4000), " ", "",
    ];

    /// <summary>Used where a route has no query parameters of its own: the names every list page reads.</summary>
    private static readonly string[] CommonNames = ["q", "page", "size", "from", "to", "sort", "dir", "returnUrl"];

    [Fact]
    public async Task No_query_value_gives_a_server_error_on_any_route_for_any_caller()
    {
        var requester = await CreateLocalUserAsync("req@example.test", "Rita Requester");
        var staff = await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        await CreateLocalUserAsync("admin@example.test", "Ada Admin", Roles.Admin);
        var ids = await SeedAsync(requester, staff);
        var key = await TestAdmin.CreateApiKeyAsync(App.Factory.Services, "hostile");
        var pipeline = App.CreateClient();
        pipeline.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key.Key);
        var callers = new (string Name, HttpClient Client)[]
        {
            ("anonymous", App.CreateClient()),
            ("requester", await SignedInClientAsync("req@example.test")),
            ("staff", await SignedInClientAsync("staff@example.test")),
            ("admin", await SignedInClientAsync("admin@example.test")),
            ("pipeline", pipeline),
        };

        var failures = new StringBuilder();
        var sent = 0;
        var routes = DiscoverRoutes();
        Assert.True(routes.Count > 20, $"Only {routes.Count} routes found in the route table.");
        foreach (var route in routes)
        {
            var names = route.QueryNames.Count > 0 ? route.QueryNames : CommonNames;
            var requests = new List<string>();
            foreach (var value in HostileValues)
            {
                foreach (var path in Paths(route.Pattern, ids, value))
                {
                    requests.Add(path + "?" + string.Join('&', names.Select(n => $"{n}={Uri.EscapeDataString(value)}")));
                    requests.AddRange(names.Select(n => $"{path}?{n}={Uri.EscapeDataString(value)}"));
                }
            }

            // Every parameter twice, with different values.
            var fill = Paths(route.Pattern, ids, "x").First();
            requests.Add(fill + "?" + string.Join('&', names.SelectMany(n => new[] { $"{n}=1", $"{n}=9999-12-31", $"{n}=%27" })));

            foreach (var (caller, client) in callers.Where(c => route.IsApi ? c.Name is "pipeline" or "admin" : c.Name != "pipeline"))
            {
                foreach (var uri in requests.Distinct(StringComparer.Ordinal))
                {
                    using var request = new HttpRequestMessage(new HttpMethod(route.Method), uri);
                    if (route.Method is "PUT" or "POST")
                    {
                        request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                    }

                    sent++;
                    try
                    {
                        // The whole body is read: a streamed answer (the CSV export) that fails half-way is cut off.
                        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                        if ((int)response.StatusCode >= 500)
                        {
                            failures.AppendLine($"{route.Method} {Shorten(uri)} as {caller}: {(int)response.StatusCode}");
                        }
                    }
                    catch (HttpRequestException ex)
                    {
                        failures.AppendLine($"{route.Method} {Shorten(uri)} as {caller}: the response was cut off ({ex.Message})");
                    }
                }
            }
        }

        foreach (var (_, client) in callers)
        {
            client.Dispose();
        }

        Assert.True(failures.Length == 0, $"{sent} requests; server errors:\n{failures}");
    }

    [Fact]
    public async Task The_last_possible_day_as_the_end_of_a_range_lists_and_exports_everything()
    {
        var requester = await CreateLocalUserAsync("req@example.test", "Rita Requester");
        await CreateShaveForAsync(requester, "Checkout total is wrong");
        using var client = await SignedInClientAsync("req@example.test");

        using var list = await client.GetAsync(new Uri("/shaves?to=9999-12-31", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains("Checkout total is wrong", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var export = await client.GetAsync(new Uri("/shaves/export.csv?to=9999-12-31", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Contains("Checkout total is wrong", await export.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private sealed record Route(string Pattern, string Method, IReadOnlyList<string> QueryNames, bool IsApi);

    private sealed record SeedIds(Guid ShaveId, Guid ProjectId, Guid AiLogId);

    private List<Route> DiscoverRoutes()
    {
        var sources = App.Factory.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        return sources
            .SelectMany(s => s.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => !e.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal)))
            .Select(e => (Endpoint: e, Pattern: "/" + (e.RoutePattern.RawText ?? "").TrimStart('/')))
            .Where(e => IsApplicationRoute(e.Pattern))
            .Select(e => new Route(
                e.Pattern,
                e.Endpoint.Metadata.GetMetadata<HttpMethodMetadata>() is { HttpMethods.Count: > 0 } methods ? methods.HttpMethods[0] : "GET",
                QueryNames(e.Endpoint),
                e.Pattern.StartsWith("/api/", StringComparison.Ordinal)))
            .DistinctBy(r => (r.Pattern, r.Method))
            .ToList();
    }

    /// <summary>The query parameters a route reads: a page's [SupplyParameterFromQuery] properties, an endpoint's simple parameters.</summary>
    private static List<string> QueryNames(RouteEndpoint endpoint)
    {
        var page = endpoint.Metadata.GetMetadata<ComponentTypeMetadata>()?.Type;
        if (page is not null)
        {
            return page.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Select(p => (Property: p, Attribute: p.GetCustomAttribute<SupplyParameterFromQueryAttribute>()))
                .Where(p => p.Attribute is not null)
                .Select(p => p.Attribute!.Name ?? p.Property.Name)
                .ToList();
        }

        var handler = endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault();
        var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return handler?.GetParameters()
            .Where(p => p.Name is not null && !routeNames.Contains(p.Name) && IsSimple(p.ParameterType))
            .Select(p => p.Name!)
            .ToList() ?? [];
    }

    private static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(Guid) || t == typeof(DateTime) || t == typeof(DateOnly) || t == typeof(decimal);
    }

    /// <summary>The route with its {id}s filled with real records, and each free (unconstrained) segment also hostile.</summary>
    private static IEnumerable<string> Paths(string pattern, SeedIds ids, string hostile)
    {
        var filled = pattern
            .Replace("{Id:guid}", pattern.StartsWith("/projects/", StringComparison.Ordinal) ? ids.ProjectId.ToString() : ids.ShaveId.ToString(), StringComparison.Ordinal)
            .Replace("{id:guid}", ids.ShaveId.ToString(), StringComparison.Ordinal)
            .Replace("{shaveId:guid}", ids.ShaveId.ToString(), StringComparison.Ordinal)
            .Replace("{recordId:guid}", ids.AiLogId.ToString(), StringComparison.Ordinal)
            .Replace("{stepId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        yield return filled.Replace("{part}", "prompt", StringComparison.Ordinal);
        if (filled.Contains("{part}", StringComparison.Ordinal) && hostile.Length > 0 && !hostile.Contains('/', StringComparison.Ordinal))
        {
            yield return filled.Replace("{part}", Uri.EscapeDataString(hostile), StringComparison.Ordinal);
        }
    }

    private static bool IsApplicationRoute(string route) =>
        !route.Contains(":file}", StringComparison.Ordinal) &&
        !route.StartsWith("/_blazor", StringComparison.Ordinal) && !route.StartsWith("/_framework", StringComparison.Ordinal) &&
        !route.StartsWith("/_content", StringComparison.Ordinal);

    private static string Shorten(string uri) => uri.Length > 160 ? uri[..160] + "…" : uri;

    private async Task<SeedIds> SeedAsync(User requester, User staff)
    {
        var project = new Project
        {
            Id = Ids.NewId(), UserId = staff.Id, Name = "Storefront Web", BacklogUrl = "https://github.com/contoso/storefront-web",
            Source = ProjectSources.Remote, CustomPrompt = "Write GitHub issues.", CreatedAt = DateTime.UtcNow,
        };
        await using (var db = await Factory.CreateDbContextAsync())
        {
            db.Projects.Add(project);
            await db.SaveChangesAsync();
        }

        var shaveId = await CreateShaveForAsync(requester, projectId: project.Id);
        var log = new AiLog
        {
            Id = Ids.NewId(), ShaveId = shaveId, ModelName = "gpt-4o", PromptText = "Write the work item.", ResponseText = "Done.",
            DurationMs = 900, CreatedAt = DateTime.UtcNow,
        };
        await using (var db = await Factory.CreateDbContextAsync())
        {
            db.AiLogs.Add(log);
            await db.SaveChangesAsync();
        }

        return new SeedIds(shaveId, project.Id, log.Id);
    }
}

[CollectionDefinition(Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix",
    Justification = "xunit's naming for a collection definition; it is not a collection type.")]
public sealed class HostileQueryCollection : ICollectionFixture<WebAppFixture>
{
    public const string Name = "Hostile queries";
}
