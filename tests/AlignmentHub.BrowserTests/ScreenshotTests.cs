using System.Text.RegularExpressions;
using AlignmentHub.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AlignmentHub.BrowserTests;

/// <summary>
/// Documents the main pages: with <c>ALIGNMENTHUB_SCREENSHOTS</c> set to a folder, saves full-page PNGs of each page
/// at desktop (1280×800) and phone (390×844) size, e.g. <c>vision-desktop.png</c>: sign-in, home, vision, goals, then
/// (as the product manager) the roadmap board, timeline and orphan list, one item's why, the alignment page and the
/// impact check of retiring goal #5 (shown, never submitted), (as the executive) the executive and a team dashboard and
/// the team's export page, (as a team member) the home page's "my work", and (as the administrator) the users list, one
/// user's page and the audit log filtered to key results.
/// Without the variable it does nothing.
/// Regenerate the docs images with: <c>ALIGNMENTHUB_SCREENSHOTS=$PWD/docs/images dotnet test tests/AlignmentHub.BrowserTests --filter Screenshots</c>.
/// </summary>
public sealed class ScreenshotTests
{
    public const string FolderVariable = ScreenshotFactAttribute.FolderVariable;

    /// <summary>Very long pages are cut here so that each PNG stays small (a few hundred KB at most).</summary>
    private const int MaxHeight = 3000;

    [ScreenshotFact]
    public async Task Screenshots()
    {
        var folder = ScreenshotFactAttribute.Folder!;

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

            await SaveRoadmapAndAlignmentAsync(page, folder, suffix, productUrl);

            Assert.Empty(fixture.UnexpectedConsoleErrors(page));
            await page.Context.CloseAsync();

            var executive = await fixture.NewSignedInPageAsync(BrowserFixture.Executive, viewport);
            await SaveDashboardsAsync(executive, folder, suffix);
            Assert.Empty(fixture.ConsoleErrors(executive));
            await executive.Context.CloseAsync();

            // A team member's home: the items they own with their why, and the key results due for a check-in; then
            // the full check-in history of one of those key results.
            var member = await fixture.NewSignedInPageAsync(BrowserFixture.TeamMember, viewport);
            await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "My work" })).ToBeVisibleAsync();
            await SaveAsync(member, folder, "home-my-work", suffix);
            await member.GotoAsync(await member.Locator("a[href^='/okrs/objectives/']").First.GetAttributeAsync("href")
                ?? throw new InvalidOperationException("No objective link on the member's home page."));
            var history = member.Locator("a[href^='/okrs/key-results/'][href$='/check-ins']").First;
            if (await history.CountAsync() > 0)
            {
                await member.GotoAsync(await history.GetAttributeAsync("href") ?? string.Empty);
                await SaveAsync(member, folder, "check-in-history", suffix);
            }

            Assert.Empty(fixture.ConsoleErrors(member));
            await member.Context.CloseAsync();

            // Last, so that the users list shows the sign-ins and sessions of the people above.
            var admin = await fixture.NewSignedInPageAsync(BrowserFixture.Admin, viewport);
            await SaveAdministrationAsync(admin, folder, suffix);
            Assert.Empty(fixture.ConsoleErrors(admin));
            await admin.Context.CloseAsync();
        }
    }

    /// <summary>The users list, one user's page and the audit log filtered to key results, as the administrator.</summary>
    private static async Task SaveAdministrationAsync(IPage page, string folder, string suffix)
    {
        await page.GotoAsync("/admin/users");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users", Exact = true, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("table.admin-users tbody tr")).ToHaveCountAsync(8);
        await SaveAsync(page, folder, "admin-users", suffix);

        // A team member who signed in above: roles, team, last sign-in and an open session.
        await page.GetByRole(AriaRole.Link, new() { Name = "Tom Becker", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tom Becker", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Team member")).ToBeCheckedAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Disable user" })).ToBeVisibleAsync();
        await SaveAsync(page, folder, "admin-user", suffix);

        // Filtered to key results: the demo's check-ins moved their current values, so the rows show real changes.
        await page.GotoAsync("/admin/audit");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Entity type").SelectOptionAsync("KeyResult");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-audit-summary]")).ToContainTextAsync("matching the filter");
        await Expect(page.Locator("table.audit-table tbody tr").First).ToContainTextAsync("KeyResult #");
        await Expect(page.Locator("table.audit-table ins.audit-after").First).ToBeVisibleAsync();
        await SaveAsync(page, folder, "admin-audit", suffix);
    }

    /// <summary>The roadmap views, one item's why, the alignment page and the impact check, as the product manager.</summary>
    private static async Task SaveRoadmapAndAlignmentAsync(IPage page, string folder, string suffix, string productUrl)
    {
        await page.GotoAsync("/roadmap");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Roadmap", Exact = true, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("section[data-column]")).ToHaveCountAsync(3);
        await Expect(page.Locator("section[data-column='Now'] [data-card]").First).ToBeVisibleAsync();
        await SaveAsync(page, folder, "roadmap", suffix);

        // The keyboard / no-JavaScript way to move a card: its Move menu, opened.
        var firstCard = page.Locator("section[data-column='Now'] [data-card]").First;
        await firstCard.Locator("summary").ClickAsync();
        await Expect(firstCard.GetByLabel("Move to")).ToBeVisibleAsync();
        await firstCard.ScrollIntoViewIfNeededAsync();
        await SaveAsync(page, folder, "roadmap-move", suffix, fullPage: false);

        await page.GotoAsync("/roadmap/timeline");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Roadmap timeline", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("table.timeline tbody tr[data-item-id]").First).ToBeAttachedAsync();
        await SaveAsync(page, folder, "timeline", suffix);

        await page.GotoAsync("/roadmap/list?orphans=true");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Roadmap list", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Orphans only")).ToBeCheckedAsync();
        var rows = page.Locator("table.roadmap-list tbody tr");
        Assert.True(await rows.CountAsync() > 0, "The demo data has orphans.");
        await Expect(rows.Locator("td[data-why] .roadmap-flag-orphan")).ToHaveCountAsync(await rows.CountAsync());
        await SaveAsync(page, folder, "list-orphans", suffix);

        // An item linked to two key results of different objectives, one of them through a parent objective, and
        // blocked by an item planned later (the demo's dependency conflict).
        await page.GotoAsync("/roadmap?team=all");
        await page.GetByRole(AriaRole.Link, new() { Name = "Report builder v2", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Report builder v2", Level = 1 })).ToBeVisibleAsync();
        var chains = page.Locator("#why [data-why-chain='active']");
        await Expect(chains).ToHaveCountAsync(2);
        await Expect(chains.First).ToContainTextAsync("Key result");
        await Expect(page.Locator("[data-blocked-by] .item-conflict")).ToContainTextAsync("Planned too late");
        await SaveAsync(page, folder, "item-why", suffix);

        await page.GotoAsync("/alignment");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Alignment", Exact = true, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Orphan queue" })).ToBeVisibleAsync();
        await Expect(page.Locator("#orphans li.orphan-row").First).ToBeVisibleAsync();
        await Expect(page.Locator("#conflicts [data-conflict]").First).ToBeAttachedAsync();
        await SaveAsync(page, folder, "alignment-overview", suffix);

        // The impact check of retiring goal #5 ("Reduce cost to serve"): shown, never submitted.
        await page.GotoAsync(productUrl + "/goals");
        await page.GetByRole(AriaRole.List, new() { Name = "Active goals in rank order" }).GetByRole(AriaRole.Heading).Nth(4).GetByRole(AriaRole.Link).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Retire…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Retire goal", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator(".page-subtitle")).ToContainTextAsync("Reduce cost to serve");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Objectives that would lose their goal" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Roadmap items that would lose their reason" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Cancel" })).ToBeVisibleAsync();
        await SaveAsync(page, folder, "impact-retire-goal", suffix);
    }

    /// <summary>The executive dashboard and one team's dashboard, as the executive.</summary>
    private static async Task SaveDashboardsAsync(IPage page, string folder, string suffix)
    {
        await page.GotoAsync("/dashboards");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Executive dashboard", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-figure='score']")).ToHaveTextAsync(new Regex(@"^\d+(\.\d)?$"));
        await Expect(page.Locator("table.dash-heat tbody tr").First).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(400); // let the charts finish their first layout
        await SaveAsync(page, folder, "dashboard-executive", suffix);

        // The score's working, opened.
        var score = page.Locator("details.dash-working");
        await score.GetByText("How is the alignment score calculated?").ClickAsync();
        await Expect(score.Locator("table.dash-formula tbody tr")).ToHaveCountAsync(4);
        await score.ScrollIntoViewIfNeededAsync();
        await SaveAsync(page, folder, "dashboard-score", suffix, fullPage: false);

        await page.Locator("table.dash-heat").GetByRole(AriaRole.Link, new() { Name = "Platform", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Platform team dashboard", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-figure='focus']")).ToContainTextAsync("goal");
        await Expect(page.Locator("[data-horizon]")).ToHaveCountAsync(3);
        await page.WaitForTimeoutAsync(400);
        await SaveAsync(page, folder, "dashboard-team", suffix);

        // The team's export page: reading is enough to export (brief §6), so the executive has it too.
        await page.GetByRole(AriaRole.Link, new() { Name = "Export", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Export Platform", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Download JSON" })).ToBeVisibleAsync();
        await SaveAsync(page, folder, "team-export", suffix);
    }

    /// <param name="fullPage">False: only what is in the viewport (a detail scrolled into view).</param>
    private static async Task SaveAsync(IPage page, string folder, string name, string suffix, bool fullPage = true)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.EvaluateAsync("() => document.fonts.ready");
        await page.Mouse.MoveAsync(0, 0);
        var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        var width = page.ViewportSize!.Width;
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(folder, $"{name}-{suffix}.png"),
            FullPage = fullPage,
            Animations = ScreenshotAnimations.Disabled,
            Caret = ScreenshotCaret.Hide,
            Clip = fullPage && height > MaxHeight ? new Clip { X = 0, Y = 0, Width = width, Height = MaxHeight } : null,
        });
    }
}
