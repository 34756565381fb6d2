using System.Data.Common;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AlignmentHub.IntegrationTests.Durability;

/// <summary>
/// Fails the n-th step of a save while armed: a step is a SQL command that writes or runs inside a transaction, or the
/// commit of a transaction that ran such a command. Session, sign-in and key-ring bookkeeping is not counted (it is
/// not the save under test). The fault is a <see cref="DbException"/>, as a full disk or a lost connection would raise.
/// </summary>
public sealed class NthCommandFault
{
    public const string Secret = "secret-internal-detail-NthCommandFault";

    private readonly List<string> steps = [];
    private int failAt;
    private int fired;
    private bool armed;
    private bool commandInTransaction;

    public NthCommandFault()
    {
        Commands = new CommandPart(this);
        Commits = new CommitPart(this);
    }

    public IInterceptor Commands { get; }

    public IInterceptor Commits { get; }

    /// <summary>Whether the armed step was reached (and failed).</summary>
    public bool Fired => Volatile.Read(ref fired) == 1;

    /// <summary>The steps counted since <see cref="Arm"/>, for failure messages.</summary>
    public IReadOnlyList<string> Steps
    {
        get
        {
            lock (steps)
            {
                return [.. steps];
            }
        }
    }

    public void Arm(int n)
    {
        lock (steps)
        {
            steps.Clear();
            failAt = n;
            fired = 0;
            commandInTransaction = false;
            armed = true;
        }
    }

    public void Disarm()
    {
        lock (steps)
        {
            armed = false;
        }
    }

    private void Command(DbCommand command)
    {
        var text = command.CommandText;
        var write = text.Contains("INSERT ", StringComparison.OrdinalIgnoreCase) || text.Contains("UPDATE ", StringComparison.OrdinalIgnoreCase)
            || text.Contains("DELETE ", StringComparison.OrdinalIgnoreCase);
        if (QueryCounter.IsBookkeeping(text) || (!write && command.Transaction is null))
        {
            return;
        }

        Step(text, inTransaction: command.Transaction is not null);
    }

    private void Commit()
    {
        bool counted;
        lock (steps)
        {
            counted = commandInTransaction;
        }

        if (counted)
        {
            Step("COMMIT", inTransaction: false);
        }
    }

    private void Step(string text, bool inTransaction)
    {
        bool fail;
        lock (steps)
        {
            if (!armed)
            {
                return;
            }

            var line = text.ReplaceLineEndings(" ");
            steps.Add(line.Length > 100 ? line[..100] + "…" : line);
            commandInTransaction = inTransaction;
            fail = steps.Count == failAt;
        }

        if (fail)
        {
            Interlocked.Exchange(ref fired, 1);
            throw new InjectedDbException();
        }
    }

    private sealed class InjectedDbException() : DbException("Injected fault at a save step: " + Secret);

    private sealed class CommandPart(NthCommandFault owner) : DbCommandInterceptor
    {
        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            owner.Command(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            owner.Command(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            owner.Command(command);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            owner.Command(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            owner.Command(command);
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            owner.Command(command);
            return ValueTask.FromResult(result);
        }
    }

    private sealed class CommitPart(NthCommandFault owner) : DbTransactionInterceptor
    {
        public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
        {
            owner.Commit();
            return result;
        }

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            owner.Commit();
            return ValueTask.FromResult(result);
        }
    }
}

/// <summary>What the fault sweeps compare: every business table's rows (ids, versions, positions, links) and the last audit row.</summary>
internal static class DurabilityData
{
    public static Task<string> FingerprintAsync(this AlignmentHubFactory factory) => factory.QueryAsync(async db =>
    {
        var products = await db.Products.AsNoTracking().OrderBy(p => p.Id).Select(p => $"P{p.Id}:{p.GoalRankingRevision}:{p.Version}").ToListAsync();
        var goals = await db.Goals.AsNoTracking().OrderBy(g => g.Id).Select(g => $"G{g.Id}:{g.Title}:{g.Status}:{g.Rank}:{g.Version}").ToListAsync();
        var objectives = await db.Objectives.AsNoTracking().OrderBy(o => o.Id).Select(o => $"O{o.Id}:{o.Title}:{o.GoalId}:{o.ParentObjectiveId}:{o.Status}:{o.Version}").ToListAsync();
        var keyResults = await db.KeyResults.AsNoTracking().OrderBy(k => k.Id).Select(k => $"K{k.Id}:{k.ObjectiveId}:{k.Title}:{k.Status}:{k.Version}").ToListAsync();
        var items = await db.RoadmapItems.AsNoTracking().OrderBy(i => i.Id).Select(i => $"I{i.Id}:{i.Title}:{i.Status}:{i.Horizon}:{i.BoardPosition}:{i.Version}").ToListAsync();
        var links = await db.RoadmapLinks.AsNoTracking().OrderBy(l => l.Id).Select(l => $"L{l.Id}:{l.RoadmapItemId}:{l.TargetType}:{l.TargetId}").ToListAsync();
        var checkIns = await db.CheckIns.CountAsync();
        var audit = await db.AuditEntries.MaxAsync(a => (long?)a.Id) ?? 0;
        return string.Join("|", [.. products, .. goals, .. objectives, .. keyResults, .. items, .. links, $"C{checkIns}", $"A{audit}"]);
    });
}
