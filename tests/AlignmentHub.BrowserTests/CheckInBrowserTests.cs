using System.Text.RegularExpressions;
using AlignmentHub.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AlignmentHub.BrowserTests;

/// <summary>
/// OKRs in a real browser: a team member checks in on a decreasing key result and sees the right progress and the
/// trend; the pages work without JavaScript; with <c>ALIGNMENTHUB_SCREENSHOTS</c> set, the OKR pages are saved as PNGs.
/// </summary>
public sealed class CheckInBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Objective = "Make the first week effortless";
    private const string KeyResult = "Median days to first resolved ticket";

    [Fact]
    public async Task A_team_member_checks_in_on_a_decreasing_key_result_and_sees_the_progress_and_the_trend()
    {
        var page = await fixture.NewSignedInPageAsync(BrowserFixture.TeamMember);

        // OKRs, through the main navigation, then the objective.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "OKRs", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^OKRs"), Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = Objective, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Objective, Level = 1 })).ToBeVisibleAsync();

        var card = KeyResultCard(page);
        await Expect(card).ToContainTextAsync("Decrease: lower is better");
        await Expect(card).ToContainTextAsync("12 days → 6 days");
        await Expect(card.Locator("canvas[data-okr-chart-drawn='true']")).ToBeAttachedAsync(); // okr-charts.js ran under the CSP
        // The script writes the axis labels from the check-in times (Unix milliseconds in the data), one per point, as "d MMM".
        var labels = await card.Locator("canvas[data-okr-chart]").EvaluateAsync<string[]>("c => Chart.getChart(c).data.labels");
        Assert.Equal(await ChartPointsAsync(card), labels.Length);
        Assert.All(labels, l => Assert.Matches(@"^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)$", l));
        var pointsBefore = await ChartPointsAsync(card);
        var rowsBefore = await card.Locator("details.okr-history tbody tr").CountAsync();

        // Check in: 9 days, confidence 8.
        var form = page.GetByRole(AriaRole.Form, new() { Name = $"Check in on “{KeyResult}”" });
        await form.GetByLabel("Value now").FillAsync("9");
        await form.GetByLabel("Confidence", new() { Exact = true }).SelectOptionAsync("8");
        await form.GetByLabel("Note").FillAsync("Browser test: sample data workspace live for all trials.");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save check-in" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Check-in saved: “{KeyResult}” is now 9 days, confidence 8 of 10 (on track).");
        card = KeyResultCard(page);
        await Expect(card.Locator(".progress-figure")).ToHaveTextAsync("50 %"); // (9 − 12) ÷ (6 − 12)
        await Expect(card.Locator("[data-flag='confidence']")).ToContainTextAsync("On track");
        await Expect(card.Locator("[data-flag='confidence']")).ToContainTextAsync("8/10");
        await Expect(card.Locator("dl.okr-facts")).ToContainTextAsync("9 days");

        // The "how was this calculated?" disclosure shows the inputs.
        await card.GetByText("How was this calculated?").ClickAsync();
        await Expect(card.Locator("details.how-calculated p")).ToContainTextAsync("(9 − 12) ÷ (6 − 12) = 50 %");

        // The trend has one more point, drawn on a real canvas; the table alternative starts with the new check-in.
        var canvas = card.Locator("canvas[data-okr-chart-drawn='true']");
        await Expect(canvas).ToBeVisibleAsync();
        var box = await canvas.BoundingBoxAsync();
        Assert.True(box is { Width: > 200, Height: > 100 }, $"chart size {box?.Width}×{box?.Height}");
        Assert.Equal(pointsBefore + 1, await ChartPointsAsync(card));
        Assert.Equal(9m, decimal.Parse((await ChartValuesAsync(card))[^1], System.Globalization.CultureInfo.InvariantCulture));
        await card.GetByText(new Regex("^Check-in history as a table")).ClickAsync();
        var rows = card.Locator("details.okr-history tbody tr");
        await Expect(rows).ToHaveCountAsync(rowsBefore + 1);
        await Expect(rows.First.Locator("td").Nth(1)).ToHaveTextAsync("9 days");
        await Expect(rows.First.Locator("td").Nth(2)).ToContainTextAsync("8 · on track");
        await Expect(rows.First.Locator("td").Nth(4)).ToHaveTextAsync("Tom Becker");

        Assert.Empty(fixture.UnexpectedConsoleErrors(page));
    }

    [Fact]
    public async Task A_rejected_check_in_keeps_what_was_typed_and_focuses_the_field_with_the_message()
    {
        var page = await fixture.NewSignedInPageAsync(BrowserFixture.TeamMember);
        await page.GotoAsync("/okrs");
        await page.GetByRole(AriaRole.Link, new() { Name = Objective, Exact = true }).ClickAsync();

        var form = page.GetByRole(AriaRole.Form, new() { Name = $"Check in on “{KeyResult}”" });
        await form.GetByLabel("Value now").FillAsync("about nine");
        await form.GetByLabel("Note").FillAsync("Typed before the mistake");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save check-in" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);

        form = page.GetByRole(AriaRole.Form, new() { Name = $"Check in on “{KeyResult}”" });
        await Expect(form.GetByText("Enter a number, such as 42 or 3.5.")).ToBeVisibleAsync();
        await Expect(form.GetByText("Choose a confidence from 0 (no chance) to 10 (certain).")).ToBeVisibleAsync();
        await Expect(form.GetByLabel("Value now")).ToHaveValueAsync("about nine");
        await Expect(form.GetByLabel("Note")).ToHaveValueAsync("Typed before the mistake");
        await Expect(form.GetByLabel("Value now")).ToBeFocusedAsync();
        await Expect(form.GetByLabel("Value now")).ToHaveAttributeAsync("aria-invalid", "true");
    }

    [Fact]
    public async Task Without_javascript_the_objective_page_still_shows_the_history_table_and_the_form()
    {
        var page = await fixture.NewSignedInPageAsync(BrowserFixture.Executive, javaScriptEnabled: false);
        await page.GotoAsync("/okrs");
        await page.GetByRole(AriaRole.Link, new() { Name = "Be the most reliable support platform", Exact = true }).ClickAsync();

        var card = page.Locator("article.okr-kr-card", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "P95 API latency" }) });
        await Expect(card.Locator("canvas[data-okr-chart-drawn]")).ToHaveCountAsync(0);
        await card.GetByText(new Regex("^Check-in history as a table")).ClickAsync();
        await Expect(card.Locator("details.okr-history tbody tr").First).ToBeVisibleAsync();
        await card.GetByText("How was this calculated?").ClickAsync();
        await Expect(card.Locator("details.how-calculated p")).ToContainTextAsync("(current − baseline) ÷ (target − baseline)");
        await Expect(page.Locator("form.okr-checkin")).ToHaveCountAsync(0); // executives read only
    }

    [Fact]
    public async Task Screenshots_of_the_okr_pages()
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
            await page.GotoAsync("/okrs");
            await SaveAsync(page, folder, "okrs", suffix);

            await page.GotoAsync("/okrs?period=2030-Q1");
            await SaveAsync(page, folder, "okrs-unknown-period", suffix, fullPage: false);

            await page.GetByRole(AriaRole.Link, new() { Name = "Be the most reliable support platform", Exact = true }).ClickAsync();
            await Expect(page.Locator("canvas[data-okr-chart-drawn='true']").First).ToBeVisibleAsync();
            await page.WaitForTimeoutAsync(400); // let the charts finish their first layout
            await SaveAsync(page, folder, "objective", suffix);

            var form = page.GetByRole(AriaRole.Form, new() { Name = "Check in on “P95 API latency”" });
            await form.GetByLabel("Value now").FillAsync("fast");
            await form.GetByRole(AriaRole.Button, new() { Name = "Save check-in" }).ClickAsync();
            await page.WaitForLoadStateAsync(LoadState.Load);
            var rejected = page.GetByRole(AriaRole.Form, new() { Name = "Check in on “P95 API latency”" });
            await rejected.ScrollIntoViewIfNeededAsync();
            await SaveAsync(page, folder, "objective-check-in-validation", suffix, fullPage: false);

            Assert.Empty(fixture.UnexpectedConsoleErrors(page));
            await page.Context.CloseAsync();
        }
    }

    private static ILocator KeyResultCard(IPage page) =>
        page.Locator("article.okr-kr-card", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = KeyResult, Exact = true }) });

    private static async Task<int> ChartPointsAsync(ILocator card) => (await ChartValuesAsync(card)).Count;

    private static async Task<List<string>> ChartValuesAsync(ILocator card)
    {
        using var data = System.Text.Json.JsonDocument.Parse(await card.Locator("canvas[data-okr-chart]").GetAttributeAsync("data-okr-chart") ?? "{}");
        return data.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetRawText()).ToList();
    }

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
