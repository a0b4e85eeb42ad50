using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using Microsoft.Net.Http.Headers;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.DesktopPortal;

/// <summary>
/// The routes YakShaver Desktop calls on its portal, under the prefixes of its <c>PORTAL_API_URL</c> and
/// <c>PORTAL_TENANTS_URL</c>. Every route but the screenshots' and the unsupported ones needs a delegated Entra token
/// for ShaveTracker's API with the <see cref="Scope"/> scope; errors are RFC 7807 ProblemDetails.
/// </summary>
public static class DesktopPortalEndpoints
{
    public const string Policy = "DesktopUser";
    public const string Scope = "access_as_user";
    public const string Tag = "YakShaver Desktop";

    /// <summary>Marks the routes whose 401/403 are answered with ProblemDetails (see <see cref="DesktopAuthorizationResultHandler"/>).</summary>
    public sealed class Marker;

    public static void MapDesktopPortalEndpoints(this IEndpointRouteBuilder app, DesktopPortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tenants = app.MapGroup(options.TenantsPrefix.TrimEnd('/'))
            .RequireAuthorization(Policy).WithMetadata(new Marker()).WithTags(Tag);
        tenants.MapGet("/auth/callback", TenantCallbackAsync)
            .WithSummary("Called by the desktop after every sign-in: signs the user in to ShaveTracker (creates or updates their user).");

        var api = app.MapGroup(options.ApiPrefix.TrimEnd('/')).WithTags(Tag).DisableAntiforgery();
        var user = api.MapGroup("").RequireAuthorization(Policy).WithMetadata(new Marker());
        user.MapGet("/projects/summaries", ProjectSummariesAsync)
            .WithSummary("The active projects the user may record for.");
        user.MapGet("/projects/{id}", ProjectAsync)
            .WithSummary("An active project's details: its backlog and the prompt the desktop adds for it (custom_prompt).");
        user.MapPost("/desktopapp/post-task-record", PostTaskRecordAsync)
            .Accepts<DesktopTaskRecord>("application/json")
            .ProducesValidationProblem()
            .WithSummary("The work item the desktop wrote, as a Completed shave of the user; the same report again answers the same workItemId.");
        user.MapPost("/desktopapp/work-items/{workItemId}:cancel", CancelAsync)
            .WithSummary("The desktop's Undo: the user's own shave becomes Cancelled.");
        user.MapPost("/desktopapp/upload-screenshot", UploadScreenshotAsync)
            .Accepts<IFormFile>("multipart/form-data")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Stores a PNG or JPEG screenshot (multipart part 'file') and answers its public URL.");

        api.MapGet(DesktopScreenshots.RoutePath + "/{file}", ScreenshotAsync).AllowAnonymous()
            .WithSummary("A screenshot the desktop uploaded, for the readers of the work item that shows it (no sign-in; the URL is the secret).");

        // The desktop brokers OAuth for its MCP servers and for YouTube through its portal; ShaveTracker does not.
        api.MapMethods("/mcp/auth/{**rest}", [HttpMethods.Get, HttpMethods.Post], () => NotBrokered("MCP servers",
                "Give the MCP server its credentials in the desktop's own MCP settings (for GitHub, a personal access token header) instead of signing in through the portal."))
            .AllowAnonymous()
            .WithSummary("Not supported: ShaveTracker does not broker MCP servers' OAuth (501).");
        api.MapMethods("/desktop-video-hostings/youtube/auth/{**rest}", [HttpMethods.Get, HttpMethods.Post], () => NotBrokered("YouTube",
                "Upload the recording to YouTube yourself and give the desktop the video's link (it processes a video from its URL) instead of connecting YouTube through the portal."))
            .AllowAnonymous()
            .WithSummary("Not supported: ShaveTracker does not broker YouTube's OAuth (501).");
    }

    private static async Task<Ok<DesktopSignedIn>> TenantCallbackAsync(ClaimsPrincipal principal, DesktopPortalService portal, CancellationToken ct)
    {
        var user = DesktopUserOf(principal);
        await portal.SignInAsync(user, ct);
        return TypedResults.Ok(new DesktopSignedIn(user.ObjectId, user.DisplayName));
    }

    private static async Task<Ok<IReadOnlyList<DesktopProjectSummary>>> ProjectSummariesAsync(DesktopPortalService portal, CancellationToken ct) =>
        TypedResults.Ok(await portal.ProjectSummariesAsync(ct));

    private static async Task<Results<Ok<DesktopProjectDetails>, ProblemHttpResult>> ProjectAsync(string id, DesktopPortalService portal, CancellationToken ct) =>
        Guid.TryParse(id, out var projectId) && await portal.ProjectAsync(projectId, ct) is { } project
            ? TypedResults.Ok(project)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Project not found",
                detail: $"No active project has the id '{id}'. The desktop lists the active ones from {{PORTAL_API_URL}}/projects/summaries.");

    private static async Task<IResult> PostTaskRecordAsync(HttpContext http, ClaimsPrincipal principal, DesktopPortalService portal)
    {
        if (!http.Request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send JSON",
                detail: "The task record is JSON with Content-Type: application/json.");
        }

        JsonDocument body;
        try
        {
            // Read to the end whatever its framing: the desktop sends it chunked, without Content-Length.
            body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Invalid(new Dictionary<string, string> { [""] = $"The body is not valid JSON (line {ex.LineNumber + 1})." }, "Invalid task record");
        }

        using (body)
        {
            var result = await portal.PostTaskRecordAsync(DesktopUserOf(principal), body.RootElement, http.RequestAborted);
            return result switch
            {
                { Succeeded: true, Current.Created: true } => TypedResults.Created((string?)null, new DesktopTaskRecordAccepted(result.Current.WorkItemId)),
                { Succeeded: true } => TypedResults.Ok(new DesktopTaskRecordAccepted(result.Current!.WorkItemId)),
                _ => Invalid(result.Errors, "The task record was not accepted; nothing was written."),
            };
        }
    }

    private static async Task<IResult> CancelAsync(string workItemId, ClaimsPrincipal principal, DesktopPortalService portal, CancellationToken ct)
    {
        if (!Guid.TryParse(workItemId, out var id))
        {
            return WorkItemNotFound(workItemId);
        }

        var result = await portal.CancelAsync(DesktopUserOf(principal), id, ct);
        return result.Outcome switch
        {
            CommandOutcome.Succeeded => TypedResults.Ok(result.Current),
            CommandOutcome.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Changed meanwhile", detail: result.Message),
            _ => WorkItemNotFound(workItemId),
        };
    }

    private static async Task<IResult> UploadScreenshotAsync(HttpContext http, ClaimsPrincipal principal, DesktopPortalService portal,
        DesktopScreenshots screenshots, IOptions<DesktopPortalOptions> options)
    {
        var max = options.Value.MaxScreenshotBytes;
        if (!http.Request.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send multipart/form-data",
                detail: "Upload the screenshot as multipart/form-data with one part named 'file'.");
        }

        // The multipart framing is a few hundred bytes; anything much larger than the image limit is refused unread.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = Math.Min(limit.MaxRequestBodySize ?? long.MaxValue, max + 64 * 1024);
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(max);
        }
        catch (InvalidDataException ex)
        {
            return Invalid(new Dictionary<string, string> { ["file"] = $"The multipart body could not be read: {ex.Message}" }, "Invalid upload");
        }

        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0)
        {
            return Invalid(new Dictionary<string, string> { ["file"] = "Send the image in a part named 'file'." }, "Invalid upload");
        }

        if (file.Length > max)
        {
            return TooLarge(max);
        }

        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, http.RequestAborted);
        }

        var stored = await portal.UploadScreenshotAsync(DesktopUserOf(principal), content, http.RequestAborted);
        if (!stored.Succeeded)
        {
            return Invalid(stored.Errors, "Invalid upload");
        }

        var url = new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{screenshots.PathOf(stored.Current!)}");
        return TypedResults.Ok(new DesktopScreenshotUploaded(url));
    }

    private static async Task<IResult> ScreenshotAsync(string file, HttpContext http, DesktopScreenshots screenshots, CancellationToken ct)
    {
        if (await screenshots.FindAsync(file, ct) is not { } shot)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Screenshot not found",
                detail: "No screenshot has this address, or the shave it belonged to was deleted.");
        }

        // A token's bytes never change: caches may keep them for a year without asking again.
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentDisposition = "inline";
        return TypedResults.Bytes(shot.Content, shot.ContentType, lastModified: shot.CreatedAt,
            entityTag: new EntityTagHeaderValue($"\"{shot.Token}\""));
    }

    private static ProblemHttpResult NotBrokered(string what, string instead)
    {
        var detail = $"ShaveTracker does not broker sign-in for {what}. {instead}";
        // error/error_description: what the desktop shows of a failed OAuth call.
        return TypedResults.Problem(statusCode: StatusCodes.Status501NotImplemented, title: $"{what} sign-in is not brokered by ShaveTracker",
            detail: detail, extensions: new Dictionary<string, object?> { ["error"] = "not_supported", ["error_description"] = detail });
    }

    /// <summary>A 400 with the field errors, one list per field as ValidationProblemDetails gives them.</summary>
    private static ValidationProblem Invalid(IReadOnlyDictionary<string, string>? errors, string title) =>
        TypedResults.ValidationProblem((errors ?? new Dictionary<string, string>()).ToDictionary(e => e.Key, e => new[] { e.Value }, StringComparer.Ordinal),
            title: title);

    private static ProblemHttpResult WorkItemNotFound(string workItemId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Work item not found",
            detail: $"You have no shave with the workItemId '{workItemId}'.");

    private static ProblemHttpResult TooLarge(long max) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Screenshot too large",
            detail: $"A screenshot may be at most {max:N0} bytes ({DesktopPortalOptions.SectionName}:MaxScreenshotBytes).");

    /// <summary>The caller as the policy has proven them: a Microsoft user (oid) of the configured tenant.</summary>
    private static DesktopUser DesktopUserOf(ClaimsPrincipal principal) =>
        DesktopUserFrom(principal) ?? throw new InvalidOperationException("The DesktopUser policy admits only tokens with an object id.");

    internal static DesktopUser? DesktopUserFrom(ClaimsPrincipal principal)
    {
        if (!Guid.TryParse(principal.GetObjectId(), out var objectId))
        {
            return null;
        }

        var roles = principal.Claims.Where(c => c.Type is "roles" or "role" or ClaimTypes.Role).Select(c => c.Value).ToList();
        return new DesktopUser(objectId, principal.FindFirst("name")?.Value ?? principal.GetDisplayName(), principal.GetTenantId(), roles);
    }
}

public sealed record DesktopSignedIn(Guid UserId, string? DisplayName);
