using System.Globalization;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Infrastructure.Alignment;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Impact;

/// <summary>What retiring something would leave without a justification, as the test works it out by itself.</summary>
internal sealed record ExpectedImpact(IReadOnlySet<int> Items, IReadOnlySet<int> Objectives);

/// <summary>Reads and arranges the demo data for the impact check tests.</summary>
internal static class ImpactTestData
{
    public static Task<int> GoalIdAsync(this AlignmentHubFactory factory, string titleStart) =>
        factory.QueryAsync(db => db.Goals.Where(g => g.Title.StartsWith(titleStart)).Select(g => g.Id).SingleAsync());

    public static Task<int> ObjectiveIdAsync(this AlignmentHubFactory factory, string title) =>
        factory.QueryAsync(db => db.Objectives.Where(o => o.Title == title && o.Status != ObjectiveStatus.Closed).Select(o => o.Id).SingleAsync());

    public static Task<List<(LinkTargetType Type, int Id)>> LinksOfAsync(this AlignmentHubFactory factory, int itemId) =>
        factory.QueryAsync(async db => (await db.RoadmapLinks.AsNoTracking().Where(l => l.RoadmapItemId == itemId)
            .Select(l => new { l.TargetType, l.TargetId }).ToListAsync()).Select(l => (l.TargetType, l.TargetId)).ToList());

    /// <summary>The set of active items the alignment graph finds aligned now.</summary>
    public static async Task<HashSet<int>> AlignedItemsAsync(this AlignmentHubFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var graph = await scope.ServiceProvider.GetRequiredService<AlignmentGraphLoader>().LoadAsync(Demo.ProductId, CancellationToken.None);
        return graph.Items.Where(i => i.Counts && graph.IsAligned(i.Id)).Select(i => i.Id).ToHashSet();
    }

    /// <summary>
    /// Works out, straight from the tables and without the app's alignment graph, which active items are aligned now
    /// and would not be, and which active objectives reach an active goal now and would not, if the subject were retired.
    /// </summary>
    public static Task<ExpectedImpact> ExpectedImpactAsync(this AlignmentHubFactory factory, LinkTargetType retired, int retiredId) => factory.QueryAsync(async db =>
    {
        var goals = await db.Goals.AsNoTracking().Where(g => g.ProductId == Demo.ProductId).ToDictionaryAsync(g => g.Id, g => g.Status);
        var objectives = await db.Objectives.AsNoTracking().ToDictionaryAsync(o => o.Id, o => new { o.GoalId, o.ParentObjectiveId, o.Status });
        var keyResults = await db.KeyResults.AsNoTracking().ToDictionaryAsync(k => k.Id, k => new { k.ObjectiveId, k.Status });
        var items = await db.RoadmapItems.AsNoTracking().Where(i => i.ProductId == Demo.ProductId).Select(i => new { i.Id, i.Status, i.ArchivedAt, i.ShippedAt }).ToListAsync();
        var links = (await db.RoadmapLinks.AsNoTracking().Select(l => new { l.RoadmapItemId, l.TargetType, l.TargetId }).ToListAsync()).ToLookup(l => l.RoadmapItemId);
        var periodStart = Period.Containing(DateOnly.FromDateTime(DateTime.UtcNow)).StartDate;

        bool Retired(LinkTargetType type, int id, bool after) => after && type == retired && id == retiredId;
        bool GoalActive(int id, bool after) => goals.TryGetValue(id, out var status) && status == GoalStatus.Active && !Retired(LinkTargetType.Goal, id, after);
        bool ObjectiveReaches(int id, bool after)
        {
            int? current = id;
            for (var depth = 0; current is { } oid && depth < 50; depth++)
            {
                if (!objectives.TryGetValue(oid, out var o) || o.Status != ObjectiveStatus.Active || Retired(LinkTargetType.Objective, oid, after))
                {
                    return false;
                }

                if (o.GoalId is { } goal)
                {
                    return GoalActive(goal, after);
                }

                current = o.ParentObjectiveId;
            }

            return false;
        }

        bool LinkReaches(LinkTargetType type, int id, bool after) => type switch
        {
            LinkTargetType.Goal => GoalActive(id, after),
            LinkTargetType.Objective => ObjectiveReaches(id, after),
            _ => keyResults.TryGetValue(id, out var k) && k.Status == KeyResultStatus.Active && !Retired(LinkTargetType.KeyResult, id, after) && ObjectiveReaches(k.ObjectiveId, after),
        };

        bool Aligned(int item, bool after) => links[item].Any(l => LinkReaches(l.TargetType, l.TargetId, after));
        bool Counts(RoadmapItemStatus status, DateTimeOffset? archived, DateTimeOffset? shipped) =>
            status != RoadmapItemStatus.Dropped && archived is null
            && !(status == RoadmapItemStatus.Shipped && shipped is { } at && DateOnly.FromDateTime(at.UtcDateTime) < periodStart);

        var lostItems = items.Where(i => Counts(i.Status, i.ArchivedAt, i.ShippedAt) && Aligned(i.Id, false) && !Aligned(i.Id, true)).Select(i => i.Id).ToHashSet();
        var lostObjectives = objectives.Keys
            .Where(o => !(retired == LinkTargetType.Objective && o == retiredId) && ObjectiveReaches(o, false) && !ObjectiveReaches(o, true))
            .ToHashSet();
        return new ExpectedImpact(lostItems, lostObjectives);
    });

    /// <summary>Everything the impact check could change, with versions, and the last audit row: proves a refused request changed nothing.</summary>
    public static Task<string> ImpactFingerprintAsync(this AlignmentHubFactory factory) => factory.QueryAsync(async db =>
    {
        var goals = await db.Goals.AsNoTracking().OrderBy(g => g.Id).Select(g => $"G{g.Id}:{g.Status}:{g.Rank}:{g.RetirementReason}:{g.Version}").ToListAsync();
        var products = await db.Products.AsNoTracking().OrderBy(p => p.Id).Select(p => $"P{p.Id}:{p.GoalRankingRevision}:{p.Version}").ToListAsync();
        var objectives = await db.Objectives.AsNoTracking().OrderBy(o => o.Id).Select(o => $"O{o.Id}:{o.GoalId}:{o.ParentObjectiveId}:{o.Status}:{o.Version}").ToListAsync();
        var keyResults = await db.KeyResults.AsNoTracking().OrderBy(k => k.Id).Select(k => $"K{k.Id}:{k.ObjectiveId}:{k.Status}:{k.Version}").ToListAsync();
        var items = await db.RoadmapItems.AsNoTracking().OrderBy(i => i.Id).Select(i => $"I{i.Id}:{i.Status}:{i.Version}").ToListAsync();
        var links = await db.RoadmapLinks.AsNoTracking().OrderBy(l => l.Id).Select(l => $"L{l.Id}:{l.RoadmapItemId}:{l.TargetType}:{l.TargetId}").ToListAsync();
        var audit = await db.AuditEntries.MaxAsync(a => (long?)a.Id) ?? 0;
        return string.Join("|", [.. goals, .. products, .. objectives, .. keyResults, .. items, .. links, $"A{audit}"]);
    });

    /// <summary>The ids the page lists in its objectives and items tables.</summary>
    public static (HashSet<int> Items, HashSet<int> Objectives) Listed(Page page) => (
        page.Document.QuerySelectorAll("section[aria-labelledby='impact-items'] tbody a").Select(a => IdAtEnd(a.GetAttribute("href"))).ToHashSet(),
        page.Document.QuerySelectorAll("section[aria-labelledby='impact-objectives'] tbody a").Select(a => IdAtEnd(a.GetAttribute("href"))).ToHashSet());

    /// <summary>The retire form of the page as a browser would post it (antiforgery token included), choices still to be made.</summary>
    public static Dictionary<string, string> RetireForm(Page page, string url) => HtmlForms.Form(page.Document, url);

    public static Dictionary<string, string> With(this Dictionary<string, string> fields, string name, string value)
    {
        fields[name] = value;
        return fields;
    }

    private static int IdAtEnd(string? href) => int.Parse(href![(href!.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);
}
