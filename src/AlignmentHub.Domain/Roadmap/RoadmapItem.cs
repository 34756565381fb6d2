using AlignmentHub.Domain.Common;

namespace AlignmentHub.Domain.Roadmap;

/// <summary>A feature or initiative on the roadmap. Its links to key results, objectives or goals are its "why".</summary>
public sealed class RoadmapItem : Entity
{
    private readonly List<RoadmapLink> links = [];
    private readonly List<ItemDependency> dependencies = [];
    private readonly List<CustomerEvidence> evidence = [];

    private RoadmapItem()
    {
        Title = string.Empty;
    }

    public RoadmapItem(int productId, int teamId, string title, RoadmapItemKind kind, RoadmapHorizon horizon, DateTimeOffset createdAt)
    {
        ProductId = productId;
        TeamId = teamId;
        Title = Guard.Text(title, nameof(Title), Limits.Title);
        Kind = ValidKind(kind);
        Horizon = ValidHorizon(horizon);
        Status = RoadmapItemStatus.Idea;
        CreatedAt = createdAt;
    }

    public int ProductId { get; private set; }

    public int TeamId { get; private set; }

    public string Title { get; private set; }

    public string? Description { get; private set; }

    public RoadmapItemKind Kind { get; private set; }

    public RoadmapItemStatus Status { get; private set; }

    public RoadmapHorizon Horizon { get; private set; }

    /// <summary>Order within its horizon column on the board (lower first).</summary>
    public int BoardPosition { get; private set; }

    /// <summary>Target quarter key such as "2027-Q1", when no dates are given.</summary>
    public string? TargetPeriodKey { get; private set; }

    public DateOnly? StartDate { get; private set; }

    public DateOnly? EndDate { get; private set; }

    /// <summary>Effort in points (e.g. person-weeks); null when not estimated.</summary>
    public decimal? Effort { get; private set; }

    public int? RiceReach { get; private set; }

    /// <summary>0.25, 0.5, 1, 2 or 3 (the RICE impact scale).</summary>
    public decimal? RiceImpact { get; private set; }

    /// <summary>RICE confidence, 0–100 %.</summary>
    public int? RiceConfidence { get; private set; }

    public string? OwnerId { get; private set; }

    /// <summary>Key of the issue in an outside tracker (e.g. a Jira issue key).</summary>
    public string? ExternalKey { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ShippedAt { get; private set; }

    public DateTimeOffset? ArchivedAt { get; private set; }

    /// <summary>When it was deleted ("recently deleted" for <see cref="Deletion.RestoreDays"/> days); null while it exists.</summary>
    public DateTimeOffset? DeletedAt { get; private set; }

    /// <summary>The user who deleted it.</summary>
    public string? DeletedById { get; private set; }

    public IReadOnlyCollection<RoadmapLink> Links => links;

    public IReadOnlyCollection<ItemDependency> Dependencies => dependencies;

    public IReadOnlyCollection<CustomerEvidence> Evidence => evidence;

    /// <summary>Active = counts for alignment: not dropped, not archived.</summary>
    public bool IsActive => Status != RoadmapItemStatus.Dropped && ArchivedAt is null;

    /// <summary>RICE = reach × impact × confidence ÷ effort; null until all four inputs are known.</summary>
    public decimal? RiceScore => RiceScoreOf(RiceReach, RiceImpact, RiceConfidence, Effort);

    /// <summary>The RICE formula on its inputs, for read models that project the four values instead of loading the item.</summary>
    public static decimal? RiceScoreOf(int? reach, decimal? impact, int? confidence, decimal? effort) =>
        reach is { } r && impact is { } i && confidence is { } c && effort is > 0m
            ? Math.Round(r * i * (c / 100m) / effort.Value, 1, MidpointRounding.AwayFromZero)
            : null;

    public void Edit(string title, string? description, RoadmapItemKind kind, int teamId, string? ownerId, string? externalKey)
    {
        Title = Guard.Text(title, nameof(Title), Limits.Title);
        Description = Guard.OptionalText(description, nameof(Description), Limits.LongText);
        Kind = ValidKind(kind);
        TeamId = teamId;
        OwnerId = string.IsNullOrWhiteSpace(ownerId) ? null : ownerId;
        ExternalKey = Guard.OptionalText(externalKey, nameof(ExternalKey), 50);
    }

    public void Schedule(RoadmapHorizon horizon, string? targetPeriodKey, DateOnly? startDate, DateOnly? endDate)
    {
        if (startDate.HasValue != endDate.HasValue)
        {
            throw new DomainException("Give both a start and an end date, or neither.", startDate.HasValue ? nameof(EndDate) : nameof(StartDate));
        }

        if (startDate > endDate)
        {
            throw new DomainException("The end date must not be before the start date.", nameof(EndDate));
        }

        if (targetPeriodKey is not null && !Okrs.Period.TryParseKey(targetPeriodKey, out _, out _))
        {
            throw new DomainException("Enter the target quarter as YYYY-Qn, for example 2027-Q1.", nameof(TargetPeriodKey));
        }

        Horizon = ValidHorizon(horizon);
        TargetPeriodKey = targetPeriodKey;
        StartDate = startDate;
        EndDate = endDate;
    }

    public void MoveOnBoard(RoadmapHorizon horizon, int position)
    {
        Horizon = ValidHorizon(horizon);
        BoardPosition = position;
    }

    public void Estimate(decimal? effort, int? reach, decimal? impact, int? confidence)
    {
        if (effort is <= 0m or > 10_000m)
        {
            throw new DomainException("Effort must be above 0 and at most 10,000 points.", nameof(Effort));
        }

        if (reach is < 0 or > 100_000_000)
        {
            throw new DomainException("Reach must be between 0 and 100,000,000.", nameof(RiceReach));
        }

        if (impact is not null && impact is not (0.25m or 0.5m or 1m or 2m or 3m))
        {
            throw new DomainException("Impact must be 0.25, 0.5, 1, 2 or 3.", nameof(RiceImpact));
        }

        if (confidence is < 0 or > 100)
        {
            throw new DomainException("Confidence must be between 0 and 100 %.", nameof(RiceConfidence));
        }

        Effort = effort;
        RiceReach = reach;
        RiceImpact = impact;
        RiceConfidence = confidence;
    }

    public void ChangeStatus(RoadmapItemStatus status, DateTimeOffset at)
    {
        if (!Enum.IsDefined(status))
        {
            throw new DomainException("Choose a status.", nameof(Status));
        }

        Status = status;
        ShippedAt = status == RoadmapItemStatus.Shipped ? ShippedAt ?? at : null;
    }

    public void Archive(DateTimeOffset at) => ArchivedAt ??= at;

    public void Restore() => ArchivedAt = null;

    /// <summary>
    /// Deletes the item with its links, dependencies and evidence (hidden, restorable for <see cref="Deletion.RestoreDays"/>
    /// days). Unlike archiving, a deleted item is gone from every page, including its own.
    /// </summary>
    public void Delete(DateTimeOffset at, string? byUserId)
    {
        Deletion.EnsureDeletable(DeletedAt, "roadmap item");
        DeletedAt = at;
        DeletedById = string.IsNullOrWhiteSpace(byUserId) ? null : byUserId;
    }

    /// <summary>Brings a deleted item back as it was (status, archive state, links, dependencies, evidence unchanged).</summary>
    public void RestoreDeleted(DateTimeOffset now)
    {
        Deletion.EnsureRestorable(DeletedAt, now, "roadmap item");
        DeletedAt = null;
        DeletedById = null;
    }

    public RoadmapLink LinkTo(LinkTargetType type, int targetId)
    {
        if (!Enum.IsDefined(type))
        {
            throw new DomainException("Choose what to link to.", "TargetType");
        }

        if (links.Any(l => l.TargetType == type && l.TargetId == targetId))
        {
            throw new DomainException("The item is already linked to this target.", "TargetId");
        }

        var link = new RoadmapLink(this, type, targetId);
        links.Add(link);
        return link;
    }

    public void Unlink(RoadmapLink link)
    {
        if (!links.Remove(link))
        {
            throw new DomainException("The link does not belong to this item.");
        }
    }

    /// <summary>
    /// Records that this item depends on <paramref name="blocker"/>. <paramref name="blockerDependsOn"/> answers which
    /// items a given item depends on, so that cycles through other items are rejected.
    /// </summary>
    public ItemDependency DependOn(RoadmapItem blocker, Func<int, IEnumerable<int>> blockerDependsOn)
    {
        if (blocker.Id == Id)
        {
            throw new DomainException("An item cannot depend on itself.", "BlockerId");
        }

        if (dependencies.Any(d => d.BlockerId == blocker.Id))
        {
            throw new DomainException("This dependency already exists.", "BlockerId");
        }

        var seen = new HashSet<int>();
        var queue = new Queue<int>([blocker.Id]);
        while (queue.Count > 0)
        {
            var next = queue.Dequeue();
            if (next == Id)
            {
                throw new DomainException($"\"{blocker.Title}\" already depends on this item, directly or indirectly: the dependency would make a cycle.", "BlockerId");
            }

            if (seen.Add(next))
            {
                foreach (var d in blockerDependsOn(next))
                {
                    queue.Enqueue(d);
                }
            }
        }

        var dependency = new ItemDependency(this, blocker.Id);
        dependencies.Add(dependency);
        return dependency;
    }

    public void RemoveDependency(ItemDependency dependency)
    {
        if (!dependencies.Remove(dependency))
        {
            throw new DomainException("The dependency does not belong to this item.");
        }
    }

    public CustomerEvidence AddEvidence(string text, string? link, int importance, DateTimeOffset at)
    {
        var item = new CustomerEvidence(this, text, link, importance, at);
        evidence.Add(item);
        return item;
    }

    public void RemoveEvidence(CustomerEvidence item)
    {
        if (!evidence.Remove(item))
        {
            throw new DomainException("The evidence does not belong to this item.");
        }
    }

    private static RoadmapItemKind ValidKind(RoadmapItemKind kind) =>
        Enum.IsDefined(kind) ? kind : throw new DomainException("Choose a kind.", nameof(Kind));

    private static RoadmapHorizon ValidHorizon(RoadmapHorizon horizon) =>
        Enum.IsDefined(horizon) ? horizon : throw new DomainException("Choose a horizon.", nameof(Horizon));
}
