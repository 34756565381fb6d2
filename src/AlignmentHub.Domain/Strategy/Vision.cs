using AlignmentHub.Domain.Common;

namespace AlignmentHub.Domain.Strategy;

/// <summary>
/// The product vision. It is never overwritten: every save appends a new <see cref="VisionVersion"/>
/// (author, time, optional reason), so the history can show who changed what and a diff.
/// </summary>
public sealed class Vision : Entity
{
    private readonly List<VisionVersion> versions = [];

    private Vision()
    {
    }

    public Vision(int productId) => ProductId = productId;

    public int ProductId { get; private set; }

    /// <summary>Number of the newest version; 0 before the first save.</summary>
    public int CurrentVersionNumber { get; private set; }

    public IReadOnlyCollection<VisionVersion> Versions => versions;

    /// <summary>Saves a new version. Saving text identical to the current version is rejected as a no-op.</summary>
    public VisionVersion Revise(string text, string authorId, string authorName, DateTimeOffset at, string? reason, string? currentText)
    {
        var body = Guard.Text(text, "Text", Limits.VisionText);
        if (currentText is not null && string.Equals(Normalise(currentText), Normalise(body), StringComparison.Ordinal))
        {
            throw new DomainException("The text is unchanged, so no new version was saved.", "Text");
        }

        // Check every input before taking a version number, so a rejected save leaves no gap.
        var author = Guard.UserId(authorId);
        var name = Guard.Text(authorName, "Author", Limits.UserName);
        var why = Guard.OptionalText(reason, "Reason", Limits.Reason);
        CurrentVersionNumber++;
        var version = new VisionVersion(this, CurrentVersionNumber, body, author, name, at, why);
        versions.Add(version);
        return version;
    }

    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}

/// <summary>One saved version of a vision. Append-only: it has no setters after creation.</summary>
public sealed class VisionVersion
{
    private VisionVersion()
    {
        Text = string.Empty;
        AuthorId = string.Empty;
        AuthorName = string.Empty;
    }

    internal VisionVersion(Vision vision, int number, string text, string authorId, string authorName, DateTimeOffset createdAt, string? reason)
    {
        VisionId = vision.Id;
        Number = number;
        Text = text;
        AuthorId = authorId;
        AuthorName = authorName;
        CreatedAt = createdAt;
        Reason = reason;
    }

    public int Id { get; private set; }

    public int VisionId { get; private set; }

    public int Number { get; private set; }

    public string Text { get; private set; }

    public string AuthorId { get; private set; }

    public string AuthorName { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string? Reason { get; private set; }
}
