using System.Net;
using System.Text.RegularExpressions;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Security.Access;

/// <summary>
/// The access fixture plus canaries: a user whose e-mail, password hash, security and concurrency stamps and phone are
/// unique strings (a member of Onboarding, so their name is on pages), and an item and a key result of team Platform
/// that belong to sam@'s "my work" and not to member@'s.
/// </summary>
public sealed class CanaryFixture : AccessFixture
{
    public const string UserCanary = "USER-CANARY-91c2";
    public const string CanaryEmail = "cara.user-canary-91c2@canary-mail.test";
    public const string MyWorkItem = "MYWORK-ITEM-CANARY-5d1e";
    public const string MyWorkKeyResult = "MYWORK-KR-CANARY-5d1e";

    protected override async Task SeedMoreAsync()
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = CanaryEmail, Email = CanaryEmail, DisplayName = "Cara Canary", PhoneNumber = "PHONE-" + UserCanary };
            Assert.True((await users.CreateAsync(user)).Succeeded);
            await users.AddToRoleAsync(user, Roles.TeamMember);

            // Values no page may ever show, in the columns that hold secrets.
            var db = scope.ServiceProvider.GetRequiredService<AlignmentHub.Infrastructure.Persistence.AppDbContext>();
            var stored = await db.Users.SingleAsync(u => u.Email == CanaryEmail);
            stored.PasswordHash = "HASH-" + UserCanary;
            stored.SecurityStamp = "STAMP-" + UserCanary;
            stored.ConcurrencyStamp = "CSTAMP-" + UserCanary;
            await db.SaveChangesAsync();
            (await db.Teams.Include(t => t.Members).SingleAsync(t => t.Id == OnboardingId)).AddMember(stored.Id);
            await db.SaveChangesAsync();
        }

        var sam = await UserIdAsync("sam@alignmenthub.demo");
        var item = await NewItemAsync("Platform", BeaconId, MyWorkItem);
        await this.QueryAsync(async db =>
        {
            var entity = await db.RoadmapItems.SingleAsync(i => i.Id == item);
            entity.Edit(entity.Title, null, RoadmapItemKind.Feature, PlatformId, sam, null);
            return await db.SaveChangesAsync();
        });
        await NewObjectiveAsync(PlatformId, Goal(Scope.Own), "Platform objective with a due key result");
        await this.QueryAsync(async db =>
        {
            var objective = await db.Objectives.Include(o => o.KeyResults).SingleAsync(o => o.Title == "Platform objective with a due key result");
            objective.AddKeyResult(new KeyResultDefinition(MyWorkKeyResult, MetricType.Number, MetricDirection.Increase, 0, 5), DateTimeOffset.UtcNow.AddDays(-20));
            return await db.SaveChangesAsync();
        });
    }
}

/// <summary>
/// Checklist item 6. Everything in AlignmentHub is readable by every signed-in user (brief §6), so "only permitted
/// teams" cannot mean hiding other teams. What must never cross a boundary is proved instead: (1) secrets of the
/// user and session tables (password hashes, security stamps, session keys, key-ring material, other users' e-mail
/// addresses) appear on no page for any role; (2) a page about product Beacon shows nothing of product Harbor;
/// (3) a user's own "my work" shows only their items and their team's key results.
/// </summary>
public sealed partial class CanaryTests(CanaryFixture fixture) : IClassFixture<CanaryFixture>
{
    public static TheoryData<string> Pages => new(AccessMatrix.Rows.Where(r => r.IsRead).Select(r => r.Key));

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task No_page_shows_secrets_other_users_emails_or_another_products_data(string endpoint)
    {
        var row = AccessMatrix.Find(endpoint);
        var request = await row.Sample(fixture, Scope.Own);
        foreach (var role in Enum.GetValues<Role>())
        {
            var client = await fixture.ClientAsync(role);
            var page = await client.GetAsync(request.Url);
            var secrets = await SecretsAsync(role, row.Flags.HasFlag(RowFlags.ShowsEmails));

            var leaked = secrets.Where(s => page.Html.Contains(s.Value, StringComparison.OrdinalIgnoreCase)).Select(s => s.Name).ToList();
            Assert.True(leaked.Count == 0, $"{request.Url} as {role} shows {string.Join(", ", leaked)}");
            if (row.Flags.HasFlag(RowFlags.ProductScoped))
            {
                Assert.False(page.Html.Contains(AccessFixture.HarborCanary, StringComparison.Ordinal), $"{request.Url} (about Beacon) as {role} shows data of product Harbor.");
            }
        }
    }

    [Fact]
    public async Task The_item_search_for_a_dependency_finds_only_items_of_the_same_product()
    {
        using var client = await TestClient.SignedInAsync(fixture, Demo.Admin);

        var page = await client.GetAsync($"/roadmap/items/{fixture.Item(Scope.Own)}?find=Harbor");
        var control = await client.GetAsync($"/roadmap/items/{fixture.Item(Scope.Other)}?find=Harbor");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain(AccessFixture.HarborCanary, page.Html, StringComparison.Ordinal);
        Assert.Contains(AccessFixture.HarborCanary, control.Html, StringComparison.Ordinal); // the search does find Harbor's items on Harbor
    }

    [Fact]
    public async Task My_work_on_home_shows_only_the_users_own_items_and_their_teams_key_results()
    {
        using var member = await TestClient.SignedInAsync(fixture, Demo.Member);
        using var sam = await TestClient.SignedInAsync(fixture, "sam@alignmenthub.demo");

        var memberHome = await member.GetAsync("/");
        var samHome = await sam.GetAsync("/");

        Assert.DoesNotContain(CanaryFixture.MyWorkItem, memberHome.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryFixture.MyWorkKeyResult, memberHome.Html, StringComparison.Ordinal);
        // Control: the canaries are on the home page of the user they belong to, so their absence above means something.
        Assert.Contains(CanaryFixture.MyWorkItem, samHome.Html, StringComparison.Ordinal);
        Assert.Contains(CanaryFixture.MyWorkKeyResult, samHome.Html, StringComparison.Ordinal);
    }

    /// <summary>
    /// Strings no page may contain for <paramref name="role"/>: every user's password hash, security and concurrency stamp,
    /// the canary user's phone, every session key, the key ring's master keys, and every e-mail address but the
    /// caller's own (unless the page is one of the administrator's pages about users: their list and page, the audit
    /// log, which show e-mail addresses, phone numbers in changes, and concurrency stamps as form version tokens).
    /// </summary>
    private Task<List<(string Name, string Value)>> SecretsAsync(Role role, bool emailsAllowed) => fixture.QueryAsync(async db =>
    {
        var own = role == Role.Anonymous ? null : AccessFixture.Email(role);
        var users = await db.Users.AsNoTracking().ToListAsync();
        var secrets = new List<(string Name, string Value)>();
        foreach (var user in users)
        {
            secrets.Add(($"{user.Email}'s password hash", user.PasswordHash!));
            secrets.Add(($"{user.Email}'s security stamp", user.SecurityStamp!));
            if (!emailsAllowed)
            {
                // The administrator's user pages carry a user's concurrency stamp as their forms' version token.
                secrets.Add(($"{user.Email}'s concurrency stamp", user.ConcurrencyStamp!));
            }

            if (!emailsAllowed && user.Email != own)
            {
                secrets.Add(($"the e-mail address {user.Email}", user.Email!));
            }
        }

        if (!emailsAllowed)
        {
            // The administrator's audit log shows what changed on user rows, the phone number included.
            secrets.Add(("the canary user's phone number", "PHONE-" + CanaryFixture.UserCanary));
        }
        secrets.AddRange((await db.UserSessions.AsNoTracking().Select(s => s.Id).ToListAsync()).Select(id => ("a session key", id)));
        foreach (var xml in await db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync())
        {
            secrets.AddRange(MasterKey().Matches(xml ?? string.Empty).Select(m => ("data-protection key material", m.Groups[1].Value)));
        }

        Assert.Contains(secrets, s => s.Name == "a session key");
        Assert.Contains(secrets, s => s.Name == "data-protection key material");
        return secrets.Where(s => !string.IsNullOrEmpty(s.Value)).ToList();
    });

    [GeneratedRegex("<value>([^<]{16,})</value>")]
    private static partial Regex MasterKey();
}
