namespace AlignmentHub.Infrastructure.Identity;

/// <summary>
/// A signed-in session kept on the server. The cookie carries only <see cref="Id"/>; signing out deletes the row, so a
/// copied cookie stops working at once, on every instance sharing the database.
/// </summary>
public sealed class UserSession
{
    public string Id { get; set; } = string.Empty;

    public string? UserId { get; set; }

    /// <summary>The serialised authentication ticket (claims and properties).</summary>
    public byte[] Ticket { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }
}
