using System.Net;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Account;

/// <summary>Sign-in, lockout, open redirects, sign-out, anonymous access and the password policy (checklist B.7–B.12).</summary>
public sealed class SignInTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private const string GenericFailure = "The e-mail address or password is not right";

    public static TheoryData<string> DemoUsers => new(Demo.Admin, Demo.ProductManager, Demo.Member, Demo.Executive);

    [Theory]
    [MemberData(nameof(DemoUsers))]
    public async Task Each_demo_user_signs_in_and_is_greeted_by_name(string email)
    {
        using var client = new TestClient(factory);

        var signIn = await client.SignInAsync(email);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Location);
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        // Everyone is greeted by name in the header; an executive's home is the executive dashboard (brief §4).
        Assert.Contains(Demo.DisplayName(email), home.Document.QuerySelector("nav.ah-nav")?.TextContent ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(email == Demo.Executive ? $"Executive dashboard {Demo.ProductName}" : $"Welcome back, {Demo.DisplayName(email)}",
            home.Document.QuerySelector("h1")?.TextContent.Trim());
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_generic_answer()
    {
        using var client = new TestClient(factory);

        var wrongPassword = await client.SignInAsync(Demo.Executive, "not-the-right-password-at-all");
        var unknownUser = await client.SignInAsync("nobody-" + Guid.NewGuid().ToString("N")[..6] + "@alignmenthub.demo", "not-the-right-password-at-all");

        foreach (var page in new[] { wrongPassword, unknownUser })
        {
            Assert.True((int)page.StatusCode is 200 or (>= 400 and < 500), $"status {(int)page.StatusCode}");
            Assert.Null(page.Location);
            Assert.Contains(GenericFailure, page.Document.QuerySelector(".validation-summary-errors")?.TextContent);
            Assert.Equal(string.Empty, page.InputValue("Password"));
        }

        Assert.Equal(wrongPassword.StatusCode, unknownUser.StatusCode);
        Assert.Equal(
            wrongPassword.Document.QuerySelector(".validation-summary-errors")!.TextContent.Trim(),
            unknownUser.Document.QuerySelector(".validation-summary-errors")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_so_the_right_password_then_fails()
    {
        var email = $"lockout-{Guid.NewGuid().ToString("N")[..8]}@alignmenthub.test";
        await CreateUserAsync(email);
        using var client = new TestClient(factory);

        for (var i = 0; i < 5; i++)
        {
            var failed = await client.SignInAsync(email, $"wrong-password-number-{i}");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        var sixth = await client.SignInAsync(email, AlignmentHubFactory.DemoPassword);

        Assert.NotEqual(HttpStatusCode.Redirect, sixth.StatusCode);
        Assert.True((int)sixth.StatusCode < 500);
        Assert.Contains(GenericFailure, sixth.Text);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
        var lockedOut = await factory.QueryAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == email);
            return user.LockoutEnd > DateTimeOffset.UtcNow;
        });
        Assert.True(lockedOut);
    }

    public static TheoryData<string> OpenRedirectPayloads => new(
        "https://evil.test",
        "http://evil.test/path",
        "//evil.test",
        "///evil.test",
        "/\\evil.test",
        "\\\\evil.test",
        "/\\/evil.test",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "%2F%2Fevil.test",
        "https:evil.test",
        "/\t/evil.test",
        "//evil.test@localhost",
        "https://localhost@evil.test",
        "/account/logout");

    [Theory]
    [MemberData(nameof(OpenRedirectPayloads))]
    public async Task Return_urls_that_leave_the_site_land_on_the_home_page(string payload)
    {
        using var client = new TestClient(factory);

        var signIn = await client.SignInAsync(Demo.Member, returnUrl: payload);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Location);

        // Already signed in: the login page redirects at once, and must not leave the site either.
        var again = await client.GetAsync("/account/login?returnUrl=" + Uri.EscapeDataString(payload));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/", again.Location);
    }

    [Theory]
    [MemberData(nameof(OpenRedirectPayloads))]
    public async Task A_login_link_carrying_a_foreign_return_url_lands_on_the_home_page(string payload)
    {
        using var client = new TestClient(factory);
        var loginPage = await client.GetAsync("/account/login?returnUrl=" + Uri.EscapeDataString(payload));
        var form = HtmlForms.Form(loginPage.Document);
        form["Email"] = Demo.Member;
        form["Password"] = AlignmentHubFactory.DemoPassword;

        var signIn = await client.PostRawAsync("/account/login", form); // the form exactly as the browser would submit it

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Location);
    }

    [Theory]
    [MemberData(nameof(OpenRedirectPayloads))]
    public async Task The_login_form_does_not_carry_a_foreign_return_url(string payload)
    {
        using var client = new TestClient(factory);

        var loginPage = await client.GetAsync("/account/login?returnUrl=" + Uri.EscapeDataString(payload));

        Assert.Equal("/", loginPage.InputValue("ReturnUrl"));
    }

    [Fact]
    public async Task A_local_return_url_is_honoured()
    {
        using var client = new TestClient(factory);

        var loginPage = await client.GetAsync("/account/login?returnUrl=%2Fproducts%2F1%2Fgoals");
        Assert.Equal("/products/1/goals", loginPage.InputValue("ReturnUrl"));
        var signIn = await client.SignInAsync(Demo.Member, returnUrl: "/products/1/goals");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/products/1/goals", signIn.Location);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/products/1/goals")).StatusCode);
    }

    [Fact]
    public async Task Sign_out_revokes_the_cookie_so_a_replayed_copy_is_rejected()
    {
        // Re-validate the security stamp on every request, so the test need not wait out the 1-minute interval.
        using var strict = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero)));
        using var client = new TestClient(strict.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(Demo.Executive)).StatusCode);
        var stolen = client.SignInCookies;
        Assert.NotEmpty(stolen);
        using var attacker = strict.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        Task<HttpResponseMessage> ReplayAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Add("Cookie", string.Join("; ", stolen.Select(c => $"{c.Key}={c.Value}")));
            return attacker.SendAsync(request);
        }

        using (var before = await ReplayAsync())
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode); // the copied cookie works while the session lives
        }

        var logout = await client.PostFormAsync("/account/logout", "/", []);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal("/account/login", logout.LocationPath);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);

        using var after = await ReplayAsync();
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/account/login", after.Headers.Location!.IsAbsoluteUri ? after.Headers.Location.AbsolutePath : after.Headers.Location.OriginalString.Split('?')[0]);
    }

    [Fact]
    public async Task Sign_out_revokes_a_replayed_cookie_with_the_production_settings()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var stolen = client.SignInCookies;
        await client.PostFormAsync("/account/logout", "/", []);
        using var attacker = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", string.Join("; ", stolen.Select(c => $"{c.Key}={c.Value}")));

        using var replay = await attacker.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/products/1/vision")]
    [InlineData("/products/1/vision/edit")]
    [InlineData("/products/1/vision/history")]
    [InlineData("/products/1/goals")]
    [InlineData("/products/1/goals/new")]
    [InlineData("/products/1/goals/1")]
    public async Task Anonymous_requests_are_sent_to_the_sign_in_page(string url)
    {
        using var client = new TestClient(factory);

        var page = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/account/login", page.LocationPath);
    }

    [Fact]
    public async Task Anonymous_posts_change_nothing()
    {
        using var client = new TestClient(factory);
        var before = await factory.GoalsFingerprintAsync();
        var versions = await factory.VisionVersionCountAsync();
        var token = await client.GetTokenAsync("/account/login");

        var create = await client.PostWithTokenAsync("/products/1/goals/new", token, [new("Title", "Anonymous goal"), new("Horizon", "ShortTerm")]);
        var vision = await client.PostWithTokenAsync("/products/1/vision/edit", token, [new("BaseVersion", "2"), new("Text", "# Anonymous vision")]);

        Assert.Equal(HttpStatusCode.Redirect, create.StatusCode);
        Assert.Equal("/account/login", create.LocationPath);
        Assert.Equal(HttpStatusCode.Redirect, vision.StatusCode);
        Assert.Equal("/account/login", vision.LocationPath);
        Assert.Equal(before, await factory.GoalsFingerprintAsync());
        Assert.Equal(versions, await factory.VisionVersionCountAsync());
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_anonymously(string url)
    {
        using var client = new TestClient(factory);

        var response = await client.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_get_429_with_retry_after()
    {
        await using var limited = new AlignmentHubFactory { SignInAttemptsPerMinute = 3 };
        using var client = new TestClient(limited);
        var token = await client.GetTokenAsync("/account/login");
        var statuses = new List<HttpStatusCode>();
        Page? last = null;

        for (var i = 0; i < 4; i++)
        {
            last = await client.PostWithTokenAsync("/account/login", token, [new("Email", "nobody@alignmenthub.demo"), new("Password", "wrong-password-" + i)]);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(last!.Response.Headers.RetryAfter is not null, "Retry-After header missing on 429");
        var retryAfter = last.Response.Headers.RetryAfter!.Delta ?? TimeSpan.Zero;
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }

    // Password policy: UserManager's own validators, as registered in the app (checklist B.9).
    [Theory]
    [InlineData("a long passphrase: the river runs quietly under seven old bridges", true)]
    [InlineData("quietriverstone", true)]
    [InlineData("quietriverstones", true)]
    [InlineData("Tr0ub4dor&3x", true)]
    [InlineData("Tr0ub4dor&3", false)]
    [InlineData("short", false)]
    [InlineData("password1234", false)]
    [InlineData("PASSWORD1234", false)]
    [InlineData("qwerty123456", false)]
    [InlineData("aaaaaaaaaaaaaaaa", false)]
    public async Task Password_policy_wants_length_not_composition_and_rejects_common_passwords(string password, bool accepted)
    {
        var errors = await ValidatePasswordAsync(password);

        Assert.True(accepted == (errors.Count == 0), $"'{password}' ({password.Length} chars): {string.Join(" ", errors.Select(e => e.Code))}");
    }

    [Fact]
    public async Task A_64_character_passphrase_is_accepted_and_an_11_character_password_is_rejected_for_length()
    {
        var passphrase = "correct horse, purple battery & staple: remember it for decades!";
        Assert.Equal(64, passphrase.Length);

        Assert.Empty(await ValidatePasswordAsync(passphrase));
        Assert.Contains(await ValidatePasswordAsync("elevenchars"), e => e.Code == "PasswordTooShort");
        Assert.Contains(await ValidatePasswordAsync("password1234"), e => e.Code == "CommonPassword");
        Assert.Empty(await ValidatePasswordAsync("quietriverstones")); // 16 lower-case letters: no composition rule
    }

    private async Task<List<IdentityError>> ValidatePasswordAsync(string password)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = "policy-check@alignmenthub.test", Email = "policy-check@alignmenthub.test" };
        Assert.NotEmpty(users.PasswordValidators);
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            errors.AddRange(result.Errors);
        }

        return errors;
    }

    private async Task CreateUserAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Lockout Test" };
        var created = await users.CreateAsync(user, AlignmentHubFactory.DemoPassword);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, Roles.TeamMember)).Succeeded);
    }
}
