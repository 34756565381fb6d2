using AlignmentHub.Domain.Common;

namespace AlignmentHub.Domain.Collaboration;

public enum CommentTarget
{
    Goal = 1,
    Objective = 2,
    KeyResult = 3,
    RoadmapItem = 4,
    Vision = 5,
}

/// <summary>A comment anyone signed in may leave on a strategy or roadmap object.</summary>
public sealed class Comment : Entity
{
    private Comment()
    {
        Body = string.Empty;
        AuthorId = string.Empty;
        AuthorName = string.Empty;
    }

    public Comment(CommentTarget targetType, int targetId, string body, string authorId, string authorName, DateTimeOffset createdAt)
    {
        TargetType = Enum.IsDefined(targetType) ? targetType : throw new DomainException("Unknown comment target.");
        TargetId = targetId;
        Body = Guard.Text(body, nameof(Body), Limits.LongText);
        AuthorId = Guard.UserId(authorId);
        AuthorName = Guard.Text(authorName, "Author", Limits.UserName);
        CreatedAt = createdAt;
    }

    public CommentTarget TargetType { get; private set; }

    public int TargetId { get; private set; }

    public string Body { get; private set; }

    public string AuthorId { get; private set; }

    public string AuthorName { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? EditedAt { get; private set; }

    public void Edit(string body, string editorId, DateTimeOffset at)
    {
        if (editorId != AuthorId)
        {
            throw new DomainException("Only the author can edit a comment.");
        }

        Body = Guard.Text(body, nameof(Body), Limits.LongText);
        EditedAt = at;
    }
}
