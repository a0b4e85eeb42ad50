using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Features.Account;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Shared;
using ShaveTracker.Web.WritePath;

namespace ShaveTracker.Web.Features.DesktopPortal;

/// <summary>What a task record became: the shave's id (the desktop's workItemId), and whether this report made it.</summary>
public sealed record DesktopTaskRecordWritten(Guid WorkItemId, bool Created);

/// <summary>
/// YakShaver Desktop's portal calls translated into what ShaveTracker already does: its sign-in becomes a Microsoft
/// sign-in (<see cref="SignInService"/>), its task record a <see cref="ShaveReport"/> to the write path
/// (<see cref="IngestionService"/>, which validates, audits and announces it exactly as for the pipeline's API), its
/// Undo the requester's own withdrawal (<see cref="ShavesService.WithdrawOwnAsync"/>). What is checked here is the
/// desktop's dialect only: every key present, the project one it may record for (active), the watch URL a web
/// address, and a report seen before answered as before. Every write answers a <see cref="CommandResult{T}"/>.
/// </summary>
public sealed partial class DesktopPortalService(
    IDbContextFactory<ShaveTrackerDbContext> factory,
    IngestionService ingestion,
    ShavesService shaves,
    SignInService signIn,
    DesktopScreenshots screenshots,
    IOptions<VideoEmbedOptions> video,
    TimeProvider clock,
    ILogger<DesktopPortalService> logger)
{
    /// <summary>What <c>recentWorkItemsCount</c> counts: the project's shaves with a work item in this many days.</summary>
    public const int RecentDays = 30;

    public const string DesktopSource = "YakShaver Desktop";

    // ---- Sign-in --------------------------------------------------------------------------------------------

    /// <summary>The desktop's tenant callback, after every sign-in: the users row created or kept current, as on the web.</summary>
    public Task SignInAsync(DesktopUser user, CancellationToken ct) =>
        signIn.SignInMicrosoftAsync(user.ObjectId, user.DisplayName, user.TenantId, user.AppRoles, ct);

    /// <summary>A desktop signed in before this database knew its user (a new install) is signed in now.</summary>
    public async Task EnsureUserAsync(DesktopUser user, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Users.AnyAsync(u => u.Id == user.ObjectId, ct))
        {
            await SignInAsync(user, ct);
        }
    }

    // ---- Projects -------------------------------------------------------------------------------------------

    /// <summary>Every active project: ShaveTracker has no project membership, so anyone signed in may record for any.</summary>
    public async Task<IReadOnlyList<DesktopProjectSummary>> ProjectSummariesAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Projects.AsNoTracking()
            .Where(p => p.IsActive)
            .OrderBy(p => p.Name).ThenBy(p => p.Id)
            .Select(p => new DesktopProjectSummary(p.Id, p.Name, p.Description))
            .ToListAsync(ct);
    }

    /// <summary>An active project's details; null when it does not exist or is inactive.</summary>
    public async Task<DesktopProjectDetails?> ProjectAsync(Guid id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-RecentDays);
        return await db.Projects.AsNoTracking()
            .Where(p => p.Id == id && p.IsActive)
            .Select(p => new DesktopProjectDetails(
                p.Id, p.Name, p.Description, p.BacklogUrl, Array.Empty<string>(),
                "YouTube",
                p.Shaves.Count(s => s.CreatedAt >= since && s.WorkItemUrl != null),
                false,
                true,
                false,
                p.CustomPrompt))
            .FirstOrDefaultAsync(ct);
    }

    // ---- Task records ---------------------------------------------------------------------------------------

    /// <summary>
    /// The desktop's report of a work item it wrote, as a Completed shave of this user in that project. The same
    /// report again (same user, same work item URL) answers the shave it made the first time and writes nothing, so
    /// a report posted again after Undo does not bring the shave back.
    /// </summary>
    public async Task<CommandResult<DesktopTaskRecordWritten>> PostTaskRecordAsync(DesktopUser user, JsonElement body, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var record = Parse(body, errors);
        if (record is null)
        {
            return errors.ToResult<DesktopTaskRecordWritten>();
        }

        // The watch URL becomes the video file's path, which the write path takes as any text: the desktop means a link.
        if (record.UploadedVideoUrl is { } watchUrl && UrlRules.Check(watchUrl, VideoFile.FilePathMaxLength) is { } message)
        {
            errors.Add("uploadedVideoUrl", message);
        }

        var shaveId = record.WorkItemUrl is { } workItemUrl ? NameBasedId(user.ObjectId, workItemUrl, "shave") : Ids.NewId();
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            if (!await db.Projects.AnyAsync(p => p.Id == record.ProjectId && p.IsActive, ct))
            {
                errors.Add("projectId", "No active project has this id: choose one of the projects ShaveTracker lists.");
            }

            if (errors.Any)
            {
                return errors.ToResult<DesktopTaskRecordWritten>();
            }

            var earlier = record.WorkItemUrl is null ? null : await db.Shaves.AsNoTracking()
                .Where(s => s.RequesterId == user.ObjectId && (s.WorkItemUrl == record.WorkItemUrl || s.Id == shaveId))
                .Select(s => (Guid?)s.Id)
                .FirstOrDefaultAsync(ct);
            if (earlier is { } seen)
            {
                await screenshots.AttachAsync(user.ObjectId, record.ImageUrl, seen, ct);
                return CommandResult<DesktopTaskRecordWritten>.Success(new DesktopTaskRecordWritten(seen, Created: false));
            }
        }

        var result = await ingestion.PutShaveAsync(Client(user), shaveId, ToShaveReport(user, record, shaveId), ct);
        if (!result.Succeeded)
        {
            return InDesktopTerms(result);
        }

        await screenshots.AttachAsync(user.ObjectId, record.ImageUrl, shaveId, ct);
        LogTaskRecord(logger, user.ObjectId, shaveId, record.ProjectId);
        return CommandResult<DesktopTaskRecordWritten>.Success(new DesktopTaskRecordWritten(shaveId, Created: true));
    }

    /// <summary>The desktop's Undo: the user's own shave becomes Cancelled; anyone else's is not found.</summary>
    public async Task<CommandResult<DesktopWorkItemCancelled>> CancelAsync(DesktopUser user, Guid workItemId, CancellationToken ct)
    {
        var result = await shaves.WithdrawOwnAsync(new Caller(user.ObjectId, user.DisplayName ?? "", IsStaff: false, IsAdmin: false), workItemId, ct);
        return result.Succeeded
            ? CommandResult<DesktopWorkItemCancelled>.Success(new DesktopWorkItemCancelled(workItemId, ShaveStatus.Cancelled.ToDb()))
            : new CommandResult<DesktopWorkItemCancelled>(result.Outcome, result.Errors, Message: result.Message);
    }

    /// <summary>
    /// Stores a screenshot the desktop uploaded, if its bytes are a PNG or a JPEG (whatever the upload claimed); the
    /// uploader is signed in first if this database does not know them yet.
    /// </summary>
    public async Task<CommandResult<StoredScreenshot>> UploadScreenshotAsync(DesktopUser user, byte[] content, CancellationToken ct)
    {
        if (DesktopScreenshots.Sniff(content) is not { } contentType)
        {
            return CommandResult<StoredScreenshot>.Invalid("file", "The file is neither a PNG nor a JPEG image (judged by its content, not its name).");
        }

        await EnsureUserAsync(user, ct);
        return CommandResult<StoredScreenshot>.Success(await screenshots.StoreAsync(user.ObjectId, content, contentType, ct));
    }

    private ShaveReport ToShaveReport(DesktopUser user, DesktopTaskRecord record, Guid shaveId)
    {
        var watchUrl = record.UploadedVideoUrl ?? record.UploadedVideoEmbedUrl;
        var embedUrl = record.UploadedVideoEmbedUrl;
        return new ShaveReport(
            Title: record.Title,
            Status: ShaveStatus.Completed.ToDb(),
            Requester: new RequesterReport(UserId: null, ObjectId: user.ObjectId, UserName: null, DisplayName: user.DisplayName),
            ProjectId: record.ProjectId,
            VideoFile: new VideoFileReport(NameBasedId(user.ObjectId, shaveId.ToString(), "video"),
                VideoFileName(record.UploadedVideoProvider, watchUrl), watchUrl, FileHash: null, Duration: 0),
            WorkItemUrl: record.WorkItemUrl,
            WorkItemSource: SourceOf(record.WorkItemUrl),
            // Only a host the shave page may frame is kept as the embed (the watch URL, in the video file's path, is the
            // link otherwise); what is not a web address at all goes on, for the write path to refuse.
            VideoEmbedUrl: video.Value.CanEmbed(embedUrl) || !UrlRules.IsHttp(embedUrl) ? embedUrl : null,
            CreatedAt: null,
            WorkItem: new WorkItemReport(record.Description, record.ImageUrl, record.ImageFigure));
    }

    /// <summary>
    /// The body as the desktop sends it: every key present (a missing one is a client out of step with this contract,
    /// not a value to default), strings or null. Blank optional strings are null.
    /// </summary>
    internal static DesktopTaskRecord? Parse(JsonElement body, FieldErrors errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("", "The body must be a JSON object with the task record's ten fields.");
            return null;
        }

        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in DesktopTaskRecord.Keys)
        {
            if (!body.TryGetProperty(key, out var value))
            {
                errors.Add(key, "This field is missing: the task record has all ten fields, each a string or null.");
            }
            else if (value.ValueKind == JsonValueKind.String)
            {
                values[key] = value.GetString();
            }
            else if (value.ValueKind == JsonValueKind.Null && !DesktopTaskRecord.NonNullKeys.Contains(key))
            {
                values[key] = null;
            }
            else
            {
                errors.Add(key, DesktopTaskRecord.NonNullKeys.Contains(key) ? "This field must be a string." : "This field must be a string or null.");
            }
        }

        Guid projectId = default;
        if (values.TryGetValue("projectId", out var rawProject) && !Guid.TryParse(rawProject, out projectId))
        {
            errors.Add("projectId", "The project id must be a UUID.");
        }

        if (errors.Any)
        {
            return null;
        }

        string? Optional(string key) => string.IsNullOrWhiteSpace(values[key]) ? null : values[key]!.Trim();
        return new DesktopTaskRecord(values["projectName"]!, projectId, values["title"]!, values["description"]!,
            Optional("workItemUrl"), Optional("imageUrl"), Optional("imageFigure"), Optional("uploadedVideoProvider"),
            Optional("uploadedVideoEmbedUrl"), Optional("uploadedVideoUrl"));
    }

    /// <summary>Where the work item lives, as the rest of ShaveTracker names it; anything else is the desktop's.</summary>
    internal static string SourceOf(string? workItemUrl)
    {
        if (!Uri.TryCreate(workItemUrl, UriKind.Absolute, out var uri))
        {
            return DesktopSource;
        }

        var host = uri.Host.ToLowerInvariant();
        return host switch
        {
            "github.com" or "www.github.com" => "GitHub",
            "dev.azure.com" => "AzureDevOps",
            _ when host.EndsWith(".visualstudio.com", StringComparison.Ordinal) => "AzureDevOps",
            _ => DesktopSource,
        };
    }

    /// <summary>A name for the video_files row: the provider and the video's id (YouTube's v, else the last path segment).</summary>
    internal static string VideoFileName(string? provider, string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "Recording (not uploaded)";
        }

        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var id = query["v"] ?? uri.Segments.LastOrDefault(s => s.Trim('/').Length > 0)?.Trim('/') ?? uri.Host;
        var name = $"{(string.IsNullOrWhiteSpace(provider) ? uri.Host : provider.Trim())} video {id}";
        return name.Length <= VideoFile.FileNameMaxLength ? name : name[..VideoFile.FileNameMaxLength];
    }

    /// <summary>
    /// The same id for the same user and work item, whoever computes it: a report posted twice at once meets itself
    /// at the shave's primary key instead of making two shaves. RFC 9562 version 8 (custom: SHA-256 of the name).
    /// </summary>
    internal static Guid NameBasedId(Guid userId, string name, string purpose)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"shavetracker-desktop/{purpose}\n{userId:D}\n{name}"), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The write path's field names, in the desktop's: the answer names what the desktop sent.</summary>
    private static CommandResult<DesktopTaskRecordWritten> InDesktopTerms<T>(CommandResult<T> refused)
    {
        if (refused.Outcome != CommandOutcome.Invalid)
        {
            return new CommandResult<DesktopTaskRecordWritten>(refused.Outcome, Message: refused.Message);
        }

        var named = new FieldErrors();
        foreach (var (field, message) in refused.Errors ?? new Dictionary<string, string>())
        {
            named.Add(field switch
            {
                "videoEmbedUrl" => "uploadedVideoEmbedUrl",
                "workItem.screenshotUrl" => "imageUrl",
                "workItem.screenshotFigure" => "imageFigure",
                "workItem.description" => "description",
                _ when field.StartsWith("videoFile", StringComparison.Ordinal) => "uploadedVideoUrl",
                _ when field.StartsWith("requester", StringComparison.Ordinal) => "",
                _ => field,
            }, message);
        }

        return named.ToResult<DesktopTaskRecordWritten>();
    }

    /// <summary>The desktop signs in as its user: a person's own credential, which writes only their shaves.</summary>
    private static Credential Client(DesktopUser user) => Credential.Person(user.ObjectId, user.DisplayName ?? "YakShaver Desktop user");

    [LoggerMessage(Level = LogLevel.Information, Message = "YakShaver Desktop task record of user {UserId}: shave {ShaveId} in project {ProjectId}")]
    private static partial void LogTaskRecord(ILogger logger, Guid userId, Guid shaveId, Guid projectId);
}
