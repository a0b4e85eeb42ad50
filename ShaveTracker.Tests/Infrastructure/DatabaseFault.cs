using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ShaveTracker.Tests.Infrastructure;

/// <summary>
/// The database failing in the middle of a save, registered in the app under test as an EF interceptor. Armed, it
/// fails as the disk or the server would (a SQLite I/O error) at one point of every save until <see cref="Heal"/>:
/// at the Nth write command (the earlier ones of the same save have run), at commit (everything ran, nothing is
/// committed), or just after commit (everything is committed, but the caller hears of an error, as when the
/// connection drops before the server's answer arrives).
/// </summary>
public sealed class DatabaseFault : IDbCommandInterceptor, IDbTransactionInterceptor
{
    private const int SqliteIoError = 10;

    private readonly Lock _lock = new();
    private FaultPoint _point = FaultPoint.None;
    private int _failAtWrite;
    private int _writesThisSave;

    private enum FaultPoint
    {
        None,
        Write,
        Commit,
        AfterCommit,
    }

    /// <summary>How many faults were raised since the last arming.</summary>
    public int Raised { get; private set; }

    /// <summary>Write commands that ran before a fault stopped their save (0: the fault hit the first).</summary>
    public int WritesBeforeFault { get; private set; }

    /// <summary>Every save fails at its <paramref name="nth"/> write command (1-based).</summary>
    public void FailAtWrite(int nth) => Arm(FaultPoint.Write, nth);

    /// <summary>Every save runs all its commands, then fails to commit.</summary>
    public void FailCommit() => Arm(FaultPoint.Commit, 0);

    /// <summary>Every save commits, then its caller gets an error.</summary>
    public void FailAfterCommit() => Arm(FaultPoint.AfterCommit, 0);

    public void Heal() => Arm(FaultPoint.None, 0);

    private void Arm(FaultPoint point, int nth)
    {
        lock (_lock)
        {
            _point = point;
            _failAtWrite = nth;
            Raised = 0;
            WritesBeforeFault = 0;
        }
    }

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        OnCommand(eventData);
        return result;
    }

    public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        OnCommand(eventData);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        OnCommand(eventData);
        return result;
    }

    public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        OnCommand(eventData);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result)
    {
        NewSave();
        return result;
    }

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        NewSave();
        return ValueTask.FromResult(result);
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        OnCommit(FaultPoint.Commit);
        return result;
    }

    public ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        OnCommit(FaultPoint.Commit);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => OnCommit(FaultPoint.AfterCommit);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        OnCommit(FaultPoint.AfterCommit);
        return Task.CompletedTask;
    }

    private void NewSave()
    {
        lock (_lock)
        {
            _writesThisSave = 0;
        }
    }

    private void OnCommand(CommandEventData eventData)
    {
        if (eventData.CommandSource != CommandSource.SaveChanges)
        {
            return;
        }

        lock (_lock)
        {
            _writesThisSave++;
            if (_point == FaultPoint.Write && _writesThisSave >= _failAtWrite)
            {
                WritesBeforeFault = Math.Max(WritesBeforeFault, _writesThisSave - 1);
                Raised++;
                throw new SqliteException("disk I/O error (injected by the test)", SqliteIoError);
            }
        }
    }

    private void OnCommit(FaultPoint at)
    {
        lock (_lock)
        {
            if (_point == at)
            {
                Raised++;
                throw new SqliteException($"disk I/O error {(at == FaultPoint.Commit ? "at" : "after")} commit (injected by the test)", SqliteIoError);
            }
        }
    }
}
