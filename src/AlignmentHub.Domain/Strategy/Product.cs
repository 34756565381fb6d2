using AlignmentHub.Domain.Common;

namespace AlignmentHub.Domain.Strategy;

/// <summary>
/// A product: the root of the strategy. It owns the ranking of its goals, so that two people re-ranking or adding
/// goals at once conflict on the product's version instead of producing duplicate ranks.
/// </summary>
public sealed class Product : Entity
{
    private readonly List<Goal> goals = [];

    private Product()
    {
        Name = string.Empty;
    }

    public Product(string name, string? description, DateTimeOffset createdAt)
    {
        Name = Guard.Text(name, nameof(Name), Limits.Name);
        Description = Guard.OptionalText(description, nameof(Description), Limits.ShortText);
        CreatedAt = createdAt;
    }

    public string Name { get; private set; }

    public string? Description { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Changes whenever the set or order of ranked goals changes; part of the concurrency check.</summary>
    public int GoalRankingRevision { get; private set; }

    public IReadOnlyCollection<Goal> Goals => goals;

    public IEnumerable<Goal> RankedGoals => goals.Where(g => g.Rank.HasValue).OrderBy(g => g.Rank);

    public void Rename(string name, string? description)
    {
        Name = Guard.Text(name, nameof(Name), Limits.Name);
        Description = Guard.OptionalText(description, nameof(Description), Limits.ShortText);
    }

    /// <summary>Adds an active goal at <paramref name="rank"/> (1 = most important), or last when null.</summary>
    public Goal AddGoal(string title, string? description, string? successMetric, GoalHorizon horizon, int? rank = null)
    {
        var ranked = RankedGoals.ToList();
        var position = rank ?? ranked.Count + 1;
        if (position < 1 || position > ranked.Count + 1)
        {
            throw new DomainException($"Rank must be between 1 and {ranked.Count + 1}.", "Rank");
        }

        EnsureUniqueTitle(title, null);
        var goal = new Goal(this, title, description, successMetric, horizon);
        ranked.Insert(position - 1, goal);
        goals.Add(goal);
        ApplyRanks(ranked);
        return goal;
    }

    /// <summary>Moves an active goal to a new rank, shifting the others.</summary>
    public void MoveGoal(Goal goal, int newRank)
    {
        var ranked = RankedGoals.ToList();
        if (!ranked.Contains(goal))
        {
            throw new DomainException("Only active goals can be ranked.", "Rank");
        }

        if (newRank < 1 || newRank > ranked.Count)
        {
            throw new DomainException($"Rank must be between 1 and {ranked.Count}.", "Rank");
        }

        ranked.Remove(goal);
        ranked.Insert(newRank - 1, goal);
        ApplyRanks(ranked);
    }

    /// <summary>Sets the full order of active goals; <paramref name="orderedGoalIds"/> must name each exactly once.</summary>
    public void ReorderGoals(IReadOnlyList<int> orderedGoalIds)
    {
        var ranked = RankedGoals.ToList();
        if (orderedGoalIds.Count != ranked.Count
            || orderedGoalIds.Distinct().Count() != ranked.Count
            || orderedGoalIds.Any(id => ranked.All(g => g.Id != id)))
        {
            throw new DomainException("The new order must list every active goal exactly once.", "Order");
        }

        ApplyRanks(orderedGoalIds.Select(id => ranked.Single(g => g.Id == id)).ToList());
    }

    internal void EnsureUniqueTitle(string title, Goal? except)
    {
        var trimmed = title?.Trim() ?? string.Empty;
        if (goals.Any(g => g != except && string.Equals(g.Title, trimmed, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DomainException("Another goal of this product already has this title.", "Title");
        }
    }

    /// <summary>Called by a goal leaving the Active state: it loses its rank and the others close the gap.</summary>
    internal void RemoveFromRanking(Goal goal)
    {
        var ranked = RankedGoals.Where(g => g != goal).ToList();
        goal.SetRank(null);
        ApplyRanks(ranked);
    }

    /// <summary>Called by a goal re-activated: it goes to the end of the ranking.</summary>
    internal void AppendToRanking(Goal goal)
    {
        var ranked = RankedGoals.Where(g => g != goal).ToList();
        ranked.Add(goal);
        ApplyRanks(ranked);
    }

    private void ApplyRanks(List<Goal> ordered)
    {
        for (var i = 0; i < ordered.Count; i++)
        {
            ordered[i].SetRank(i + 1);
        }

        GoalRankingRevision++;
    }
}
