using System.Net;
using AlignmentHub.IntegrationTests.Support;
using Serilog.Events;

namespace AlignmentHub.IntegrationTests.Security.Sessions;

/// <summary>
/// Failed sign-ins and refusals (403) are logged as structured events without secrets, and input with line breaks
/// cannot forge a log line (checklist H.35). The log is captured as the console sink prints it.
/// </summary>
public sealed class SecurityLoggingTests(SessionsFactory factory) : IClassFixture<SessionsFactory>
{
    private const string Forged = "[12:00:00 INF] User admin@alignmenthub.demo signed in";

    [Fact]
    public async Task A_failed_sign_in_is_logged_with_the_name_and_reason_but_never_the_password()
    {
        var password = "Wrong-Password-" + Guid.NewGuid().ToString("N");
        using var client = factory.NewClient();

        Assert.Equal(HttpStatusCode.OK, (await client.SignInAsync(Demo.Member, password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SignInAsync("ghost-" + password[15..23] + "@alignmenthub.test", password)).StatusCode);

        var failures = factory.Logs.Events.Where(e => e.Event.MessageTemplate.Text.StartsWith("Failed sign-in", StringComparison.Ordinal)).ToList();
        var wrongPassword = Assert.Single(failures, e => Scalar(e.Event, "UserName") == Demo.Member);
        Assert.Equal(LogEventLevel.Warning, wrongPassword.Event.Level);
        Assert.Equal("wrong password", Scalar(wrongPassword.Event, "Reason"));
        var unknown = Assert.Single(failures, e => Scalar(e.Event, "UserName") == "ghost-" + password[15..23] + "@alignmenthub.test");
        Assert.Equal("unknown account", Scalar(unknown.Event, "Reason"));
        Assert.All(factory.Logs.Events, e =>
        {
            Assert.DoesNotContain(password, e.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(password, e.Json, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    [InlineData("\u2028")]
    [InlineData("\u0085")]
    public async Task A_user_name_with_line_breaks_cannot_forge_a_log_line(string lineBreak)
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var name = $"mallory-{marker}@alignmenthub.test{lineBreak}{Forged}";
        using var client = factory.NewClient();

        var page = await client.SignInAsync(name, "whatever-password-1");
        Assert.True((int)page.StatusCode is 200, $"status {(int)page.StatusCode}");

        var logged = Assert.Single(factory.Logs.Events, e => e.Text.Contains(marker, StringComparison.Ordinal));
        Assert.Equal(LogEventLevel.Warning, logged.Event.Level);
        Assert.Contains("mallory-" + marker, logged.Text, StringComparison.Ordinal);
        Assert.Contains(Forged, logged.Text, StringComparison.Ordinal); // still there for the investigator, escaped
        AssertOneLine(logged.Text);
    }

    [Fact]
    public async Task A_path_with_line_breaks_cannot_forge_a_request_log_line()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        using var client = await factory.SignedInAsync(Demo.Member); // signed in, so the unknown address gets its 404

        var response = await client.Http.GetAsync($"/no-such-{marker}%0D%0A" + Uri.EscapeDataString(Forged));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        var logged = factory.Logs.Events.Where(e => e.Text.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(logged); // the request log names the path
        Assert.All(logged, e => AssertOneLine(e.Text));
    }

    [Fact]
    public async Task Refusals_are_logged_as_structured_events_without_the_cookie()
    {
        using var executive = await factory.SignedInAsync(Demo.Executive);
        var cookie = executive.SignInCookies.Values.Single();
        Assert.True(cookie.Length > 20);

        Assert.Equal(HttpStatusCode.Forbidden, (await executive.GetAsync("/products/1/goals/new")).StatusCode); // refused by the handler's rule
        Assert.Equal(HttpStatusCode.Forbidden, (await executive.GetAsync("/admin/users")).StatusCode); // refused by the role policy

        var denials = factory.Logs.Events.Where(e => e.Event.MessageTemplate.Text.StartsWith("Access denied", StringComparison.Ordinal)
            && Scalar(e.Event, "User") == Demo.Executive).ToList();
        Assert.Contains(denials, e => Scalar(e.Event, "Path") == "/products/1/goals/new" && Scalar(e.Event, "Method") == "GET");
        Assert.Contains(denials, e => Scalar(e.Event, "Path") == "/admin/users");
        Assert.All(denials, e => Assert.Equal(LogEventLevel.Warning, e.Event.Level));
        Assert.All(factory.Logs.Events, e =>
        {
            Assert.DoesNotContain(cookie, e.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(cookie, e.Json, StringComparison.Ordinal);
        });
    }

    private static string? Scalar(LogEvent logEvent, string property) =>
        logEvent.Properties.TryGetValue(property, out var value) && value is ScalarValue { Value: var v } ? v?.ToString() : null;

    private static void AssertOneLine(string rendered)
    {
        var body = rendered.EndsWith(Environment.NewLine, StringComparison.Ordinal) ? rendered[..^Environment.NewLine.Length] : rendered;
        Assert.True(body.IndexOfAny(['\r', '\n', '\u2028', '\u2029', '\u0085']) < 0, $"log line broken: {body}");
    }
}
