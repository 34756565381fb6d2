using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Security.Access;

/// <summary>
/// Every row of every table of the EF model (domain, Identity, audit, key ring), column by column, read through the
/// app's own DbContext: proves that a refused request or a page view changed nothing, and says which row did.
/// </summary>
/// <remarks>
/// One table is left out: <see cref="UserSession"/>. Reading a page legitimately rewrites the signed-in user's own
/// session row (the cookie's sliding expiration and the once-a-minute security-stamp check renew the ticket through
/// <c>DatabaseTicketStore.RenewAsync</c>), so it is not evidence of a change made by the request. The audit table, the
/// Identity tables and the data-protection key ring are included: no read and no refused write may touch them.
/// </remarks>
public sealed class DatabaseSnapshot
{
    /// <summary>Tables a read may legitimately change, with the reason (see the class remarks).</summary>
    public static readonly IReadOnlySet<Type> Excluded = new HashSet<Type> { typeof(UserSession) };

    private static readonly MethodInfo SetMethod = typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!;

    private static readonly MethodInfo AsNoTrackingMethod = typeof(EntityFrameworkQueryableExtensions).GetMethod(nameof(EntityFrameworkQueryableExtensions.AsNoTracking))!;

    private DatabaseSnapshot(Dictionary<string, Dictionary<string, Dictionary<string, string>>> tables) => Tables = tables;

    /// <summary>Table → primary key → column → value.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, Dictionary<string, string>>> Tables { get; }

    public static Task<DatabaseSnapshot> TakeAsync(AlignmentHubFactory factory) => factory.QueryAsync(async db =>
    {
        var tables = new Dictionary<string, Dictionary<string, Dictionary<string, string>>>(StringComparer.Ordinal);
        foreach (var type in db.Model.GetEntityTypes().Where(t => !t.IsOwned() && !Excluded.Contains(t.ClrType)).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var properties = type.GetProperties().ToList();
            var shadow = properties.Any(p => p.IsShadowProperty());
            var query = (IQueryable<object>)SetMethod.MakeGenericMethod(type.ClrType).Invoke(db, null)!;
            if (!shadow)
            {
                // Without shadow properties every column is on the object: no change tracking needed (several times faster).
                query = (IQueryable<object>)AsNoTrackingMethod.MakeGenericMethod(type.ClrType).Invoke(null, [query])!;
            }

            var rows = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            var key = type.FindPrimaryKey()!.Properties;
            foreach (var entity in await query.ToListAsync())
            {
                Func<IProperty, object?> read = shadow ? p => db.Entry(entity).Property(p.Name).CurrentValue : p => p.GetGetter().GetClrValue(entity);
                rows[string.Join(",", key.Select(p => Format(read(p))))] = properties.ToDictionary(p => p.Name, p => Format(read(p)), StringComparer.Ordinal);
            }

            tables[type.GetTableName() ?? type.Name] = rows;
            db.ChangeTracker.Clear();
        }

        return new DatabaseSnapshot(tables);
    });

    /// <summary>One SHA-256 over everything, for a quick equality check.</summary>
    public string Hash
    {
        get
        {
            var text = new StringBuilder();
            foreach (var (table, rows) in Tables.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                text.Append('#').Append(table).Append('\n');
                foreach (var (key, columns) in rows.OrderBy(r => r.Key, StringComparer.Ordinal))
                {
                    text.Append(key).Append('|');
                    foreach (var (column, value) in columns.OrderBy(c => c.Key, StringComparer.Ordinal))
                    {
                        text.Append(column).Append('=').Append(value).Append('|');
                    }

                    text.Append('\n');
                }
            }

            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }
    }

    /// <summary>The rows added, removed or changed since <paramref name="before"/>.</summary>
    public IReadOnlyList<RowChange> ChangesSince(DatabaseSnapshot before)
    {
        var changes = new List<RowChange>();
        foreach (var (table, rows) in Tables)
        {
            var old = before.Tables.GetValueOrDefault(table) ?? [];
            foreach (var (key, columns) in rows)
            {
                var previous = old.GetValueOrDefault(key);
                if (previous is null || columns.Any(c => previous.GetValueOrDefault(c.Key) != c.Value))
                {
                    changes.Add(new RowChange(table, key, previous, columns));
                }
            }

            changes.AddRange(old.Where(r => !rows.ContainsKey(r.Key)).Select(r => new RowChange(table, r.Key, r.Value, null)));
        }

        return changes;
    }

    /// <summary>A readable list of what changed since <paramref name="before"/> (empty when nothing did).</summary>
    public string DescribeChangesSince(DatabaseSnapshot before) =>
        string.Join("; ", ChangesSince(before).Take(8).Select(c => c.ToString()));

    public static string Format(object? value) => value switch
    {
        null => "∅",
        byte[] bytes => Convert.ToBase64String(bytes),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "∅",
    };
}

/// <summary>One row that differs between two snapshots; <see cref="Before"/> is null for an added row, <see cref="After"/> for a removed one.</summary>
public sealed record RowChange(string Table, string Key, IReadOnlyDictionary<string, string>? Before, IReadOnlyDictionary<string, string>? After)
{
    public override string ToString()
    {
        if (Before is null)
        {
            return $"{Table}[{Key}] added";
        }

        if (After is null)
        {
            return $"{Table}[{Key}] removed";
        }

        var columns = After.Where(c => Before.GetValueOrDefault(c.Key) != c.Value).Select(c => $"{c.Key}: {Shorten(Before.GetValueOrDefault(c.Key))} → {Shorten(c.Value)}");
        return $"{Table}[{Key}] {string.Join(", ", columns)}";
    }

    private static string Shorten(string? value) => value is { Length: > 40 } ? value[..40] + "…" : value ?? "∅";
}
