using System.Globalization;
using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Shared;

/// <summary>One choice in a "link to" picker; <see cref="Value"/> is "goal:3", "objective:5" or "kr:12".</summary>
public sealed record LinkTargetOption(string Value, string Label);

/// <summary>A group of choices: the goals, or one objective with its key results.</summary>
public sealed record LinkTargetGroup(string Label, IReadOnlyList<LinkTargetOption> Options);

/// <summary>
/// What a roadmap item can be linked to: active goals (by rank) and active objectives that reach an active goal, each
/// with its active key results. Used by the item page, the orphan queue's bulk re-link and the impact check.
/// </summary>
public static class LinkTargets
{
    public static string Value(LinkTargetType type, int id) => type switch
    {
        LinkTargetType.Goal => "goal:",
        LinkTargetType.Objective => "objective:",
        _ => "kr:",
    } + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads "goal:3", "objective:5" or "kr:12"; false for anything else.</summary>
    public static bool TryParse(string? value, out LinkTargetType type, out int id)
    {
        type = default;
        id = 0;
        var parts = value?.Split(':');
        if (parts is not [var kind, var number] || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out id) || id <= 0)
        {
            return false;
        }

        type = kind switch
        {
            "goal" => LinkTargetType.Goal,
            "objective" => LinkTargetType.Objective,
            "kr" => LinkTargetType.KeyResult,
            _ => 0,
        };
        return type != 0;
    }

    /// <summary>
    /// Is the target something an item may be linked to now: it exists in this graph and reaches an active goal?
    /// </summary>
    public static bool IsValidTarget(AlignmentGraph graph, LinkTargetType type, int id) =>
        graph.ActiveGoalOf(new LinkEdge(0, type, id)) is not null;

    /// <summary>The picker's groups for the product of <paramref name="graph"/>, leaving out <paramref name="exclude"/> (e.g. what is being retired).</summary>
    public static async Task<IReadOnlyList<LinkTargetGroup>> GroupsAsync(AppDbContext db, AlignmentGraph graph, CancellationToken cancellationToken,
        (LinkTargetType Type, int Id)? exclude = null)
    {
        bool Excluded(LinkTargetType type, int id) => exclude is { } e && e.Type == type && e.Id == id;

        var teamNames = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var groups = new List<LinkTargetGroup>();
        var goals = graph.Goals.Where(g => g.IsActive && !Excluded(LinkTargetType.Goal, g.Id)).OrderBy(g => g.Rank ?? int.MaxValue).ThenBy(g => g.Title)
            .Select(g => new LinkTargetOption(Value(LinkTargetType.Goal, g.Id), $"Goal #{g.Rank}: {g.Title}"))
            .ToList();
        if (goals.Count > 0)
        {
            groups.Add(new LinkTargetGroup("Goals", goals));
        }

        var after = exclude is { } x ? graph.Without(x.Type, x.Id) : graph;
        foreach (var objective in after.Objectives.Where(o => after.IsJustified(o.Id))
                     .OrderBy(o => graph.Goal(after.ActiveGoalOf(o.Id)!.Value)?.Rank ?? int.MaxValue)
                     .ThenBy(o => teamNames.GetValueOrDefault(o.TeamId), StringComparer.CurrentCultureIgnoreCase)
                     .ThenBy(o => o.Title, StringComparer.CurrentCultureIgnoreCase))
        {
            var options = new List<LinkTargetOption> { new(Value(LinkTargetType.Objective, objective.Id), $"Objective: {objective.Title}") };
            options.AddRange(after.KeyResults.Where(k => k.ObjectiveId == objective.Id && k.IsActive).OrderBy(k => k.Id)
                .Select(k => new LinkTargetOption(Value(LinkTargetType.KeyResult, k.Id), $"Key result: {k.Title}")));
            groups.Add(new LinkTargetGroup($"{teamNames.GetValueOrDefault(objective.TeamId) ?? "Team"} · {objective.Title}", options));
        }

        return groups;
    }
}

/// <summary>The model of the _LinkTargetSelect partial.</summary>
public sealed record LinkTargetSelectModel(string Name, IReadOnlyList<LinkTargetGroup> Groups, string? Selected, string? Id = null, string? CssClass = null)
{
    public string Id { get; init; } = Id ?? Name;
}
