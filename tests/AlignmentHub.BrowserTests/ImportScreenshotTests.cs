using AlignmentHub.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AlignmentHub.BrowserTests;

/// <summary>
/// The team import's preview on the demo data, for the user guide: the administrator downloads Onboarding's JSON from
/// its export page, uploads it on Import, renames the team (Onboarding exists) and checks the preview again. Saved as
/// <c>import-preview-desktop.png</c> and <c>import-preview-phone.png</c> with <c>ALIGNMENTHUB_SCREENSHOTS</c> set,
/// like <see cref="ScreenshotTests"/>; nothing is imported. Regenerate with:
/// <c>ALIGNMENTHUB_SCREENSHOTS=$PWD/docs/images dotnet test tests/AlignmentHub.BrowserTests --filter ImportScreenshots</c>.
/// </summary>
public sealed class ImportScreenshotTests
{
    [ScreenshotFact]
    public async Task ImportScreenshots()
    {
        var folder = ScreenshotFactAttribute.Folder!;

        var fixture = new BrowserFixture();
        await fixture.InitializeAsync();
        try
        {
            Directory.CreateDirectory(folder);
            foreach (var (suffix, viewport) in new[] { ("desktop", BrowserFixture.Desktop), ("phone", BrowserFixture.Phone) })
            {
                var page = await fixture.NewSignedInPageAsync(BrowserFixture.Admin, viewport);
                await page.GotoAsync("/dashboards");
                await page.Locator("table.dash-heat").GetByRole(AriaRole.Link, new() { Name = "Onboarding", Exact = true }).ClickAsync();
                await page.GetByRole(AriaRole.Link, new() { Name = "Export", Exact = true }).ClickAsync();
                var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download JSON" }).ClickAsync());
                var file = Path.Combine(Path.GetTempPath(), "alignmenthub-import-" + Guid.NewGuid().ToString("N"), download.SuggestedFilename);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await download.SaveAsAsync(file);

                await page.GotoAsync("/admin/import");
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import a team", Level = 1 })).ToBeVisibleAsync();
                await page.GetByLabel("Team export (JSON, at most 10 MB)").SetInputFilesAsync(file);
                await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
                await Expect(page.Locator("[data-valmsg-for='TeamName']")).ToContainTextAsync("already exists");
                await page.GetByLabel("New team's name").FillAsync("Onboarding (copy)");
                await page.GetByRole(AriaRole.Button, new() { Name = "Check the preview again" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Import team" })).ToBeEnabledAsync();
                await page.WaitForLoadStateAsync(LoadState.Load);
                await page.EvaluateAsync("() => document.fonts.ready");
                await page.ScreenshotAsync(new PageScreenshotOptions
                {
                    Path = Path.Combine(folder, $"import-preview-{suffix}.png"),
                    FullPage = true,
                    Animations = ScreenshotAnimations.Disabled,
                    Caret = ScreenshotCaret.Hide,
                });
                Assert.Empty(fixture.UnexpectedConsoleErrors(page)); // the first preview answers 422 (the name is taken), which Chromium logs
                Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
                await page.Context.CloseAsync();
            }
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
