using System.Collections.Concurrent;

namespace AlignmentHub.Web.Infrastructure.Alignment;

/// <summary>
/// The read model: one <see cref="ProductSnapshot"/> per product, kept in memory while the change counter and the
/// quarter stay the same. A request pays one tiny query (the counter) instead of reading 10,000 items; the first
/// request after a change reads the product again, once (concurrent requests wait for that one read).
/// Every instance compares with the database's counter, so a change made through any instance is seen at once.
/// </summary>
public sealed class ProductSnapshotCache
{
    private readonly ConcurrentDictionary<int, ProductSnapshot> snapshots = new();
    private readonly ConcurrentDictionary<int, SemaphoreSlim> gates = new();

    public async Task<ProductSnapshot> GetOrReadAsync(int productId, long stamp, string periodKey, Func<Task<ProductSnapshot>> read)
    {
        if (Current(productId, stamp, periodKey) is { } hit)
        {
            return hit;
        }

        var gate = gates.GetOrAdd(productId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            if (Current(productId, stamp, periodKey) is { } other)
            {
                return other; // read by a request that held the gate before us
            }

            var snapshot = await read();

            // Never replace a newer snapshot with an older one (a slow reader that started before a change).
            snapshots.AddOrUpdate(productId, snapshot, (_, existing) => existing.Stamp > snapshot.Stamp ? existing : snapshot);
            return snapshot;
        }
        finally
        {
            gate.Release();
        }
    }

    private ProductSnapshot? Current(int productId, long stamp, string periodKey) =>
        snapshots.TryGetValue(productId, out var s) && s.Stamp == stamp && s.Period.Key == periodKey ? s : null;
}
