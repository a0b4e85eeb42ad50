using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Features.Ingestion;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Features.Shaves.Trace;
using ShaveTracker.Web.Infrastructure;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Benchmarks;

public sealed record Measurement(string Name, string Target, int Iterations, double P50, double P95, double Max, string Unit = "ms", string? Note = null);

/// <summary>
/// The benchmark: warm-up, then many iterations of each query through the app's own services on the generated
/// database (p50/p95/max of wall time); ingestion and page throughput through real HTTP from a second process;
/// memory per idle circuit with real Chromium pages against an in-process server.
/// </summary>
public static partial class Bench
{
    private const string BenchPassword = "Bench-Password-1";
    private const string BenchUser = "bench-admin@bench.local";

    /// <param name="only">When given, only the service measurements whose name contains it run (written under the label).</param>
    public static async Task<int> RunAsync(string dbPath, string label, string? only = null)
    {
        _only = only;
        var meta = JsonSerializer.Deserialize<GeneratedMeta>(await File.ReadAllTextAsync(dbPath + ".meta.json"))!;
        var factory = new Factory($"Data Source={dbPath}");
        var shaves = new ShavesService(factory, TimeProvider.System, NullLogger<ShavesService>.Instance);
        var trace = new TraceService(factory, TimeProvider.System, NullLogger<TraceService>.Instance);
        var staff = new Caller(Guid.NewGuid(), "bench", true, false);
        var admin = new Caller(Guid.NewGuid(), "bench", false, true);
        var requester = new Caller(meta.BusyRequesterId, "bench", false, false);
        var results = new List<Measurement>();

        var first = await shaves.ListAsync(staff, new ShaveListQuery(), default);
        var lastPage = (first.TotalCount - 1) / ShaveListQuery.DefaultPageSize;
        var someShave = first.Rows[0].Id;
        const string listTarget = "≤ 20 ms p95";
        results.Add(await MeasureAsync("list: default sort (newest first)", listTarget, () => shaves.ListAsync(staff, new ShaveListQuery(), default)));
        results.Add(await MeasureAsync("list: status = Failed", listTarget, () => shaves.ListAsync(staff, new ShaveListQuery { Statuses = [ShaveStatus.Failed] }, default)));
        results.Add(await MeasureAsync("list: one project", listTarget, () => shaves.ListAsync(staff, new ShaveListQuery { ProjectId = meta.BusyProjectId }, default)));
        results.Add(await MeasureAsync("list: a requester's own shaves", listTarget, () => shaves.ListAsync(requester, new ShaveListQuery(), default)));
        results.Add(await MeasureAsync($"list: title search \"{meta.SearchWord}\"", "≤ 50 ms p95", () => shaves.ListAsync(staff, new ShaveListQuery { Search = meta.SearchWord }, default)));
        results.Add(await MeasureAsync($"list: last page (page {lastPage + 1:N0})", listTarget, () => shaves.ListAsync(staff, new ShaveListQuery { Page = lastPage }, default)));
        results.Add(await MeasureAsync("shave detail", "—", () => shaves.GetAsync(staff, someShave, default)));
        results.Add(await MeasureAsync("trace skeleton, heavy shave (50 steps, 2,000 AI logs, 3,000 tool calls)", "≤ 300 ms p95",
            () => trace.GetSkeletonAsync(admin, meta.HeavyShaveId, default), iterations: 40));
        results.Add(await MeasureAsync("open one 1–2 MB prompt (whole, masked)", "—",
            () => trace.GetAiLogAsync(admin, meta.HeavyShaveId, meta.BigAiLogId, whole: true, default), iterations: 20));

        if (only is not null)
        {
            var partial = Report.Write(label, dbPath, meta, results.Where(r => r.Iterations > 0).ToList());
            Console.WriteLine($"Written to {partial} and RESULTS.md");
            return 0;
        }

        await using (var server = await InProcessServer.StartAsync(dbPath))
        {
            var cookie = await SignInAsync(server.BaseAddress);
            results.Add(await CircuitMemoryAsync(server.BaseAddress, cookie));
            results.Add(await RunChildAsync("pages", server.BaseAddress.ToString(), cookie, "15"));
            var key = await CreateKeyAsync(factory);
            results.Add(await RunChildAsync("ingest", server.BaseAddress.ToString(), key, "30"));
        }

        var file = Report.Write(label, dbPath, meta, results);
        Console.WriteLine($"Written to {file} and RESULTS.md");
        return 0;
    }

    private static string? _only;

    private static async Task<Measurement> MeasureAsync<T>(string name, string target, Func<Task<T>> run, int iterations = 200)
    {
        if (_only is not null && !name.Contains(_only, StringComparison.OrdinalIgnoreCase))
        {
            return new Measurement(name, target, 0, 0, 0, 0);
        }

        for (var i = 0; i < 5; i++)
        {
            await run();
        }

        var times = new List<double>(iterations);
        var budget = Stopwatch.StartNew();
        for (var i = 0; i < iterations && (i < 20 || budget.Elapsed < TimeSpan.FromSeconds(30)); i++)
        {
            var sw = Stopwatch.StartNew();
            await run();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        var m = new Measurement(name, target, times.Count, Percentile(times, 0.5), Percentile(times, 0.95), times[^1]);
        Console.WriteLine($"  {name,-75} p50 {m.P50,8:N2}  p95 {m.P95,8:N2}  max {m.Max,8:N2} ms  ({m.Iterations} runs)");
        return m;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>N real Chromium pages on the shave list; the server's managed heap (after full GCs) before and after.</summary>
    private static async Task<Measurement> CircuitMemoryAsync(Uri baseAddress, string cookie)
    {
        const int circuits = 30;
        using var pw = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await pw.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new() { BaseURL = baseAddress.ToString() });
        var parts = cookie.Split('=', 2);
        await context.AddCookiesAsync([new() { Name = parts[0], Value = parts[1], Domain = baseAddress.Host, Path = "/" }]);
        async Task OpenAsync()
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/shaves");
            await page.WaitForSelectorAsync("[data-testid=shave-link]");
            await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        }

        await OpenAsync();
        await Task.Delay(2000);
        var before = SettledHeap();
        for (var i = 0; i < circuits; i++)
        {
            await OpenAsync();
        }

        await Task.Delay(3000);
        var after = SettledHeap();
        var perCircuit = (after - before) / 1024.0 / circuits;
        Console.WriteLine($"  managed heap per idle circuit: {perCircuit:N0} KB ({circuits} circuits)");
        return new Measurement($"managed memory per idle circuit on /shaves ({circuits} Chromium pages)", "≤ 250 KB", circuits, perCircuit, perCircuit, perCircuit, "KB",
            "server heap after full GCs; the browser runs in its own processes");
    }

    private static long SettledHeap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>The load runs in a second process (this program, "load" mode) so it does not share the server's CPU budget invisibly.</summary>
    private static async Task<Measurement> RunChildAsync(string mode, string url, string credential, string seconds)
    {
        var self = Environment.ProcessPath!;
        var dll = typeof(Bench).Assembly.Location;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (!self.EndsWith("ShaveTracker.Benchmarks", StringComparison.Ordinal))
        {
            psi.ArgumentList.Add(dll);
        }

        foreach (var a in new[] { "load", mode, url, credential, seconds })
        {
            psi.ArgumentList.Add(a);
        }

        using var child = Process.Start(psi)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        var m = JsonSerializer.Deserialize<Measurement>(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!;
        Console.WriteLine($"  {m.Name}: {m.P50:N0} {m.Unit}");
        return m;
    }

    private static async Task<string> SignInAsync(Uri baseAddress)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress };
        var page = await client.GetStringAsync(new Uri("/account/signin", UriKind.Relative));
        var token = WebUtility.HtmlDecode(Antiforgery().Match(page).Groups[1].Value);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "local-signin", ["__RequestVerificationToken"] = token, ["Input.UserName"] = BenchUser, ["Input.Password"] = BenchPassword,
        });
        using var response = await client.PostAsync(new Uri("/account/signin", UriKind.Relative), form);
        var auth = handler.CookieContainer.GetCookies(baseAddress).FirstOrDefault(c => c.Name == "ShaveTracker.Auth")
            ?? throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode}");
        return $"{auth.Name}={auth.Value}";
    }

    internal static async Task EnsureBenchUserAsync(string dbPath)
    {
        await using var db = new Factory($"Data Source={dbPath}").CreateDbContext();
        if (await db.LocalAccounts.AnyAsync(a => a.UserName == BenchUser))
        {
            return;
        }

        var user = new User { Id = Ids.NewId(), AuthProvider = AuthProvider.Local, DisplayName = "Bench Admin", CreatedAt = DateTime.UtcNow };
        var account = new LocalAccount { UserId = user.Id, UserName = BenchUser };
        account.PasswordHash = new PasswordHasher<LocalAccount>().HashPassword(account, BenchPassword);
        db.AddRange(user, account, new UserRole { UserId = user.Id, Role = Roles.Admin, GrantedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }

    private static async Task<string> CreateKeyAsync(Factory factory)
    {
        var keys = new ApiKeyService(factory, TimeProvider.System, NullLogger<ApiKeyService>.Instance);
        return (await keys.CreateAsync(new Caller(Guid.NewGuid(), "bench", false, true), $"bench {DateTime.UtcNow:O}", default)).Key;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    internal sealed class Factory(string connectionString) : IDbContextFactory<ShaveTrackerDbContext>
    {
        private readonly DbContextOptions<SqliteShaveTrackerDbContext> _options = Build(connectionString);

        private static DbContextOptions<SqliteShaveTrackerDbContext> Build(string connectionString)
        {
            var builder = new DbContextOptionsBuilder<SqliteShaveTrackerDbContext>();
            builder.UseShaveTrackerSqlite(connectionString);
            return builder.Options;
        }

        public ShaveTrackerDbContext CreateDbContext() => new SqliteShaveTrackerDbContext(_options);
    }
}

/// <summary>The real app (same services and pipeline as Program.cs) on a loopback port, in this process.</summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<InProcessServer> StartAsync(string dbPath)
    {
        await Bench.EnsureBenchUserAsync(dbPath);
        var webRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../ShaveTracker.Web"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "ShaveTracker.Web",
            EnvironmentName = "Testing",
            ContentRootPath = webRoot,
        });
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["ConnectionStrings:ShaveTracker"] = $"Data Source={Path.GetFullPath(dbPath)}";
        builder.Configuration["Ingestion:RateLimitPermits"] = "1000000";
        builder.Configuration["Serilog:MinimumLevel:Default"] = "Warning";
        builder.Configuration["Serilog:WriteTo:0:Name"] = "Console";
        builder.AddShaveTracker();
        var app = builder.Build();
        app.UseShaveTracker();
        await app.InitializeShaveTrackerAsync();
        await app.StartAsync();
        var address = app.Urls.First();
        return new InProcessServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
