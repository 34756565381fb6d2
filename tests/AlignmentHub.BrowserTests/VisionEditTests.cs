using System.Text.RegularExpressions;
using AlignmentHub.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AlignmentHub.BrowserTests;

public sealed class VisionEditTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Product_manager_saves_a_new_vision_version_and_sees_it_in_history_and_diff()
    {
        var heading = $"Vision 2028 {Guid.NewGuid():N}";
        const string reason = "Browser test: sharper focus for 2028.";
        var page = await fixture.NewSignedInPageAsync(BrowserFixture.ProductManager);

        // Vision, through the main navigation.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Vision", Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Product vision", Level = 1 })).ToBeVisibleAsync();

        // Edit: replace the whole text.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit vision" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        var text = page.GetByLabel(new Regex("^Vision"));
        await Expect(text).Not.ToBeEmptyAsync(); // the current version is loaded for editing
        await text.FillAsync($"# {heading}\n\nWe help support teams **resolve every ticket** in one place.\n\n- Faster onboarding\n- Fewer escalations\n");
        await Expect(page.Locator("#text-count")).ToContainTextAsync("/ 20000"); // site.js counter runs (CSP allows it)
        await page.GetByLabel("Why this change?").FillAsync(reason);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save new version" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Vision saved as version 3");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator(".markdown-body strong")).ToHaveTextAsync("resolve every ticket");

        // History: newest first.
        await page.GetByRole(AriaRole.Link, new() { Name = "History (3)" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        var top = page.Locator("ol.version-list > li").First;
        await Expect(top).ToContainTextAsync("v3");
        await Expect(top).ToContainTextAsync("current");
        await Expect(top.Locator("strong")).ToHaveTextAsync("Priya Shah");
        await Expect(top.Locator(".version-reason")).ToHaveTextAsync(reason);

        // Diff v2 → v3: the new heading is an added line.
        await top.GetByRole(AriaRole.Link, new() { Name = "Compare with v2" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Changes from version 2 to 3", Level = 1 })).ToBeVisibleAsync();
        var added = page.Locator(".diff-line-added").Filter(new() { HasText = heading });
        await Expect(added).ToHaveCountAsync(1);
        await Expect(added).ToBeVisibleAsync();
        await Expect(added).ToHaveCSSAsync("background-color", "rgb(230, 255, 236)");

        Assert.Empty(fixture.ConsoleErrors(page));
    }

    [Fact]
    public async Task Console_recording_catches_a_content_security_policy_violation()
    {
        // Guards the "no console errors" assertion above: an inline script must be refused by the CSP and recorded.
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.WaitForLoadStateAsync(LoadState.Load);
        Assert.Empty(fixture.ConsoleErrors(page));

        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.injected = true;'; document.body.appendChild(s); }");

        Assert.False(await page.EvaluateAsync<bool>("() => window.injected === true"));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (fixture.ConsoleErrors(page).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains(fixture.ConsoleErrors(page), e => e.Contains("Content Security Policy", StringComparison.Ordinal));
    }
}
