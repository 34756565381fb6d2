using AlignmentHub.Domain.Common;

namespace AlignmentHub.Domain.Strategy;

/// <summary>A business objective of a product. Active goals carry a unique rank (1 = most important).</summary>
public sealed class Goal : Entity
{
    private Goal()
    {
        Title = string.Empty;
        Product = null!;
    }

    internal Goal(Product product, string title, string? description, string? successMetric, GoalHorizon horizon)
    {
        Product = product;
        ProductId = product.Id;
        Title = Guard.Text(title, nameof(Title), Limits.Title);
        Description = Guard.OptionalText(description, nameof(Description), Limits.LongText);
        SuccessMetric = Guard.OptionalText(successMetric, nameof(SuccessMetric), Limits.ShortText);
        Horizon = ValidHorizon(horizon);
        Status = GoalStatus.Active;
    }

    public int ProductId { get; private set; }

    public Product Product { get; private set; }

    public string Title { get; private set; }

    public string? Description { get; private set; }

    public string? SuccessMetric { get; private set; }

    public GoalHorizon Horizon { get; private set; }

    public GoalStatus Status { get; private set; }

    /// <summary>1 = most important; null once the goal is no longer active.</summary>
    public int? Rank { get; private set; }

    public DateTimeOffset? RetiredAt { get; private set; }

    public string? RetirementReason { get; private set; }

    public void Edit(string title, string? description, string? successMetric, GoalHorizon horizon)
    {
        Product.EnsureUniqueTitle(title, this);
        Title = Guard.Text(title, nameof(Title), Limits.Title);
        Description = Guard.OptionalText(description, nameof(Description), Limits.LongText);
        SuccessMetric = Guard.OptionalText(successMetric, nameof(SuccessMetric), Limits.ShortText);
        Horizon = ValidHorizon(horizon);
    }

    public void MarkAchieved()
    {
        if (Status != GoalStatus.Active)
        {
            throw new DomainException("Only an active goal can be marked achieved.");
        }

        Status = GoalStatus.Achieved;
        Product.RemoveFromRanking(this);
    }

    /// <summary>
    /// Retires the goal. The caller must have run the impact check first (brief §5): items and objectives that
    /// served only this goal are re-linked or dropped in the same transaction.
    /// </summary>
    public void Retire(string? reason, DateTimeOffset at)
    {
        if (Status == GoalStatus.Retired)
        {
            throw new DomainException("The goal is already retired.");
        }

        Status = GoalStatus.Retired;
        RetiredAt = at;
        RetirementReason = Guard.OptionalText(reason, "Reason", Limits.Reason);
        if (Rank.HasValue)
        {
            Product.RemoveFromRanking(this);
        }
    }

    public void Reactivate()
    {
        if (Status == GoalStatus.Active)
        {
            throw new DomainException("The goal is already active.");
        }

        Status = GoalStatus.Active;
        RetiredAt = null;
        RetirementReason = null;
        Product.AppendToRanking(this);
    }

    internal void SetRank(int? rank) => Rank = rank;

    private static GoalHorizon ValidHorizon(GoalHorizon horizon) =>
        Enum.IsDefined(horizon) ? horizon : throw new DomainException("Choose a horizon.", nameof(Horizon));
}
