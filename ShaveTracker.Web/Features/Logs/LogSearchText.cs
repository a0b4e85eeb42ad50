using System.Text;
using System.Text.RegularExpressions;

namespace ShaveTracker.Web.Features.Logs;

/// <summary>One thing a search asks for: a word, a word's start (<c>print*</c>) or a phrase of words in a row.</summary>
public sealed record SearchTerm(IReadOnlyList<string> Words, bool Prefix);

/// <summary>
/// What a person typed into the explorer's search box, read as the search syntax the explorer offers on both
/// databases: words (every one must be there, in any order), <c>"a phrase"</c> (those words in a row) and
/// <c>word*</c> (words that start so). Letters and digits make words, as the full-text indexes split them; anything
/// else separates words. The text is never handed to a full-text engine as typed: the terms are written out again in
/// the engine's own quoting (<see cref="ToFts5"/>, <see cref="ToSqlServerContains"/>), so what a user types cannot be
/// an operator or a syntax error there.
/// </summary>
public sealed partial class LogSearchText
{
    /// <summary>More terms than this is not a search anyone types; it only makes the engine work harder.</summary>
    public const int MaxTerms = 16;

    private LogSearchText(IReadOnlyList<SearchTerm> terms, string? error) => (Terms, Error) = (terms, error);

    public IReadOnlyList<SearchTerm> Terms { get; }

    /// <summary>Why the text is not a search, said so that the person can fix it; null when it is one.</summary>
    public string? Error { get; }

    public bool IsValid => Error is null;

    public static LogSearchText Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Count(c => c == '"') % 2 != 0)
        {
            return Invalid("A quote is not closed: put a phrase between two quotes, as in \"blank page\".");
        }

        var terms = new List<SearchTerm>();
        foreach (Match part in Parts().Matches(text))
        {
            if (part.Groups["phrase"].Success)
            {
                var words = Words(part.Groups["phrase"].Value);
                if (words.Count > 0)
                {
                    terms.Add(new SearchTerm(words, Prefix: false));
                }

                continue;
            }

            var raw = part.Groups["word"].Value;
            var prefix = raw.EndsWith('*');
            var pieces = Words(raw);
            if (pieces.Count == 0)
            {
                continue;
            }

            // "sk-proj" or "foo.bar" are one thing to the person typing and several words to the index: a phrase.
            terms.Add(new SearchTerm(pieces, prefix));
        }

        if (terms.Count == 0)
        {
            return Invalid("Type at least one word of letters or digits: punctuation on its own is not indexed.");
        }

        return terms.Count > MaxTerms
            ? Invalid($"Use at most {MaxTerms} words or phrases.")
            : new LogSearchText(terms, null);
    }

    /// <summary>An FTS5 MATCH expression: every term quoted (so nothing in it is an operator), all of them required.</summary>
    public string ToFts5()
    {
        EnsureValid();
        return string.Join(' ', Terms.Select(t => Quote(string.Join(' ', t.Words)) + (t.Prefix ? "*" : "")));
    }

    /// <summary>A SQL Server CONTAINS condition: every term a quoted simple or prefix term, joined by AND.</summary>
    public string ToSqlServerContains()
    {
        EnsureValid();
        return string.Join(" AND ", Terms.Select(t => Quote(string.Join(' ', t.Words) + (t.Prefix ? "*" : ""))));
    }

    private void EnsureValid()
    {
        if (Error is not null)
        {
            throw new InvalidOperationException(Error);
        }
    }

    private static LogSearchText Invalid(string error) => new([], error);

    private static string Quote(string words) => "\"" + words.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static List<string> Words(string text) =>
        [.. WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant())];

    [GeneratedRegex("\"(?<phrase>[^\"]*)\"|(?<word>[^\\s\"]+)")]
    private static partial Regex Parts();

    /// <summary>Letters, digits and joining marks, as the unicode61 tokenizer and SQL Server's neutral word breaker split text.</summary>
    [GeneratedRegex(@"[\p{L}\p{N}\p{Mn}\p{Mc}]+")]
    internal static partial Regex WordPattern();

    /// <summary>The text as the person would read it back: the terms, phrases in quotes.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var term in Terms)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(term.Words.Count > 1 ? "\"" + string.Join(' ', term.Words) + "\"" : term.Words[0]);
            if (term.Prefix)
            {
                text.Append('*');
            }
        }

        return text.ToString();
    }
}
