using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.DesktopPortal;

/// <summary>
/// The desktop's calls made with what the desktop makes them with: Node's <c>https</c> module, trusting the server's
/// certificate through <c>NODE_EXTRA_CA_CERTS</c> (as the README tells an install with its own CA), the task record
/// written with <c>req.write</c> (chunked), the cancel with no body, the screenshot as a multipart body with
/// Content-Length. Needs <c>node</c> on the PATH (.ci/test.sh installs it).
/// </summary>
public sealed class DesktopNodeClientTests(DesktopPortalFixture app) : IClassFixture<DesktopPortalFixture>, IAsyncLifetime
{
    // A script of this test's own: the same requests as the desktop's portal client, one after another; it prints one
    // JSON line per call: { name, status, body }.
    private const string Script = """
        const https = require("node:https");
        const api = new URL(process.env.PORTAL_API_URL);
        const tenants = new URL(process.env.PORTAL_TENANTS_URL);
        const token = process.env.ACCESS_TOKEN;

        function call(name, base, path, method, headers, body) {
          return new Promise((resolve, reject) => {
            const req = https.request({
              hostname: base.hostname,
              port: Number(base.port),
              path: base.pathname.replace(/\/$/, "") + path,
              method,
              headers: { ...headers, Authorization: `Bearer ${token}` },
            }, (res) => {
              let data = "";
              res.on("data", (chunk) => { data += chunk; });
              res.on("end", () => { console.log(JSON.stringify({ name, status: res.statusCode, body: data })); resolve(data); });
            });
            req.on("error", reject);
            if (body) { req.write(body); }
            req.end();
          });
        }

        (async () => {
          const json = { "Content-Type": "application/json" };
          await call("callback", tenants, "/auth/callback", "GET", json);
          await call("summaries", api, "/projects/summaries", "GET", json);
          await call("details", api, `/projects/${process.env.PROJECT_ID}`, "GET", json);

          const boundary = "--------------------------" + "412345678901234567890123";
          const png = Buffer.from(process.env.PNG_BASE64, "base64");
          const multipart = Buffer.concat([
            Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="shot.png"\r\nContent-Type: image/png\r\n\r\n`),
            png,
            Buffer.from(`\r\n--${boundary}--\r\n`),
          ]);
          const upload = JSON.parse(await call("upload", api, "/desktopapp/upload-screenshot", "POST",
            { "content-type": `multipart/form-data; boundary=${boundary}`, "Content-Length": multipart.length.toString() }, multipart));

          const record = JSON.stringify({
            projectName: "Payments", projectId: process.env.PROJECT_ID, title: "Pay button does nothing",
            description: "## Pain\nThe Pay button does nothing.", workItemUrl: "https://github.com/contoso/payments/issues/99",
            imageUrl: upload.url, imageFigure: "Figure: The Pay button", uploadedVideoProvider: "youtube",
            uploadedVideoEmbedUrl: "https://www.youtube.com/embed/dQw4w9WgXcQ", uploadedVideoUrl: "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
          });
          const first = JSON.parse(await call("record", api, "/desktopapp/post-task-record", "POST", json, record));
          await call("record-again", api, "/desktopapp/post-task-record", "POST", json, record);
          await call("cancel", api, `/desktopapp/work-items/${first.workItemId}:cancel`, "POST", json);
        })().catch((e) => { console.error(e.stack || String(e)); process.exit(2); });
        """;

    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "shavetracker-tests", "node-" + Guid.NewGuid().ToString("N"));
    private Guid _projectId;

    public async Task InitializeAsync()
    {
        await app.Database.ResetAsync();
        await using var db = await app.Database.Factory.CreateDbContextAsync();
        var owner = new User { Id = Guid.NewGuid(), AuthProvider = AuthProvider.Local, DisplayName = "Project owner", CreatedAt = DateTime.UtcNow };
        var project = new Project { Id = Ids.NewId(), UserId = owner.Id, Name = "Payments", CustomPrompt = "Label it.", CreatedAt = DateTime.UtcNow };
        db.AddRange(owner, project);
        await db.SaveChangesAsync();
        _projectId = project.Id;
        Directory.CreateDirectory(_directory);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Nodes_https_module_trusting_the_install_ca_walks_the_desktops_sequence()
    {
        var ada = new FakeEntraUser(Guid.NewGuid(), "Ada Lovelace", "ada@contoso.test", []);
        var token = await app.UserTokenAsync(ada);
        var ca = Path.Combine(_directory, "ca.pem");
        await File.WriteAllTextAsync(ca, app.Root.ExportCertificatePem());
        var script = Path.Combine(_directory, "desktop.js");
        await File.WriteAllTextAsync(script, Script);

        var calls = await RunNodeAsync(script, new Dictionary<string, string>
        {
            ["PORTAL_API_URL"] = new Uri(app.BaseAddress, "/api").AbsoluteUri,
            ["PORTAL_TENANTS_URL"] = new Uri(app.BaseAddress, "/tenants").AbsoluteUri,
            ["NODE_EXTRA_CA_CERTS"] = ca,
            ["ACCESS_TOKEN"] = token,
            ["PROJECT_ID"] = _projectId.ToString(),
            ["PNG_BASE64"] = Convert.ToBase64String(Png),
        });

        Assert.Equal(["callback", "summaries", "details", "upload", "record", "record-again", "cancel"], calls.Select(c => c.Name));
        Assert.All(calls, c => Assert.True(c.Status is >= 200 and < 300, $"{c.Name}: {c.Status} {c.Body}"));
        var workItemId = JsonDocument.Parse(calls.Single(c => c.Name == "record").Body).RootElement.GetProperty("workItemId").GetGuid();
        Assert.Equal(workItemId, JsonDocument.Parse(calls.Single(c => c.Name == "record-again").Body).RootElement.GetProperty("workItemId").GetGuid());

        await using var db = await app.Database.Factory.CreateDbContextAsync();
        var shave = await db.Shaves.Include(s => s.WorkItem).SingleAsync();
        Assert.Equal((workItemId, ada.ObjectId, ShaveStatus.Cancelled), (shave.Id, shave.RequesterId, shave.ShaveStatus));
        Assert.Equal(Png, (await db.Screenshots.SingleAsync(s => s.ShaveId == workItemId)).Content);
        Assert.Equal(HttpStatusCode.OK, await AnonymousStatusAsync(new Uri(shave.WorkItem!.ScreenshotUrl!)));
    }

    [Fact]
    public async Task Node_without_the_install_ca_refuses_the_server_and_sends_nothing()
    {
        var token = await app.UserTokenAsync(new FakeEntraUser(Guid.NewGuid(), "Ada Lovelace", "ada@contoso.test", []));
        var script = Path.Combine(_directory, "desktop.js");
        await File.WriteAllTextAsync(script, Script);

        var (exitCode, output, errors) = await StartNodeAsync(script, new Dictionary<string, string>
        {
            ["PORTAL_API_URL"] = new Uri(app.BaseAddress, "/api").AbsoluteUri,
            ["PORTAL_TENANTS_URL"] = new Uri(app.BaseAddress, "/tenants").AbsoluteUri,
            ["ACCESS_TOKEN"] = token,
            ["PROJECT_ID"] = _projectId.ToString(),
            ["PNG_BASE64"] = Convert.ToBase64String(Png),
        });

        Assert.NotEqual(0, exitCode);
        Assert.Empty(output.Trim());
        Assert.Contains("certificate", errors, StringComparison.OrdinalIgnoreCase);
        await using var db = await app.Database.Factory.CreateDbContextAsync();
        Assert.False(await db.UserSignIns.AnyAsync());
    }

    private async Task<HttpStatusCode> AnonymousStatusAsync(Uri url)
    {
        using var anonymous = app.DesktopClient(accessToken: null);
        using var response = await anonymous.GetAsync(url);
        return response.StatusCode;
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed record NodeCall(string Name, int Status, string Body);

    private static async Task<IReadOnlyList<NodeCall>> RunNodeAsync(string script, Dictionary<string, string> environment)
    {
        var (exitCode, output, errors) = await StartNodeAsync(script, environment);
        Assert.True(exitCode == 0, $"node exited with {exitCode}: {errors}{Environment.NewLine}{output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<NodeCall>(line, Web)!)
            .ToList();
    }

    private static async Task<(int ExitCode, string Output, string Errors)> StartNodeAsync(string script, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("node", [script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start: is Node.js installed?");
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await node.WaitForExitAsync(timeout.Token);
        return (node.ExitCode, await output, await errors);
    }
}
