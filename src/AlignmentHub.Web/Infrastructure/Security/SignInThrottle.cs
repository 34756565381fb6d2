using System.Threading.RateLimiting;

namespace AlignmentHub.Web.Infrastructure.Security;

/// <summary>
/// Sign-in attempts per user name per minute (security checklist B.8). The rate limiter middleware counts attempts per
/// client address (<see cref="RateLimitPolicies.SignIn"/>); this counts them per account, so that guessing one
/// account's password from many addresses is slowed down as well.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;

    public SignInThrottle(IConfiguration configuration)
    {
        var permits = configuration.GetValue("Security:SignInAttemptsPerMinute", 10);
        limiter = PartitionedRateLimiter.Create<string, string>(name => RateLimitPartition.GetFixedWindowLimiter(
            name, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <summary>Counts one attempt for <paramref name="userName"/>; false (with the wait) when the limit is reached.</summary>
    public bool TryAcquire(string? userName, out TimeSpan retryAfter)
    {
        // Case and surrounding spaces do not make another account; very long input must not make huge keys.
        var key = (userName ?? string.Empty).Trim().ToUpperInvariant();
        key = key.Length > 256 ? key[..256] : key;
        using var lease = limiter.AttemptAcquire(key);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
