using System.Globalization;
using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;

namespace AlignmentHub.Web.Features.Alignment;

/// <summary>How the Alignment page puts effort, statuses, directions and broken links into words.</summary>
public static class AlignmentText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>"8 pts", "0.5 pts", "1 pt".</summary>
    public static string Points(decimal points) => points.ToString("#,0.##", Invariant) + (points == 1m ? " pt" : " pts");

    /// <summary>An item's effort, or "not estimated".</summary>
    public static string Effort(decimal? effort) => effort is { } e ? Points(e) : "not estimated";

    public static string Status(RoadmapItemStatus status) => AlignmentHub.Web.Features.RoadmapItems.ItemText.Status(status);

    /// <summary>Which way a key result wants its metric to move, in words.</summary>
    public static string Direction(MetricDirection direction) => direction switch
    {
        MetricDirection.Increase => "wants it higher",
        MetricDirection.Decrease => "wants it lower",
        MetricDirection.StayAbove => "wants it to stay above a threshold",
        MetricDirection.StayBelow => "wants it to stay below a threshold",
        MetricDirection.StayWithin => "wants it to stay within a band",
        _ => direction.ToString(),
    };

    /// <summary>"Items", "1 item", "2 items".</summary>
    public static string Count(int count, string singular, string? plural = null) =>
        count.ToString("#,0", Invariant) + " " + (count == 1 ? singular : plural ?? singular + "s");

    /// <summary>"key result “Monthly uptime”", for messages about a link target.</summary>
    public static string Target(AlignmentGraph graph, LinkTargetType type, int id) => type switch
    {
        LinkTargetType.Goal => graph.Goal(id) is { } g ? $"goal “{g.Title}”" : "a goal",
        LinkTargetType.Objective => graph.Objective(id) is { } o ? $"objective “{o.Title}”" : "an objective",
        LinkTargetType.KeyResult => graph.KeyResult(id) is { } k ? $"key result “{k.Title}”" : "a key result",
        _ => "a target",
    };

    /// <summary>
    /// Why an orphan is one: "No links …" when it has none, else one sentence per link saying where its chain breaks
    /// (the graph's <see cref="WhyChain.BrokenBecause"/>), naming the goal it used to serve when the goal is the cause.
    /// </summary>
    public static IReadOnlyList<string> OrphanReasons(AlignmentGraph graph, int itemId)
    {
        var chains = graph.WhyChainsOf(itemId);
        if (chains.Count == 0)
        {
            return ["No links at all: nothing says which goal, objective or key result it serves."];
        }

        var reasons = new List<string>();
        foreach (var chain in chains)
        {
            var targetId = chain.LinkedTo switch
            {
                LinkTargetType.Goal => chain.GoalId,
                LinkTargetType.KeyResult => chain.KeyResultId,
                _ => chain.ObjectiveIds.Count > 0 ? chain.ObjectiveIds[0] : null,
            };
            var linkedTo = targetId is { } id ? Target(graph, chain.LinkedTo, id) : "something that no longer exists";
            var because = chain.BrokenBecause ?? "it does not reach an active goal";
            if (chain.GoalId is { } goalId && graph.Goal(goalId) is { IsActive: false } goal && because.Contains("goal", StringComparison.Ordinal))
            {
                // Say which goal and whether it was retired or achieved: the fix differs (re-link vs. celebrate and move on).
                var state = goal.IsRetired ? "retired" : "achieved";
                because += chain.LinkedTo == LinkTargetType.Goal ? $" ({state})" : $" (“{goal.Title}”, {state})";
            }

            var sentence = $"Linked to {linkedTo}, but {because}.";
            if (!reasons.Contains(sentence, StringComparer.Ordinal))
            {
                reasons.Add(sentence);
            }
        }

        return reasons;
    }
}
