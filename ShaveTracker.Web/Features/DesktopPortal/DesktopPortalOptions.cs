using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ShaveTracker.Web.Features.DesktopPortal;

/// <summary>
/// The <c>YakShaverDesktop</c> section: whether ShaveTracker answers as the portal of YakShaver Desktop, and where.
/// The desktop's <c>PORTAL_API_URL</c> is this app's address plus <see cref="ApiPrefix"/>, its
/// <c>PORTAL_TENANTS_URL</c> the address plus <see cref="TenantsPrefix"/>.
/// </summary>
public sealed class DesktopPortalOptions
{
    public const string SectionName = "YakShaverDesktop";

    public bool Enabled { get; set; }

    /// <summary>The path of <c>PORTAL_API_URL</c>: the desktop's project, task record and screenshot calls go under it.</summary>
    public string ApiPrefix { get; set; } = "/api";

    /// <summary>The path of <c>PORTAL_TENANTS_URL</c>: the desktop calls <c>{prefix}/auth/callback</c> after every sign-in.</summary>
    public string TenantsPrefix { get; set; } = "/tenants";

    /// <summary>Largest screenshot the desktop may upload, in bytes (413 above it).</summary>
    [Range(1024, 32L * 1024 * 1024)]
    public long MaxScreenshotBytes { get; set; } = 10L * 1024 * 1024;
}

/// <summary>
/// Checks made at start: the desktop signs its users in with Microsoft Entra ID, so <c>AzureAd</c> must be configured;
/// the prefixes must be paths that no other part of the app answers.
/// </summary>
public sealed class DesktopPortalOptionsValidator(IConfiguration configuration) : IValidateOptions<DesktopPortalOptions>
{
    // The pages and the ingestion API live here; the desktop's routes under one of them would shadow or be shadowed.
    private static readonly string[] Taken = ["/api/v1", "/account", "/shaves", "/projects", "/logs", "/users", "/health", "/_blazor", "/_framework", "/_content"];

    private static readonly string[] AzureAdKeys = ["Instance", "TenantId", "ClientId"];

    public ValidateOptionsResult Validate(string? name, DesktopPortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        var azureAd = configuration.GetSection("AzureAd");
        var missing = AzureAdKeys.Where(k => string.IsNullOrWhiteSpace(azureAd[k])).ToList();
        if (missing.Count > 0)
        {
            failures.Add($"{SectionNameOf(nameof(options.Enabled))} is true but AzureAd is not configured (missing AzureAd:{string.Join(", AzureAd:", missing)}): " +
                "YakShaver Desktop signs its users in with Microsoft Entra ID, and ShaveTracker accepts their tokens only through its AzureAd registration.");
        }

        CheckPrefix(failures, nameof(options.ApiPrefix), options.ApiPrefix);
        CheckPrefix(failures, nameof(options.TenantsPrefix), options.TenantsPrefix);
        if (string.Equals(options.ApiPrefix.TrimEnd('/'), options.TenantsPrefix.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{SectionNameOf(nameof(options.ApiPrefix))} and {SectionNameOf(nameof(options.TenantsPrefix))} must differ.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPrefix(List<string> failures, string setting, string? prefix)
    {
        var trimmed = prefix?.TrimEnd('/') ?? "";
        if (trimmed.Length < 2 || trimmed[0] != '/' || !Uri.IsWellFormedUriString(trimmed, UriKind.Relative) || trimmed.Contains("//", StringComparison.Ordinal))
        {
            failures.Add($"{SectionNameOf(setting)} must be a path such as /api (the path of the desktop's portal URL), not '{prefix}'.");
            return;
        }

        // A parent of a taken path is fine (/api beside /api/v1): the desktop's routes below it are distinct.
        var clash = Taken.FirstOrDefault(t =>
            trimmed.Equals(t, StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith(t + "/", StringComparison.OrdinalIgnoreCase));
        if (clash is not null)
        {
            failures.Add($"{SectionNameOf(setting)} '{prefix}' is under {clash}, which the app already answers: choose another path.");
        }
    }

    private static string SectionNameOf(string setting) => $"{DesktopPortalOptions.SectionName}:{setting}";
}
