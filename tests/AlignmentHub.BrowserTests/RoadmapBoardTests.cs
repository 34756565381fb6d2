using AlignmentHub.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AlignmentHub.BrowserTests;

/// <summary>
/// The roadmap board in a real browser: drag and drop with JavaScript, the Move menu with the keyboard, and the same
/// move with JavaScript off (plain forms). With <c>ALIGNMENTHUB_SCREENSHOTS</c> set, the board, timeline and list are
/// saved as PNGs at desktop and phone size.
/// </summary>
public sealed class RoadmapBoardTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Dragging_a_card_from_later_to_now_moves_it_there_for_good()
    {
        var page = await fixture.NewSignedInPageAsync(BrowserFixture.ProductManager);
        await page.GotoAsync("/roadmap?team=all");
        var card = Cards(page, "Later").First;
        var title = await CardTitleAsync(card);
        var target = Cards(page, "Now").First;
        var targetTitle = await CardTitleAsync(target);
        await Expect(card).ToHaveAttributeAsync("draggable", "true"); // roadmap-board.js ran under the CSP

        // A real drag with the mouse, dropped on the upper half of the first card of Now.
        await card.DragToAsync(target, new LocatorDragToOptions { TargetPosition = new TargetPosition { X = 30, Y = 4 } });

        await Expect(page.Locator("#board-live")).ToHaveTextAsync($"“{title}” moved to Now, before “{targetTitle}”.");
        await Expect(Cards(page, "Now").First.Locator(".board-card-title a")).ToHaveTextAsync(title);
        await Expect(Column(page, "Later").GetByRole(AriaRole.Link, new() { Name = title, Exact = true })).ToHaveCountAsync(0);

        await page.ReloadAsync();
        await Expect(Cards(page, "Now").First.Locator(".board-card-title a")).ToHaveTextAsync(title);
        await Expect(Cards(page, "Now").Nth(1).Locator(".board-card-title a")).ToHaveTextAsync(targetTitle);
        Assert.Empty(fixture.UnexpectedConsoleErrors(page));
    }

    [Fact]
    public async Task Synthetic_drag_events_move_a_card_within_a_column()
    {
        // The same drop as the script sees it from any source of drag events (one DataTransfer shared by the events).
        var page = await fixture.NewSignedInPageAsync(BrowserFixture.Admin);
        await page.GotoAsync("/roadmap?team=all");
        var card = Cards(page, "Next").Nth(3);
        var title = await CardTitleAsync(card);
        var first = Cards(page, "Next").First;
        var firstTitle = await CardTitleAsync(first);
        await Expect(card).ToHaveAttributeAsync("draggable", "true");

        var transfer = await page.EvaluateHandleAsync("() => new DataTransfer()");
        var box = await first.BoundingBoxAsync() ?? throw new InvalidOperationException("The first card is not visible.");
        var drop = new Dictionary<string, object> { ["dataTransfer"] = transfer, ["clientX"] = (int)(box.X + 20), ["clientY"] = (int)(box.Y + 2) };
        await card.DispatchEventAsync("dragstart", new Dictionary<string, object> { ["dataTransfer"] = transfer });
        await first.DispatchEventAsync("dragover", drop);
        await Expect(Column(page, "Next").Locator(".board-drop-marker")).ToHaveCountAsync(1);
        await first.DispatchEventAsync("drop", drop);
        await card.DispatchEventAsync("dragend", new Dictionary<string, object> { ["dataTransfer"] = transfer });

        await Expect(page.Locator("#board-live")).ToHaveTextAsync($"“{title}” moved to Next, before “{firstTitle}”.");
        await page.ReloadAsync();
        await Expect(Cards(page, "Next").First.Locator(".board-card-title a")).ToHaveTextAsync(title);
        Assert.Empty(fixture.UnexpectedConsoleErrors(page));
    }

    [Fact]
    public async Task With_the_keyboard_the_move_menu_moves_a_card_and_keeps_the_focus_on_it()
    {
        var page = await fixture.NewSignedInPageAsync(BrowserFixture.TeamMember);
        await page.GotoAsync("/roadmap");
        var card = Cards(page, "Now").Nth(1);
        var title = await CardTitleAsync(card);
        var above = await CardTitleAsync(Cards(page, "Now").First);

        await card.Locator("summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter"); // opens the Move menu
        var up = card.GetByRole(AriaRole.Button, new() { Name = $"Move up “{title}”" });
        await up.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#board-live")).ToHaveTextAsync($"“{title}” moved to Now, before “{above}”.");
        await Expect(Cards(page, "Now").First.Locator(".board-card-title a")).ToHaveTextAsync(title);
        var focused = await page.EvaluateAsync<string>("() => document.activeElement?.closest('[data-card]')?.dataset.title ?? ''");
        Assert.Equal(title, focused); // still on the moved card, ready for the next step
        Assert.Equal("/roadmap", new Uri(page.Url).AbsolutePath); // no page load: the script posted the form

        await page.ReloadAsync();
        await Expect(Cards(page, "Now").First.Locator(".board-card-title a")).ToHaveTextAsync(title);
        Assert.Empty(fixture.UnexpectedConsoleErrors(page));
    }

    [Fact]
    public async Task Without_javascript_the_move_to_form_moves_a_card_from_later_to_now()
    {
        var page = await fixture.NewSignedInPageAsync(BrowserFixture.ProductManager, javaScriptEnabled: false);
        await page.GotoAsync("/roadmap?team=all");
        var card = Cards(page, "Later").Last;
        var title = await CardTitleAsync(card);
        await Expect(card).Not.ToHaveAttributeAsync("draggable", "true");

        await card.Locator("summary").ClickAsync();
        await card.GetByLabel("Move to").SelectOptionAsync("Now");
        await card.Locator("form.board-move-to button[type='submit']").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "moved" })).ToContainTextAsync($"“{title}” moved to the end of Now.");
        await Expect(Cards(page, "Now").Last.Locator(".board-card-title a")).ToHaveTextAsync(title);
        await page.ReloadAsync();
        await Expect(Cards(page, "Now").Last.Locator(".board-card-title a")).ToHaveTextAsync(title);
        await Expect(Column(page, "Later").GetByRole(AriaRole.Link, new() { Name = title, Exact = true })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Screenshots_of_the_roadmap_views()
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
            await page.GotoAsync("/roadmap");
            await SaveAsync(page, folder, "roadmap-board", suffix);

            await Cards(page, "Now").First.Locator("summary").ClickAsync();
            await SaveAsync(page, folder, "roadmap-board-move-menu", suffix, fullPage: false);

            await page.GotoAsync("/roadmap/timeline");
            await SaveAsync(page, folder, "roadmap-timeline", suffix);

            await page.GotoAsync("/roadmap/list?sort=rice");
            await SaveAsync(page, folder, "roadmap-list", suffix);

            await page.GotoAsync("/roadmap/list?orphans=true");
            await SaveAsync(page, folder, "roadmap-list-orphans", suffix);

            Assert.Empty(fixture.UnexpectedConsoleErrors(page));
            await page.Context.CloseAsync();
        }

        var member = await fixture.NewSignedInPageAsync(BrowserFixture.TeamMember);
        await member.GotoAsync("/roadmap");
        await SaveAsync(member, folder, "roadmap-board-member", "desktop");
        await member.Context.CloseAsync();
    }

    private static ILocator Column(IPage page, string horizon) => page.Locator($"section[data-column='{horizon}']");

    private static ILocator Cards(IPage page, string horizon) => Column(page, horizon).Locator("[data-card]");

    private static async Task<string> CardTitleAsync(ILocator card) => (await card.Locator(".board-card-title a").TextContentAsync())!.Trim();

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
            Clip = fullPage && height > 3000 ? new Clip { X = 0, Y = 0, Width = page.ViewportSize!.Width, Height = 3000 } : null,
        });
    }
}
