using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using ShaveTracker.Data;

namespace ShaveTracker.Web.Infrastructure;

/// <summary>
/// The <c>DataProtection</c> section: the certificate that encrypts the key ring at rest. Without one the keys (which
/// decrypt every sign-in cookie) are stored as plain XML in the database, readable by anyone who can read a backup.
/// </summary>
public sealed class DataProtectionSettings
{
    public const string SectionName = "DataProtection";

    /// <summary>A PFX file with the certificate and its RSA private key (a mounted secret, a Key Vault certificate download).</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Or the thumbprint of a certificate in the CurrentUser or LocalMachine "My" store (on Azure App Service, a Key
    /// Vault certificate imported into the app and loaded with WEBSITE_LOAD_CERTIFICATES).
    /// </summary>
    public string? CertificateThumbprint { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(CertificateThumbprint);
}

/// <summary>
/// The data-protection key ring (what sign-in and antiforgery cookies are encrypted with) in the app's database,
/// so that a cookie issued by one instance is read by every other, and survives a restart or a new container;
/// encrypted at rest with a certificate when one is configured.
/// </summary>
internal static partial class DataProtectionSetup
{
    /// <summary>
    /// Fixed, so that instances installed in different folders (or containers) share one key ring: by default
    /// the name is derived from the content root path.
    /// </summary>
    public const string ApplicationName = "ShaveTracker";

    /// <summary>
    /// <typeparamref name="TContext"/> is the provider's context: the key repository resolves it from a fresh scope
    /// for each read and write, and AddDbContextFactory has registered it as a scoped service too.
    /// </summary>
    public static WebApplicationBuilder AddShaveTrackerDataProtection<TContext>(this WebApplicationBuilder builder)
        where TContext : ShaveTrackerDbContext
    {
        var settings = builder.Configuration.GetSection(DataProtectionSettings.SectionName).Get<DataProtectionSettings>() ?? new();
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<TContext>();
        if (settings.Configured)
        {
            var certificate = LoadCertificate(settings);
            // Decryption too looks for the certificate it is given, not only in the machine's store (where a
            // container or App Service on Linux would not have it).
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
        else if (!builder.Environment.IsDevelopment())
        {
            builder.Services.AddHostedService<UnprotectedKeysWarning>();
        }

        return builder;
    }

    /// <summary>Loaded once at start: a wrong path, password or thumbprint stops the app with the setting's name.</summary>
    private static X509Certificate2 LoadCertificate(DataProtectionSettings settings)
    {
        X509Certificate2 certificate;
        if (!string.IsNullOrWhiteSpace(settings.CertificatePath))
        {
            try
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(settings.CertificatePath, settings.CertificatePassword);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new OptionsValidationException("DataProtection:CertificatePath", typeof(DataProtectionSettings),
                    [$"DataProtection:CertificatePath: the certificate could not be read ({ex.Message}). Check the path and DataProtection:CertificatePassword."]);
            }
        }
        else
        {
            certificate = FromStore(settings.CertificateThumbprint!.Trim())
                ?? throw new OptionsValidationException("DataProtection:CertificateThumbprint", typeof(DataProtectionSettings),
                    [$"DataProtection:CertificateThumbprint: no certificate {settings.CertificateThumbprint} in the CurrentUser or LocalMachine My store."]);
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            throw new OptionsValidationException("DataProtection:CertificatePath", typeof(DataProtectionSettings),
                ["DataProtection: the certificate needs its RSA private key (export it as PFX with the key)."]);
        }

        return certificate;
    }

    private static X509Certificate2? FromStore(string thumbprint)
    {
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.My, location);
            store.Open(OpenFlags.ReadOnly);
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
            if (found.Count > 0)
            {
                return found[0];
            }
        }

        return null;
    }

    private sealed partial class UnprotectedKeysWarning(ILogger<UnprotectedKeysWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogUnprotected(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message =
            "Data-protection keys are stored unencrypted in the database: set DataProtection:CertificatePath (or CertificateThumbprint) to encrypt them")]
        private static partial void LogUnprotected(ILogger logger);
    }
}
