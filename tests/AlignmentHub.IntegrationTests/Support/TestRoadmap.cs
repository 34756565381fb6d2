using System.Globalization;
using AlignmentHub.Domain.Roadmap;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Support;

/// <summary>Roadmap items arranged straight in the test database (through the domain, audited like any change), and a fingerprint of the roadmap.</summary>
public static class TestRoadmap
{
    /// <summary>
    /// An item of <paramref name="team"/> on the demo product as the item pages see a typical one: Now, aimed at the
    /// current quarter, 3 pts, planned, created three days ago; then linked to each of <paramref name="links"/>.
    /// </summary>
    public static Task<int> ArrangeItemAsync(this AlignmentHubFactory factory, string team, string title, params (LinkTargetType Type, int Id)[] links) =>
        factory.ArrangeItemAsync(team, title, 3m, RoadmapHorizon.Now, links, targetPeriodKey: Demo.CurrentPeriodKey,
            createdAt: DateTimeOffset.UtcNow.AddDays(-3));

    /// <summary>
    /// An item of <paramref name="team"/> with this effort, horizon and status, linked to each of <paramref name="links"/>;
    /// <paramref name="start"/> gives it a two-week schedule.
    /// </summary>
    public static Task<int> ArrangeItemAsync(this AlignmentHubFactory factory, string team, string title, decimal? effort,
        RoadmapHorizon horizon = RoadmapHorizon.Next, (LinkTargetType Type, int Id)[]? links = null, RoadmapItemStatus status = RoadmapItemStatus.Planned,
        DateOnly? start = null, string? targetPeriodKey = null, int productId = Demo.ProductId, DateTimeOffset? createdAt = null)
        => factory.QueryAsync(async db =>
        {
            var teamId = await db.Teams.Where(t => t.Name == team).Select(t => t.Id).SingleAsync();
            var item = new RoadmapItem(productId, teamId, title, RoadmapItemKind.Feature, horizon, createdAt ?? DateTimeOffset.UtcNow);
            if (start is not null || targetPeriodKey is not null)
            {
                item.Schedule(horizon, targetPeriodKey, start, start?.AddDays(14));
            }

            item.Estimate(effort, null, null, null);
            item.ChangeStatus(status, DateTimeOffset.UtcNow);
            db.RoadmapItems.Add(item);
            await db.SaveChangesAsync();
            foreach (var (type, id) in links ?? [])
            {
                item.LinkTo(type, id);
            }

            await db.SaveChangesAsync();
            return item.Id;
        });

    /// <summary>
    /// Every roadmap item (each field, its board position and version), link, dependency and evidence row, and the last
    /// audit row: proves a refused request changed nothing.
    /// </summary>
    public static Task<string> RoadmapFingerprintAsync(this AlignmentHubFactory factory) => factory.QueryAsync(async db =>
    {
        var items = await db.RoadmapItems.AsNoTracking().OrderBy(i => i.Id)
            .Select(i => $"I{i.Id}:{i.ProductId}:{i.TeamId}:{i.Title}:{i.Description}:{i.Kind}:{i.Status}:{i.Horizon}:{i.BoardPosition}:{i.TargetPeriodKey}:{i.StartDate}:{i.EndDate}:{i.Effort}:{i.RiceReach}:{i.RiceImpact}:{i.RiceConfidence}:{i.OwnerId}:{i.ExternalKey}:{i.ShippedAt}:{i.ArchivedAt}:{i.Version}")
            .ToListAsync();
        var links = await db.RoadmapLinks.AsNoTracking().OrderBy(l => l.Id).Select(l => $"L{l.Id}:{l.RoadmapItemId}:{l.TargetType}:{l.TargetId}").ToListAsync();
        var dependencies = await db.ItemDependencies.AsNoTracking().OrderBy(d => d.Id).Select(d => $"D{d.Id}:{d.RoadmapItemId}:{d.BlockerId}").ToListAsync();
        var evidence = await db.CustomerEvidence.AsNoTracking().OrderBy(e => e.Id).Select(e => $"E{e.Id}:{e.RoadmapItemId}:{e.Text}:{e.Link}:{e.Importance}").ToListAsync();
        var audit = await db.AuditEntries.MaxAsync(a => (long?)a.Id) ?? 0;
        return string.Join("|", [.. items, .. links, .. dependencies, .. evidence, "A" + audit.ToString(CultureInfo.InvariantCulture)]);
    });
}
