using AlignmentHub.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AlignmentHub.BrowserTests;

public sealed class ExecutiveTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Executive_reads_the_vision_but_cannot_edit_it()
    {
        var page = await fixture.NewSignedInPageAsync(BrowserFixture.Executive);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Vision", Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Product vision", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator(".markdown-body")).Not.ToBeEmptyAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "History (2)" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Edit vision" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit vision" })).ToHaveCountAsync(0);
        Assert.Empty(fixture.ConsoleErrors(page));

        var visionUrl = new Uri(page.Url);
        var response = await page.GotoAsync(new Uri(visionUrl, visionUrl.AbsolutePath.TrimEnd('/') + "/edit").ToString());
        Assert.NotNull(response);
        Assert.Equal(403, response.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("You don't have permission");
        await Expect(page.GetByRole(AriaRole.Textbox)).ToHaveCountAsync(0);
        Assert.Empty(fixture.UnexpectedConsoleErrors(page));
    }
}
