using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AlignmentHub.Infrastructure.Persistence;

/// <summary>
/// Queues this process's SQLite write transactions, first come first served, before they ask SQLite for its one write
/// lock. Without it, a transaction that finds the lock taken is retried by Microsoft.Data.Sqlite with a blocking
/// <c>Thread.Sleep</c> until the command timeout: a thread-pool thread is parked per waiting writer and the lock goes to
/// whichever sleeper wakes first. Measured with 16 parallel check-ins (scripts/bench/load.sh): 95 % of a request's time
/// was that sleep, p95 0.6–1.2 s. With the gate a waiting writer holds no thread and the queue is fair.
/// <para>
/// Only for SQLite (the other providers lock rows, not the database). Every app transaction writes (reads never open
/// one), so every transaction passes the gate. The gate is held from just before BEGIN until commit, rollback, failure,
/// or the connection closing (a transaction disposed without commit is rolled back and its connection closed). Writers
/// outside this process (the backup command, another tool) still meet SQLite's own lock and the driver's retry.
/// </para>
/// </summary>
public sealed class SqliteWriteGate(TimeSpan timeout) : IDbTransactionInterceptor, IDbConnectionInterceptor
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>The wait for the gate gives up after this long, like the driver's own busy timeout (30 s by default).</summary>
    public TimeSpan Timeout { get; } = timeout;

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result)
    {
        if (Holder(eventData.Context) is { WriteGateHeld: false } holder)
        {
            if (!gate.Wait(Timeout))
            {
                throw TimedOut();
            }

            holder.WriteGateHeld = true;
        }

        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
        TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (Holder(eventData.Context) is { WriteGateHeld: false } holder)
        {
            if (!await gate.WaitAsync(Timeout, cancellationToken))
            {
                throw TimedOut();
            }

            holder.WriteGateHeld = true;
        }

        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    // BEGIN, COMMIT or ROLLBACK failed: whatever SQLite still holds, it enforces itself; this process's queue moves on.
    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Release(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    // A transaction disposed without commit or rollback raises no transaction event; its connection closes with it.
    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Release(eventData.Context);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    private void Release(Microsoft.EntityFrameworkCore.DbContext? context)
    {
        if (Holder(context) is { WriteGateHeld: true } holder)
        {
            holder.WriteGateHeld = false;
            gate.Release();
        }
    }

    private static AppDbContext? Holder(Microsoft.EntityFrameworkCore.DbContext? context) => context as AppDbContext;

    private TimeoutException TimedOut() =>
        new($"Another write to the SQLite database has not finished within {Timeout.TotalSeconds:0} s.");
}
