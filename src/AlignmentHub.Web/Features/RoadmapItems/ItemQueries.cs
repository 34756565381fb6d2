using System.Globalization;
using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.RoadmapItems;

// ---------------------------------------------------------------- the item page

public sealed record ItemLinkRow(int LinkId, WhyChainModel Chain);

/// <summary>An item this one waits for, or one that waits for it.</summary>
public sealed record DependencyRow(int DependencyId, int ItemId, string Title, string TeamName, RoadmapItemStatus Status, RoadmapHorizon Horizon, string Schedule, bool IsActive, string? Conflict);

/// <summary>A search result for "blocked by": an active item of the same product.</summary>
public sealed record BlockerCandidate(int Id, string Title, string TeamName, RoadmapItemStatus Status, RoadmapHorizon Horizon, bool AlreadyBlocker);

public sealed record EvidenceRow(int Id, string Text, string? Link, int Importance, DateTimeOffset CreatedAt);

public sealed record ItemPage(
    int Id,
    int ProductId,
    string ProductName,
    string Title,
    string? Description,
    RoadmapItemKind Kind,
    RoadmapItemStatus Status,
    RoadmapHorizon Horizon,
    int TeamId,
    string TeamName,
    string? OwnerId,
    string? OwnerName,
    string? TargetPeriodKey,
    DateOnly? StartDate,
    DateOnly? EndDate,
    decimal? Effort,
    int? RiceReach,
    decimal? RiceImpact,
    int? RiceConfidence,
    decimal? RiceScore,
    string? ExternalKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ShippedAt,
    DateTimeOffset? ArchivedAt,
    long Version,
    bool Counts,
    bool IsAligned,
    IReadOnlyList<ItemLinkRow> Links,
    IReadOnlyList<LinkTargetGroup> LinkTargets,
    IReadOnlyList<DependencyRow> BlockedBy,
    IReadOnlyList<DependencyRow> Blocks,
    string? Find,
    IReadOnlyList<BlockerCandidate>? Candidates,
    IReadOnlyList<EvidenceRow> Evidence,
    bool CanEdit)
{
    public bool IsArchived => ArchivedAt is not null;

    /// <summary>Brief §3: an active item that reaches no active goal.</summary>
    public bool IsOrphan => Counts && !IsAligned;

    /// <summary>Why an item does not count for alignment at all, or null when it does.</summary>
    public string? NotCountingReason => Counts ? null
        : IsArchived ? "It is archived."
        : Status == RoadmapItemStatus.Dropped ? "It was dropped."
        : "It shipped before the current quarter.";
}

/// <summary>The item page. <paramref name="Find"/> is the "blocked by" search typed by the user (id or part of a title).</summary>
public sealed record GetItemPageQuery(int ItemId, string? Find) : IQuery<ItemPage>;

/// <summary>
/// Reads the page in a fixed number of queries whatever the roadmap's size: the item, names, the product's alignment
/// graph (its own fixed set), the item's links, dependencies both ways, evidence, the vision's first line, and at most
/// one search for "blocked by" (limited to <see cref="MaxCandidates"/> rows).
/// </summary>
public sealed class GetItemPageHandler(AppDbContext db, RoadmapAccess access, AlignmentGraphLoader graphs) : IQueryHandler<GetItemPageQuery, ItemPage>
{
    public const int MaxCandidates = 20;
    public const int MaxFindLength = 200;

    public async ValueTask<ItemPage> Handle(GetItemPageQuery query, CancellationToken cancellationToken)
    {
        var id = query.ItemId;
        var item = await db.RoadmapItems.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken) ?? throw new NotFoundException("The roadmap item");
        var productName = await db.GetProductNameAsync(item.ProductId, cancellationToken);
        var ownerName = item.OwnerId is { } ownerId
            ? await db.Users.AsNoTracking().Where(u => u.Id == ownerId).Select(u => u.DisplayName).SingleOrDefaultAsync(cancellationToken)
            : null;
        var teamNames = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var canEdit = await access.CanEditItemAsync(item.ProductId, item.TeamId, cancellationToken);

        // Why: the product's graph answers alignment and the chains; the link ids come from the item's own links.
        var graph = await graphs.LoadAsync(item.ProductId, cancellationToken);
        var vision = WhyChains.Summary(await WhyChains.CurrentVisionTextAsync(db, item.ProductId, cancellationToken));
        var linkIds = await db.RoadmapLinks.AsNoTracking().Where(l => l.RoadmapItemId == id)
            .Select(l => new { l.Id, l.TargetType, l.TargetId }).ToListAsync(cancellationToken);
        var chains = WhyChains.For(graph, item.ProductId, id, vision, teamNames);
        var links = chains
            .Select(c => new ItemLinkRow(linkIds.First(l => l.TargetType == c.LinkedTo && l.TargetId == c.TargetId).Id, c))
            .OrderBy(l => l.Chain.IsActive ? 0 : 1).ThenBy(l => l.LinkId)
            .ToList();
        var node = graph.Item(id);
        var targets = canEdit && item.ArchivedAt is null ? await LinkTargets.GroupsAsync(db, graph, cancellationToken) : [];

        // Dependencies both ways, with what is needed to spot a blocker planned later than this item.
        var blockedBy = await (from d in db.ItemDependencies.AsNoTracking()
                               where d.RoadmapItemId == id
                               join i in db.RoadmapItems on d.BlockerId equals i.Id
                               select new DependencyData(d.Id, i.Id, i.Title, i.TeamId, i.Status, i.Horizon, i.TargetPeriodKey, i.StartDate, i.EndDate, i.ArchivedAt))
            .ToListAsync(cancellationToken);
        var blocks = await (from d in db.ItemDependencies.AsNoTracking()
                            where d.BlockerId == id
                            join i in db.RoadmapItems on d.RoadmapItemId equals i.Id
                            select new DependencyData(d.Id, i.Id, i.Title, i.TeamId, i.Status, i.Horizon, i.TargetPeriodKey, i.StartDate, i.EndDate, i.ArchivedAt))
            .ToListAsync(cancellationToken);
        var schedules = blockedBy.Concat(blocks).Select(d => d.Schedule).Append(Schedule(item.Id, item.Status, item.Horizon, item.TargetPeriodKey, item.StartDate, item.EndDate, item.ArchivedAt))
            .DistinctBy(s => s.ItemId).ToList();
        var conflicts = AlignmentConflicts.Schedule(schedules, blockedBy.Select(b => (id, b.ItemId)).Concat(blocks.Select(b => (b.ItemId, id))))
            .ToDictionary(c => (c.ItemId, c.BlockerId), c => c.Explanation);
        DependencyRow Row(DependencyData d, string? conflict) => new(d.DependencyId, d.ItemId, d.Title, teamNames.GetValueOrDefault(d.TeamId) ?? "—", d.Status, d.Horizon,
            ItemText.Schedule(d.TargetPeriodKey, d.StartDate, d.EndDate), d.ArchivedAt is null && d.Status != RoadmapItemStatus.Dropped, conflict);

        var evidence = await db.CustomerEvidence.AsNoTracking().Where(e => e.RoadmapItemId == id)
            .OrderByDescending(e => e.Importance).ThenByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Select(e => new EvidenceRow(e.Id, e.Text, e.Link, e.Importance, e.CreatedAt))
            .ToListAsync(cancellationToken);

        // Control characters (a NUL among them) can only be pasted in by mistake; PostgreSQL would refuse them in a parameter.
        var find = query.Find is null ? null : new string(query.Find.Where(c => !char.IsControl(c)).ToArray()).Trim();
        IReadOnlyList<BlockerCandidate>? candidates = null;
        if (canEdit && item.ArchivedAt is null && !string.IsNullOrEmpty(find))
        {
            find = find.Length > MaxFindLength ? find[..MaxFindLength] : find;
            candidates = await FindBlockersAsync(item, find, blockedBy.Select(b => b.ItemId).ToHashSet(), teamNames, cancellationToken);
        }

        return new ItemPage(item.Id, item.ProductId, productName, item.Title, item.Description, item.Kind, item.Status, item.Horizon, item.TeamId,
            teamNames.GetValueOrDefault(item.TeamId) ?? "—", item.OwnerId, ownerName, item.TargetPeriodKey, item.StartDate, item.EndDate, item.Effort,
            item.RiceReach, item.RiceImpact, item.RiceConfidence, item.RiceScore, item.ExternalKey, item.CreatedAt, item.ShippedAt, item.ArchivedAt,
            item.Version, node?.Counts ?? false, graph.IsAligned(id), links, targets,
            blockedBy.OrderBy(b => b.Title, StringComparer.CurrentCultureIgnoreCase).Select(b => Row(b, conflicts.GetValueOrDefault((id, b.ItemId)))).ToList(),
            blocks.OrderBy(b => b.Title, StringComparer.CurrentCultureIgnoreCase).Select(b => Row(b, conflicts.GetValueOrDefault((b.ItemId, id)))).ToList(),
            find, candidates, evidence, canEdit);
    }

    /// <summary>
    /// Active items of the same product whose title contains the text, or whose id it is ("1234" or "#1234"):
    /// one query, at most <see cref="MaxCandidates"/> rows, so it stays fast on a roadmap of 10,000 items.
    /// </summary>
    private async Task<List<BlockerCandidate>> FindBlockersAsync(RoadmapItem item, string find, HashSet<int> current, Dictionary<int, string> teamNames, CancellationToken cancellationToken)
    {
        var text = find.TrimStart('#').Trim().ToLowerInvariant();
        var productId = item.ProductId;
        var itemId = item.Id;
        var candidates = db.RoadmapItems.AsNoTracking()
            .Where(i => i.ProductId == productId && i.Id != itemId && i.ArchivedAt == null && i.Status != RoadmapItemStatus.Dropped);
        candidates = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? candidates.Where(i => i.Id == number || i.Title.ToLower().Contains(text))
            : candidates.Where(i => i.Title.ToLower().Contains(text));
        var rows = await candidates
            .OrderBy(i => i.Id == number ? 0 : 1).ThenBy(i => i.Title).ThenBy(i => i.Id)
            .Take(MaxCandidates)
            .Select(i => new { i.Id, i.Title, i.TeamId, i.Status, i.Horizon })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new BlockerCandidate(r.Id, r.Title, teamNames.GetValueOrDefault(r.TeamId) ?? "—", r.Status, r.Horizon, current.Contains(r.Id))).ToList();
    }

    private static ItemSchedule Schedule(int id, RoadmapItemStatus status, RoadmapHorizon horizon, string? key, DateOnly? start, DateOnly? end, DateTimeOffset? archivedAt) =>
        new(id, horizon, key, start, end, archivedAt is null && status is not (RoadmapItemStatus.Dropped or RoadmapItemStatus.Shipped));

    private sealed record DependencyData(int DependencyId, int ItemId, string Title, int TeamId, RoadmapItemStatus Status, RoadmapHorizon Horizon,
        string? TargetPeriodKey, DateOnly? StartDate, DateOnly? EndDate, DateTimeOffset? ArchivedAt)
    {
        public ItemSchedule Schedule => GetItemPageHandler.Schedule(ItemId, Status, Horizon, TargetPeriodKey, StartDate, EndDate, ArchivedAt);
    }
}

// ---------------------------------------------------------------- permission check before a form is read

/// <summary>What a POST needs to know first: does the item exist (404) and may the user change it (403).</summary>
public sealed record ItemAccess(int ItemId, int ProductId, int TeamId, string Title, long Version, bool IsArchived, bool CanEdit);

public sealed record GetItemAccessQuery(int ItemId) : IQuery<ItemAccess>;

public sealed class GetItemAccessHandler(AppDbContext db, RoadmapAccess access) : IQueryHandler<GetItemAccessQuery, ItemAccess>
{
    public async ValueTask<ItemAccess> Handle(GetItemAccessQuery query, CancellationToken cancellationToken)
    {
        var item = await db.RoadmapItems.AsNoTracking().Where(i => i.Id == query.ItemId)
            .Select(i => new { i.Id, i.ProductId, i.TeamId, i.Title, i.Version, i.ArchivedAt })
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The roadmap item");
        return new ItemAccess(item.Id, item.ProductId, item.TeamId, item.Title, item.Version, item.ArchivedAt is not null,
            await access.CanEditItemAsync(item.ProductId, item.TeamId, cancellationToken));
    }
}

// ---------------------------------------------------------------- the edit form

/// <summary>The stored item as the edit form starts from it, and what the form's choices depend on.</summary>
public sealed record ItemEditContext(int Id, int ProductId, string Title, int TeamId, string? OwnerId, string? TargetPeriodKey, bool IsArchived, EditItemCommand Form);

public sealed record GetItemEditContextQuery(int ItemId) : IQuery<ItemEditContext>;

public sealed class GetItemEditContextHandler(AppDbContext db) : IQueryHandler<GetItemEditContextQuery, ItemEditContext>
{
    public async ValueTask<ItemEditContext> Handle(GetItemEditContextQuery query, CancellationToken cancellationToken)
    {
        var i = await db.RoadmapItems.AsNoTracking().SingleOrDefaultAsync(x => x.Id == query.ItemId, cancellationToken) ?? throw new NotFoundException("The roadmap item");
        var form = new EditItemCommand
        {
            ItemId = i.Id,
            ProductId = i.ProductId,
            Version = i.Version,
            Title = i.Title,
            Description = i.Description,
            Kind = i.Kind,
            TeamId = i.TeamId,
            OwnerId = i.OwnerId,
            Status = i.Status,
            Horizon = i.Horizon,
            TargetPeriodKey = i.TargetPeriodKey,
            StartDate = i.StartDate,
            EndDate = i.EndDate,
            Effort = i.Effort,
            RiceReach = i.RiceReach,
            RiceImpact = i.RiceImpact,
            RiceConfidence = i.RiceConfidence,
            ExternalKey = i.ExternalKey,
        };
        return new ItemEditContext(i.Id, i.ProductId, i.Title, i.TeamId, i.OwnerId, i.TargetPeriodKey, i.ArchivedAt is not null, form);
    }
}

// ---------------------------------------------------------------- the form's choices

public sealed record Choice(string Value, string Text);

/// <summary>A team the user may put items in, with its members (the owners an item of that team may have).</summary>
public sealed record TeamChoice(int Id, string Name, IReadOnlyList<Choice> Members);

public sealed record ItemFormOptions(
    int ProductId,
    string ProductName,
    IReadOnlyList<TeamChoice> Teams,
    IReadOnlyList<Choice> Quarters,
    IReadOnlyList<LinkTargetGroup> WhyTargets);

/// <summary>
/// The choices of the item form: the teams the user may put items in with their members as owners, the quarters
/// around today, and (for a new item) what it can be linked to. The current team, owner and quarter of an edited item
/// are always offered, so an edit never silently changes them.
/// </summary>
public sealed record GetItemFormOptionsQuery(int ProductId, bool WithWhyTargets, int? CurrentTeamId = null, string? CurrentOwnerId = null, string? CurrentQuarter = null)
    : IQuery<ItemFormOptions>;

public sealed class GetItemFormOptionsHandler(AppDbContext db, RoadmapAccess access, AlignmentGraphLoader graphs, TimeProvider clock)
    : IQueryHandler<GetItemFormOptionsQuery, ItemFormOptions>
{
    public async ValueTask<ItemFormOptions> Handle(GetItemFormOptionsQuery query, CancellationToken cancellationToken)
    {
        var productName = await db.GetProductNameAsync(query.ProductId, cancellationToken);
        var editable = new List<(int Id, string Name)>();
        foreach (var team in await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken))
        {
            if (team.Id == query.CurrentTeamId || await access.CanEditItemAsync(query.ProductId, team.Id, cancellationToken))
            {
                editable.Add((team.Id, team.Name));
            }
        }

        var teamIds = editable.Select(t => t.Id).ToList();
        var current = query.CurrentOwnerId;
        var members = (await (from m in db.TeamMemberships.AsNoTracking()
                              join u in db.Users on m.UserId equals u.Id
                              where teamIds.Contains(m.TeamId) && (!u.IsDisabled || u.Id == current)
                              orderby u.DisplayName
                              select new { m.TeamId, u.Id, u.DisplayName })
                .ToListAsync(cancellationToken))
            .ToLookup(m => m.TeamId, m => new Choice(m.Id, m.DisplayName));
        var teams = editable.Select(t => new TeamChoice(t.Id, t.Name, members[t.Id].ToList())).ToList();

        // The previous quarter, this one and the next six; and the item's own when it lies outside them.
        var quarter = Period.Containing(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddMonths(-3));
        var keys = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            keys.Add(quarter.Key);
            var (y, q) = quarter.Next();
            quarter = Period.ForQuarter(y, q);
        }

        if (query.CurrentQuarter is { } own && Period.TryParseKey(own, out _, out _) && !keys.Contains(own))
        {
            keys.Add(own);
        }

        var quarters = keys.Order(StringComparer.Ordinal).Select(k => new Choice(k, k)).ToList();
        var why = query.WithWhyTargets ? await LinkTargets.GroupsAsync(db, await graphs.LoadAsync(query.ProductId, cancellationToken), cancellationToken) : [];
        return new ItemFormOptions(query.ProductId, productName, teams, quarters, why);
    }
}

/// <summary>The product a new item goes to: the one asked for (404 when unknown), else the first by name.</summary>
public sealed record GetNewItemProductQuery(string? Product) : IQuery<int>;

public sealed class GetNewItemProductHandler(AppDbContext db, NavigationContext navigation) : IQueryHandler<GetNewItemProductQuery, int>
{
    public async ValueTask<int> Handle(GetNewItemProductQuery query, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query.Product))
        {
            return await navigation.DefaultProductIdAsync() ?? throw new NotFoundException("A product");
        }

        return int.TryParse(query.Product.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
               && await db.Products.AnyAsync(p => p.Id == id, cancellationToken)
            ? id
            : throw new NotFoundException("The product");
    }
}
