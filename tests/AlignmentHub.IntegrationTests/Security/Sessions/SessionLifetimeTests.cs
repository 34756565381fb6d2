using System.Net;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Security.Sessions;

/// <summary>
/// Session lifetime with a hand-moved clock (checklist B.10, A.5): 30 minutes idle (sliding), 12 hours absolute that
/// renewal cannot extend, and a security-stamp change or role change seen within 60 seconds even when the session
/// row is left in place. Each test signs in a fresh client; the clock only moves forward.
/// </summary>
public sealed class SessionLifetimeTests(SessionsFactory factory) : IClassFixture<SessionsFactory>
{
    [Fact]
    public void The_cookie_handler_and_the_stamp_validator_use_the_registered_clock()
    {
        // If they read the system clock, every test below would pass or fail by accident.
        var cookie = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>>()
            .Get(IdentityConstants.ApplicationScheme);
        var stamp = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityStampValidatorOptions>>().Value;

        Assert.Same(factory.Clock, cookie.TimeProvider);
        Assert.Same(factory.Clock, stamp.TimeProvider);
        Assert.Equal(TimeSpan.FromMinutes(30), cookie.ExpireTimeSpan);
        Assert.True(cookie.SlidingExpiration);
        Assert.True(stamp.ValidationInterval <= TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task An_idle_session_ends_after_30_minutes_and_activity_keeps_it_alive()
    {
        using var client = await factory.SignedInAsync(Demo.Executive);

        factory.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        factory.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode); // 58 minutes after sign-in: renewed by activity

        factory.Clock.Advance(TimeSpan.FromMinutes(31));
        SessionAssertions.IsSentToSignIn(await client.GetAsync("/"), "31 idle minutes");
    }

    [Fact]
    public async Task A_session_ends_12_hours_after_sign_in_however_active_it_is()
    {
        using var client = await factory.SignedInAsync(Demo.Member);
        var elapsed = TimeSpan.Zero;

        // A request every 20 minutes: sliding renewal alone would keep this session forever.
        while (elapsed < TimeSpan.FromHours(11) + TimeSpan.FromMinutes(40))
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(20));
            elapsed += TimeSpan.FromMinutes(20);
            var page = await client.GetAsync("/okrs");
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"after {elapsed}: {(int)page.StatusCode}");
        }

        factory.Clock.Advance(TimeSpan.FromMinutes(19));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/okrs")).StatusCode); // 11 h 59 min

        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        SessionAssertions.IsSentToSignIn(await client.GetAsync("/okrs"), "12 h 01 min after sign-in");

        // Signing in again starts a new 12 hours.
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(Demo.Member)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/okrs")).StatusCode);
    }

    [Fact]
    public async Task A_new_security_stamp_ends_a_session_within_60_seconds_even_if_its_row_survives()
    {
        using var client = await factory.SignedInAsync(Demo.ProductManager);
        factory.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        // Another instance (or a password change) replaces the stamp but does not touch the sessions table.
        await WithUserAsync(Demo.ProductManager, (users, user) => users.UpdateSecurityStampAsync(user));

        factory.Clock.Advance(TimeSpan.FromSeconds(61));
        SessionAssertions.IsSentToSignIn(await client.GetAsync("/"), "61 s after the stamp changed");
    }

    [Fact]
    public async Task A_removed_role_stops_working_within_60_seconds_even_if_the_session_survives()
    {
        // The demo product manager manages Beacon, so may add its goals. (No other test of this class needs the role.)
        using var client = await factory.SignedInAsync(Demo.ProductManager);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/products/1/goals/new")).StatusCode);

        // The role is changed behind the app's back: no new stamp, no session removed. The cookie still names the role.
        await WithUserAsync(Demo.ProductManager, async (users, user) =>
        {
            Assert.True((await users.RemoveFromRoleAsync(user, Roles.ProductManager)).Succeeded);
            return await users.AddToRoleAsync(user, Roles.Executive);
        });
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/products/1/goals/new")).StatusCode); // within the interval

        factory.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/products/1/goals/new")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/products/1/goals")).StatusCode); // still signed in, as an executive
    }

    private async Task WithUserAsync(string email, Func<UserManager<ApplicationUser>, ApplicationUser, Task<IdentityResult>> change)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.Users.SingleAsync(u => u.Email == email);
        var result = await change(users, user);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
