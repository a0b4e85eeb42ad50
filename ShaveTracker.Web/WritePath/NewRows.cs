using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;

namespace ShaveTracker.Web.WritePath;

/// <summary>
/// The new AI logs (with their tokens) and tool calls of one write, which <see cref="ShaveWriter"/> saves after the
/// write's tracked changes, in the same transaction. On SQLite each table's rows go through one prepared INSERT, bound
/// and run once per row: EF's SaveChanges tracks every row and prepares an INSERT per row again on every save (with its
/// trigger and index code), which was most of an OTLP export's time. On other providers EF saves them in its batches.
/// </summary>
public sealed class NewRows
{
    public List<AiLog> AiLogs { get; } = [];
    public List<AiLogUsage> Usages { get; } = [];
    public List<ToolCall> ToolCalls { get; } = [];

    public bool IsEmpty => AiLogs.Count == 0 && Usages.Count == 0 && ToolCalls.Count == 0;

    internal void AddTo(ShaveTrackerDbContext db)
    {
        db.AiLogs.AddRange(AiLogs);
        db.AiLogUsages.AddRange(Usages);
        db.ToolCalls.AddRange(ToolCalls);
    }

    /// <summary>In the order their foreign keys need: a log before its tokens and the tool calls it asked for.</summary>
    internal async Task InsertAsync(ShaveTrackerDbContext db, CancellationToken ct)
    {
        await PreparedInsert.RunAsync(db, AiLogs, ct);
        await PreparedInsert.RunAsync(db, Usages, ct);
        await PreparedInsert.RunAsync(db, ToolCalls, ct);
    }
}

/// <summary>
/// One INSERT of every mapped column of an entity, from EF's model (table, columns, and each column's type mapping,
/// which converts and binds the value exactly as SaveChanges would), prepared once and run for each row on the
/// context's connection and transaction. A failure (a unique key another write took first) is a DbUpdateException,
/// as from SaveChanges, so the write path's retry treats it the same.
/// </summary>
internal static class PreparedInsert
{
    public static async Task RunAsync<T>(ShaveTrackerDbContext db, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = entity.GetProperties().Select((p, i) => new Column(p, p.GetColumnName(table)!, sql.GenerateParameterName($"p{i}"),
            sql.GenerateParameterNamePlaceholder($"p{i}"), p.GetRelationalTypeMapping(), p.GetGetter())).ToArray();
        if (entity.GetProperties().Any(p => p.IsShadowProperty()))
        {
            throw new InvalidOperationException($"{typeof(T).Name} has a shadow property: its value is not on the row.");
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Prepared inserts run inside the write's transaction.");
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) " +
            $"VALUES ({string.Join(", ", columns.Select(c => c.Placeholder))})";
        try
        {
            foreach (var row in rows)
            {
                command.Parameters.Clear();
                foreach (var c in columns)
                {
                    command.Parameters.Add(c.Mapping.CreateParameter(command, c.Parameter, c.Getter.GetClrValueUsingContainingEntity(row), c.Property.IsNullable));
                }

                await command.ExecuteNonQueryAsync(ct);
            }
        }
        catch (DbException ex)
        {
            throw new DbUpdateException($"Inserting {rows.Count} {entity.GetTableName()} rows failed: {ex.Message}", ex);
        }
    }

    private sealed record Column(IProperty Property, string Name, string Parameter, string Placeholder, RelationalTypeMapping Mapping, IClrPropertyGetter Getter);
}
