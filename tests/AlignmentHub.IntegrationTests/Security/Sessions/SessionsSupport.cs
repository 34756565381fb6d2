using System.Data.Common;
using System.Net;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace AlignmentHub.IntegrationTests.Security.Sessions;

/// <summary>A clock the test moves by hand; starts at the real time so that seeded relative dates stay sensible.</summary>
public sealed class ManualClock : TimeProvider
{
    private long ticks = DateTimeOffset.UtcNow.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}

/// <summary>
/// The real app with what the session tests need: a hand-moved clock in place of <see cref="TimeProvider.System"/>,
/// a test header that sets the client address (the rate limiter partitions by it), every log event captured as the
/// console would print it, and, on request, the Production environment with its cookie and error settings.
/// </summary>
public class SessionsFactory : AlignmentHubFactory
{
    public const string ClientAddressHeader = "X-Test-Client-Address";

    public ManualClock Clock { get; } = new();

    public LogCapture Logs { get; } = new();

    public FaultInjector Faults { get; } = new();

    /// <summary>Production environment: __Host- cookies, Secure always, exception handler without details.</summary>
    public bool Production { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (Production)
        {
            builder.UseEnvironment("Production");
        }

        builder.UseSetting("Serilog:MinimumLevel:Default", "Information");
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<Serilog.Core.ILogEventSink>(Logs);
            services.AddSingleton<IStartupFilter>(new ClientAddressFilter(ClientAddressHeader));
            services.AddDbContextInterceptor(Faults);
        });
    }

    /// <summary>
    /// A browser-like client from an address of its own (so the per-address sign-in limit of one client does not
    /// touch another); https in Production, where the cookies are Secure.
    /// </summary>
    public TestClient NewClient(string? address = null)
    {
        var http = CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri(Production ? "https://alignmenthub.test" : "http://localhost"),
        });
        http.DefaultRequestHeaders.Add(ClientAddressHeader, address ?? $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}");
        return new TestClient(http);
    }

    public async Task<TestClient> SignedInAsync(string email)
    {
        var client = NewClient();
        var signIn = await client.SignInAsync(email);
        Assert.True(signIn.StatusCode == HttpStatusCode.Redirect, $"sign-in as {email}: {(int)signIn.StatusCode}");
        return client;
    }
}

/// <summary>Every log event, rendered with the console's own template (as an operator reads it) and as JSON (all properties).</summary>
public sealed class LogCapture : ILogEventSink
{
    // The default output template of Serilog.Sinks.Console, which the app writes to.
    private static readonly MessageTemplateTextFormatter Console = new("[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly JsonFormatter Json = new();
    private readonly List<(LogEvent Event, string Text, string Json)> events = [];

    public IReadOnlyList<(LogEvent Event, string Text, string Json)> Events
    {
        get
        {
            lock (events)
            {
                return [.. events];
            }
        }
    }

    public void Emit(LogEvent logEvent)
    {
        using var text = new StringWriter();
        Console.Format(logEvent, text);
        using var json = new StringWriter();
        Json.Format(logEvent, json);
        lock (events)
        {
            events.Add((logEvent, text.ToString(), json.ToString()));
        }
    }
}

/// <summary>Fails the next SQL command that mentions <see cref="Table"/>, once: a real fault deep inside a real page.</summary>
public sealed class FaultInjector : DbCommandInterceptor
{
    private int armed;

    public string Table { get; set; } = "\"Goals\"";

    public void FailNextCommand() => Interlocked.Exchange(ref armed, 1);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Fire(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Fire(command);
        return ValueTask.FromResult(result);
    }

    private void Fire(DbCommand command)
    {
        if (command.CommandText.Contains(Table, StringComparison.Ordinal) && Interlocked.CompareExchange(ref armed, 0, 1) == 1)
        {
            throw new InvalidOperationException("Injected fault: secret-internal-detail-" + nameof(FaultInjector));
        }
    }
}

public static class SessionAssertions
{
    /// <summary>Where an unauthenticated request is sent: the sign-in page.</summary>
    public static void IsSentToSignIn(Page page, string because)
    {
        Assert.True(page.StatusCode == HttpStatusCode.Redirect, $"{because}: expected a redirect to sign-in, got {(int)page.StatusCode}");
        Assert.Equal("/account/login", page.LocationPath);
    }
}

public static class SecurityHeaders
{
    /// <summary>The headers every response must carry (checklist B.14); HSTS too when <paramref name="https"/>.</summary>
    public static void AssertPresent(HttpResponseMessage response, string what, bool https, bool signedIn)
    {
        var csp = Header(response, "Content-Security-Policy");
        Assert.True(csp is not null, $"{what}: no Content-Security-Policy");
        var directives = csp.Split(';').Select(d => d.Trim()).ToList();
        Assert.Contains("frame-ancestors 'none'", directives);
        var scriptSrc = directives.SingleOrDefault(d => d.StartsWith("script-src ", StringComparison.Ordinal))
            ?? directives.Single(d => d.StartsWith("default-src ", StringComparison.Ordinal));
        Assert.DoesNotContain("'unsafe-inline'", scriptSrc, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-eval'", scriptSrc, StringComparison.Ordinal);
        Assert.DoesNotContain("*", scriptSrc, StringComparison.Ordinal);
        Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", $"{what}: nosniff missing");
        Assert.False(string.IsNullOrWhiteSpace(Header(response, "Referrer-Policy")), $"{what}: Referrer-Policy missing");
        Assert.True(Header(response, "Server") is null, $"{what}: Server header");
        Assert.True(Header(response, "X-Powered-By") is null, $"{what}: X-Powered-By header");
        if (signedIn)
        {
            Assert.True(response.Headers.CacheControl?.NoStore == true, $"{what}: Cache-Control is '{response.Headers.CacheControl}'");
        }

        if (https)
        {
            var hsts = Header(response, "Strict-Transport-Security");
            Assert.True(hsts is not null, $"{what}: no Strict-Transport-Security");
            var maxAge = hsts.Split(';').Select(p => p.Trim()).Single(p => p.StartsWith("max-age=", StringComparison.OrdinalIgnoreCase));
            Assert.True(long.Parse(maxAge["max-age=".Length..], System.Globalization.CultureInfo.InvariantCulture) >= 31_536_000, $"{what}: {hsts}");
            Assert.Contains("includeSubDomains", hsts, StringComparison.OrdinalIgnoreCase);
        }
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}
