using AlignmentHub.Domain.Common;

namespace AlignmentHub.Domain.Reviews;

public enum ReviewStatus
{
    Open = 1,
    Completed = 2,
}

/// <summary>
/// An alignment review: a frozen snapshot of a product's whole graph and metrics (serialised JSON),
/// plus the decisions taken in the review.
/// </summary>
public sealed class AlignmentReview : Entity
{
    private readonly List<ReviewDecision> decisions = [];

    private AlignmentReview()
    {
        Title = string.Empty;
        SnapshotJson = string.Empty;
        CreatedById = string.Empty;
    }

    public AlignmentReview(int productId, string title, string snapshotJson, decimal alignmentScore, string createdById, DateTimeOffset createdAt)
    {
        ProductId = productId;
        Title = Guard.Text(title, nameof(Title), Limits.Title);
        SnapshotJson = string.IsNullOrWhiteSpace(snapshotJson) ? throw new DomainException("A review needs a snapshot.") : snapshotJson;
        AlignmentScore = alignmentScore is >= 0m and <= 100m ? alignmentScore : throw new DomainException("The alignment score must be 0–100.");
        CreatedById = Guard.UserId(createdById);
        CreatedAt = createdAt;
        Status = ReviewStatus.Open;
    }

    public int ProductId { get; private set; }

    public string Title { get; private set; }

    public ReviewStatus Status { get; private set; }

    public string SnapshotJson { get; private set; }

    public decimal AlignmentScore { get; private set; }

    public string CreatedById { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public IReadOnlyCollection<ReviewDecision> Decisions => decisions;

    public ReviewDecision RecordDecision(string decision, string reason, string authorId, DateTimeOffset at)
    {
        if (Status != ReviewStatus.Open)
        {
            throw new DomainException("Decisions can only be recorded while the review is open.");
        }

        var item = new ReviewDecision(this, Guard.Text(decision, "Decision", Limits.ShortText),
            Guard.Text(reason, "Reason", Limits.LongText), Guard.UserId(authorId), at);
        decisions.Add(item);
        return item;
    }

    public void Complete(DateTimeOffset at)
    {
        if (Status == ReviewStatus.Completed)
        {
            throw new DomainException("The review is already completed.");
        }

        Status = ReviewStatus.Completed;
        CompletedAt = at;
    }
}

public sealed class ReviewDecision
{
    private ReviewDecision()
    {
        Decision = string.Empty;
        Reason = string.Empty;
        AuthorId = string.Empty;
    }

    internal ReviewDecision(AlignmentReview review, string decision, string reason, string authorId, DateTimeOffset createdAt)
    {
        ReviewId = review.Id;
        Decision = decision;
        Reason = reason;
        AuthorId = authorId;
        CreatedAt = createdAt;
    }

    public int Id { get; private set; }

    public int ReviewId { get; private set; }

    public string Decision { get; private set; }

    public string Reason { get; private set; }

    public string AuthorId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}
