using System.Net;
using AlignmentHub.IntegrationTests.Support;

namespace AlignmentHub.IntegrationTests.Security.Sessions;

/// <summary>The app with the real sign-in limit: 10 attempts a minute.</summary>
public sealed class LimitedSessionsFactory : SessionsFactory
{
    public LimitedSessionsFactory() => SignInAttemptsPerMinute = 10;
}

/// <summary>
/// Sign-in rate limit (checklist B.8): more than 10 POSTs a minute from one client address, or for one user name
/// from any number of addresses, get 429 with Retry-After; never a 5xx. Every test uses addresses and names of its
/// own, so the fixed one-minute windows of one test do not touch another's.
/// </summary>
public sealed class SignInRateLimitTests(LimitedSessionsFactory factory) : IClassFixture<LimitedSessionsFactory>
{
    [Fact]
    public async Task The_eleventh_attempt_from_one_address_gets_429_whatever_the_names()
    {
        var address = NewAddress();
        using var client = factory.NewClient(address);
        var token = await client.GetTokenAsync("/account/login");

        var statuses = new List<HttpStatusCode>();
        Page? last = null;
        for (var i = 0; i < 11; i++)
        {
            last = await client.PostWithTokenAsync("/account/login", token, [new("Email", $"nobody-{i}-{Guid.NewGuid():N}@alignmenthub.test"), new("Password", "wrong-password-" + i)]);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 10), HttpStatusCode.TooManyRequests], statuses);
        AssertRetryAfter(last!);
        SecurityHeaders.AssertPresent(last!.Response, "429 (address)", https: false, signedIn: false);

        // Another address is not held back.
        using var other = factory.NewClient(NewAddress());
        Assert.Equal(HttpStatusCode.Redirect, (await other.SignInAsync(Demo.Member)).StatusCode);
    }

    [Fact]
    public async Task The_eleventh_attempt_for_one_name_gets_429_from_any_address()
    {
        var name = $"target-{Guid.NewGuid():N}@alignmenthub.test";
        var statuses = new List<HttpStatusCode>();
        Page? last = null;
        for (var i = 0; i < 11; i++)
        {
            // A botnet: every attempt from a new address; case and spaces do not make a new name.
            using var client = factory.NewClient(NewAddress());
            var token = await client.GetTokenAsync("/account/login");
            var typed = (i % 3) switch { 0 => name, 1 => name.ToUpperInvariant(), _ => "  " + name + " " };
            last = await client.PostWithTokenAsync("/account/login", token, [new("Email", typed), new("Password", "wrong-password-" + i)]);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 10), HttpStatusCode.TooManyRequests], statuses);
        AssertRetryAfter(last!);
        SecurityHeaders.AssertPresent(last!.Response, "429 (name)", https: false, signedIn: false);
        using var someoneElse = factory.NewClient(NewAddress());
        Assert.Equal(HttpStatusCode.Redirect, (await someoneElse.SignInAsync(Demo.Executive)).StatusCode);
    }

    [Fact]
    public async Task A_parallel_burst_gets_exactly_the_limit_through_and_429_for_the_rest_never_5xx()
    {
        var address = NewAddress();
        using var client = factory.NewClient(address);
        var token = await client.GetTokenAsync("/account/login");

        var pages = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            client.PostWithTokenAsync("/account/login", token, [new("Email", $"burst-{i}-{Guid.NewGuid():N}@alignmenthub.test"), new("Password", "wrong-password-" + i)])));

        Assert.All(pages, p => Assert.True(p.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"status {(int)p.StatusCode}"));
        Assert.Equal(10, pages.Count(p => p.StatusCode == HttpStatusCode.OK));
        Assert.All(pages.Where(p => p.StatusCode == HttpStatusCode.TooManyRequests), AssertRetryAfter);
    }

    private static void AssertRetryAfter(Page page)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        var retryAfter = page.Response.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is not null, "Retry-After header missing on 429");
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Contains("error 429", page.Text, StringComparison.Ordinal); // the friendly page, not an empty body
    }

    private static string NewAddress() => $"192.0.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";
}
