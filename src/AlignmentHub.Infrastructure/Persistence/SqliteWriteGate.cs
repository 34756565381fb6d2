using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace AlignmentHub.Infrastructure.Persistence;

/// <summary>
/// Queues this process's SQLite write transactions, first come first served, before they ask SQLite for its one write
/// lock (ADR 0007). Without it, a transaction that finds the lock taken is retried by Microsoft.Data.Sqlite with a
/// blocking <c>Thread.Sleep</c> until the command timeout: a thread-pool thread is parked per waiting writer and the
/// lock goes to whichever sleeper wakes first. Measured with 16 parallel check-ins (scripts/bench/load.sh): 95 % of a
/// request's time was that sleep, p95 0.6–1.2 s. With the gate a waiting writer holds no thread and the queue is fair.
/// <para>
/// Only for SQLite (the other providers lock rows, not the database). Every app transaction writes (reads never open
/// one), so every transaction passes the gate. The gate is taken just before BEGIN, which the gate then runs itself so
/// that a BEGIN that throws gives it back at once (EF does not report that failure to interceptors), and it is given
/// back when the transaction ends: <see cref="GatedTransaction"/> releases it on commit, rollback or disposal, including
/// the disposal of a pooled context returned mid-transaction. Writers outside this process (another tool on the same
/// file) still meet SQLite's own lock and the driver's retry.
/// </para>
/// </summary>
public sealed class SqliteWriteGate(TimeSpan timeout) : IDbTransactionInterceptor
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>The wait for the gate gives up after this long, like the driver's own busy timeout (30 s by default).</summary>
    public TimeSpan Timeout { get; } = timeout;

    InterceptionResult<DbTransaction> IDbTransactionInterceptor.TransactionStarting(DbConnection connection,
        TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        if (result.HasResult || eventData.Context is not AppDbContext context)
        {
            return result;
        }

        if (!gate.Wait(Timeout))
        {
            throw TimedOut();
        }

        DbTransaction transaction;
        try
        {
            transaction = connection.BeginTransaction(eventData.IsolationLevel);
        }
        catch
        {
            gate.Release();
            throw;
        }

        return Handed(context, transaction);
    }

    async ValueTask<InterceptionResult<DbTransaction>> IDbTransactionInterceptor.TransactionStartingAsync(DbConnection connection,
        TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken)
    {
        if (result.HasResult || eventData.Context is not AppDbContext context)
        {
            return result;
        }

        if (!await gate.WaitAsync(Timeout, cancellationToken))
        {
            throw TimedOut();
        }

        DbTransaction transaction;
        try
        {
            transaction = await connection.BeginTransactionAsync(eventData.IsolationLevel, cancellationToken);
        }
        catch
        {
            gate.Release();
            throw;
        }

        return Handed(context, transaction);
    }

    // EF wraps the transaction through GatedTransactionFactory next, on this same context; the lease waits there.
    private InterceptionResult<DbTransaction> Handed(AppDbContext context, DbTransaction transaction)
    {
        context.PendingWriteGateLease?.Release(); // left by a start that failed after this point: never kept
        context.PendingWriteGateLease = new WriteGateLease(gate);
        return InterceptionResult<DbTransaction>.SuppressWithResult(transaction);
    }

    private DatabaseBusyException TimedOut() =>
        new($"Other writes to the SQLite database have held it for {Timeout.TotalSeconds:0} s; this one was not started.");
}

/// <summary>A write could not start because the database stayed busy for the whole timeout: nothing was written.</summary>
public sealed class DatabaseBusyException(string message) : TimeoutException(message);

/// <summary>One holding of the <see cref="SqliteWriteGate"/>, given back exactly once however often it is released.</summary>
public sealed class WriteGateLease(SemaphoreSlim gate)
{
    private int released;

    public void Release()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            gate.Release();
        }
    }
}

/// <summary>Makes EF's transactions on SQLite <see cref="GatedTransaction"/>s (replaces the default factory).</summary>
public sealed class GatedTransactionFactory(RelationalTransactionFactoryDependencies dependencies) : RelationalTransactionFactory(dependencies)
{
    public override RelationalTransaction Create(IRelationalConnection connection, DbTransaction transaction, Guid transactionId,
        IDiagnosticsLogger<DbLoggerCategory.Database.Transaction> logger, bool transactionOwned) =>
        new GatedTransaction(connection, transaction, transactionId, logger, transactionOwned, Dependencies.SqlGenerationHelper);
}

/// <summary>
/// An EF transaction that gives its <see cref="WriteGateLease"/> back when it ends. EF calls
/// <see cref="RelationalTransaction.ClearTransaction"/> after a commit or rollback and when a transaction is disposed
/// (also by a pooled context's reset); the lease belongs to this transaction, so a later transaction of the same context
/// is never released by this one's disposal.
/// </summary>
public sealed class GatedTransaction : RelationalTransaction
{
    private readonly WriteGateLease? lease;

    public GatedTransaction(IRelationalConnection connection, DbTransaction transaction, Guid transactionId,
        IDiagnosticsLogger<DbLoggerCategory.Database.Transaction> logger, bool transactionOwned, ISqlGenerationHelper sqlGenerationHelper)
        : base(connection, transaction, transactionId, logger, transactionOwned, sqlGenerationHelper)
    {
        if (connection.Context is AppDbContext context)
        {
            lease = context.PendingWriteGateLease;
            context.PendingWriteGateLease = null;
        }
    }

    protected override void ClearTransaction()
    {
        try
        {
            base.ClearTransaction();
        }
        finally
        {
            lease?.Release();
        }
    }

    protected override async Task ClearTransactionAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await base.ClearTransactionAsync(cancellationToken);
        }
        finally
        {
            lease?.Release();
        }
    }
}
