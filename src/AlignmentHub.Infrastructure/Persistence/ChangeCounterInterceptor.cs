using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AlignmentHub.Infrastructure.Persistence;

/// <summary>
/// Bumps the <see cref="ChangeCounter"/> as the last statement of every transaction in which business data was saved
/// (the audit interceptor calls <see cref="MarkChanged"/>). Taking the counter's row lock last, just before commit,
/// means commits are numbered in commit order and no transaction waits for it while holding it and wanting
/// another row, so it cannot cause deadlocks. Singleton: what it remembers is kept in the context's <see cref="ContextUse"/>.
/// </summary>
public sealed class ChangeCounterInterceptor : DbTransactionInterceptor
{
    public static void MarkChanged(DbContext context)
    {
        if (context is AppDbContext app)
        {
            app.Use.BusinessDataChanged = true;
        }
    }

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (TakeChange(eventData.Context) is { } context)
        {
            Bump(context).ExecuteUpdate(s => s.SetProperty(c => c.Value, c => c.Value + 1));
        }

        return result;
    }

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (TakeChange(eventData.Context) is { } context)
        {
            await Bump(context).ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, c => c.Value + 1), cancellationToken);
        }

        return result;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>The context when it saved business data in this transaction (and from now on it has not).</summary>
    private static AppDbContext? TakeChange(DbContext? context)
    {
        if (context is not AppDbContext { Use.BusinessDataChanged: true } app)
        {
            return null;
        }

        app.Use.BusinessDataChanged = false;
        app.Use.ChangeStamp = null; // this use's reading of the counter is about to be out of date
        return app;
    }

    private static void Forget(DbContext? context)
    {
        if (context is AppDbContext app)
        {
            app.Use.BusinessDataChanged = false;
        }
    }

    private static IQueryable<ChangeCounter> Bump(DbContext context) =>
        context.Set<ChangeCounter>().Where(c => c.Id == ChangeCounter.SingletonId);
}
