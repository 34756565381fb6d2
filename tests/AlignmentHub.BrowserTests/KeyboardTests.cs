using System.Text.RegularExpressions;
using AlignmentHub.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AlignmentHub.BrowserTests;

public sealed class KeyboardTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string DescribeFocus =
        "() => { const e = document.activeElement; if (!e || e === document.body) return ''; " +
        "return (e.getAttribute('aria-label') || e.textContent || '').replace(/\\s+/g, ' ').trim(); }";

    [Fact]
    public async Task Goals_page_is_operable_with_the_keyboard()
    {
        var page = await fixture.NewSignedInPageAsync(BrowserFixture.ProductManager);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Goals", Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        var goalsUrl = page.Url;

        var list = page.GetByRole(AriaRole.List, new() { Name = "Active goals in rank order" });
        var firstTitle = (await list.Locator("> li").First.GetByRole(AriaRole.Heading).InnerTextAsync()).Trim();
        var moveButtons = page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Move “.+” (up|down) to rank \\d+$") });
        var enabledMoveLabels = new List<string>();
        foreach (var button in await moveButtons.AllAsync())
        {
            if (await button.IsEnabledAsync())
            {
                enabledMoveLabels.Add((await button.GetAttributeAsync("aria-label"))!);
            }
        }

        Assert.NotEmpty(enabledMoveLabels);

        // Tab through the whole page from the top and record where the focus goes.
        await page.GotoAsync(goalsUrl);
        await page.WaitForLoadStateAsync(LoadState.Load);
        var order = new List<string>();
        for (var i = 0; i < 150; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string>(DescribeFocus);
            if (focused.Length == 0 || (order.Count > 0 && focused == order[0]))
            {
                break; // past the last element (back to the document or round to the start)
            }

            order.Add(focused);
        }

        Assert.Equal("Skip to content", order.FirstOrDefault());
        foreach (var label in enabledMoveLabels)
        {
            Assert.Contains(label, order);
        }

        var moveDown = $"Move “{firstTitle}” down to rank 2";
        var presses = order.IndexOf(moveDown) + 1;
        Assert.True(presses > 0, $"“{moveDown}” is not in the tab order: {string.Join(" | ", order)}");

        // The skip link works and is the first stop.
        await page.GotoAsync(goalsUrl);
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.Keyboard.PressAsync("Tab");
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        await Expect(skip).ToBeFocusedAsync();
        await Expect(skip).ToBeInViewportAsync(); // visible while focused
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main#main")).ToBeFocusedAsync();

        // From the top again: Tab to "Move … down" of rank 1 and press Enter.
        await page.GotoAsync(goalsUrl);
        await page.WaitForLoadStateAsync(LoadState.Load);
        for (var i = 0; i < presses; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = moveDown })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(goalsUrl);
        await page.WaitForLoadStateAsync(LoadState.Load);

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Goal moved to rank 2");
        await Expect(list.Locator("> li").Nth(1).GetByRole(AriaRole.Heading)).ToHaveTextAsync(firstTitle);
        await Expect(list.Locator("> li").Nth(1).Locator(".rank-badge")).ToHaveTextAsync("2");
        Assert.Empty(fixture.ConsoleErrors(page));
    }
}
