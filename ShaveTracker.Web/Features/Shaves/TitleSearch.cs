using System.Text;

namespace ShaveTracker.Web.Features.Shaves;

/// <summary>Turns what a person types into an FTS5 query: every word, as a prefix, must appear in the title.</summary>
public static class TitleSearch
{
    /// <summary>Null when the text has no word to search for (only punctuation, for example).</summary>
    public static string? ToFts5Query(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        // Quoted, so FTS5 operators typed by a person (AND, NEAR, column:) are plain words; * makes each a prefix.
        return words.Count == 0 ? null : string.Join(' ', words.Take(16).Select(w => $"\"{w}\"*"));
    }
}
