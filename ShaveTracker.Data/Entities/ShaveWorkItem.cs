namespace ShaveTracker.Data.Entities;

/// <summary>
/// shave_work_items: what a client reported about the work item a shave wrote, beyond its URL: the body (markdown)
/// and the screenshot it shows with its caption. At most one per shave; kept out of <c>shaves</c> so that lists,
/// which read many shave rows, never carry the body's text.
/// </summary>
public sealed class ShaveWorkItem
{
    public const int ScreenshotUrlMaxLength = Shave.UrlMaxLength;
    public const int ScreenshotFigureMaxLength = 2000;

    public Guid ShaveId { get; set; }

    /// <summary>The work item's body as markdown; can be long.</summary>
    public string? Description { get; set; }

    public string? ScreenshotUrl { get; set; }
    public string? ScreenshotFigure { get; set; }

    public Shave? Shave { get; set; }
}
