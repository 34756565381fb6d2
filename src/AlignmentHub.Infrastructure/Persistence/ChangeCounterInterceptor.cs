using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AlignmentHub.Infrastructure.Persistence;

/// <summary>
/// Bumps the <see cref="ChangeCounter"/> as the last statement of every transaction in which business data was saved
/// (the audit interceptor calls <see cref="MarkChanged"/>). Taking the counter's row lock last, just before commit,
/// means commits are numbered in commit order and no transaction waits for it while holding it and wanting
/// another row, so it cannot cause deadlocks. Scoped: one instance per DbContext.
/// </summary>
public sealed class ChangeCounterInterceptor : DbTransactionInterceptor
{
    private bool changed;

    public void MarkChanged() => changed = true;

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (changed && eventData.Context is { } context)
        {
            changed = false;
            Bump(context).ExecuteUpdate(s => s.SetProperty(c => c.Value, c => c.Value + 1));
        }

        return result;
    }

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (changed && eventData.Context is { } context)
        {
            changed = false;
            await Bump(context).ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, c => c.Value + 1), cancellationToken);
        }

        return result;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => changed = false;

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        changed = false;
        return Task.CompletedTask;
    }

    private static IQueryable<ChangeCounter> Bump(DbContext context) =>
        context.Set<ChangeCounter>().Where(c => c.Id == ChangeCounter.SingletonId);
}
