using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;

namespace AlignmentHub.Web.Infrastructure.Alignment;

/// <summary>A roadmap item as the roadmap views and dashboards read it.</summary>
public sealed record ItemRow(
    int Id,
    string Title,
    int TeamId,
    string? OwnerId,
    RoadmapItemStatus Status,
    RoadmapHorizon Horizon,
    int BoardPosition,
    string? TargetPeriodKey,
    DateOnly? StartDate,
    DateOnly? EndDate,
    decimal? Effort,
    decimal? RiceScore,
    DateTimeOffset? ShippedAt,
    DateTimeOffset? ArchivedAt,
    long Version)
{
    /// <summary>Not archived, not dropped, not shipped: still to be worked on.</summary>
    public bool IsOpen => ArchivedAt is null && Status is not (RoadmapItemStatus.Dropped or RoadmapItemStatus.Shipped);
}

/// <summary>A key result of the current period with what the dashboards show about it.</summary>
public sealed record KeyResultRow(int Id, string Title, int ObjectiveId, string ObjectiveTitle, int TeamId, Progress Progress,
    int? LatestConfidence, DateTimeOffset? LastCheckInAt, DateTimeOffset CreatedAt, int CadenceDays)
{
    /// <summary>No check-in for longer than the cadence (same rule as <see cref="KeyResult.IsStale"/>).</summary>
    public bool IsStale(DateTimeOffset now) => (now - (LastCheckInAt ?? CreatedAt)).TotalDays > CadenceDays;

    /// <summary>Progress lags the elapsed share of the period by more than 25 points (same rule as <see cref="KeyResult.IsBehind"/>).</summary>
    public bool IsBehind(Period period, DateOnly today) => (period.ElapsedShare(today) * 100m) - Progress.RolledUp > KeyResult.BehindThresholdPoints;

    public ConfidenceLevel? Level => LatestConfidence is { } c ? CheckIn.LevelOf(c) : null;
}

/// <summary>An objective of the current period with its progress.</summary>
public sealed record ObjectiveRow(int Id, string Title, int TeamId, int? GoalId, int? ParentObjectiveId, decimal Weight, Progress Progress, bool IsActive);

/// <summary>
/// One product's strategy and roadmap, read at one value of the change counter: the alignment graph plus the rows the
/// roadmap views and dashboards need. Immutable, so concurrent requests share it; rebuilt when the counter moves or
/// the quarter changes (see <see cref="ProductSnapshotCache"/>).
/// </summary>
public sealed class ProductSnapshot
{
    private readonly object figuresLock = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, object> memo = new();
    private (string Key, AlignmentFigures Figures)? lastFigures;

    public ProductSnapshot(long stamp, Period period, int productId, string productName, AlignmentGraph graph, IReadOnlyList<ItemRow> items,
        IReadOnlyDictionary<int, string> teamNames, IReadOnlyList<ObjectiveRow> objectives, IReadOnlyList<KeyResultRow> keyResults,
        IReadOnlyList<(int ItemId, int BlockerId)> dependencies)
    {
        Stamp = stamp;
        Period = period;
        ProductId = productId;
        ProductName = productName;
        Graph = graph;
        Items = items;
        ItemsById = items.ToDictionary(i => i.Id);
        TeamNames = teamNames;
        Objectives = objectives;
        KeyResults = keyResults;
        Dependencies = dependencies;
    }

    /// <summary>The change counter's value the snapshot was read at.</summary>
    public long Stamp { get; }

    /// <summary>The current quarter when the snapshot was read (items shipped before it do not count).</summary>
    public Period Period { get; }

    public int ProductId { get; }

    public string ProductName { get; }

    public AlignmentGraph Graph { get; }

    /// <summary>Every item of the product, archived and dropped ones included.</summary>
    public IReadOnlyList<ItemRow> Items { get; }

    public IReadOnlyDictionary<int, ItemRow> ItemsById { get; }

    public IReadOnlyDictionary<int, string> TeamNames { get; }

    /// <summary>The current period's objectives that serve this product (active and closed, not retired).</summary>
    public IReadOnlyList<ObjectiveRow> Objectives { get; }

    /// <summary>The active key results of the active <see cref="Objectives"/>.</summary>
    public IReadOnlyList<KeyResultRow> KeyResults { get; }

    public IReadOnlyList<(int ItemId, int BlockerId)> Dependencies { get; }

    /// <summary>
    /// A value derived from this snapshot only (a sort order, a column), computed once per snapshot and shared; a key
    /// names the derivation and its parameters.
    /// </summary>
    public T Memo<T>(string key, Func<ProductSnapshot, T> compute)
        where T : class =>
        (T)memo.GetOrAdd(key, _ => compute(this));

    /// <summary>Key results without a check-in for longer than their cadence at <paramref name="now"/>.</summary>
    public IReadOnlySet<int> StaleKeyResults(DateTimeOffset now) => KeyResults.Where(k => k.IsStale(now)).Select(k => k.Id).ToHashSet();

    /// <summary>
    /// The product's alignment figures at <paramref name="now"/>. Staleness moves with the clock, so the figures are
    /// remembered for the last set of stale key results only.
    /// </summary>
    public AlignmentFigures Figures(DateTimeOffset now)
    {
        var stale = StaleKeyResults(now);
        var key = string.Join(',', stale.Order());
        lock (figuresLock)
        {
            if (lastFigures is { } last && last.Key == key)
            {
                return last.Figures;
            }
        }

        var figures = AlignmentMetrics.Compute(Graph, stale);
        lock (figuresLock)
        {
            lastFigures = (key, figures);
        }

        return figures;
    }
}
