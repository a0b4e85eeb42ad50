namespace ShaveTracker.Web.Shared;

/// <summary>User text inside a LIKE pattern: its wildcards are literal characters (escape character <see cref="EscapeCharacter"/>).</summary>
public static class SqlLike
{
    public const string EscapeCharacter = "\\";

    /// <summary>"%text%" with %, _ and the escape character itself escaped.</summary>
    public static string Contains(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
