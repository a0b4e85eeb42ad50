namespace ShaveTracker.Data.Entities;

/// <summary>
/// model_prices: what a model's tokens cost, in US dollars per million tokens, from one UTC day
/// (<see cref="ValidFrom"/>) until the day another price for the same pattern starts (<see cref="ValidTo"/>, exclusive;
/// null: until further notice). A price change is a new row, so the cost of calls made before it stays what it was.
/// A model is priced by the row whose <see cref="ModelPattern"/> matches its name (<c>*</c> stands for any run of
/// characters, case ignored) and is valid on the call's day; when several match, the most specific pattern (the most
/// characters that are not <c>*</c>) wins.
/// </summary>
public sealed class ModelPrice
{
    public const int PatternMaxLength = 200;

    public Guid Id { get; set; }

    /// <summary>As the admin wrote it, e.g. <c>gpt-4o-mini*</c>.</summary>
    public string ModelPattern { get; set; } = "";

    /// <summary>
    /// The pattern as a SQL LIKE pattern with <c>\</c> as its escape character, for the queries that price in SQL.
    /// Derived from <see cref="ModelPattern"/> when the row is written.
    /// </summary>
    public string LikePattern { get; set; } = "";

    /// <summary>Characters of the pattern that are not <c>*</c>: the more, the more specific.</summary>
    public int Specificity { get; set; }

    // Floating point, not decimal: these are estimates (tokens times a list price), and SQLite can neither compare
    // nor sort decimals, which the log explorer's cost column needs. Shown rounded to a hundredth of a cent.
    public double InputUsdPerMillion { get; set; }
    public double OutputUsdPerMillion { get; set; }

    /// <summary>Midnight UTC of the first day the price applies.</summary>
    public DateTime ValidFrom { get; set; }

    /// <summary>Midnight UTC of the day the next price starts, or null.</summary>
    public DateTime? ValidTo { get; set; }

    public DateTime CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
}
