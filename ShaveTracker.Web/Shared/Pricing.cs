using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.Shared;

/// <summary>What a model call's tokens cost: its input and output counts (either may be unknown) and the price applied.</summary>
public sealed record TokenCost(int? InputTokens, int? OutputTokens, double? Usd)
{
    public static readonly TokenCost None = new(null, null, null);

    public int TotalTokens => (InputTokens ?? 0) + (OutputTokens ?? 0);
}

/// <summary>
/// The rules of a model price's pattern: which names it matches, how specific it is, and its SQL LIKE form. Pure, so
/// the prices page, the price book and the tests agree.
/// </summary>
public static class PricePatterns
{
    /// <summary>Letters, digits, <c>- . _ : / @</c> and <c>*</c>: every character a model name uses, and nothing LIKE treats specially but <c>_</c>.</summary>
    public static string? Problem(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return "Enter the model name, or a pattern such as gpt-4o*.";
        }

        if (pattern.Length > ModelPrice.PatternMaxLength)
        {
            return $"At most {ModelPrice.PatternMaxLength} characters.";
        }

        var bad = pattern.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':' or '/' or '@' or '*'));
        return bad == default ? null : $"“{bad}” cannot be part of a model name; use letters, digits, - . _ : / @ and * for any characters.";
    }

    public static int Specificity(string pattern) => pattern.Count(c => c != '*');

    /// <summary>SQL LIKE with <c>\</c> as the escape character: <c>_</c> is literal, <c>*</c> becomes <c>%</c>.</summary>
    public static string Like(string pattern) =>
        pattern.Replace("_", "\\_", StringComparison.Ordinal).Replace("*", "%", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="model"/> matches, case ignored, <c>*</c> standing for any run of characters.</summary>
    public static bool Matches(string pattern, string model)
    {
        // Iterative glob match with backtracking to the last star: linear for the patterns people write.
        int p = 0, m = 0, star = -1, resume = 0;
        while (m < model.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(model[m]))
            {
                p++;
                m++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = m;
            }
            else if (star >= 0)
            {
                p = star + 1;
                m = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>Dollars as people read a cost: cents for what is a cent or more, a hundredth of a cent below that.</summary>
    public static string Usd(double usd) => usd switch
    {
        0 => "$0",
        < 0.0001 => "< $0.0001",
        < 0.01 => "$" + usd.ToString("0.0000", CultureInfo.InvariantCulture),
        _ => "$" + usd.ToString("#,##0.00", CultureInfo.InvariantCulture),
    };

    public static string Tokens(long tokens) => tokens switch
    {
        < 10_000 => tokens.ToString("N0", CultureInfo.InvariantCulture),
        < 1_000_000 => (tokens / 1_000d).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => (tokens / 1_000_000d).ToString("0.##", CultureInfo.InvariantCulture) + "M",
    };
}

/// <summary>One price as the book holds it.</summary>
public sealed record PriceEntry(Guid Id, string Pattern, double InputUsdPerMillion, double OutputUsdPerMillion, DateTime ValidFrom, DateTime? ValidTo)
{
    public int Specificity { get; } = PricePatterns.Specificity(Pattern);

    public bool AppliesOn(DateTime at) => ValidFrom <= at && (ValidTo is not { } to || at < to);

    public double CostOf(int? inputTokens, int? outputTokens) =>
        ((inputTokens ?? 0) * InputUsdPerMillion + (outputTokens ?? 0) * OutputUsdPerMillion) / 1_000_000d;
}

/// <summary>
/// Every model price, read at once (a few dozen rows): prices a model call by its model name and time. Costs are
/// computed where they are shown, from the tokens stored beside each call, so a new price applies to the past it
/// covers and to nothing before its day.
/// </summary>
public sealed class PriceBook(IReadOnlyList<PriceEntry> entries)
{
    public static readonly PriceBook Empty = new([]);

    public IReadOnlyList<PriceEntry> Entries { get; } = entries;

    public static async Task<PriceBook> LoadAsync(ShaveTrackerDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.ModelPrices.AsNoTracking()
            .OrderBy(p => p.ModelPattern).ThenBy(p => p.ValidFrom)
            .Select(p => new PriceEntry(p.Id, p.ModelPattern, p.InputUsdPerMillion, p.OutputUsdPerMillion, p.ValidFrom, p.ValidTo))
            .ToListAsync(ct);
        return new PriceBook(rows);
    }

    /// <summary>
    /// The price for a call of <paramref name="model"/> at <paramref name="at"/>: the most specific match, or null. Of two
    /// equally specific patterns the first in alphabetical order wins (entries are loaded in that order), as in SQL.
    /// </summary>
    public PriceEntry? Find(string model, DateTime at)
    {
        PriceEntry? best = null;
        foreach (var entry in Entries)
        {
            if (entry.AppliesOn(at) && (best is null || entry.Specificity > best.Specificity) && PricePatterns.Matches(entry.Pattern, model))
            {
                best = entry;
            }
        }

        return best;
    }

    /// <summary>Tokens and their cost; the cost is null when no count is known or no price applies.</summary>
    public TokenCost Cost(string model, DateTime at, int? inputTokens, int? outputTokens) =>
        inputTokens is null && outputTokens is null
            ? TokenCost.None
            : new TokenCost(inputTokens, outputTokens, Find(model, at)?.CostOf(inputTokens, outputTokens));
}
