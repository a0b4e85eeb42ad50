using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.Features.DesktopPortal;

public sealed record StoredScreenshot(string ContentType, byte[] Content, DateTime CreatedAt, string Token);

/// <summary>
/// The images the desktop uploads for the work items it writes, kept in the database. Each is fetched by a random
/// 256-bit token without signing in (GitHub and Azure DevOps show it to the work item's readers), and belongs to the
/// shave whose task record names it, so it is deleted with that shave.
/// </summary>
public sealed class DesktopScreenshots(IDbContextFactory<ShaveTrackerDbContext> factory, IOptions<DesktopPortalOptions> options, TimeProvider clock)
{
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The route below the API prefix; the file is the token and an extension for the readers' sake.</summary>
    public const string RoutePath = "/desktopapp/screenshots";

    /// <summary>What the bytes are, by their signature (not by the upload's name or claimed type); null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> content) =>
        content.StartsWith(PngSignature) ? Png
        : content.Length >= 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF ? Jpeg
        : null;

    public async Task<StoredScreenshot> StoreAsync(Guid uploaderId, byte[] content, string contentType, CancellationToken ct)
    {
        var shot = new Screenshot
        {
            Id = Ids.NewId(),
            Token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)),
            UploaderId = uploaderId,
            ContentType = contentType,
            Content = content,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await using var db = await factory.CreateDbContextAsync(ct);
        db.Screenshots.Add(shot);
        await db.SaveChangesAsync(ct);
        return new StoredScreenshot(shot.ContentType, shot.Content, shot.CreatedAt, shot.Token);
    }

    public async Task<StoredScreenshot?> FindAsync(string file, CancellationToken ct)
    {
        if (TokenOfFile(file) is not { } token)
        {
            return null;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Screenshots.AsNoTracking()
            .Where(s => s.Token == token)
            .Select(s => new StoredScreenshot(s.ContentType, s.Content, s.CreatedAt, s.Token))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>The path this app serves a screenshot at, below its path base.</summary>
    public string PathOf(StoredScreenshot shot)
    {
        ArgumentNullException.ThrowIfNull(shot);
        return $"{options.Value.ApiPrefix.TrimEnd('/')}{RoutePath}/{shot.Token}{(shot.ContentType == Png ? ".png" : ".jpg")}";
    }

    /// <summary>
    /// Gives the uploader's screenshot that <paramref name="imageUrl"/> names to the shave, so it goes when the shave
    /// goes. A URL that is not one of this app's screenshots, or someone else's, changes nothing.
    /// </summary>
    public async Task AttachAsync(Guid uploaderId, string? imageUrl, Guid shaveId, CancellationToken ct)
    {
        var prefix = $"{options.Value.ApiPrefix.TrimEnd('/')}{RoutePath}/";
        if (!Uri.TryCreate(imageUrl, UriKind.Absolute, out var uri))
        {
            return;
        }

        var at = uri.AbsolutePath.IndexOf(prefix, StringComparison.Ordinal);
        if (at < 0 || TokenOfFile(uri.AbsolutePath[(at + prefix.Length)..]) is not { } token)
        {
            return;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Screenshots
            .Where(s => s.Token == token && s.UploaderId == uploaderId && s.ShaveId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ShaveId, shaveId), ct);
    }

    private static string? TokenOfFile(string file)
    {
        var token = Path.GetFileNameWithoutExtension(file);
        // 32 bytes in base64url: 43 characters of its alphabet.
        return token.Length == 43 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? token : null;
    }
}
