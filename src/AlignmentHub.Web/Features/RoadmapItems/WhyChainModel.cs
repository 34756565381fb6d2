using System.Globalization;
using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.RoadmapItems;

public enum WhyStepKind
{
    Item = 1,
    KeyResult = 2,
    Objective = 3,
    Goal = 4,
    Vision = 5,
}

/// <summary>One step of a why chain: what it is, its name, where its page is, and a short note (a team, a rank).</summary>
public sealed record WhyStep(WhyStepKind Kind, string Title, string? Url, string? Note = null)
{
    public string KindLabel => Kind switch
    {
        WhyStepKind.Item => "Item",
        WhyStepKind.KeyResult => "Key result",
        WhyStepKind.Objective => "Objective",
        WhyStepKind.Goal => "Goal",
        _ => "Vision",
    };
}

/// <summary>
/// The model of the _WhyChain partial: one path from a roadmap item up to the vision (brief §3: item → key result →
/// objective → goal → vision). A broken path (<see cref="IsActive"/> false) says why it stops.
/// </summary>
public sealed record WhyChainModel(IReadOnlyList<WhyStep> Steps, bool IsActive, string? BrokenBecause, LinkTargetType LinkedTo, int TargetId);

/// <summary>Builds why chains from the alignment graph of the item's product, for the item page and any page listing items.</summary>
public static class WhyChains
{
    private const int VisionSummaryLength = 140;

    public static string ItemUrl(int itemId) => "/roadmap/items/" + itemId.ToString(CultureInfo.InvariantCulture);

    public static string ObjectiveUrl(int objectiveId) => "/okrs/objectives/" + objectiveId.ToString(CultureInfo.InvariantCulture);

    public static string KeyResultUrl(int objectiveId, int keyResultId) =>
        ObjectiveUrl(objectiveId) + "#kr-" + keyResultId.ToString(CultureInfo.InvariantCulture);

    public static string GoalUrl(int productId, int goalId) =>
        string.Create(CultureInfo.InvariantCulture, $"/products/{productId}/goals/{goalId}");

    public static string VisionUrl(int productId) => string.Create(CultureInfo.InvariantCulture, $"/products/{productId}/vision");

    /// <summary>
    /// Every chain of the item, one per link, in the order of <see cref="AlignmentGraph.LinksOf"/>. With
    /// <paramref name="includeItem"/> the chain starts with the item itself (for pages that list several items).
    /// </summary>
    public static IReadOnlyList<WhyChainModel> For(AlignmentGraph graph, int productId, int itemId, string? visionSummary,
        IReadOnlyDictionary<int, string> teamNames, bool includeItem = false)
    {
        var links = graph.LinksOf(itemId).ToList();
        var chains = graph.WhyChainsOf(itemId);
        var result = new List<WhyChainModel>(chains.Count);
        for (var i = 0; i < chains.Count; i++)
        {
            var chain = chains[i];
            var steps = new List<WhyStep>();
            if (includeItem && graph.Item(itemId) is { } item)
            {
                steps.Add(new WhyStep(WhyStepKind.Item, item.Title, ItemUrl(itemId)));
            }

            if (chain.KeyResultId is { } krId)
            {
                var kr = graph.KeyResult(krId);
                steps.Add(kr is null
                    ? new WhyStep(WhyStepKind.KeyResult, "A key result that no longer exists", null)
                    : new WhyStep(WhyStepKind.KeyResult, kr.Title, KeyResultUrl(kr.ObjectiveId, kr.Id), kr.IsActive ? null : "retired"));
            }

            foreach (var objectiveId in chain.ObjectiveIds)
            {
                var objective = graph.Objective(objectiveId);
                steps.Add(objective is null
                    ? new WhyStep(WhyStepKind.Objective, "An objective that no longer exists", null)
                    : new WhyStep(WhyStepKind.Objective, objective.Title, ObjectiveUrl(objective.Id),
                        (teamNames.GetValueOrDefault(objective.TeamId) ?? "another team") + (objective.IsActive ? string.Empty : " · no longer active")));
            }

            if (chain.GoalId is { } goalId)
            {
                var goal = graph.Goal(goalId);
                steps.Add(goal is null
                    ? new WhyStep(WhyStepKind.Goal, "A goal that no longer exists", null)
                    : new WhyStep(WhyStepKind.Goal, goal.Title, GoalUrl(productId, goal.Id),
                        goal.Rank is { } rank ? "#" + rank.ToString(CultureInfo.InvariantCulture) : goal.IsRetired ? "retired" : "achieved"));
            }

            if (chain.IsActive)
            {
                steps.Add(new WhyStep(WhyStepKind.Vision, string.IsNullOrWhiteSpace(visionSummary) ? "Product vision" : visionSummary, VisionUrl(productId)));
            }

            result.Add(new WhyChainModel(steps, chain.IsActive, chain.BrokenBecause, links[i].TargetType, links[i].TargetId));
        }

        return result;
    }

    /// <summary>The current vision text of a product (one query), for <see cref="Summary"/>.</summary>
    public static Task<string?> CurrentVisionTextAsync(AppDbContext db, int productId, CancellationToken cancellationToken) =>
        db.VisionVersions.AsNoTracking()
            .Where(v => db.Visions.Any(x => x.Id == v.VisionId && x.ProductId == productId && x.CurrentVersionNumber == v.Number))
            .Select(v => v.Text)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>The vision's first line as plain text (Markdown heading and list marks removed), shortened.</summary>
    public static string? Summary(string? visionText)
    {
        var line = visionText?.Split('\n').Select(l => l.Trim().TrimStart('#', '>', '-', '*', ' ').Replace("**", string.Empty, StringComparison.Ordinal).Trim())
            .FirstOrDefault(l => l.Length > 0);
        if (line is null)
        {
            return null;
        }

        return line.Length <= VisionSummaryLength ? line : line[..VisionSummaryLength].TrimEnd() + "…";
    }
}
