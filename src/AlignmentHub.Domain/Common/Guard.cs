namespace AlignmentHub.Domain.Common;

internal static class Guard
{
    public static string Text(string? value, string field, int maxLength, bool required = true)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        if (required && trimmed.Length == 0)
        {
            throw new DomainException($"{field} is required.", field);
        }

        if (trimmed.Length > maxLength)
        {
            throw new DomainException($"{field} must be at most {maxLength} characters.", field);
        }

        if (trimmed.Any(c => c == '\0'))
        {
            throw new DomainException($"{field} contains a character that is not allowed.", field);
        }

        return trimmed;
    }

    public static string? OptionalText(string? value, string field, int maxLength)
    {
        var text = Text(value, field, maxLength, required: false);
        return text.Length == 0 ? null : text;
    }

    public static string UserId(string? userId)
    {
        if (string.IsNullOrWhiteSpace(userId))
        {
            throw new DomainException("An author is required.");
        }

        return userId;
    }
}
