using AlignmentHub.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace AlignmentHub.Web.Infrastructure.Alignment;

/// <summary>
/// Page data that is the same for every reader (an objective's check-ins and items, say), kept in memory while the
/// database's change counter stays the same (ADR 0005). A request pays one tiny query, the counter; the first request
/// after any committed change, on any instance, reads afresh. Inside a transaction nothing is cached: the data may hold
/// changes that are not committed yet. Bounded: at most <see cref="Capacity"/> entries, unused ones leave after
/// <see cref="Idle"/>.
/// </summary>
public sealed class ReadModelCache : IDisposable
{
    public const int Capacity = 2_000;
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    private readonly MemoryCache entries = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public async Task<T> GetOrReadAsync<T>(AppDbContext db, object key, Func<Task<T>> read, CancellationToken cancellationToken)
        where T : class
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await read();
        }

        // The counter is read before the data: a change committed in between makes the entry look older than it is,
        // so the next request reads again. Never the other way round.
        var stamp = await RequestStampAsync(db, cancellationToken);
        if (entries.TryGetValue(key, out Entry? entry) && entry!.Stamp == stamp)
        {
            return (T)entry.Value;
        }

        var value = await read();
        entries.Set(key, new Entry(stamp, value), new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = Idle });
        return value;
    }

    public void Dispose() => entries.Dispose();

    /// <summary>
    /// The change counter as this use of the DbContext (one request) first read it, so that a page built from several
    /// cached parts pays for one counter query. Reusing an older reading is safe (an entry may look older than it is,
    /// never newer); a commit of this use's own changes forgets the reading (<see cref="ContextUse.ChangeStamp"/>), so a
    /// request never reads past its own writes.
    /// </summary>
    public static async Task<long> RequestStampAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        if (db.Use.ChangeStamp is { } known)
        {
            return known;
        }

        var stamp = await StampAsync(db, cancellationToken);
        db.Use.ChangeStamp = stamp;
        return stamp;
    }

    /// <summary>The database's change counter (one row, bumped by every committing write).</summary>
    public static Task<long> StampAsync(AppDbContext db, CancellationToken cancellationToken) => ReadStamp(db, cancellationToken);

    // Read by nearly every page: compiled once, so no expression tree is built and looked up in the query cache each time.
    private static readonly Func<AppDbContext, CancellationToken, Task<long>> ReadStamp = EF.CompileAsyncQuery(
        (AppDbContext db, CancellationToken _) => db.ChangeCounters.AsNoTracking().Where(c => c.Id == ChangeCounter.SingletonId).Select(c => c.Value).Single());

    private sealed record Entry(long Stamp, object Value);
}
