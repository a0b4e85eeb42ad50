using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using ShaveTracker.Data;
using ShaveTracker.Data.Entities;
using SQLitePCL;

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
    internal void Insert(ShaveTrackerDbContext db, CancellationToken ct)
    {
        PreparedInsert.Run(db, AiLogs, ct);
        PreparedInsert.Run(db, Usages, ct);
        PreparedInsert.Run(db, ToolCalls, ct);
    }
}

/// <summary>
/// One INSERT of every mapped column of an entity, from EF's model (table, columns, and each column's value converter),
/// prepared once and run for each row on the context's connection and transaction. Values are bound by position
/// straight to SQLite, as Microsoft.Data.Sqlite binds what EF gives it (a Guid as upper-case text, a DateTime as
/// <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>, a bool as 0 or 1; <c>NewRowsTests</c> compares them with what SaveChanges stores):
/// its commands look each parameter up by name and allocate for each value, on every row, which was a tenth of an
/// export's time under the write lock. Texts are encoded into one reused buffer (SQLite copies what it is bound). A
/// failure (a unique key another write took first) is a DbUpdateException, as from SaveChanges, so the write path's
/// retry treats it the same.
/// </summary>
internal static class PreparedInsert
{
    public static void Run<T>(ShaveTrackerDbContext db, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        ct.ThrowIfCancellationRequested();
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        if (entity.GetProperties().Any(p => p.IsShadowProperty()))
        {
            throw new InvalidOperationException($"{typeof(T).Name} has a shadow property: its value is not on the row.");
        }

        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = entity.GetProperties().Select(p => new Column(p.GetColumnName(table)!, p.GetRelationalTypeMapping().Converter, p.GetGetter())).ToArray();
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Prepared inserts run inside the write's transaction.");
        }

        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var text = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => $"?{i + 1}"))})";
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            Check(raw.sqlite3_prepare_v2(connection.Handle, text, out var statement), connection);
            using (statement)
            {
                foreach (var row in rows)
                {
                    for (var i = 0; i < columns.Length; i++)
                    {
                        var value = columns[i].Getter.GetClrValueUsingContainingEntity(row);
                        if (value is not null && columns[i].Converter is { } converter)
                        {
                            value = converter.ConvertToProvider(value);
                        }

                        Check(Bind(statement, i + 1, value, ref buffer), connection);
                    }

                    var rc = raw.sqlite3_step(statement);
                    raw.sqlite3_reset(statement);
                    if (rc != raw.SQLITE_DONE)
                    {
                        Check(rc, connection);
                    }
                }
            }
        }
        catch (DbException ex)
        {
            throw new DbUpdateException($"Inserting {rows.Count} {entity.GetTableName()} rows failed: {ex.Message}", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int Bind(sqlite3_stmt statement, int index, object? value, ref byte[] buffer)
    {
        switch (value)
        {
            case null:
                return raw.sqlite3_bind_null(statement, index);
            case string s:
                var length = Encoding.UTF8.GetMaxByteCount(s.Length);
                if (length > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }

                return raw.sqlite3_bind_text(statement, index, buffer.AsSpan(0, Encoding.UTF8.GetBytes(s, buffer)));
            case Guid g:
                Span<byte> guid = stackalloc byte[36];
                g.TryFormat(guid, out _, "D");
                for (var i = 0; i < guid.Length; i++)
                {
                    guid[i] = (byte)char.ToUpperInvariant((char)guid[i]);
                }

                return raw.sqlite3_bind_text(statement, index, guid);
            case DateTime d:
                Span<byte> time = stackalloc byte[32];
                d.TryFormat(time, out var written, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);
                return raw.sqlite3_bind_text(statement, index, time[..written]);
            case bool b:
                return raw.sqlite3_bind_int64(statement, index, b ? 1 : 0);
            case int n:
                return raw.sqlite3_bind_int64(statement, index, n);
            case long n:
                return raw.sqlite3_bind_int64(statement, index, n);
            case double x:
                return raw.sqlite3_bind_double(statement, index, x);
            default:
                throw new NotSupportedException($"A prepared insert does not bind a {value.GetType().Name}; add it as Microsoft.Data.Sqlite binds it.");
        }
    }

    private static void Check(int rc, SqliteConnection connection)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE))
        {
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        }
    }

    private sealed record Column(string Name, ValueConverter? Converter, IClrPropertyGetter Getter);
}
