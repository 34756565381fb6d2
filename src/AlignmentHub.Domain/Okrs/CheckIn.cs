namespace AlignmentHub.Domain.Okrs;

/// <summary>One check-in on a key result. Kept forever; never edited.</summary>
public sealed class CheckIn
{
    private CheckIn()
    {
        AuthorId = string.Empty;
        AuthorName = string.Empty;
    }

    internal CheckIn(KeyResult keyResult, decimal value, int confidence, string? note, string authorId, string authorName, DateTimeOffset createdAt)
    {
        KeyResultId = keyResult.Id;
        Value = value;
        Confidence = confidence;
        Note = note;
        AuthorId = authorId;
        AuthorName = authorName;
        CreatedAt = createdAt;
    }

    public int Id { get; private set; }

    public int KeyResultId { get; private set; }

    public decimal Value { get; private set; }

    /// <summary>0–10.</summary>
    public int Confidence { get; private set; }

    public string? Note { get; private set; }

    public string AuthorId { get; private set; }

    public string AuthorName { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public ConfidenceLevel Level => LevelOf(Confidence);

    public static ConfidenceLevel LevelOf(int confidence) => confidence switch
    {
        >= 7 => ConfidenceLevel.OnTrack,
        >= 4 => ConfidenceLevel.AtRisk,
        _ => ConfidenceLevel.OffTrack,
    };
}
