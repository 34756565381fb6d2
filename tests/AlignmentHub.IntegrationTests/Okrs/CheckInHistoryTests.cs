using System.Globalization;
using System.Net;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Okrs;

/// <summary>
/// The objective page shows the latest ten check-ins of a key result and links to its full history, 50 a page; the
/// page's cached data is read again after every check-in (its own factory: this class adds check-ins).
/// </summary>
public sealed class CheckInHistoryTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    [Fact]
    public async Task The_objective_page_shows_each_new_check_in_at_once_the_latest_ten_in_its_table_and_links_to_the_paged_history()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var kr = await factory.KeyResultAsync("Setup wizard completion rate");
        var objectiveUrl = $"/okrs/objectives/{kr.ObjectiveId}";
        var existing = await factory.QueryAsync(db => db.CheckIns.CountAsync(c => c.KeyResultId == kr.Id));

        // 55 more check-ins, each through the app; after each one the objective page (cached between changes) shows it.
        var added = 55;
        for (var i = 1; i <= added; i++)
        {
            var value = (40m + (i * 0.5m)).ToString("0.############", CultureInfo.InvariantCulture);
            var save = await client.PostFormAsync($"/okrs/key-results/{kr.Id}/check-ins", objectiveUrl,
                [new("Value", value), new("Confidence", "7"), new("Note", $"history note {i}")]);
            Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
            if (i % 11 == 0)
            {
                var card = (await client.GetAsync(objectiveUrl)).Document.QuerySelector($"article#kr-{kr.Id}")!;
                Assert.Equal(value, card.QuerySelector("details.okr-history tbody tr [data-value]")!.GetAttribute("data-value"));
            }
        }

        var total = existing + added;
        var page = await client.GetAsync(objectiveUrl);
        var krCard = page.Document.QuerySelector($"article#kr-{kr.Id}")!;
        var rows = krCard.QuerySelectorAll("details.okr-history tbody tr").ToList();
        Assert.Equal(10, rows.Count);
        Assert.Equal("history note 55", rows[0].Children[3].TextContent.Trim());
        Assert.Equal("history note 46", rows[9].Children[3].TextContent.Trim());
        Assert.Contains($"latest 10 of {total}", krCard.QuerySelector("details.okr-history summary")!.TextContent, StringComparison.Ordinal);
        var all = krCard.QuerySelector("details.okr-history a")!;
        Assert.Equal($"/okrs/key-results/{kr.Id}/check-ins", all.GetAttribute("href"));
        Assert.Contains($"All {total} check-ins", all.TextContent, StringComparison.Ordinal);

        // The chart keeps every check-in.
        using (var chart = System.Text.Json.JsonDocument.Parse(krCard.QuerySelector("canvas[data-okr-chart]")!.GetAttribute("data-okr-chart")!))
        {
            Assert.Equal(total, chart.RootElement.GetProperty("values").GetArrayLength());
        }

        // The history: 50 a page, newest first, then the rest on page 2; an executive may read it too.
        using var reader = await TestClient.SignedInAsync(factory, Demo.Executive);
        var first = await reader.GetAsync(all.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstRows = first.Document.QuerySelectorAll("tbody tr").ToList();
        Assert.Equal(50, firstRows.Count);
        Assert.Equal("history note 55", firstRows[0].Children[3].TextContent.Trim());
        Assert.Contains($"1–50 of {total} check-ins", first.Text, StringComparison.Ordinal);
        Assert.Equal(["OKRs", "Check-ins"], new[] { first.Document.QuerySelectorAll(".breadcrumb li").First().TextContent.Trim(), first.Document.QuerySelectorAll(".breadcrumb li").Last().TextContent.Trim() });
        var next = first.Document.QuerySelector("a[rel='next']")!.GetAttribute("href")!;
        Assert.Equal($"/okrs/key-results/{kr.Id}/check-ins?page=2", next);

        var second = await reader.GetAsync(next);
        var secondRows = second.Document.QuerySelectorAll("tbody tr").ToList();
        Assert.Equal(total - 50, secondRows.Count);
        Assert.Equal("history note 5", secondRows[0].Children[3].TextContent.Trim());
        Assert.Null(second.Document.QuerySelector("a[rel='next']"));

        // A page past the end says so with 404 and shows the last page; an unknown key result is a plain 404.
        var beyond = await reader.GetAsync($"/okrs/key-results/{kr.Id}/check-ins?page=9");
        Assert.Equal(HttpStatusCode.NotFound, beyond.StatusCode);
        Assert.Contains("That page does not exist", beyond.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/okrs/key-results/999999/check-ins")).StatusCode);
    }
}
