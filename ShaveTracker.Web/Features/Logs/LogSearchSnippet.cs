using System.Text.RegularExpressions;

namespace ShaveTracker.Web.Features.Logs;

/// <summary>A piece of a snippet; <see cref="Match"/> pieces are what the search found, shown highlighted.</summary>
public sealed record SnippetPiece(string Text, bool Match);

/// <summary>Where a search matched: which payload (prompt, response, arguments, result) and the words around it.</summary>
public sealed record SearchSnippet(string Part, IReadOnlyList<SnippetPiece> Pieces);

/// <summary>
/// Cuts a snippet around the first match out of a payload that is already masked, and marks every term in it. Made
/// from the masked text, as the trace shows it, never from the raw payload: a snippet shows nothing the trace would
/// hide.
/// </summary>
public static class LogSearchSnippet
{
    /// <summary>Characters of context on each side of the first match.</summary>
    public const int Context = 80;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    /// <summary>The snippet of the first of <paramref name="parts"/> (name, masked text) that has a term; null when none has.</summary>
    public static SearchSnippet? Find(LogSearchText search, IEnumerable<(string Part, string? MaskedText)> parts)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(parts);
        var pattern = Pattern(search);
        foreach (var (part, text) in parts)
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            var first = Safe(() => pattern.Match(text));
            if (first is { Success: true })
            {
                return new SearchSnippet(part, Pieces(text, first.Index, first.Length, pattern));
            }
        }

        return null;
    }

    private static List<SnippetPiece> Pieces(string text, int index, int length, Regex pattern)
    {
        var start = Math.Max(0, index - Context);
        var end = Math.Min(text.Length, index + length + Context);
        // Start and end on a word boundary where one is near, so that the snippet does not open mid-word.
        start = start == 0 ? 0 : NextSpace(text, start, index);
        end = end == text.Length ? end : PreviousSpace(text, end, index + length);
        var window = Flatten(text[start..end]);
        var pieces = new List<SnippetPiece>();
        if (start > 0)
        {
            pieces.Add(new SnippetPiece("…", false));
        }

        var at = 0;
        // The window is a few hundred characters: no timeout to fear here.
        foreach (Match m in pattern.Matches(window))
        {
            if (m.Index > at)
            {
                pieces.Add(new SnippetPiece(window[at..m.Index], false));
            }

            pieces.Add(new SnippetPiece(m.Value, true));
            at = m.Index + m.Length;
        }

        if (at < window.Length)
        {
            pieces.Add(new SnippetPiece(window[at..], false));
        }

        if (end < text.Length)
        {
            pieces.Add(new SnippetPiece("…", false));
        }

        return pieces;
    }

    private static int NextSpace(string text, int from, int limit)
    {
        var i = text.IndexOfAny([' ', '\n', '\t'], from, limit - from);
        return i < 0 ? from : i + 1;
    }

    private static int PreviousSpace(string text, int from, int limit)
    {
        var i = text.LastIndexOfAny([' ', '\n', '\t'], from - 1, from - limit);
        return i < 0 ? from : i;
    }

    /// <summary>One line: a snippet sits in a table cell.</summary>
    private static string Flatten(string text) => text.ReplaceLineEndings(" ").Replace('\t', ' ');

    /// <summary>
    /// Each term as the indexes match it: whole words, case-insensitively, a phrase's words with anything but letters
    /// and digits between them, a prefix term without the end boundary.
    /// </summary>
    internal static Regex Pattern(LogSearchText search)
    {
        const string notWord = @"[^\p{L}\p{N}\p{Mn}\p{Mc}]+";
        const string edgeBefore = @"(?<![\p{L}\p{N}\p{Mn}\p{Mc}])";
        const string edgeAfter = @"(?![\p{L}\p{N}\p{Mn}\p{Mc}])";
        var terms = search.Terms.Select(t =>
            edgeBefore + string.Join(notWord, t.Words.Select(Regex.Escape)) + (t.Prefix ? @"[\p{L}\p{N}\p{Mn}\p{Mc}]*" : edgeAfter));
        return new Regex(string.Join('|', terms), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout);
    }

    private static T? Safe<T>(Func<T> match) where T : class
    {
        try
        {
            return match();
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }
}
