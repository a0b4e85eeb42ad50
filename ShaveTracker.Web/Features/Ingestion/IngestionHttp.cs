using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.Infrastructure.Telemetry;
using ShaveTracker.Web.WritePath;
using ShaveTracker.Web.Infrastructure;

namespace ShaveTracker.Web.Features.Ingestion;

/// <summary>The HTTP side of the API: reading bodies, its body limit, rate limits, metrics and who the client is.</summary>
public static class IngestionHttp
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // A field the API does not know is an error, not silently dropped data.
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Body limit for the API and the trace receiver only (413 before a byte of an oversized body is read).</summary>
    public static IApplicationBuilder UseIngestionBodyLimit(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/api") || Otlp.OtlpEndpoints.IsOtlp(http.Request.Path))
            {
                var limit = http.RequestServices.GetRequiredService<IOptions<IngestionOptions>>().Value.MaxBodyBytes;
                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                {
                    feature.MaxRequestBodySize = limit;
                }

                if (http.Request.ContentLength > limit)
                {
                    await TooLarge(limit).ExecuteAsync(http);
                    return;
                }
            }

            await next(http);
        });

    /// <summary>
    /// Counts the write requests of the API that did not succeed (<see cref="ShaveTrackerMetrics.RejectedName"/>), by
    /// the status they were answered with: invalid reports, unknown shaves, bad keys, oversized bodies, rate limits,
    /// failures. Outside the API's own handlers, so that it sees what authorization, the rate limiter and the body
    /// limit refuse as well as what the endpoints answer.
    /// </summary>
    public static IApplicationBuilder UseIngestionMetrics(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (!http.Request.Path.StartsWithSegments(IngestionEndpoints.Prefix) || HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            {
                await next(http);
                return;
            }

            var completed = false;
            try
            {
                await next(http);
                completed = true;
            }
            finally
            {
                var status = completed ? http.Response.StatusCode : StatusCodes.Status500InternalServerError;
                if (status >= 400)
                {
                    http.RequestServices.GetRequiredService<ShaveTrackerMetrics>().RequestRejected(status);
                }
            }
        });

    public static void ConfigureRateLimiting(RateLimiterOptions o, IngestionOptions limits)
    {
        o.AddPolicy(IngestionEndpoints.RateLimitPolicy, http => RateLimitPartition.Get(Client(http), _ => new ClockedFixedWindowLimiter(
            limits.RateLimitPermits, TimeSpan.FromSeconds(limits.RateLimitWindowSeconds), http.RequestServices.GetRequiredService<TimeProvider>())));
        o.OnRejected = async (context, ct) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(limits.RateLimitWindowSeconds);
            context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await context.HttpContext.Response.WriteAsJsonAsync(new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This client may make {limits.RateLimitPermits} requests per {limits.RateLimitWindowSeconds} s. Retry after the Retry-After header's seconds.",
            }, options: null, contentType: "application/problem+json", cancellationToken: ct);
        };
    }

    /// <summary>Who is calling, for the rate limit's partitions: the credential's id, else the address.</summary>
    public static string Client(HttpContext http) =>
        CredentialOf(http)?.Id ?? http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>
    /// The credential of an authenticated API request. An API key and an Entra application token (client
    /// credentials: no <c>scp</c> claim) are workers; an Entra token issued to a signed-in person (delegated: it
    /// carries <c>scp</c>) is that person's own, and writes only their shaves.
    /// </summary>
    public static Credential? CredentialOf(HttpContext http)
    {
        var user = http.User;
        if (user.FindFirst(ApiKeyAuthenticationHandler.ClientClaim)?.Value is { } key)
        {
            return Credential.Worker(key, user.FindFirst(ClaimNames.Name)?.Value ?? key);
        }

        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var delegated = user.FindFirst("scp") ?? user.FindFirst(ScopeClaim);
        if (delegated is not null && Guid.TryParse(user.GetObjectId(), out var person))
        {
            return Credential.Person(person, user.FindFirst("name")?.Value ?? user.GetDisplayName() ?? person.ToString());
        }

        var app = user.FindFirst("azp")?.Value ?? user.FindFirst("appid")?.Value;
        return app is null ? null : Credential.Worker($"app:{app}", user.FindFirst("app_displayname")?.Value ?? $"Entra application {app}");
    }

    /// <summary>The credential of a request the ingest policy admitted (which it admits only with one).</summary>
    public static Credential CredentialFor(HttpContext http) =>
        CredentialOf(http) ?? throw new InvalidOperationException("The ingest policy admits only requests with a credential.");

    /// <summary>The scope claim as the JWT handler maps it when inbound claim mapping is on.</summary>
    private const string ScopeClaim = "http://schemas.microsoft.com/identity/claims/scope";

    /// <summary>
    /// Reads the JSON body with clear ProblemDetails for what goes wrong: not JSON, malformed JSON (with the line and
    /// path), a value of the wrong type, an unknown field, a body over the limit.
    /// </summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext http)
        where T : class
    {
        if (http.Request.HasJsonContentType() is false)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send JSON",
                detail: "The body must be JSON with Content-Type: application/json."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, Json, http.RequestAborted);
            return value is null
                ? (null, Invalid(new Dictionary<string, string> { [""] = "The body is empty or null." }, "Invalid request body"))
                : (value, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : ex.Path.TrimStart('$', '.');
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : "";
            return (null, Invalid(new Dictionary<string, string> { [field] = $"The JSON is malformed or a value has the wrong type{where}." },
                "Invalid request body"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(http.RequestServices.GetRequiredService<IOptions<IngestionOptions>>().Value.MaxBodyBytes));
        }
    }

    /// <summary>A 400 with the field errors, in the shape ValidationProblemDetails gives them (a list per field).</summary>
    public static ProblemHttpResult Invalid(IReadOnlyDictionary<string, string> errors, string? title) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => new[] { e.Value }, StringComparer.Ordinal))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = title ?? "One or more validation errors occurred.",
        });

    private static ProblemHttpResult TooLarge(long limit) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
            detail: $"The body may be at most {limit:N0} bytes (Ingestion:MaxBodyBytes). Split the batch.");
}
