using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AlignmentHub.Domain.Auditing;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Security.Input;

/// <summary>
/// Every row of every domain table (goals, objectives, items … and the change counter), read through EF
/// from the model itself, so a table added later is covered without touching this class. Sessions, data-protection
/// keys and Identity rows are left out: signing in legitimately changes them.
/// </summary>
/// <remarks>
/// The audit table is append-only (the app's AuditTableGuard refuses UPDATE and DELETE), so it stands as one row of its
/// count and highest id: any new audit row changes the fingerprint, while reading thousands of audit rows after every
/// save made the fingerprints half of the corpus run. A saved value must therefore be found in a domain row.
/// </remarks>
public sealed class DbFingerprint
{
    private DbFingerprint(IReadOnlyDictionary<string, RowState> rows)
    {
        Rows = rows;
        var text = string.Join("\n", rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Key + "|" + r.Value.Text));
        Hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Row key ("Goal#3") → its values.</summary>
    public IReadOnlyDictionary<string, RowState> Rows { get; }

    public string Hash { get; }

    public static Task<DbFingerprint> TakeAsync(AlignmentHubFactory factory) => factory.QueryAsync(async db =>
    {
        var setMethod = typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!;
        foreach (var type in db.Model.GetEntityTypes().Where(t => !t.IsOwned() && Included(t.ClrType) && t.ClrType != typeof(AuditEntry)))
        {
            var set = (IQueryable<object>)setMethod.MakeGenericMethod(type.ClrType).Invoke(db, null)!;
            await set.ToListAsync();
        }

        var rows = new Dictionary<string, RowState>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            var key = entry.Metadata.FindPrimaryKey()!.Properties.Select(p => Format(entry.Property(p.Name).CurrentValue));
            var values = entry.Properties.ToDictionary(p => p.Metadata.Name, p => p.CurrentValue);
            var name = entry.Metadata.ShortName() + "#" + string.Join(",", key);
            var text = string.Join(";", values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Key + "=" + Format(v.Value)));
            rows[name] = new RowState(values, text);
        }

        var audit = new Dictionary<string, object?>
        {
            ["Count"] = await db.AuditEntries.LongCountAsync(),
            ["MaxId"] = await db.AuditEntries.MaxAsync(a => (long?)a.Id),
        };
        rows[nameof(AuditEntry) + "#tail"] = new RowState(audit, $"Count={audit["Count"]};MaxId={Format(audit["MaxId"])}");
        return new DbFingerprint(rows);
    });

    /// <summary>The rows that are new or differ from <paramref name="before"/>.</summary>
    public IEnumerable<RowState> ChangedSince(DbFingerprint before) =>
        Rows.Where(r => !before.Rows.TryGetValue(r.Key, out var old) || old.Text != r.Value.Text).Select(r => r.Value);

    /// <summary>The keys ("Goal#3") of rows that are new, differ from <paramref name="before"/> or are gone.</summary>
    public IEnumerable<string> ChangedKeys(DbFingerprint before) =>
        Rows.Where(r => !before.Rows.TryGetValue(r.Key, out var old) || old.Text != r.Value.Text).Select(r => r.Key)
            .Concat(before.Rows.Keys.Where(k => !Rows.ContainsKey(k)));

    /// <summary>A readable list of what differs, for failure messages.</summary>
    public string DescribeDifference(DbFingerprint before)
    {
        var changed = Rows.Where(r => !before.Rows.TryGetValue(r.Key, out var old) || old.Text != r.Value.Text).Select(r => r.Key);
        var removed = before.Rows.Keys.Where(k => !Rows.ContainsKey(k)).Select(k => "-" + k);
        return string.Join(", ", changed.Concat(removed).Take(10));
    }

    private static bool Included(Type type) =>
        (type.Namespace ?? string.Empty).StartsWith("AlignmentHub.Domain", StringComparison.Ordinal) || type == typeof(ChangeCounter);

    public static string Format(object? value) => value switch
    {
        null => "∅",
        string s => s,
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        byte[] b => Convert.ToBase64String(b),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}

/// <summary>One row: its property values and their text.</summary>
public sealed record RowState(IReadOnlyDictionary<string, object?> Values, string Text);
