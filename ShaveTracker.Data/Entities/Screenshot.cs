namespace ShaveTracker.Data.Entities;

/// <summary>
/// screenshots: an image a requester's YakShaver Desktop uploaded for the work item it is writing. It is fetched by
/// <see cref="Token"/> (random, unguessable) without signing in, because the work item in GitHub or Azure DevOps
/// embeds its URL. It belongs to a shave once the desktop's task record names it, and goes when the shave goes.
/// </summary>
public sealed class Screenshot
{
    public const int TokenMaxLength = 64;
    public const int ContentTypeMaxLength = 32;

    public Guid Id { get; set; }

    /// <summary>The secret part of the public URL: 32 random bytes, base64url.</summary>
    public string Token { get; set; } = "";

    public Guid UploaderId { get; set; }
    public Guid? ShaveId { get; set; }

    /// <summary>image/png or image/jpeg, as the bytes say (not as the upload claimed).</summary>
    public string ContentType { get; set; } = "";

    public byte[] Content { get; set; } = [];
    public DateTime CreatedAt { get; set; }

    public User? Uploader { get; set; }
    public Shave? Shave { get; set; }
}
