using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Tests.Infrastructure;

namespace ShaveTracker.Tests.DesktopPortal;

// What the desktop sends, as its portal client sends it, and the assertions on what it gets back.
public sealed partial class DesktopPortalTests
{
    // The smallest valid PNG (1x1, transparent) and the first bytes of a JPEG.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0xFF, 0xD9];

    private const string DesktopSourceName = "YakShaver Desktop";

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>The desktop's WorkItemDto: all ten keys, always, nulls written out.</summary>
    private sealed record WorkItemDto(
        string ProjectName, string ProjectId, string Title, string Description, string? WorkItemUrl, string? ImageUrl,
        string? ImageFigure, string? UploadedVideoProvider, string? UploadedVideoEmbedUrl, string? UploadedVideoUrl);

    private static WorkItemDto TaskRecord(Guid projectId, string? workItemUrl, string? imageUrl = null, string description = "## Pain\nThe Pay button does nothing.") =>
        new("Payments", projectId.ToString(), "Pay button does nothing", description, workItemUrl, imageUrl,
            imageUrl is null ? null : "Figure: The Pay button", "youtube", "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ");

    private static async Task<HttpResponseMessage> PostTaskRecordAsync(HttpClient desktop, WorkItemDto record)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/desktopapp/post-task-record", UriKind.Relative))
        {
            Content = DesktopPortalFixture.ChunkedJson(JsonSerializer.Serialize(record, Web)),
        };
        request.Headers.TransferEncodingChunked = true;
        var response = await desktop.SendAsync(request);
        Assert.Null(request.Content.Headers.ContentLength);
        return response;
    }

    private static Task<HttpResponseMessage> SendUploadAsync(HttpClient desktop, byte[] content, string fileName, string contentType)
    {
        // As the desktop's form-data: one part "file" with a file name and the type its extension suggests.
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } }, "file", fileName);
        return desktop.PostAsync(new Uri("/api/desktopapp/upload-screenshot", UriKind.Relative), form);
    }

    private static async Task<Uri> UploadAsync(HttpClient desktop, byte[] content, string fileName, string contentType)
    {
        using var response = await SendUploadAsync(desktop, content, fileName, contentType);
        await AssertStatusAsync(HttpStatusCode.OK, response);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Uri(body.GetProperty("url").GetString()!, UriKind.Absolute);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient desktop, string method, string path)
    {
        path = path.Replace("{project}", _projectId.ToString(), StringComparison.Ordinal).Replace("{shave}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        if (path.EndsWith("/post-task-record", StringComparison.Ordinal))
        {
            return await PostTaskRecordAsync(desktop, TaskRecord(_projectId, "https://github.com/contoso/payments/issues/1"));
        }

        if (path.EndsWith("/upload-screenshot", StringComparison.Ordinal))
        {
            return await SendUploadAsync(desktop, Png, "screenshot.png", "image/png");
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        return await desktop.SendAsync(request);
    }

    private static async Task<Guid> WorkItemIdAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
            var id = JsonDocument.Parse(body).RootElement.GetProperty("workItemId").GetString();
            // What the desktop's schema (zod's uuid) accepts: the canonical form with an RFC 9562 version and variant.
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
            return Guid.Parse(id!);
        }
    }

    private static async Task AssertStatusAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode} {response.Headers.WwwAuthenticate} {body}");
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        await AssertStatusAsync(expected, response);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)expected, body.GetProperty("status").GetInt32());
        return body;
    }

    private static async Task AssertFieldProblemAsync(HttpResponseMessage response, string field)
    {
        var body = await AssertProblemAsync(HttpStatusCode.BadRequest, response);
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"The errors name no '{field}': {errors}");
    }

    private async Task AssertNoShaveAsync()
    {
        await using var db = await app.Database.Factory.CreateDbContextAsync();
        Assert.False(await db.Shaves.AnyAsync());
        Assert.False(await db.VideoFiles.AnyAsync());
        Assert.False(await db.ShaveWorkItems.AnyAsync());
    }

    private async Task AssertNothingWrittenAsync()
    {
        await AssertNoShaveAsync();
        await using var db = await app.Database.Factory.CreateDbContextAsync();
        Assert.Equal(1, await db.Users.CountAsync());
        Assert.False(await db.UserSignIns.AnyAsync());
        Assert.False(await db.Screenshots.AnyAsync());
    }

    private static FakeEntraUser NewUser(string name) =>
        new(Guid.NewGuid(), name, $"{name.Split(' ')[0].ToLowerInvariant()}@contoso.test", []);
}
