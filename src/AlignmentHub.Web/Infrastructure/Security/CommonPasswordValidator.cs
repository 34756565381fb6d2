using AlignmentHub.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;

namespace AlignmentHub.Web.Infrastructure.Security;

/// <summary>
/// Rejects passwords found in breach corpora and obvious patterns (ASVS 6.2.4). Length is the main defence
/// (at least 12 characters, no composition rules), so a short deny-list of the most common long passwords suffices.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<ApplicationUser>
{
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "123456789012", "1234567890123", "12345678901234", "123456789123", "password1234", "password12345", "password123456",
        "passwordpassword", "qwertyuiop12", "qwertyuiopasdf", "qwerty123456", "1q2w3e4r5t6y", "1qaz2wsx3edc", "1qaz2wsx3edc4rfv",
        "iloveyou1234", "abc123456789", "abcdefghijkl", "aaaaaaaaaaaa", "111111111111", "000000000000", "letmein12345",
        "welcome12345", "welcome123456", "administrator", "administrator1", "changeme1234", "trustno1trustno1", "football1234",
        "baseball1234", "superman1234", "sunshine1234", "princess1234", "starwars1234", "monkey123456", "dragon123456",
        "correcthorsebatterystaple", "p@ssw0rd1234", "p@ssword1234", "passw0rd1234", "mypassword123", "Password1234!",
        "alignmenthub1", "alignmenthub123", "qwertyqwerty", "asdfghjkl123", "zxcvbnm12345", "1234qwerasdf", "987654321098",
    };

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Task.FromResult(IdentityResult.Success);
        }

        var lowered = password.ToLowerInvariant();
        var isCommon = Common.Contains(password)
            || password.Distinct().Count() <= 2
            || (user.UserName is { Length: > 3 } name && lowered.Contains(name.ToLowerInvariant().Split('@')[0], StringComparison.Ordinal) && password.Length < 20);
        return Task.FromResult(isCommon
            ? IdentityResult.Failed(new IdentityError { Code = "CommonPassword", Description = "This password is too common or too easy to guess. Try a longer passphrase." })
            : IdentityResult.Success);
    }
}
