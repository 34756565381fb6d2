namespace AlignmentHub.Domain.Teams;

/// <summary>Grants a product manager edit rights on one product's vision, goals, OKRs and roadmap (brief §6).</summary>
public sealed class ProductManagerAssignment
{
    private ProductManagerAssignment()
    {
        UserId = string.Empty;
    }

    public ProductManagerAssignment(int productId, string userId)
    {
        ProductId = productId;
        UserId = userId;
    }

    public int Id { get; private set; }

    public int ProductId { get; private set; }

    public string UserId { get; private set; }
}
