using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ShaveTracker.Web.Features.Shaves;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Tests.DesktopPortal;

// The screenshots the desktop uploads for its work items.
public sealed partial class DesktopPortalTests
{
    [Fact]
    public async Task A_screenshot_is_judged_by_its_content_and_served_without_sign_in_with_its_type_and_caching()
    {
        using var desktop = app.DesktopClient(await app.UserTokenAsync(NewUser("Ada Lovelace")));

        // A JPEG named .png is a JPEG.
        var url = await UploadAsync(desktop, Jpeg, "screenshot.png", "image/png");
        Assert.Equal("https", url.Scheme);
        Assert.EndsWith(".jpg", url.AbsolutePath, StringComparison.Ordinal);

        using var anonymous = app.DesktopClient(accessToken: null);
        using var image = await anonymous.GetAsync(url);
        await AssertStatusAsync(HttpStatusCode.OK, image);
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Jpeg, await image.Content.ReadAsByteArrayAsync());
        Assert.True(image.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromDays(365), image.Headers.CacheControl?.MaxAge);
        Assert.Equal("nosniff", string.Join(",", image.Headers.GetValues("X-Content-Type-Options")));
        Assert.NotNull(image.Headers.ETag);

        // The address is the secret: another token of the same shape finds nothing.
        var guessed = new Uri(url, url.AbsolutePath[..url.AbsolutePath.LastIndexOf('/')] + "/" + new string('A', 43) + ".jpg");
        using var miss = await anonymous.GetAsync(guessed);
        await AssertProblemAsync(HttpStatusCode.NotFound, miss);
    }

    [Fact]
    public async Task An_upload_that_is_not_a_png_or_jpeg_or_too_large_or_not_in_the_file_part_is_refused_and_not_stored()
    {
        using var desktop = app.DesktopClient(await app.UserTokenAsync(NewUser("Ada Lovelace")));

        using (var text = await SendUploadAsync(desktop, "<svg onload=alert(1)>"u8.ToArray(), "screenshot.png", "image/png"))
        {
            await AssertFieldProblemAsync(text, "file");
        }

        var huge = new byte[DesktopPortalFixture.MaxScreenshotBytes + 1];
        Png.CopyTo(huge, 0);
        using (var large = await SendUploadAsync(desktop, huge, "screenshot.png", "image/png"))
        {
            await AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, large);
        }

        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(Png) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "image", "screenshot.png");
            using var wrongPart = await desktop.PostAsync(new Uri("/api/desktopapp/upload-screenshot", UriKind.Relative), form);
            await AssertFieldProblemAsync(wrongPart, "file");
        }

        await using var db = await app.Database.Factory.CreateDbContextAsync();
        Assert.False(await db.Screenshots.AnyAsync());
    }

    [Fact]
    public async Task A_screenshot_goes_when_its_shave_is_deleted()
    {
        var ada = NewUser("Ada Lovelace");
        using var desktop = app.DesktopClient(await app.UserTokenAsync(ada));
        var url = await UploadAsync(desktop, Png, "screenshot.png", "image/png");
        var shaveId = await WorkItemIdAsync(await PostTaskRecordAsync(desktop,
            TaskRecord(_projectId, "https://github.com/contoso/payments/issues/13", imageUrl: url.AbsoluteUri)));

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var admin = await ShaveTracker.Tests.Infrastructure.TestAdmin.CreateAsync(app.Database.Factory);
            var deleted = await scope.ServiceProvider.GetRequiredService<ShavesService>().DeleteAsync(admin, shaveId, CancellationToken.None);
            Assert.True(deleted.Succeeded);
        }

        using var anonymous = app.DesktopClient(accessToken: null);
        using var gone = await anonymous.GetAsync(url);
        await AssertProblemAsync(HttpStatusCode.NotFound, gone);
        await using var db = await app.Database.Factory.CreateDbContextAsync();
        Assert.False(await db.Screenshots.AnyAsync());
        Assert.False(await db.ShaveWorkItems.AnyAsync());
    }
}
