using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.Security;

/// <summary>Log lines, forwarded headers, filter options and exports: the smaller ways data leaked or could be forged.</summary>
public sealed class SmallerFindingsTests(WebAppFixture app) : WebTest(app)
{
    [Theory]
    [InlineData("Serilog:WriteTo:0:Args:outputTemplate")]
    [InlineData("Serilog:WriteTo:1:Args:outputTemplate")]
    public void A_user_name_with_a_newline_cannot_forge_a_line_in_the_plain_text_logs(string templateSetting)
    {
        var template = App.Factory.Services.GetRequiredService<IConfiguration>()[templateSetting];
        Assert.False(string.IsNullOrEmpty(template), $"{templateSetting} is not set.");
        var events = new List<LogEvent>();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(new ListSink(events)).CreateLogger())
        {
            logger.Warning("Local sign-in for {UserName} refused: {Reason}",
                "eve\n2026-12-02T10:00:00.0000000+00:00 [INF] ShaveTracker Audit: admin granted role Admin\r\n", "wrong password");
        }

        using var output = new StringWriter();
        new MessageTemplateTextFormatter(template).Format(events.Single(), output);
        var lines = output.ToString().Split('\n');

        // One line and the final newline: the forged "line" stays inside the first, escaped.
        Assert.Equal(2, lines.Length);
        Assert.Equal("", lines[1]);
        Assert.Contains("eve\\n2026-12-02", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_requester_finds_only_the_projects_of_their_own_shaves_in_the_filter_options()
    {
        var requester = await CreateLocalUserAsync("req@example.test", "Rita Requester");
        var staff = await CreateLocalUserAsync("staff@example.test", "Stan Staff", Roles.Staff);
        var mine = await CreateProjectAsync(staff, "Storefront Web");
        await CreateProjectAsync(staff, "Secret Acquisition Portal");
        await CreateShaveForAsync(requester, projectId: mine);

        using var asRequester = await SignedInClientAsync("req@example.test");
        var seen = await NamesAsync(asRequester, "/shaves/filter-options/projects");
        Assert.Equal(["Storefront Web"], seen);
        Assert.Empty(await NamesAsync(asRequester, "/shaves/filter-options/projects?q=Secret"));

        using var asStaff = await SignedInClientAsync("staff@example.test");
        Assert.Equal(["Secret Acquisition Portal", "Storefront Web"], (await NamesAsync(asStaff, "/shaves/filter-options/projects")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_csv_export_is_not_stored_by_caches()
    {
        await CreateLocalUserAsync("req@example.test", "Rita Requester");
        using var client = await SignedInClientAsync("req@example.test");
        using var response = await client.GetAsync(new Uri("/shaves/export.csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
    }

    [Theory]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    [InlineData(true, true, false)]
    public async Task Forwarded_headers_believed_from_any_sender_are_warned_about_at_start(bool enabled, bool frameworkSwitch, bool noProxyListed)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ForwardedHeaders:Enabled"] = enabled ? "true" : "false",
            ["ForwardedHeaders_Enabled"] = frameworkSwitch ? "true" : "false",
        };
        if (!noProxyListed)
        {
            settings["ForwardedHeaders:KnownProxies:0"] = "10.0.0.4";
        }

        var logs = new CapturingLogSink();
        await using var host = new ShaveTrackerWebFactory(App.Database.ConnectionString, settings, services => services.AddSingleton<ILogEventSink>(logs));
        host.StartServer();

        var warned = logs.Events.Any(e => e.Level == LogEventLevel.Warning && e.MessageTemplate.Text.Contains("Forwarded headers are read from any sender", StringComparison.Ordinal));
        Assert.Equal(noProxyListed, warned);
    }

    [Fact]
    public async Task Without_forwarded_headers_there_is_no_warning()
    {
        var logs = new CapturingLogSink();
        await using var host = new ShaveTrackerWebFactory(App.Database.ConnectionString, null, services => services.AddSingleton<ILogEventSink>(logs));
        host.StartServer();
        Assert.DoesNotContain(logs.Events, e => e.MessageTemplate.Text.Contains("Forwarded headers are read from any sender", StringComparison.Ordinal));
    }

    private async Task<Guid> CreateProjectAsync(User owner, string name)
    {
        var project = new Project
        {
            Id = Ids.NewId(), UserId = owner.Id, Name = name, BacklogUrl = "https://github.com/contoso/" + name.Replace(' ', '-').ToLowerInvariant(),
            Source = ProjectSources.Remote, CustomPrompt = "Write GitHub issues.", CreatedAt = DateTime.UtcNow,
        };
        await using var db = await Factory.CreateDbContextAsync();
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        return project.Id;
    }

    private static async Task<List<string>> NamesAsync(HttpClient client, string path)
    {
        using var doc = JsonDocument.Parse(await client.GetStringAsync(new Uri(path, UriKind.Relative)));
        return [.. doc.RootElement.EnumerateArray().Select(o => (o.TryGetProperty("name", out var n) ? n : o.GetProperty("label")).GetString()!)];
    }

    private sealed class ListSink(List<LogEvent> events) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => events.Add(logEvent);
    }
}

/// <summary>The key ring at rest: encrypted with the configured certificate, plain XML (and a warning) without one.</summary>
public sealed class DataProtectionKeyTests : IAsyncLifetime
{
    private readonly SqliteDatabaseFixture _database = new();
    private string _folder = "";

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _folder = Directory.CreateTempSubdirectory("shavetracker-dp-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task With_a_certificate_configured_the_stored_keys_are_encrypted()
    {
        var path = Path.Combine(_folder, "dp.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=ShaveTracker data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        }

        var settings = new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = path,
            ["DataProtection:CertificatePassword"] = "pfx-password",
        };
        var xml = await KeyXmlAfterASignInPageAsync(settings);

        Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);

        // Another instance (or the next start) decrypts the stored key with the same certificate and signs in with it.
        await LocalSignIn.CreateUserAsync(_database.Factory, "alice@example.test", "Alice Requester");
        await using var next = new ShaveTrackerWebFactory(_database.ConnectionString, settings);
        using var client = next.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var signIn = await LocalSignIn.PostAsync(client, client.BaseAddress!, client.BaseAddress!, "alice@example.test");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        await using var db = await _database.Factory.CreateDbContextAsync();
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
    }

    [Fact]
    public async Task Without_a_certificate_the_keys_are_plain_and_the_app_says_so_at_start()
    {
        var logs = new CapturingLogSink();
        var xml = await KeyXmlAfterASignInPageAsync(null, logs);

        Assert.Contains("<masterKey", xml, StringComparison.Ordinal);
        Assert.Contains(logs.Events, e => e.Level == LogEventLevel.Warning && e.MessageTemplate.Text.Contains("DataProtection:CertificatePath", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_read_stops_the_app_naming_the_setting()
    {
        await using var host = new ShaveTrackerWebFactory(_database.ConnectionString, new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = Path.Combine(_folder, "missing.pfx"),
        });
        var error = Assert.ThrowsAny<Exception>(host.StartServer);
        Assert.Contains("DataProtection:CertificatePath", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<string> KeyXmlAfterASignInPageAsync(IDictionary<string, string?>? settings, CapturingLogSink? logs = null)
    {
        await using var host = new ShaveTrackerWebFactory(_database.ConnectionString, settings,
            services => services.AddSingleton<ILogEventSink>(logs ?? new CapturingLogSink()));
        using var client = host.CreateClient();
        // The sign-in form carries an antiforgery token: rendering it needs a key, so the first one is made and stored.
        using var page = await client.GetAsync(new Uri("/account/signin", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        await using var db = await _database.Factory.CreateDbContextAsync();
        var keys = await db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync();
        return Assert.Single(keys)!;
    }
}
