using System.Text.RegularExpressions;
using AlignmentHub.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AlignmentHub.BrowserTests;

/// <summary>
/// The orphan queue in a real browser: the product manager re-links an orphan to a key result and sees it leave the
/// queue; a team member links all their team's orphans without JavaScript; a refused re-link keeps the ticks and puts
/// the focus on the picker. With <c>ALIGNMENTHUB_SCREENSHOTS</c> set, the page is saved at desktop and phone width.
/// </summary>
public sealed class OrphanQueueTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_product_manager_links_an_orphan_to_a_key_result_and_it_leaves_the_queue()
    {
        const string Item = "Upgrade to PostgreSQL 17";
        var page = await fixture.NewSignedInPageAsync(BrowserFixture.ProductManager);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Alignment", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Alignment", Level = 1 })).ToBeVisibleAsync();
        var queue = page.Locator("#orphans");
        await Expect(Row(page, Item)).ToBeVisibleAsync();
        var before = await queue.Locator("li.orphan-row").CountAsync();

        // alignment.js ran under the CSP: the "select all" box is shown and the button counts the ticks.
        await Expect(page.GetByLabel("Select all on this page")).ToBeVisibleAsync();
        await page.GetByLabel($"Select “{Item}”").CheckAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Link 1 selected" })).ToBeVisibleAsync();

        await page.GetByLabel("Link the ticked items to").SelectOptionAsync(new SelectOptionValue { Label = "Key result: Monthly uptime" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Link 1 selected" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Linked 1 item to key result “Monthly uptime”.");
        await Expect(Row(page, Item)).ToHaveCountAsync(0);
        await Expect(queue.Locator("li.orphan-row")).ToHaveCountAsync(before - 1);
        await Expect(page.Locator("[data-summary='orphans'] .align-stat-value")).ToHaveTextAsync($"{before - 1} items");
        Assert.Empty(fixture.UnexpectedConsoleErrors(page));
    }

    [Fact]
    public async Task Without_javascript_a_team_member_links_all_their_shown_orphans_with_one_button()
    {
        var page = await fixture.NewSignedInPageAsync(BrowserFixture.TeamMember, javaScriptEnabled: false);
        await page.GotoAsync("/alignment");

        // Only the member's own team's rows can be ticked; the "select all" box needs JavaScript and stays hidden.
        await Expect(page.GetByLabel("Select all on this page")).ToBeHiddenAsync();
        await Expect(page.GetByLabel("Select “Upgrade to PostgreSQL 17”")).ToHaveCountAsync(0);
        await page.GetByLabel("Team", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Onboarding (3)" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page.Locator("#orphans li.orphan-row")).ToHaveCountAsync(3);

        await page.GetByLabel("Link the ticked items to").SelectOptionAsync(new SelectOptionValue { Label = "Key result: Setup wizard completion rate" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Link all 3 shown" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Linked 3 items to key result “Setup wizard completion rate”.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No orphans in Onboarding" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Team", new() { Exact = true })).ToHaveValueAsync(new Regex("^[0-9]+$"));
    }

    [Fact]
    public async Task A_re_link_without_a_target_keeps_the_ticks_and_focuses_the_picker_with_its_message()
    {
        const string Item = "Reseller portal";
        var page = await fixture.NewSignedInPageAsync(BrowserFixture.ProductManager);
        await page.GotoAsync("/alignment");

        await page.GetByLabel($"Select “{Item}”").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Link 1 selected" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);

        var picker = page.GetByLabel("Link the ticked items to");
        await Expect(page.GetByText("Choose the goal, objective or key result to link the items to.")).ToBeVisibleAsync();
        await Expect(picker).ToBeFocusedAsync();
        await Expect(picker).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel($"Select “{Item}”")).ToBeCheckedAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Link 1 selected" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0);
        Assert.Empty(fixture.UnexpectedConsoleErrors(page));
    }

    [Fact]
    public async Task Screenshots_of_the_alignment_page()
    {
        var folder = Environment.GetEnvironmentVariable(ScreenshotTests.FolderVariable);
        if (string.IsNullOrWhiteSpace(folder))
        {
            return;
        }

        Directory.CreateDirectory(folder);
        foreach (var (suffix, viewport) in new[] { ("desktop", BrowserFixture.Desktop), ("phone", BrowserFixture.Phone) })
        {
            var page = await fixture.NewSignedInPageAsync(BrowserFixture.ProductManager, viewport);
            await page.GotoAsync("/alignment");
            await Expect(page.GetByLabel("Select all on this page")).ToBeVisibleAsync();
            await SaveAsync(page, folder, "alignment", suffix);

            await page.Locator("#orphans input[data-orphan-check]").Nth(1).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Link 1 selected" }).ClickAsync();
            await page.WaitForLoadStateAsync(LoadState.Load);
            await page.Locator("#orphans").ScrollIntoViewIfNeededAsync();
            await SaveAsync(page, folder, "alignment-relink-validation", suffix, fullPage: false);

            var member = await fixture.NewSignedInPageAsync(BrowserFixture.TeamMember, viewport);
            await member.GotoAsync("/alignment");
            await SaveAsync(member, folder, "alignment-member", suffix, fullPage: false);
            Assert.Empty(fixture.UnexpectedConsoleErrors(member));
            await member.Context.CloseAsync();

            var executive = await fixture.NewSignedInPageAsync(BrowserFixture.Executive, viewport);
            await executive.GotoAsync("/alignment");
            await SaveAsync(executive, folder, "alignment-executive", suffix, fullPage: false);

            Assert.Empty(fixture.UnexpectedConsoleErrors(page));
            Assert.Empty(fixture.UnexpectedConsoleErrors(executive));
            await page.Context.CloseAsync();
            await executive.Context.CloseAsync();
        }
    }

    private static ILocator Row(IPage page, string title) =>
        page.Locator("#orphans li.orphan-row", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }) });

    private static async Task SaveAsync(IPage page, string folder, string name, string suffix, bool fullPage = true)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.EvaluateAsync("() => document.fonts.ready");
        await page.Mouse.MoveAsync(0, 0);
        var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(folder, $"{name}-{suffix}.png"),
            FullPage = fullPage,
            Animations = ScreenshotAnimations.Disabled,
            Caret = ScreenshotCaret.Hide,
            Clip = fullPage && height > 4000 ? new Clip { X = 0, Y = 0, Width = page.ViewportSize!.Width, Height = 4000 } : null,
        });
    }
}
