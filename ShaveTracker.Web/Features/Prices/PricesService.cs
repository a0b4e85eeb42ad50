using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using ShaveTracker.Web.Shared;

namespace ShaveTracker.Web.Features.Prices;

/// <summary>One price as the prices page lists it.</summary>
public sealed record PriceRow(
    Guid Id,
    string Pattern,
    double InputUsdPerMillion,
    double OutputUsdPerMillion,
    DateOnly ValidFrom,
    DateOnly? ValidTo,
    DateTime CreatedAt,
    string? CreatedByName);

/// <summary>A new price, as typed: the page's fields, validated here.</summary>
public sealed record NewPrice(string? Pattern, double? InputUsdPerMillion, double? OutputUsdPerMillion, DateOnly? ValidFrom);

/// <summary>
/// The admins' model prices. A price is never edited in place: a change is a new price from a day on, which ends the
/// price before it that day, so what past calls cost stays as it was. Deleting a price gives its days back to the
/// price before it (or leaves them unpriced).
/// </summary>
public sealed partial class PricesService(IDbContextFactory<ShaveTrackerDbContext> factory, TimeProvider clock, ILogger<PricesService> logger)
{
    /// <summary>Well above any list price per million tokens, to catch a price typed per token or in cents.</summary>
    public const double MaxUsdPerMillion = 10_000;

    private const string OnlyAdmins = "Only admins set model prices.";
    private const string NoLongerAdmin = "You are no longer an admin, so this price was not saved.";

    public async Task<IReadOnlyList<PriceRow>> ListAsync(Caller caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.CanManagePrices)
        {
            throw new UnauthorizedAccessException(OnlyAdmins);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.ModelPrices.AsNoTracking()
            .OrderBy(p => p.ModelPattern).ThenByDescending(p => p.ValidFrom)
            .Select(p => new
            {
                p.Id,
                p.ModelPattern,
                p.InputUsdPerMillion,
                p.OutputUsdPerMillion,
                p.ValidFrom,
                p.ValidTo,
                p.CreatedAt,
                By = db.Users.Where(u => u.Id == p.CreatedBy).Select(u => u.DisplayName).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return rows.Select(p => new PriceRow(p.Id, p.ModelPattern, p.InputUsdPerMillion, p.OutputUsdPerMillion,
            DateOnly.FromDateTime(p.ValidFrom), p.ValidTo is { } to ? DateOnly.FromDateTime(to) : null, p.CreatedAt, p.By)).ToList();
    }

    /// <summary>Models called in the last 30 days that no price covers today (from the per-day totals: exact and small).</summary>
    public async Task<IReadOnlyList<string>> UnpricedModelsAsync(Caller caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.CanManagePrices)
        {
            throw new UnauthorizedAccessException(OnlyAdmins);
        }

        var since = Today().AddDays(-30);
        await using var db = await factory.CreateDbContextAsync(ct);
        var models = await db.AiLogDailyStats.AsNoTracking()
            .Where(d => d.Day >= since && d.Calls > 0)
            .Select(d => d.ModelName).Distinct().OrderBy(m => m).Take(100)
            .ToListAsync(ct);
        var book = await PriceBook.LoadAsync(db, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return models.Where(m => book.Find(m, now) is null).ToList();
    }

    /// <summary>Field errors are keyed pattern, input, output and from.</summary>
    public async Task<CommandResult<PriceRow>> AddAsync(Caller caller, NewPrice price, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(price);
        if (!caller.CanManagePrices)
        {
            return CommandResult<PriceRow>.Forbidden(OnlyAdmins);
        }

        var errors = new FieldErrors();
        var pattern = price.Pattern?.Trim().ToLowerInvariant() ?? "";
        if (PricePatterns.Problem(pattern) is { } patternProblem)
        {
            errors.Add("pattern", patternProblem);
        }

        CheckAmount(errors, "input", price.InputUsdPerMillion);
        CheckAmount(errors, "output", price.OutputUsdPerMillion);
        if (price.ValidFrom is not { } from)
        {
            errors.Add("from", "Enter the first day (UTC) the price applies.");
        }
        else if (from.Year < 2000 || from > Today().AddYears(5))
        {
            errors.Add("from", "Pick a day between 2000 and five years from now.");
        }

        if (errors.Any)
        {
            return errors.ToResult<PriceRow>();
        }

        var start = price.ValidFrom!.Value.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await ActingUser.MayNowAsync(db, caller, Capability.ManagePrices, ct))
        {
            return CommandResult<PriceRow>.Forbidden(NoLongerAdmin);
        }

        // One transaction, run by the provider's execution strategy (SQL Server retries a dropped connection; a retry
        // starts from a clean context and reads again).
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(() => InsertAsync(db, caller, pattern, price, start, ct));
    }

    private async Task<CommandResult<PriceRow>> InsertAsync(ShaveTrackerDbContext db, Caller caller, string pattern, NewPrice price, DateTime start,
        CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var same = await db.ModelPrices.Where(p => p.ModelPattern == pattern).ToListAsync(ct);
        if (same.Any(p => p.ValidFrom == start))
        {
            return CommandResult<PriceRow>.Invalid("from",
                $"{pattern} already has a price from {Day(start)}. Delete that one first, or pick another day.");
        }

        // The new price runs until the next one of the same pattern starts, and ends the one before it on its first day.
        var next = same.Where(p => p.ValidFrom > start).MinBy(p => p.ValidFrom);
        var before = same.Where(p => p.ValidFrom < start).MaxBy(p => p.ValidFrom);
        if (before is not null && (before.ValidTo is null || before.ValidTo > start))
        {
            before.ValidTo = start;
        }

        var row = new ModelPrice
        {
            Id = Ids.NewId(),
            ModelPattern = pattern,
            LikePattern = PricePatterns.Like(pattern),
            Specificity = PricePatterns.Specificity(pattern),
            InputUsdPerMillion = price.InputUsdPerMillion!.Value,
            OutputUsdPerMillion = price.OutputUsdPerMillion!.Value,
            ValidFrom = start,
            ValidTo = next?.ValidFrom,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            CreatedBy = caller.UserId,
        };
        db.ModelPrices.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another admin added the same pattern and day a moment ago (the unique index): nothing was written.
            return CommandResult<PriceRow>.Invalid("from", $"{pattern} already has a price from {Day(start)}. Reload to see it.");
        }

        LogPriceAdded(logger, caller.UserId, row.Id, pattern, row.InputUsdPerMillion, row.OutputUsdPerMillion, DateOnly.FromDateTime(start));
        return CommandResult<PriceRow>.Success(new PriceRow(row.Id, pattern, row.InputUsdPerMillion, row.OutputUsdPerMillion,
            DateOnly.FromDateTime(start), next is null ? null : DateOnly.FromDateTime(next.ValidFrom), row.CreatedAt, caller.DisplayName));
    }

    /// <summary>Deletes a price; the price before it (same pattern) then runs until this one would have ended.</summary>
    public async Task<CommandResult<Done>> DeleteAsync(Caller caller, Guid id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.CanManagePrices)
        {
            return CommandResult<Done>.Forbidden(OnlyAdmins);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await ActingUser.MayNowAsync(db, caller, Capability.ManagePrices, ct))
        {
            return CommandResult<Done>.Forbidden(NoLongerAdmin);
        }

        return await db.Database.CreateExecutionStrategy().ExecuteAsync(() => RemoveAsync(db, caller, id, ct));
    }

    private async Task<CommandResult<Done>> RemoveAsync(ShaveTrackerDbContext db, Caller caller, Guid id, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var row = await db.ModelPrices.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (row is null)
        {
            return CommandResult<Done>.NotFound("This price was already deleted.");
        }

        var before = await db.ModelPrices
            .Where(p => p.ModelPattern == row.ModelPattern && p.ValidFrom < row.ValidFrom)
            .OrderByDescending(p => p.ValidFrom)
            .FirstOrDefaultAsync(ct);
        if (before is not null && before.ValidTo == row.ValidFrom)
        {
            before.ValidTo = row.ValidTo;
        }

        db.ModelPrices.Remove(row);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        LogPriceDeleted(logger, caller.UserId, id, row.ModelPattern, DateOnly.FromDateTime(row.ValidFrom));
        return CommandResult<Done>.Success(Done.Value);
    }

    private static void CheckAmount(FieldErrors errors, string field, double? amount)
    {
        if (amount is not { } value || double.IsNaN(value))
        {
            errors.Add(field, "Enter the price in US dollars per million tokens, e.g. 2.50 (0 for a free model).");
        }
        else if (value < 0 || value > MaxUsdPerMillion || double.IsInfinity(value))
        {
            errors.Add(field, $"Between $0 and ${MaxUsdPerMillion:N0} per million tokens: is it per token, or in cents?");
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "User {UserId} added model price {PriceId}: {Pattern} ${InputUsdPerMillion}/${OutputUsdPerMillion} per million tokens from {ValidFrom}")]
    private static partial void LogPriceAdded(ILogger logger, Guid userId, Guid priceId, string pattern, double inputUsdPerMillion,
        double outputUsdPerMillion, DateOnly validFrom);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} deleted model price {PriceId}: {Pattern} from {ValidFrom}")]
    private static partial void LogPriceDeleted(ILogger logger, Guid userId, Guid priceId, string pattern, DateOnly validFrom);
}
