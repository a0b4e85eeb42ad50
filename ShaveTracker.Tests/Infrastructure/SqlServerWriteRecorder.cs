using System.Collections;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using IsolationLevel = System.Data.IsolationLevel;
using ShaveTracker.Data;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>One command EF Core's SQL Server provider sent: its text, its parameter count and its transaction.</summary>
/// <param name="Transaction">Which transaction it ran in (1, 2, …), or 0 outside any.</param>
public sealed record RecordedCommand(string Sql, int ParameterCount, int Transaction);

/// <summary>
/// The SQL that EF Core's SQL Server provider sends for a write, without a SQL Server. The write runs for real on
/// SQLite (the services read real rows and decide what to change); just before SQLite saves, the replayer copies
/// the change set (added, modified and deleted rows with their original and current values) into a SQL Server
/// context and saves it there. That context's connection never touches a network: it records each command's text
/// and answers as SQL Server would for a write that succeeds — a row count of 1 for each keyed UPDATE or DELETE
/// (<c>OUTPUT 1</c> rows, or <c>SELECT @@ROWCOUNT</c>). The SQL is EF's own; only the server's answer is made up,
/// and EF checks that answer as it would a server's.
/// </summary>
public sealed class SqlServerWriteRecorder
{
    private const string ConnectionString =
        "Server=sql.invalid;Database=ShaveTracker;Integrated Security=true;TrustServerCertificate=true";

    private readonly List<RecordedCommand> _commands = [];
    private readonly List<Exception> _failures = [];
    private readonly Lock _lock = new();
    private int _transactions;

    public SqlServerWriteRecorder() => Replayer = new ReplayInterceptor(this);

    /// <summary>Add to a SQLite context's options: each of its saves is replayed on SQL Server first.</summary>
    public IInterceptor Replayer { get; }

    public IReadOnlyList<RecordedCommand> Commands
    {
        get
        {
            lock (_lock)
            {
                return [.. _commands];
            }
        }
    }

    /// <summary>Saves that EF could not replay on SQL Server (the SQLite save went on regardless).</summary>
    public IReadOnlyList<Exception> Failures
    {
        get
        {
            lock (_lock)
            {
                return [.. _failures];
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _commands.Clear();
            _failures.Clear();
        }
    }

    /// <summary>A SQL Server context configured as the app configures it, on the recording connection.</summary>
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The connection holds nothing to release: no socket, no pool.")]
    public SqlServerShaveTrackerDbContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<SqlServerShaveTrackerDbContext>();
        options.UseShaveTrackerSqlServer(new RecordingConnection(this, ConnectionString));
        return new SqlServerShaveTrackerDbContext(options.Options);
    }

    private int BeginTransaction()
    {
        lock (_lock)
        {
            return ++_transactions;
        }
    }

    private void Record(RecordedCommand command)
    {
        lock (_lock)
        {
            _commands.Add(command);
        }
    }

    private void Fail(Exception exception)
    {
        lock (_lock)
        {
            _failures.Add(exception);
        }
    }

    /// <summary>Copies a SQLite save's change set into a SQL Server context and saves it there.</summary>
    private sealed class ReplayInterceptor(SqlServerWriteRecorder recorder) : SaveChangesInterceptor
    {
        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
            SavingChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(eventData);
            var source = eventData.Context!;
            // The interceptor runs before SaveChanges detects changes to tracked rows.
            source.ChangeTracker.DetectChanges();
            try
            {
                await using var target = recorder.CreateContext();
                foreach (var entry in source.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
                {
                    var copy = target.Entry(Activator.CreateInstance(entry.Metadata.ClrType)!);
                    // By name: the two contexts have models of their own.
                    copy.CurrentValues.SetValues(ByName(entry.CurrentValues));
                    if (entry.State == EntityState.Added)
                    {
                        copy.State = EntityState.Added;
                        continue;
                    }

                    copy.State = EntityState.Unchanged;
                    copy.OriginalValues.SetValues(ByName(entry.OriginalValues));
                    if (entry.State == EntityState.Deleted)
                    {
                        copy.State = EntityState.Deleted;
                        continue;
                    }

                    foreach (var property in entry.Properties.Where(p => p.IsModified))
                    {
                        copy.Property(property.Metadata.Name).IsModified = true;
                    }
                }

                await target.SaveChangesAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                recorder.Fail(ex);
            }

            return result;
        }

        private static Dictionary<string, object?> ByName(PropertyValues values) =>
            values.Properties.ToDictionary(p => p.Name, p => values[p], StringComparer.Ordinal);
    }

    /// <summary>A SqlConnection that is never opened lends its connection string; nothing goes over the network.</summary>
    private sealed class RecordingConnection(SqlServerWriteRecorder recorder, string connectionString) : DbConnection
    {
        private readonly SqlConnectionStringBuilder _settings = new(connectionString);
        private ConnectionState _state = ConnectionState.Closed;

        [AllowNull]
        public override string ConnectionString
        {
            get => _settings.ConnectionString;
            set => _settings.ConnectionString = value ?? "";
        }

        public override string Database => _settings.InitialCatalog;

        public override string DataSource => _settings.DataSource;

        // SQL Server 2025.
        public override string ServerVersion => "17.00.1000";

        public override ConnectionState State => _state;

        public SqlServerWriteRecorder Recorder => recorder;

        public override void Open() => _state = ConnectionState.Open;

        public override void Close() => _state = ConnectionState.Closed;

        public override void ChangeDatabase(string databaseName) => throw new NotSupportedException("The recording connection stays on one database.");

        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
            new RecordingTransaction(this, isolationLevel, recorder.BeginTransaction());

        protected override DbCommand CreateDbCommand() => new RecordingCommand(this);
    }

    private sealed class RecordingTransaction(RecordingConnection connection, IsolationLevel isolationLevel, int number) : DbTransaction
    {
        public int Number => number;

        public override IsolationLevel IsolationLevel => isolationLevel;

        protected override DbConnection DbConnection => connection;

        public override void Commit()
        {
        }

        public override void Rollback()
        {
        }
    }

    /// <summary>
    /// Records its text and answers from it. Parameters are real SqlParameters in a real SqlParameterCollection:
    /// EF's SQL Server type mappings configure them as they would for a server.
    /// </summary>
    private sealed class RecordingCommand(RecordingConnection connection) : DbCommand
    {
        private readonly SqlCommand _parameters = new();

        [AllowNull]
        public override string CommandText { get; set; } = "";

        public override int CommandTimeout { get; set; } = 30;

        public override CommandType CommandType { get; set; } = CommandType.Text;

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection { get; set; } = connection;

        protected override DbParameterCollection DbParameterCollection => _parameters.Parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel()
        {
        }

        public override void Prepare()
        {
        }

        public override int ExecuteNonQuery() => Answer().RowsAffected;

        public override object? ExecuteScalar() =>
            throw new NotSupportedException($"The recording connection answers writes, not reads:{Environment.NewLine}{CommandText}");

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => new AnswerReader(Answer().ResultSets);

        protected override DbParameter CreateDbParameter() => new SqlParameter();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _parameters.Dispose();
            }

            base.Dispose(disposing);
        }

        private ServerAnswer Answer()
        {
            connection.Recorder.Record(new RecordedCommand(CommandText, _parameters.Parameters.Count, (DbTransaction as RecordingTransaction)?.Number ?? 0));
            return ServerAnswer.For(CommandText);
        }
    }

    /// <summary>What SQL Server answers a batch of writes that all succeed, statement by statement.</summary>
    private sealed record ServerAnswer(List<int[]> ResultSets, int RowsAffected)
    {
        public static ServerAnswer For(string sql)
        {
            var parser = new TSql170Parser(initialQuotedIdentifiers: true);
            using var reader = new StringReader(sql);
            var script = (TSqlScript)parser.Parse(reader, out var errors);
            if (errors.Count > 0)
            {
                throw new InvalidOperationException(
                    $"SQL Server would refuse this batch: {string.Join("; ", errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}"))}{Environment.NewLine}{sql}");
            }

            var resultSets = new List<int[]>();
            var total = 0;
            var last = 0;
            foreach (var statement in script.Batches.SelectMany(b => b.Statements))
            {
                (int Rows, OutputClause? Output)? write = statement switch
                {
                    InsertStatement insert => (RowsOf(insert.InsertSpecification.InsertSource), insert.InsertSpecification.OutputClause),
                    // EF updates and deletes one row by its key (ExecuteUpdate/ExecuteDelete: the rows the filter finds;
                    // nothing reads that count back here).
                    UpdateStatement update => (1, update.UpdateSpecification.OutputClause),
                    DeleteStatement delete => (1, delete.DeleteSpecification.OutputClause),
                    MergeStatement merge => (merge.MergeSpecification.TableReference is InlineDerivedTable values ? values.RowValues.Count : 1,
                        merge.MergeSpecification.OutputClause),
                    _ => null,
                };
                if (write is { } w)
                {
                    last = w.Rows;
                    total += w.Rows;
                    if (w.Output is { } output)
                    {
                        resultSets.Add(OutputRows(output, w.Rows, sql));
                    }
                }
                else if (statement is SelectStatement select && IsRowCount(select))
                {
                    resultSets.Add([last]);
                }
                else if (statement is not (PredicateSetStatement or SetOnOffStatement))
                {
                    throw new NotSupportedException($"The recording connection answers writes, not {statement.GetType().Name}:{Environment.NewLine}{sql}");
                }
            }

            return new ServerAnswer(resultSets, total);
        }

        private static int RowsOf(InsertSource source) => source switch
        {
            ValuesInsertSource values => values.RowValues.Count,
            _ => throw new NotSupportedException($"An INSERT from {source.GetType().Name} is not answered."),
        };

        private static int _identity;

        // Rows keyed by the client only need proof of each row (OUTPUT 1); a row keyed by the server (the change
        // feed's IDENTITY id, when EF saves it on this connection itself) gets the next number, as SQL Server would.
        private static int[] OutputRows(OutputClause output, int rows, string sql) => output.SelectColumns switch
        {
            [SelectScalarExpression { Expression: IntegerLiteral { Value: "1" } }] => Enumerable.Repeat(1, rows).ToArray(),
            [SelectScalarExpression { Expression: ColumnReferenceExpression { MultiPartIdentifier.Identifiers: [{ Value: "INSERTED" }, { Value: "id" }] } }] =>
                Enumerable.Range(Interlocked.Add(ref _identity, rows) - rows + 1, rows).ToArray(),
            _ => throw new NotSupportedException($"Only OUTPUT 1 and OUTPUT INSERTED.[id] are answered:{Environment.NewLine}{sql}"),
        };

        private static bool IsRowCount(SelectStatement select) =>
            select.QueryExpression is QuerySpecification { FromClause: null, SelectElements: [SelectScalarExpression { Expression: GlobalVariableExpression { Name: var name } }] } &&
            string.Equals(name, "@@ROWCOUNT", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Result sets of one int column, one value per row, as <c>OUTPUT 1</c> and <c>SELECT @@ROWCOUNT</c> give.</summary>
    private sealed class AnswerReader(List<int[]> resultSets) : DbDataReader
    {
        private int _set;
        private int _row = -1;
        private bool _closed;

        public override int Depth => 0;

        public override int FieldCount => _set < resultSets.Count ? 1 : 0;

        public override bool HasRows => _set < resultSets.Count && resultSets[_set].Length > 0;

        public override bool IsClosed => _closed;

        // SET NOCOUNT ON, as EF's batches begin: SQL Server reports no counts.
        public override int RecordsAffected => -1;

        public override object this[int ordinal] => GetValue(ordinal);

        public override object this[string name] => GetValue(GetOrdinal(name));

        public override bool Read() => _set < resultSets.Count && ++_row < resultSets[_set].Length;

        public override bool NextResult()
        {
            _row = -1;
            return ++_set < resultSets.Count;
        }

        public override void Close() => _closed = true;

        public override int GetInt32(int ordinal) => Current(ordinal);

        public override long GetInt64(int ordinal) => Current(ordinal);

        public override short GetInt16(int ordinal) => checked((short)Current(ordinal));

        public override object GetValue(int ordinal) => Current(ordinal);

        public override int GetValues(object[] values)
        {
            ArgumentNullException.ThrowIfNull(values);
            values[0] = Current(0);
            return 1;
        }

        public override bool IsDBNull(int ordinal) => false;

        public override string GetName(int ordinal) => "";

        public override int GetOrdinal(string name) => 0;

        public override Type GetFieldType(int ordinal) => typeof(int);

        public override string GetDataTypeName(int ordinal) => "int";

        public override IEnumerator GetEnumerator() => throw new NotSupportedException();

        public override bool GetBoolean(int ordinal) => throw NotAnInt();

        public override byte GetByte(int ordinal) => throw NotAnInt();

        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw NotAnInt();

        public override char GetChar(int ordinal) => throw NotAnInt();

        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw NotAnInt();

        public override DateTime GetDateTime(int ordinal) => throw NotAnInt();

        public override decimal GetDecimal(int ordinal) => throw NotAnInt();

        public override double GetDouble(int ordinal) => throw NotAnInt();

        public override float GetFloat(int ordinal) => throw NotAnInt();

        public override Guid GetGuid(int ordinal) => throw NotAnInt();

        public override string GetString(int ordinal) => throw NotAnInt();

        private int Current(int ordinal) =>
            ordinal == 0 && _set < resultSets.Count && _row >= 0 && _row < resultSets[_set].Length
                ? resultSets[_set][_row]
                : throw new InvalidOperationException("No current row.");

        private static NotSupportedException NotAnInt() => new("The answers of a write are row counts (int).");
    }
}
