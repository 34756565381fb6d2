using AlignmentHub.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AlignmentHub.BrowserTests;

public sealed class GoalValidationTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Metric = "Weekly active teams per account ≥ 40";
    private const string TitleMessage = "Give the goal a title.";

    [Fact]
    public async Task Empty_title_shows_the_message_beside_title_and_keeps_the_typed_metric()
    {
        var page = await fixture.NewSignedInPageAsync(BrowserFixture.ProductManager);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Goals", Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.GetByRole(AriaRole.Link, new() { Name = "New goal" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);

        await SubmitWithoutTitleAndExpectMessageAsync(page);
        Assert.Empty(fixture.UnexpectedConsoleErrors(page));
    }

    [Fact]
    public async Task Without_javascript_the_server_shows_the_same_message()
    {
        var page = await fixture.NewSignedInPageAsync(BrowserFixture.ProductManager, javaScriptEnabled: false);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Goals", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New goal" }).ClickAsync();

        await SubmitWithoutTitleAndExpectMessageAsync(page);
    }

    private static async Task SubmitWithoutTitleAndExpectMessageAsync(IPage page)
    {
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New goal", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Success metric").FillAsync(Metric);
        await page.GetByLabel("Horizon").SelectOptionAsync(new SelectOptionValue { Label = "Mid term (this year)" });

        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Add goal" }).ClickAsync(),
            r => r.Request.Method == "POST");
        Assert.Equal(422, response.Status);

        // The message sits in the Title field's own group, right under the input.
        var title = page.GetByLabel("Title", new() { Exact = true });
        var titleGroup = page.Locator("div.mb-3").Filter(new() { Has = title });
        await Expect(titleGroup.Locator(".field-validation-error")).ToHaveTextAsync(TitleMessage);
        await Expect(page.GetByText(TitleMessage)).ToHaveCountAsync(1);
        await Expect(title).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("input-validation-error"));
        await Expect(title).ToHaveValueAsync(string.Empty);

        // Assistive technology hears the message with the field: aria-invalid and aria-describedby point to it.
        await Expect(title).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(title).ToHaveAccessibleDescriptionAsync(TitleMessage);

        // What the user typed is still there; nothing was saved.
        await Expect(page.GetByLabel("Success metric")).ToHaveValueAsync(Metric);
        await Expect(page.GetByLabel("Horizon")).ToHaveValueAsync("MidTerm");
    }
}
