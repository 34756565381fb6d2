using AlignmentHub.Domain.Common;

namespace AlignmentHub.Domain.Roadmap;

/// <summary>A piece of customer evidence behind a roadmap item (a quote, a ticket, a deal).</summary>
public sealed class CustomerEvidence
{
    private CustomerEvidence()
    {
        Text = string.Empty;
    }

    internal CustomerEvidence(RoadmapItem item, string text, string? link, int importance, DateTimeOffset createdAt)
    {
        if (importance is < 1 or > 3)
        {
            throw new DomainException("Importance must be 1, 2 or 3.", nameof(Importance));
        }

        var url = Guard.OptionalText(link, nameof(Link), Limits.Url);
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            throw new DomainException("The link must be an http or https address.", nameof(Link));
        }

        RoadmapItemId = item.Id;
        Text = Guard.Text(text, nameof(Text), Limits.LongText);
        Link = url;
        Importance = importance;
        CreatedAt = createdAt;
    }

    public int Id { get; private set; }

    public int RoadmapItemId { get; private set; }

    public string Text { get; private set; }

    public string? Link { get; private set; }

    /// <summary>1 = nice to have, 3 = critical.</summary>
    public int Importance { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}
