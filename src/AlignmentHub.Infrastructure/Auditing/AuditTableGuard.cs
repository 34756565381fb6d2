using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AlignmentHub.Infrastructure.Auditing;

/// <summary>
/// Refuses every SQL UPDATE, DELETE or TRUNCATE of the audit table sent through the app's DbContext. The save-changes
/// interceptor already refuses modified or deleted <c>AuditEntry</c> objects, but bulk statements
/// (<c>ExecuteUpdate</c>, <c>ExecuteDelete</c>, raw SQL) never pass through SaveChanges: this closes that gap.
/// The one exception is the retention purge (<see cref="AuditRetention"/>), which holds a permit while it runs.
/// Scoped: one instance per DbContext.
/// </summary>
public sealed partial class AuditTableGuard : DbCommandInterceptor
{
    public const string AppendOnlyMessage = "Audit entries are append-only: they cannot be changed or deleted.";

    private bool retentionPermit;

    /// <summary>Lets DELETE statements on the audit table through until disposed; only <see cref="AuditRetention"/> takes it.</summary>
    internal IDisposable PermitRetentionDelete()
    {
        retentionPermit = true;
        return new Permit(this);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    /// <summary>True when the SQL text has a statement that updates, deletes from or truncates the audit table.</summary>
    public static bool ChangesAuditRows(string sql, out bool deleteOnly)
    {
        deleteOnly = true;
        var found = false;

        // Every command of the app passes here: most never name the audit table, so skip the regular expressions.
        if (!sql.Contains("AuditEntries", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // EF sends parameters apart from the text, so user data never reaches this check; comments are dropped first.
        var text = LineComment().Replace(sql, string.Empty);
        foreach (var statement in text.Split(';'))
        {
            var verb = Verb().Match(statement);
            if (verb.Success && AuditTable().IsMatch(statement))
            {
                found = true;
                deleteOnly &= verb.Groups[1].Value.Equals("DELETE", StringComparison.OrdinalIgnoreCase);
            }
        }

        return found;
    }

    private void Check(DbCommand command)
    {
        if (ChangesAuditRows(command.CommandText, out var deleteOnly) && !(retentionPermit && deleteOnly))
        {
            throw new InvalidOperationException(AppendOnlyMessage);
        }
    }

    [GeneratedRegex(@"^\s*(UPDATE|DELETE|TRUNCATE)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Verb();

    // "AuditEntries" (SQLite, PostgreSQL), [AuditEntries] (SQL Server), or bare.
    [GeneratedRegex(@"(^|[\s""\[\.`(])AuditEntries($|[\s""\]`;)])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuditTable();

    [GeneratedRegex(@"--[^\r\n]*", RegexOptions.CultureInvariant)]
    private static partial Regex LineComment();

    private sealed class Permit(AuditTableGuard guard) : IDisposable
    {
        public void Dispose() => guard.retentionPermit = false;
    }
}
