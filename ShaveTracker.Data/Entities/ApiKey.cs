namespace ShaveTracker.Data.Entities;

/// <summary>
/// api_keys: a credential for the pipeline's ingestion API on installs without Entra ID. Only a SHA-256 hash of the
/// key is stored (keys are 256-bit random, so a fast hash is enough); the key itself is shown once, at creation.
/// </summary>
public sealed class ApiKey
{
    public const int NameMaxLength = 200;

    public Guid Id { get; set; }
    public string Name { get; set; } = "";

    /// <summary>The first characters of the key, to recognise it in lists and logs.</summary>
    public string KeyPrefix { get; set; } = "";

    public string KeyHash { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTime? RevokedAt { get; set; }

    /// <summary>When the key stops working by itself (null: until revoked).</summary>
    public DateTime? ExpiresAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}
