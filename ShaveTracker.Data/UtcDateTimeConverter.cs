using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ShaveTracker.Data;

/// <summary>Writes UTC (converting local times) and reads back Kind=Utc on every provider.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
