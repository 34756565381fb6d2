using System.Globalization;
using System.Net;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace AlignmentHub.IntegrationTests.Durability;

/// <summary>
/// Security checklist E.24: twenty people save the same form, opened at the same version, at the same moment. Exactly
/// one save wins; the other nineteen get the conflict notice with what they typed kept; the stored row is the
/// winner's and carries one audit row. For every kind of editable record, on SQLite and (in the full suite)
/// PostgreSQL. Trials per record kind: ALIGNMENTHUB_RACE_TRIALS (default 3; the checklist's 50 is a longer run).
/// </summary>
public sealed class RaceTests(AlignmentHubFactory factory, ITestOutputHelper output) : IClassFixture<AlignmentHubFactory>
{
    private const int Editors = 20;

    private static int Trials => int.TryParse(Environment.GetEnvironmentVariable("ALIGNMENTHUB_RACE_TRIALS"), out var n) && n > 0 ? n : 3;

    public static TheoryData<string> Kinds => new() { "goal", "vision", "objective", "item" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Twenty_parallel_saves_of_one_version_give_one_winner_and_nineteen_conflicts_with_input_kept(string kind)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var target = await TargetAsync(kind);

        for (var trial = 1; trial <= Trials; trial++)
        {
            var editor = await client.GetAsync(target.EditUrl);
            Assert.Equal(HttpStatusCode.OK, editor.StatusCode);
            var (token, fields) = HtmlForms.FormOf(editor, target.EditUrl);
            var lastAudit = await factory.MaxAuditIdAsync();
            var texts = Enumerable.Range(1, Editors).Select(i => Demo.UniqueTitle($"Race {kind} {trial}.{i:00}")).ToList();

            var pages = await Task.WhenAll(texts.Select(async text =>
                (Text: text, Page: await client.PostWithTokenAsync(target.EditUrl, token, new List<KeyValuePair<string, string>>(fields).Set(target.Field, text)))));

            var statuses = pages.GroupBy(p => (int)p.Page.StatusCode).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}").ToList();
            output.WriteLine($"{kind} trial {trial}: {string.Join(", ", statuses)}");
            var winners = pages.Where(p => p.Page.StatusCode == HttpStatusCode.Redirect).ToList();
            Assert.True(winners.Count == 1, $"{kind} trial {trial}: expected one winner, got {string.Join(", ", statuses)}");
            foreach (var (text, page) in pages.Where(p => p.Page.StatusCode != HttpStatusCode.Redirect))
            {
                Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
                Assert.Contains("changed this", page.Document.QuerySelector(".alert-warning")?.TextContent, StringComparison.Ordinal);
                Assert.Equal(text, page.InputValue(target.Field));
            }

            Assert.Equal(winners[0].Text, await target.StoredAsync());
            var audits = await factory.AuditAfterAsync(lastAudit);
            Assert.Contains(audits, a => a.Changes.Contains(winners[0].Text, StringComparison.Ordinal));
            Assert.DoesNotContain(audits, a => pages.Any(p => p.Text != winners[0].Text && a.Changes.Contains(p.Text, StringComparison.Ordinal)));
        }
    }

    private sealed record Target(string EditUrl, string Field, Func<Task<string?>> StoredAsync);

    private async Task<Target> TargetAsync(string kind)
    {
        switch (kind)
        {
            case "goal":
                var goal = (await factory.RankedGoalsAsync())[^1];
                return new($"/products/{Demo.ProductId}/goals/{goal.Id}/edit", "Title", async () => (await factory.GoalAsync(goal.Id)).Title);
            case "vision":
                return new($"/products/{Demo.ProductId}/vision/edit", "Text", async () => (await factory.VisionVersionsAsync())[^1].Text);
            case "objective":
                var objectiveId = await factory.QueryAsync(db => db.Objectives.AsNoTracking()
                    .Where(o => o.Status == ObjectiveStatus.Active && o.GoalId != null).OrderBy(o => o.Id).Select(o => o.Id).FirstAsync());
                return new($"/okrs/objectives/{objectiveId}/edit", "Title", () => factory.QueryAsync(db =>
                    db.Objectives.AsNoTracking().Where(o => o.Id == objectiveId).Select(o => (string?)o.Title).SingleAsync()));
            case "item":
                var itemId = await factory.QueryAsync(db => db.RoadmapItems.AsNoTracking().Where(i => i.ArchivedAt == null).OrderBy(i => i.Id).Select(i => i.Id).FirstAsync());
                return new($"/roadmap/items/{itemId.ToString(CultureInfo.InvariantCulture)}/edit", "Title", () => factory.QueryAsync(db =>
                    db.RoadmapItems.AsNoTracking().Where(i => i.Id == itemId).Select(i => (string?)i.Title).SingleAsync()));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}
