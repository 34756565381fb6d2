using System.Collections.Concurrent;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.Playwright;

namespace AlignmentHub.BrowserTests.Support;

/// <summary>
/// One running application (Kestrel on 127.0.0.1, its own database with the demo product) and one headless Chromium
/// per test class. Every test opens its own browser context, so cookies never leak from one test to the next.
/// Console errors (CSP violations show up there) and uncaught script errors are recorded per page.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ProductManager = "pm@alignmenthub.demo";
    public const string TeamMember = "member@alignmenthub.demo";
    public const string Executive = "exec@alignmenthub.demo";
    public const string Admin = "admin@alignmenthub.demo";

    public const string ChromiumVariable = "ALIGNMENTHUB_CHROMIUM";
    public const string DefaultChromium = "/usr/bin/chromium";

    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private readonly ConcurrentDictionary<IPage, ConcurrentQueue<string>> consoleErrors = new();
    private readonly ConcurrentBag<IBrowserContext> contexts = [];
    private KestrelAlignmentHubFactory? factory;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public KestrelAlignmentHubFactory Factory => factory ?? throw NotStarted();

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser => browser ?? throw NotStarted();

    public async Task InitializeAsync()
    {
        // Playwright must never look for (or download) its own browser build: the system Chromium is used.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Assertions.SetDefaultExpectTimeout(10_000);

        factory = new KestrelAlignmentHubFactory();
        var start = Task.Run(() => factory.ServerAddress); // migrates and seeds while the browser starts

        playwright = await Playwright.CreateAsync();
        var executable = Environment.GetEnvironmentVariable(ChromiumVariable);
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = string.IsNullOrWhiteSpace(executable) ? DefaultChromium : executable,
            Headless = true,
            Args = ChromiumArgs,
        });

        BaseAddress = await start;
    }

    public async Task DisposeAsync()
    {
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }

        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
    }

    /// <summary>A page in a fresh browser context (no cookies), not signed in.</summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null, bool javaScriptEnabled = true)
    {
        var phone = viewport is { Width: < 576 };
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = viewport ?? Desktop,
            DeviceScaleFactor = 1,
            IsMobile = phone,
            HasTouch = phone,
            JavaScriptEnabled = javaScriptEnabled,
            Locale = "en-GB",
            TimezoneId = "UTC",
            ReducedMotion = ReducedMotion.Reduce,
        });
        contexts.Add(context);
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(20_000);

        var page = await context.NewPageAsync();
        var errors = consoleErrors.GetOrAdd(page, _ => new ConcurrentQueue<string>());
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Enqueue($"{message.Text} ({message.Location} on {page.Url})");
            }
        };
        page.PageError += (_, error) => errors.Enqueue($"Uncaught script error: {error} (on {page.Url})");
        return page;
    }

    /// <summary>A page in a fresh context, signed in as <paramref name="email"/> through the real sign-in form.</summary>
    public async Task<IPage> NewSignedInPageAsync(string email, ViewportSize? viewport = null, bool javaScriptEnabled = true)
    {
        var page = await NewPageAsync(viewport, javaScriptEnabled);
        await SignInAsync(page, email);
        return page;
    }

    public static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(AlignmentHubFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.OrdinalIgnoreCase));
        await page.WaitForLoadStateAsync(LoadState.Load);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", IncludeHidden = true })).ToBeAttachedAsync();
    }

    /// <summary>Console errors and uncaught script errors of this page so far (CSP violations are console errors).</summary>
    public IReadOnlyList<string> ConsoleErrors(IPage page) =>
        consoleErrors.TryGetValue(page, out var errors) ? [.. errors] : [];

    /// <summary>
    /// Console errors except the browser's own "Failed to load resource: … status of 4xx" line, which Chromium writes
    /// for every page answered with an error status (a 422 form, a 403 page) and which is expected there.
    /// </summary>
    public IReadOnlyList<string> UnexpectedConsoleErrors(IPage page) =>
        ConsoleErrors(page).Where(e => !e.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal)).ToList();

    private static InvalidOperationException NotStarted() => new("The browser fixture has not been initialised.");
}
