using AlignmentHub.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AlignmentHub.BrowserTests;

/// <summary>
/// Screenshots of "Recently deleted" for the user guide (docs/user-guide-deleted.md), with the same switch as
/// <see cref="ScreenshotTests"/>: set <c>ALIGNMENTHUB_SCREENSHOTS</c> to a folder. As the product manager on the demo data it
/// saves the empty page, deletes two roadmap items and an objective through the app's own pages (the objective through
/// the impact check, dropping the items that only served it), then saves the list, at desktop and phone size.
/// Without the variable it does nothing.
/// </summary>
public sealed class DeletedScreenshotTests
{
    [ScreenshotFact]
    public async Task Recently_deleted_screenshots()
    {
        var folder = ScreenshotFactAttribute.Folder!;

        Directory.CreateDirectory(folder);
        var fixture = new BrowserFixture();
        await fixture.InitializeAsync();
        try
        {
            var page = await fixture.NewSignedInPageAsync(BrowserFixture.ProductManager, BrowserFixture.Desktop);
            await page.GotoAsync("/deleted");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nothing deleted recently" })).ToBeVisibleAsync();
            await SaveAsync(page, folder, "deleted-empty-desktop");

            foreach (var title in new[] { "Onboarding NPS survey", "Welcome video library" })
            {
                await page.GotoAsync("/roadmap?product=1");
                await page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).First.ClickAsync();
                await page.GetByRole(AriaRole.Link, new() { Name = "Delete", Exact = true }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Delete “{title}”?" })).ToBeVisibleAsync();
                if (title == "Onboarding NPS survey")
                {
                    await SaveAsync(page, folder, "deleted-confirm-item-desktop");
                }

                await page.GetByRole(AriaRole.Button, new() { Name = "Delete item" }).ClickAsync();
                await Expect(page.Locator(".alert-success")).ToContainTextAsync("deleted");
            }

            await page.GotoAsync("/okrs");
            await page.GetByRole(AriaRole.Link, new() { Name = "Self-serve analytics for support leads", Exact = true }).First.ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Delete…" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Delete objective" })).ToBeVisibleAsync();
            await page.Locator("#item-drop").CheckAsync();
            await SaveAsync(page, folder, "deleted-impact-objective-desktop");
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete objective and apply these choices" }).ClickAsync();
            await Expect(page.Locator(".alert-success")).ToContainTextAsync("Recently deleted");

            foreach (var (suffix, viewport) in new[] { ("desktop", BrowserFixture.Desktop), ("phone", BrowserFixture.Phone) })
            {
                var view = await fixture.NewSignedInPageAsync(BrowserFixture.ProductManager, viewport);
                await view.GotoAsync("/deleted");
                await Expect(view.Locator("[data-deleted-row]")).ToHaveCountAsync(3);
                await SaveAsync(view, folder, $"deleted-{suffix}");
                Assert.Empty(fixture.ConsoleErrors(view));
                await view.Context.CloseAsync();
            }
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static async Task SaveAsync(IPage page, string folder, string name)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.EvaluateAsync("() => document.fonts.ready");
        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(folder, name + ".png"),
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
            Caret = ScreenshotCaret.Hide,
        });
    }
}
