using System.Net;
using AlignmentHub.Domain.Teams;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Security.Sessions;

/// <summary>
/// The administrators' users page (brief §4 Admin, checklist A.5 revocation): who may use it, what it shows, and that
/// every change is version-checked, audited, guarded against locking the administrators out, and takes effect on
/// the user's very next request because their sessions end.
/// </summary>
public sealed class AdminUsersTests(SessionsFactory factory) : IClassFixture<SessionsFactory>
{
    [Theory]
    [InlineData(Demo.ProductManager)]
    [InlineData(Demo.Member)]
    [InlineData(Demo.Executive)]
    public async Task Everyone_but_administrators_gets_403_and_changes_nothing(string email)
    {
        var target = await CreateUserAsync(Roles.TeamMember);
        using var client = await factory.SignedInAsync(email);
        var token = await client.GetTokenAsync("/");
        var before = await SnapshotAsync(target.Id);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/admin/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/admin/users/{target.Id}")).StatusCode);
        foreach (var (action, fields) in new (string, List<KeyValuePair<string, string>>)[]
        {
            ("roles", [new("Roles", Roles.Admin), new("ConcurrencyStamp", target.ConcurrencyStamp!)]),
            ("disable", [new("ConcurrencyStamp", target.ConcurrencyStamp!)]),
            ("enable", [new("ConcurrencyStamp", target.ConcurrencyStamp!)]),
            ("sign-out", []),
        })
        {
            var post = await client.PostWithTokenAsync($"/admin/users/{target.Id}/{action}", token, fields);
            Assert.True(post.StatusCode == HttpStatusCode.Forbidden, $"POST {action} as {email}: {(int)post.StatusCode}");
        }

        Assert.Equal(before, await SnapshotAsync(target.Id));
        var nav = (await client.GetAsync("/")).Document.QuerySelector("nav.ah-nav")!;
        Assert.DoesNotContain(nav.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/admin/users");
    }

    [Fact]
    public async Task Anonymous_requests_are_sent_to_sign_in()
    {
        using var client = factory.NewClient();
        SessionAssertions.IsSentToSignIn(await client.GetAsync("/admin/users"), "anonymous list");
        SessionAssertions.IsSentToSignIn(await client.GetAsync("/admin/users/" + await factory.UserIdAsync(Demo.Member)), "anonymous user page");
    }

    [Fact]
    public async Task The_list_shows_each_users_roles_teams_status_last_sign_in_and_sessions()
    {
        using var member = await factory.SignedInAsync(Demo.Member);
        using var admin = await factory.SignedInAsync(Demo.Admin);

        var page = await admin.GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/admin/users", page.Document.QuerySelector("nav.ah-nav a.active")?.GetAttribute("href"));
        var memberId = await factory.UserIdAsync(Demo.Member);
        var row = page.Document.QuerySelector($"tr[data-user-id='{memberId}']")!;
        var cells = row.QuerySelectorAll("th, td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(Demo.DisplayName(Demo.Member), cells[0]);
        Assert.Equal(Demo.Member, cells[1]);
        Assert.Equal("Team member", cells[2]);
        Assert.Equal("Onboarding", cells[3]);
        Assert.Equal("Active", cells[4]);
        Assert.EndsWith("UTC", cells[5], StringComparison.Ordinal);
        Assert.True(int.Parse(cells[6], System.Globalization.CultureInfo.InvariantCulture) >= 1, $"sessions: {cells[6]}");
        Assert.Equal($"/admin/users/{memberId}", row.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal(await factory.QueryAsync(db => db.Users.CountAsync()), page.Document.QuerySelectorAll("tr[data-user-id]").Length);
    }

    [Fact]
    public async Task Changing_roles_ends_the_users_sessions_so_the_next_request_is_refused_and_the_change_is_audited()
    {
        var pm = await CreateUserAsync(Roles.ProductManager, managesProduct: true);
        using var victim = await factory.SignedInAsync(pm.Email!);
        using var spare = await factory.SignedInAsync(pm.Email!); // a second device
        Assert.Equal(HttpStatusCode.OK, (await victim.GetAsync("/products/1/goals/new")).StatusCode);
        using var admin = await factory.SignedInAsync(Demo.Admin);
        var adminId = await factory.UserIdAsync(Demo.Admin);
        var auditBefore = await factory.MaxAuditIdAsync();

        var userPage = await admin.GetAsync($"/admin/users/{pm.Id}");
        Assert.Equal("2", userPage.Document.QuerySelector("[data-active-sessions]")!.TextContent.Trim());
        var (token, fields) = HtmlForms.FormOf(userPage, $"/admin/users/{pm.Id}/roles");
        Assert.Equal([Roles.ProductManager], fields.Where(f => f.Key == "Roles").Select(f => f.Value));
        fields.RemoveAll(f => f.Key == "Roles");
        fields.Add(new("Roles", Roles.Executive));
        var saved = await admin.PostWithTokenAsync($"/admin/users/{pm.Id}/roles", token, fields);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/admin/users/{pm.Id}", saved.LocationPath);
        Assert.Contains("2 sessions ended", (await admin.GetAsync($"/admin/users/{pm.Id}")).Text, StringComparison.Ordinal);

        // At once, not after the 1-minute stamp interval: the sessions are gone.
        SessionAssertions.IsSentToSignIn(await victim.GetAsync("/products/1/goals/new"), "first request after the role change");
        SessionAssertions.IsSentToSignIn(await spare.GetAsync("/"), "the other device");
        Assert.Equal(HttpStatusCode.Redirect, (await victim.SignInAsync(pm.Email!)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await victim.GetAsync("/products/1/goals/new")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await victim.GetAsync("/products/1/goals")).StatusCode);

        var audit = await factory.AuditAfterAsync(auditBefore);
        Assert.All(audit, a => Assert.Equal(adminId, a.UserId));
        Assert.Single(audit, a => a.EntityType.StartsWith("IdentityUserRole", StringComparison.Ordinal) && a.Action == "Deleted" && a.EntityId.StartsWith(pm.Id, StringComparison.Ordinal));
        Assert.Single(audit, a => a.EntityType.StartsWith("IdentityUserRole", StringComparison.Ordinal) && a.Action == "Created" && a.EntityId.StartsWith(pm.Id, StringComparison.Ordinal));
        var userAudit = Assert.Single(audit, a => a.EntityType == nameof(ApplicationUser) && a.EntityId == pm.Id);
        Assert.Contains("SecurityStamp", userAudit.Changes, StringComparison.Ordinal);
        Assert.DoesNotContain(pm.SecurityStamp!, userAudit.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabling_ends_the_sessions_and_blocks_sign_in_until_enabled_again()
    {
        var user = await CreateUserAsync(Roles.TeamMember);
        using var victim = await factory.SignedInAsync(user.Email!);
        using var admin = await factory.SignedInAsync(Demo.Admin);
        var auditBefore = await factory.MaxAuditIdAsync();

        var page = await admin.GetAsync($"/admin/users/{user.Id}");
        var (token, fields) = HtmlForms.FormOf(page, $"/admin/users/{user.Id}/disable");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostWithTokenAsync($"/admin/users/{user.Id}/disable", token, fields)).StatusCode);

        SessionAssertions.IsSentToSignIn(await victim.GetAsync("/"), "first request after disabling");
        var again = await victim.SignInAsync(user.Email!);
        Assert.NotEqual(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Contains("The e-mail address or password is not right", again.Text, StringComparison.Ordinal);
        var audit = Assert.Single(await factory.AuditAfterAsync(auditBefore), a => a.EntityType == nameof(ApplicationUser));
        Assert.Contains("\"IsDisabled\":{\"before\":false,\"after\":true}", audit.Changes, StringComparison.Ordinal);
        Assert.Contains("Disabled", (await admin.GetAsync("/admin/users")).Document.QuerySelector($"tr[data-user-id='{user.Id}']")!.TextContent, StringComparison.Ordinal);

        page = await admin.GetAsync($"/admin/users/{user.Id}");
        (token, fields) = HtmlForms.FormOf(page, $"/admin/users/{user.Id}/enable");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostWithTokenAsync($"/admin/users/{user.Id}/enable", token, fields)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await victim.SignInAsync(user.Email!)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await victim.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session_of_that_user_only()
    {
        var user = await CreateUserAsync(Roles.Executive);
        using var laptop = await factory.SignedInAsync(user.Email!);
        using var phone = await factory.SignedInAsync(user.Email!);
        using var bystander = await factory.SignedInAsync(Demo.Executive);
        using var admin = await factory.SignedInAsync(Demo.Admin);
        var stampBefore = (await SnapshotAsync(user.Id)).SecurityStamp;

        var signOut = await admin.PostFormAsync($"/admin/users/{user.Id}/sign-out", $"/admin/users/{user.Id}", []);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Contains("Signed out everywhere: 2 sessions ended.", (await admin.GetAsync($"/admin/users/{user.Id}")).Text, StringComparison.Ordinal);
        SessionAssertions.IsSentToSignIn(await laptop.GetAsync("/"), "laptop");
        SessionAssertions.IsSentToSignIn(await phone.GetAsync("/"), "phone");
        Assert.Equal(HttpStatusCode.OK, (await bystander.GetAsync("/")).StatusCode);
        Assert.NotEqual(stampBefore, (await SnapshotAsync(user.Id)).SecurityStamp);
        Assert.Equal(0, await factory.QueryAsync(db => db.UserSessions.CountAsync(s => s.UserId == user.Id)));
    }

    [Fact]
    public async Task An_administrator_cannot_disable_themselves_or_drop_their_own_admin_role()
    {
        using var admin = await factory.SignedInAsync(Demo.Admin);
        var adminId = await factory.UserIdAsync(Demo.Admin);
        var before = await SnapshotAsync(adminId);
        var page = await admin.GetAsync($"/admin/users/{adminId}");
        Assert.Null(page.Document.QuerySelector($"form[action='/admin/users/{adminId}/disable']")); // not offered
        Assert.NotNull(page.Document.QuerySelector("input[name='Roles'][value='Admin'][disabled]"));
        var (token, fields) = HtmlForms.FormOf(page, $"/admin/users/{adminId}/roles");

        // A crafted post without the Admin role, and a crafted disable.
        var roles = await admin.PostWithTokenAsync($"/admin/users/{adminId}/roles", token,
            [new("Roles", Roles.Executive), new("ConcurrencyStamp", fields.Single(f => f.Key == "ConcurrencyStamp").Value)]);
        var disable = await admin.PostWithTokenAsync($"/admin/users/{adminId}/disable", token, [new("ConcurrencyStamp", fields.Single(f => f.Key == "ConcurrencyStamp").Value)]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, roles.StatusCode);
        Assert.Equal("You cannot remove your own administrator role. Ask another administrator to do it.", roles.FieldError("Roles"));
        Assert.NotNull(roles.Document.QuerySelector("input[name='Roles'][value='Executive'][checked]")); // what was ticked is kept
        Assert.Equal(HttpStatusCode.UnprocessableEntity, disable.StatusCode);
        Assert.Contains("You cannot disable your own account.", disable.Text, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(adminId));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode);
    }

    [Fact]
    public async Task Two_administrators_removing_each_other_at_once_leave_one_administrator()
    {
        var other = await CreateUserAsync(Roles.Admin);
        var adminId = await factory.UserIdAsync(Demo.Admin);
        using var first = await factory.SignedInAsync(Demo.Admin);
        using var second = await factory.SignedInAsync(other.Email!);
        var firstForm = HtmlForms.FormOf(await first.GetAsync($"/admin/users/{other.Id}"), $"/admin/users/{other.Id}/roles");
        var secondForm = HtmlForms.FormOf(await second.GetAsync($"/admin/users/{adminId}"), $"/admin/users/{adminId}/roles");
        List<KeyValuePair<string, string>> Demote(List<KeyValuePair<string, string>> fields) =>
            [.. fields.Where(f => f.Key != "Roles"), new("Roles", Roles.Executive)];

        var results = await Task.WhenAll(
            first.PostWithTokenAsync($"/admin/users/{other.Id}/roles", firstForm.Token, Demote(firstForm.Fields)),
            second.PostWithTokenAsync($"/admin/users/{adminId}/roles", secondForm.Token, Demote(secondForm.Fields)));

        Assert.All(results, r => Assert.True((int)r.StatusCode < 500, $"status {(int)r.StatusCode}"));
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.Redirect && r.LocationPath!.StartsWith("/admin/users/", StringComparison.Ordinal));
        var admins = await factory.QueryAsync(db => (from ur in db.UserRoles
                                                     join r in db.Roles on ur.RoleId equals r.Id
                                                     where r.Name == Roles.Admin && (ur.UserId == adminId || ur.UserId == other.Id)
                                                     select ur.UserId).CountAsync());
        Assert.Equal(1, admins);

        // Put the demo administrator back for the other tests of this class, whoever won.
        await WithUsersAsync(async users =>
        {
            var admin = await users.FindByIdAsync(adminId);
            if (!await users.IsInRoleAsync(admin!, Roles.Admin))
            {
                await users.AddToRoleAsync(admin!, Roles.Admin);
            }
        });
    }

    [Fact]
    public async Task A_stale_roles_form_shows_the_conflict_keeps_the_ticks_and_changes_nothing()
    {
        var user = await CreateUserAsync(Roles.TeamMember);
        using var admin = await factory.SignedInAsync(Demo.Admin);
        var stale = HtmlForms.FormOf(await admin.GetAsync($"/admin/users/{user.Id}"), $"/admin/users/{user.Id}/roles");

        // Meanwhile the user is disabled (from another tab).
        var fresh = HtmlForms.FormOf(await admin.GetAsync($"/admin/users/{user.Id}"), $"/admin/users/{user.Id}/disable");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostWithTokenAsync($"/admin/users/{user.Id}/disable", fresh.Token, fresh.Fields)).StatusCode);
        var before = await SnapshotAsync(user.Id);

        var page = await admin.PostWithTokenAsync($"/admin/users/{user.Id}/roles", stale.Token,
            [.. stale.Fields.Where(f => f.Key != "Roles"), new("Roles", Roles.Executive), new("Roles", Roles.TeamMember)]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains("changed this", page.Document.QuerySelector(".alert-warning")?.TextContent ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains(Demo.DisplayName(Demo.Admin), page.Document.QuerySelector(".alert-warning")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Disabled", page.Document.QuerySelector(".alert-warning")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Document.QuerySelector("input[name='Roles'][value='Executive'][checked]"));
        Assert.Equal(before, await SnapshotAsync(user.Id));

        // Saving again from the conflict page is deliberate and goes through.
        var form = page.Document.QuerySelector($"form[action='/admin/users/{user.Id}/roles']")!;
        var again = HtmlForms.FieldsOf(form); // every ticked box (FormOf keeps one value per name)
        Assert.Equal([Roles.TeamMember, Roles.Executive], again.Where(f => f.Key == "Roles").Select(f => f.Value));
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostRawAsync($"/admin/users/{user.Id}/roles", again)).StatusCode);
        Assert.Equal($"{Roles.TeamMember},{Roles.Executive}", string.Join(",", (await SnapshotAsync(user.Id)).Roles));
    }

    [Theory]
    [InlineData(new string[0], "Choose at least one role.")]
    [InlineData(new[] { "Superuser" }, "Choose roles from the list.")]
    [InlineData(new[] { "Executive", "admin" }, "Choose roles from the list.")]
    public async Task Bad_role_posts_get_a_message_beside_the_roles_and_change_nothing(string[] roles, string message)
    {
        var user = await CreateUserAsync(Roles.TeamMember);
        using var admin = await factory.SignedInAsync(Demo.Admin);
        var (token, fields) = HtmlForms.FormOf(await admin.GetAsync($"/admin/users/{user.Id}"), $"/admin/users/{user.Id}/roles");
        var before = await SnapshotAsync(user.Id);

        var page = await admin.PostWithTokenAsync($"/admin/users/{user.Id}/roles", token,
            [.. fields.Where(f => f.Key != "Roles"), .. roles.Select(r => new KeyValuePair<string, string>("Roles", r))]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Equal(message, page.FieldError("Roles"));
        Assert.Equal(before, await SnapshotAsync(user.Id));
    }

    [Theory]
    [InlineData("/admin/users/no-such-user")]
    [InlineData("/admin/users/00000000-0000-0000-0000-000000000000")]
    public async Task Unknown_users_get_the_404_page(string url)
    {
        using var admin = await factory.SignedInAsync(Demo.Admin);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync(url + "/sign-out", "/admin/users", [])).StatusCode);
    }

    private Task<(string Roles, bool IsDisabled, string? SecurityStamp, string? ConcurrencyStamp, int Sessions)> SnapshotAsync(string userId) =>
        factory.QueryAsync(async db =>
        {
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId);
            var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == userId select r.Name).ToListAsync();
            var ordered = AlignmentHub.Infrastructure.Identity.Roles.All.Where(roles.Contains);
            return (string.Join(",", ordered), user.IsDisabled, user.SecurityStamp, user.ConcurrencyStamp, await db.UserSessions.CountAsync(s => s.UserId == userId));
        });

    private async Task WithUsersAsync(Func<UserManager<ApplicationUser>, Task> action)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>());
    }

    private async Task<ApplicationUser> CreateUserAsync(string role, bool managesProduct = false)
    {
        var email = $"admin-test-{Guid.NewGuid().ToString("N")[..8]}@alignmenthub.test";
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Admin Test " + email[11..19] };
        Assert.True((await users.CreateAsync(user, AlignmentHubFactory.DemoPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        if (managesProduct)
        {
            var db = scope.ServiceProvider.GetRequiredService<AlignmentHub.Infrastructure.Persistence.AppDbContext>();
            db.ProductManagers.Add(new ProductManagerAssignment(Demo.ProductId, user.Id));
            await db.SaveChangesAsync();
        }

        return await users.FindByIdAsync(user.Id) ?? throw new InvalidOperationException("user vanished");
    }
}
