using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace ShaveTracker.Web.Features.Shaves.Trace;

/// <summary>What kind of row a filter keeps: steps, AI logs or tool calls.</summary>
public enum TraceKindFilter
{
    Step,
    AiLog,
    ToolCall,
}

/// <summary>
/// How the admin has narrowed the trace, as its URL says it (so a copied link and the back button reopen it):
/// <c>failed=1</c>, <c>q=</c> text in names, models, tools and step names, <c>kind=step|ai-log|tool-call</c>,
/// <c>model=</c>, <c>tool=</c>, and the zoomed time range <c>from=</c>/<c>to=</c> in milliseconds since the shave
/// was created. Every part narrows further; a row that does not match stays in the list only as the step or AI log
/// of a row that does.
/// </summary>
public sealed record TraceView(
    bool FailuresOnly = false,
    string? Text = null,
    TraceKindFilter? Kind = null,
    string? Model = null,
    string? Tool = null,
    long? FromMs = null,
    long? ToMs = null)
{
    public static readonly TraceView All = new();

    /// <summary>The query keys this view owns, so that changing the view leaves the page's other keys alone.</summary>
    public static readonly string[] Keys = ["failed", "q", "kind", "model", "tool", "from", "to"];

    /// <summary>The longest search the trace takes: longer text is cut (names are far shorter).</summary>
    public const int MaxTextLength = 200;

    public bool IsZoomed => FromMs is not null && ToMs is not null;

    /// <summary>Anything other than the zoom narrows the rows.</summary>
    public bool IsFiltered => FailuresOnly || Text is not null || Kind is not null || Model is not null || Tool is not null;

    /// <summary>Nothing narrows: every row is shown, on the whole axis.</summary>
    public bool IsEmpty => !IsFiltered && !IsZoomed;

    public TraceView WithoutFilters() => this with { FailuresOnly = false, Text = null, Kind = null, Model = null, Tool = null };

    public TraceView WithoutZoom() => this with { FromMs = null, ToMs = null };

    /// <summary>Zoomed to [from, to) ms since the shave was created; a range of less than a millisecond is widened to one.</summary>
    public TraceView ZoomedTo(long fromMs, long toMs) =>
        this with { FromMs = Math.Min(fromMs, toMs), ToMs = Math.Max(Math.Max(fromMs, toMs), Math.Min(fromMs, toMs) + 1) };

    /// <summary>The view a URL names. Anything it cannot read (an unknown kind, a number that is not one) is ignored.</summary>
    public static TraceView Parse(string uri)
    {
        var q = uri.IndexOf('?', StringComparison.Ordinal) is var i and >= 0 ? uri[i..] : "";
        var hash = q.IndexOf('#', StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(hash >= 0 ? q[..hash] : q);
        string? One(string key) => query.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        long? Number(string key) => long.TryParse(One(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

        var text = One("q");
        var from = Number("from");
        var to = Number("to");
        var view = new TraceView(
            FailuresOnly: One("failed") is "1" or "true",
            Text: text is { Length: > MaxTextLength } ? text[..MaxTextLength] : text,
            Kind: KindOf(One("kind")),
            Model: One("model"),
            Tool: One("tool"));
        return from is { } f && to is { } t && f != t ? view.ZoomedTo(f, t) : view;
    }

    /// <summary>Every key of <see cref="Keys"/>, null where this view does not set it, for GetUriWithQueryParameters.</summary>
    public Dictionary<string, object?> ToQuery() => new()
    {
        ["failed"] = FailuresOnly ? "1" : null,
        ["q"] = Text,
        ["kind"] = Kind is { } k ? KindName(k) : null,
        ["model"] = Model,
        ["tool"] = Tool,
        ["from"] = IsZoomed ? FromMs!.Value.ToString(CultureInfo.InvariantCulture) : null,
        ["to"] = IsZoomed ? ToMs!.Value.ToString(CultureInfo.InvariantCulture) : null,
    };

    public static string KindName(TraceKindFilter kind) => kind switch
    {
        TraceKindFilter.Step => "step",
        TraceKindFilter.AiLog => "ai-log",
        _ => "tool-call",
    };

    public static TraceKindFilter? KindOf(string? name) => name switch
    {
        "step" => TraceKindFilter.Step,
        "ai-log" => TraceKindFilter.AiLog,
        "tool-call" => TraceKindFilter.ToolCall,
        _ => null,
    };

    public static string? Normalize(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Trim() is { Length: > MaxTextLength } t ? t[..MaxTextLength] : text.Trim();
}
