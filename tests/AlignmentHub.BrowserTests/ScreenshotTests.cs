using AlignmentHub.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AlignmentHub.BrowserTests;

/// <summary>
/// Documents the main pages: with <c>ALIGNMENTHUB_SCREENSHOTS</c> set to a folder, saves full-page PNGs of each page
/// at desktop (1280×800) and phone (390×844) size, e.g. <c>vision-desktop.png</c>. Without the variable it does nothing.
/// Regenerate the docs images with: <c>ALIGNMENTHUB_SCREENSHOTS=$PWD/docs/images dotnet test tests/AlignmentHub.BrowserTests --filter Screenshots</c>.
/// </summary>
public sealed class ScreenshotTests
{
    public const string FolderVariable = "ALIGNMENTHUB_SCREENSHOTS";

    /// <summary>Very long pages are cut here so that each PNG stays small (a few hundred KB at most).</summary>
    private const int MaxHeight = 3000;

    [Fact]
    public async Task Screenshots()
    {
        var folder = Environment.GetEnvironmentVariable(FolderVariable);
        if (string.IsNullOrWhiteSpace(folder))
        {
            return;
        }

        // Not a class fixture: a normal test run should not pay for starting the app when no screenshots are wanted.
        var fixture = new BrowserFixture();
        await fixture.InitializeAsync();
        try
        {
            await SaveAllAsync(fixture, folder);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static async Task SaveAllAsync(BrowserFixture fixture, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var (suffix, viewport) in new[] { ("desktop", BrowserFixture.Desktop), ("phone", BrowserFixture.Phone) })
        {
            var anonymous = await fixture.NewPageAsync(viewport);
            await anonymous.GotoAsync("/account/login");
            await SaveAsync(anonymous, folder, "sign-in", suffix);
            Assert.Empty(fixture.ConsoleErrors(anonymous));
            await anonymous.Context.CloseAsync();

            var page = await fixture.NewSignedInPageAsync(BrowserFixture.ProductManager, viewport);
            await SaveAsync(page, folder, "home", suffix);

            var visionUrl = await page.GetByRole(AriaRole.Link, new() { Name = "Read the vision" }).First.GetAttributeAsync("href")
                ?? throw new InvalidOperationException("No link to the vision on the home page.");
            var productUrl = visionUrl[..visionUrl.LastIndexOf("/vision", StringComparison.Ordinal)];

            await page.GotoAsync(visionUrl);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Product vision" })).ToBeVisibleAsync();
            await SaveAsync(page, folder, "vision", suffix);

            await page.GotoAsync(visionUrl + "/history");
            await SaveAsync(page, folder, "vision-history", suffix);

            await page.GetByRole(AriaRole.Link, new() { Name = "Compare with v1" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Changes from version 1 to 2" })).ToBeVisibleAsync();
            await SaveAsync(page, folder, "vision-diff", suffix);

            await page.GotoAsync(productUrl + "/goals");
            await SaveAsync(page, folder, "goals", suffix);

            await page.GetByRole(AriaRole.List, new() { Name = "Active goals in rank order" }).GetByRole(AriaRole.Heading).First.GetByRole(AriaRole.Link).ClickAsync();
            await SaveAsync(page, folder, "goal-details", suffix);

            await page.GotoAsync(productUrl + "/goals/new");
            await page.GetByLabel("Success metric").FillAsync("Weekly active teams per account");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add goal" }).ClickAsync();
            await Expect(page.GetByText("Give the goal a title.")).ToBeVisibleAsync();
            await SaveAsync(page, folder, "goal-new-validation", suffix);

            Assert.Empty(fixture.UnexpectedConsoleErrors(page));
            await page.Context.CloseAsync();
        }
    }

    private static async Task SaveAsync(IPage page, string folder, string name, string suffix)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.EvaluateAsync("() => document.fonts.ready");
        await page.Mouse.MoveAsync(0, 0);
        var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        var width = page.ViewportSize!.Width;
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(folder, $"{name}-{suffix}.png"),
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
            Caret = ScreenshotCaret.Hide,
            Clip = height > MaxHeight ? new Clip { X = 0, Y = 0, Width = width, Height = MaxHeight } : null,
        });
    }
}
