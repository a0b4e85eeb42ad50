using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Ingestion;

public sealed record ApiKeyRow(Guid Id, string Name, string KeyPrefix, DateTime CreatedAt, string? CreatedByName, DateTime? RevokedAt, DateTime? LastUsedAt,
    DateTime? ExpiresAt);

/// <summary>How long a new key works: a key that leaks from a forgotten machine stops working by itself.</summary>
public static class ApiKeyLifetimes
{
    public static readonly int DefaultDays = 90;

    /// <summary>The choices offered, in days (null: until revoked).</summary>
    public static readonly IReadOnlyList<int?> Choices = [30, 90, 365, null];

    public static string Describe(int? days) => days switch
    {
        null => "Never (until revoked)",
        365 => "1 year",
        _ => $"{days} days",
    };
}

/// <summary>The key, shown once: it is not stored anywhere.</summary>
public sealed record CreatedApiKey(Guid Id, string Name, string Key, DateTime? ExpiresAt);

public sealed partial class ApiKeyService(IDbContextFactory<ShaveTrackerDbContext> factory, TimeProvider clock, ILogger<ApiKeyService> logger)
{
    public const string Prefix = "stk_";

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(Caller caller, CancellationToken ct)
    {
        EnsureAdmin(caller);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.ApiKeys.AsNoTracking()
            .OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id)
            .Select(k => new ApiKeyRow(k.Id, k.Name, k.KeyPrefix, k.CreatedAt,
                db.Users.Where(u => u.Id == k.CreatedBy).Select(u => u.DisplayName).FirstOrDefault(), k.RevokedAt, k.LastUsedAt, k.ExpiresAt))
            .ToListAsync(ct);
    }

    /// <summary>A new key named <paramref name="name"/> that works for <paramref name="lifetimeDays"/> days (null: until revoked).</summary>
    public async Task<CommandResult<CreatedApiKey>> CreateAsync(Caller caller, string name, int? lifetimeDays, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.CanManageApiKeys)
        {
            return CommandResult<CreatedApiKey>.Forbidden(OnlyAdmins);
        }

        name = name?.Trim() ?? "";
        if (name.Length is 0 or > ApiKey.NameMaxLength)
        {
            return CommandResult<CreatedApiKey>.Invalid(nameof(name), $"Name the key (1–{ApiKey.NameMaxLength} characters), e.g. after the worker that will use it.");
        }

        if (lifetimeDays is < 1 or > 3650)
        {
            return CommandResult<CreatedApiKey>.Invalid("lifetime", "A key works for 1 to 3,650 days, or until revoked.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var key = Prefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var row = new ApiKey
        {
            Id = Ids.NewId(),
            Name = name,
            KeyPrefix = key[..10],
            KeyHash = Hash(key),
            CreatedAt = now,
            CreatedBy = caller.UserId,
            ExpiresAt = lifetimeDays is { } days ? now.AddDays(days) : null,
        };
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await ActingUser.MayNowAsync(db, caller, Capability.ManageApiKeys, ct))
        {
            return CommandResult<CreatedApiKey>.Forbidden(NoLongerAdmin);
        }

        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(ct);
        LogKeyCreated(logger, caller.UserId, row.Id, row.Name, row.KeyPrefix);
        return CommandResult<CreatedApiKey>.Success(new CreatedApiKey(row.Id, row.Name, key, row.ExpiresAt));
    }

    /// <summary>Revokes the key; a key already revoked (or gone) is answered as not found.</summary>
    public async Task<CommandResult<Done>> RevokeAsync(Caller caller, Guid id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.CanManageApiKeys)
        {
            return CommandResult<Done>.Forbidden(OnlyAdmins);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await ActingUser.MayNowAsync(db, caller, Capability.ManageApiKeys, ct))
        {
            return CommandResult<Done>.Forbidden(NoLongerAdmin);
        }

        var changed = await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, clock.GetUtcNow().UtcDateTime), ct);
        if (changed > 0)
        {
            LogKeyRevoked(logger, caller.UserId, id);
        }

        return changed > 0 ? CommandResult<Done>.Success(Done.Value) : CommandResult<Done>.NotFound("This key is already revoked.");
    }

    /// <summary>
    /// The active key with this value (not revoked, not expired), or null. Compared by hash: the database never
    /// sees the key.
    /// </summary>
    internal async Task<ApiKey?> FindActiveAsync(string key, CancellationToken ct)
    {
        var hash = Hash(key);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == hash && k.RevokedAt == null, ct);
        if (row is null || row.ExpiresAt <= now)
        {
            return null;
        }

        if (row.LastUsedAt is null || now - row.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            // At most once a minute per key: "last used" is for people, not worth a write per request.
            await db.ApiKeys.Where(k => k.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
        }

        return row;
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private const string OnlyAdmins = "Only admins manage API keys.";

    // A key is a credential: whoever makes or revokes one must be an admin now, not when their page opened.
    private const string NoLongerAdmin = "Only admins manage API keys, and you are no longer an admin.";

    /// <summary>Reads are guarded by the page's policy; a caller without it reaching here is a bug, not a refusal.</summary>
    private static void EnsureAdmin(Caller caller)
    {
        if (!caller.CanManageApiKeys)
        {
            throw new UnauthorizedAccessException(OnlyAdmins);
        }
    }


    [LoggerMessage(Level = LogLevel.Information, Message = "Audit: admin {ActorUserId} created API key {KeyId} ({Name}, {KeyPrefix}…)")]
    private static partial void LogKeyCreated(ILogger logger, Guid actorUserId, Guid keyId, string name, string keyPrefix);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit: admin {ActorUserId} revoked API key {KeyId}")]
    private static partial void LogKeyRevoked(ILogger logger, Guid actorUserId, Guid keyId);
}

/// <summary>The <c>X-Api-Key</c> header: a pipeline client with the ingest role.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string ClientClaim = "st_client";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.FindActiveAsync(values[0]!.Trim(), Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is not valid, has expired or has been revoked.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClientClaim, $"apikey:{key.Id}"),
                new Claim(ClaimNames.Name, key.Name),
                new Claim(ClaimNames.Role, IngestionEndpoints.IngestRole),
            ],
            SchemeName, ClaimNames.Name, ClaimNames.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status401Unauthorized, "Authentication required",
            $"Send an API key in the {HeaderName} header, or an Entra ID bearer token with the {IngestionEndpoints.IngestRole} app role.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Not allowed",
            $"This client lacks the {IngestionEndpoints.IngestRole} role.");

    private Task WriteProblemAsync(int status, string title, string detail)
    {
        if (Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        Response.StatusCode = status;
        return Response.WriteAsJsonAsync(new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail },
            options: null, contentType: "application/problem+json");
    }
}
