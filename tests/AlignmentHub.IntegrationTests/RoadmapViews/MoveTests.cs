using System.Globalization;
using System.Net;
using System.Text.Json;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using static AlignmentHub.IntegrationTests.RoadmapViews.RoadmapData;

namespace AlignmentHub.IntegrationTests.RoadmapViews;

/// <summary>
/// Moving cards on the board: between and within columns, with sparse positions and renumbering, stale boards,
/// permissions and bad input. Every test reads the state it starts from, so the order of the tests does not matter.
/// </summary>
public sealed class MoveTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private const string AllTeams = "product=1&team=all";

    [Fact]
    public async Task A_card_moved_to_another_column_lands_before_the_card_it_was_dropped_on()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var items = await ItemsAsync(factory);
        var item = Column(items, RoadmapHorizon.Later)[2];
        var now = Column(items, RoadmapHorizon.Now);
        var lastAudit = await factory.MaxAuditIdAsync();

        var response = await MoveAsync(client, item.Id, "Now", now[1].Id, item.Version);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/roadmap?product=1&team=all#item-{item.Id}", response.Location);
        var moved = await factory.ItemAsync(item.Id);
        Assert.Equal(RoadmapHorizon.Now, moved.Horizon);
        Assert.Equal(item.Version + 1, moved.Version);
        Assert.InRange(moved.BoardPosition, now[0].BoardPosition + 1, now[1].BoardPosition - 1);

        var expected = now.Select(i => i.Id).ToList();
        expected.Insert(1, item.Id);
        Assert.Equal(expected, Column(await ItemsAsync(factory), RoadmapHorizon.Now).Select(i => i.Id));

        var page = await client.GetAsync(response.Location!);
        Assert.Equal(expected, CardIds(page, RoadmapHorizon.Now));
        Assert.DoesNotContain(item.Id, CardIds(page, RoadmapHorizon.Later));
        Assert.Contains($"“{item.Title}” moved to Now, before “{now[1].Title}”.", page.Document.QuerySelector("main .alert-success")!.TextContent, StringComparison.Ordinal);

        // One change, one audit row, written by the interceptor.
        var audit = Assert.Single(await factory.AuditAfterAsync(lastAudit));
        Assert.Equal(nameof(RoadmapItem), audit.EntityType);
        Assert.Equal(item.Id.ToString(CultureInfo.InvariantCulture), audit.EntityId);
        Assert.Contains("BoardPosition", audit.Changes, StringComparison.Ordinal);
        Assert.Contains("Horizon", audit.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Move_up_and_move_down_reorder_within_a_column_with_the_forms_on_the_cards()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var before = Column(await ItemsAsync(factory), RoadmapHorizon.Next).Select(i => i.Id).ToList();
        var third = before[2];

        // "Move up" on the third card: it becomes the second.
        var page = await client.GetAsync("/roadmap?team=all");
        var response = await SubmitOrderButtonAsync(client, page, third, "Move up");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var expected = new List<int>(before);
        expected.RemoveAt(2);
        expected.Insert(1, third);
        Assert.Equal(expected, Column(await ItemsAsync(factory), RoadmapHorizon.Next).Select(i => i.Id));
        page = await client.GetAsync(response.Location!);
        Assert.Equal(expected, CardIds(page, RoadmapHorizon.Next));

        // "Move down" on the first card: it goes after the (new) second one.
        var first = expected[0];
        response = await SubmitOrderButtonAsync(client, page, first, "Move down");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        expected.RemoveAt(0);
        expected.Insert(1, first);
        Assert.Equal(expected, Column(await ItemsAsync(factory), RoadmapHorizon.Next).Select(i => i.Id));
        page = await client.GetAsync(response.Location!);
        Assert.Equal(expected, CardIds(page, RoadmapHorizon.Next));

        // "Move down" on the second to last card posts an empty "before": the end of the column.
        var secondToLast = expected[^2];
        response = await SubmitOrderButtonAsync(client, page, secondToLast, "Move down");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        expected.Remove(secondToLast);
        expected.Add(secondToLast);
        Assert.Equal(expected, Column(await ItemsAsync(factory), RoadmapHorizon.Next).Select(i => i.Id));
    }

    [Fact]
    public async Task The_move_to_form_puts_the_card_at_the_end_of_the_other_column()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var items = await ItemsAsync(factory);
        var item = Column(items, RoadmapHorizon.Now)[^1];
        var page = await client.GetAsync("/roadmap?team=all");

        var form = Card(page, item.Id).QuerySelector("form.board-move-to")!;
        var fields = HtmlForms.FieldsOf(form).Where(f => f.Key != "Horizon").Append(new("Horizon", "Later")).ToList();
        var response = await client.PostWithTokenAsync(form.GetAttribute("action")!, null, fields);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var later = (await ItemsAsync(factory)).Where(i => i.Horizon == RoadmapHorizon.Later && i.ArchivedAt == null && i.Status != RoadmapItemStatus.Dropped)
            .OrderBy(i => i.BoardPosition).ThenBy(i => i.Id).ToList();
        Assert.Equal(item.Id, later[^1].Id); // after every item of the column, shipped ones included
        var next = await client.GetAsync(response.Location!);
        Assert.Equal(item.Id, CardIds(next, RoadmapHorizon.Later)[^1]);
        Assert.Contains($"“{item.Title}” moved to the end of Later.", next.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_there_is_no_room_between_the_neighbours_the_column_is_renumbered_with_a_gap()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);

        // Squeeze the whole Later column (every team, every status on the board) into consecutive positions.
        await ChangeAsync(factory, async db =>
        {
            var column = await db.RoadmapItems.Where(i => i.ProductId == Demo.ProductId && i.Horizon == RoadmapHorizon.Later)
                .OrderBy(i => i.BoardPosition).ThenBy(i => i.Id).ToListAsync();
            for (var k = 0; k < column.Count; k++)
            {
                column[k].MoveOnBoard(RoadmapHorizon.Later, k + 1);
            }
        });
        var before = Column(await ItemsAsync(factory), RoadmapHorizon.Later);
        var item = before[^1];
        var lastAudit = await factory.MaxAuditIdAsync();

        var response = await MoveAsync(client, item.Id, "Later", before[1].Id, item.Version);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var expected = before.Select(i => i.Id).Where(id => id != item.Id).ToList();
        expected.Insert(1, item.Id);
        var after = (await ItemsAsync(factory)).Where(i => i.Horizon == RoadmapHorizon.Later && i.ArchivedAt == null && i.Status != RoadmapItemStatus.Dropped)
            .OrderBy(i => i.BoardPosition).ToList();
        Assert.Equal(expected, after.Where(IsOpen).Select(i => i.Id));
        Assert.Equal(Enumerable.Range(1, after.Count).Select(k => k * 1024), after.Select(i => i.BoardPosition)); // gaps again
        var page = await client.GetAsync(response.Location!);
        Assert.Equal(expected, CardIds(page, RoadmapHorizon.Later));

        // Every renumbered item is audited, in the same save.
        var audited = (await factory.AuditAfterAsync(lastAudit)).Where(a => a.EntityType == nameof(RoadmapItem)).Select(a => a.EntityId).ToList();
        Assert.Equal(audited.Distinct().Count(), audited.Count);
        Assert.Contains(item.Id.ToString(CultureInfo.InvariantCulture), audited);
        Assert.Equal(after.Count, audited.Count); // positions were 1, 2, 3…: every one changed

        // The next move into the renumbered column needs no renumbering: one audit row.
        lastAudit = await factory.MaxAuditIdAsync();
        var other = Column(await ItemsAsync(factory), RoadmapHorizon.Later)[^1];
        Assert.Equal(HttpStatusCode.Redirect, (await MoveAsync(client, other.Id, "Later", expected[0], other.Version)).StatusCode);
        Assert.Single(await factory.AuditAfterAsync(lastAudit));
    }

    [Fact]
    public async Task In_a_team_view_a_card_lands_next_to_its_neighbour_in_the_whole_column()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var platform = await factory.TeamIdAsync("Platform");
        var items = await ItemsAsync(factory);
        var mine = Column(items.Where(i => i.TeamId == platform), RoadmapHorizon.Now);
        Assert.True(mine.Count >= 3);
        var query = $"product=1&team={platform}";

        var response = await MoveAsync(client, mine[2].Id, "Now", mine[1].Id, mine[2].Version, query);

        Assert.Equal($"/roadmap?{query}#item-{mine[2].Id}", response.Location);
        var full = (await ItemsAsync(factory)).Where(i => i.Horizon == RoadmapHorizon.Now && i.ArchivedAt == null && i.Status != RoadmapItemStatus.Dropped)
            .OrderBy(i => i.BoardPosition).ThenBy(i => i.Id).Select(i => i.Id).ToList();
        Assert.Equal(full.IndexOf(mine[1].Id) - 1, full.IndexOf(mine[2].Id)); // right before it, whatever other teams hold
        var page = await client.GetAsync(response.Location!);
        Assert.Equal([mine[0].Id, mine[2].Id, mine[1].Id, .. mine.Skip(3).Select(i => i.Id)], CardIds(page, RoadmapHorizon.Now));
    }

    [Fact]
    public async Task A_move_from_a_stale_board_changes_nothing_and_says_who_moved_it()
    {
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var items = await ItemsAsync(factory);
        var item = Column(items, RoadmapHorizon.Next)[^1];
        var next = Column(items, RoadmapHorizon.Next);

        // The PM moves it first; the admin's board still has the old version.
        Assert.Equal(HttpStatusCode.Redirect, (await MoveAsync(pm, item.Id, "Now", null, item.Version)).StatusCode);
        var fingerprint = await factory.RoadmapFingerprintAsync();

        var response = await MoveAsync(admin, item.Id, "Next", next[0].Id, item.Version);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/roadmap?product=1&team=all", response.Location); // to the top, where the warning is
        Assert.Equal(fingerprint, await factory.RoadmapFingerprintAsync());
        var page = await admin.GetAsync(response.Location!);
        var flash = page.Document.QuerySelector("main .alert-warning[role='status']")!.TextContent;
        Assert.Contains($"Priya Shah moved or changed “{item.Title}” after you opened the board", flash, StringComparison.Ordinal);
        Assert.Contains("Nothing was moved", flash, StringComparison.Ordinal);
        Assert.Contains(item.Id, CardIds(page, RoadmapHorizon.Now)); // the board shows where it is now

        // Through fetch (drag and drop) the same answer comes as JSON with 409.
        var json = await MoveJsonAsync(admin, item.Id, "Next", next[0].Id, item.Version);
        Assert.Equal(HttpStatusCode.Conflict, json.Status);
        Assert.False(json.Body.GetProperty("ok").GetBoolean());
        Assert.Contains("Nothing was moved", json.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(fingerprint, await factory.RoadmapFingerprintAsync());
    }

    [Fact]
    public async Task Dropping_next_to_a_card_that_has_left_the_column_changes_nothing()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var items = await ItemsAsync(factory);
        var item = Column(items, RoadmapHorizon.Later)[0];
        var elsewhere = Column(items, RoadmapHorizon.Next)[0];
        var fingerprint = await factory.RoadmapFingerprintAsync();

        var response = await MoveAsync(client, item.Id, "Later", elsewhere.Id, item.Version);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(fingerprint, await factory.RoadmapFingerprintAsync());
        var page = await client.GetAsync(response.Location!);
        Assert.Contains($"“{elsewhere.Title}” is no longer in Later. Nothing was moved", page.Document.QuerySelector("main .alert-warning")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dropping_a_card_where_it_already_is_saves_nothing()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var column = Column(await ItemsAsync(factory), RoadmapHorizon.Next);
        var fingerprint = await factory.RoadmapFingerprintAsync();

        var response = await MoveJsonAsync(client, column[0].Id, "Next", column[1].Id, column[0].Version);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal($"“{column[0].Title}” is already there.", response.Body.GetProperty("message").GetString());
        Assert.Equal(fingerprint, await factory.RoadmapFingerprintAsync());
    }

    [Fact]
    public async Task A_fetch_move_answers_json_and_moves_the_card()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var items = await ItemsAsync(factory);
        var item = Column(items, RoadmapHorizon.Later)[^1];
        var now = Column(items, RoadmapHorizon.Now);

        var response = await MoveJsonAsync(client, item.Id, "Now", now[0].Id, item.Version);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Body.GetProperty("ok").GetBoolean());
        Assert.Equal($"“{item.Title}” moved to Now, before “{now[0].Title}”.", response.Body.GetProperty("message").GetString());
        Assert.Equal(item.Id, Column(await ItemsAsync(factory), RoadmapHorizon.Now)[0].Id);

        // No flash is left behind for the next page: the script announces the result itself.
        var page = await client.GetAsync("/roadmap?team=all");
        Assert.Null(page.Document.QuerySelector("main .alert-success"));
    }

    [Theory]
    [InlineData(Demo.Executive, "Multi-region failover")]
    [InlineData(Demo.Member, "Multi-region failover")] // Tom is in Onboarding, the item is Platform's
    public async Task Users_who_may_not_change_the_item_get_403_and_nothing_changes(string email, string title)
    {
        using var client = await TestClient.SignedInAsync(factory, email);
        var item = await ItemAsync(factory, title);
        var fingerprint = await factory.RoadmapFingerprintAsync();

        var response = await MoveAsync(client, item.Id, "Later", null, item.Version);
        var json = await MoveJsonAsync(client, item.Id, "Later", null, item.Version);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, json.Status);
        Assert.Equal(fingerprint, await factory.RoadmapFingerprintAsync());
    }

    [Fact]
    public async Task A_team_member_moves_their_own_teams_items()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var onboarding = await factory.TeamIdAsync("Onboarding");
        var item = Column((await ItemsAsync(factory)).Where(i => i.TeamId == onboarding), RoadmapHorizon.Later)[0];

        var response = await MoveAsync(client, item.Id, "Next", null, item.Version, $"product=1&team={onboarding}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(RoadmapHorizon.Next, (await factory.ItemAsync(item.Id)).Horizon);
    }

    [Theory]
    [InlineData(999999)]
    [InlineData(0)]
    public async Task Moving_an_unknown_item_answers_404(int id)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var fingerprint = await factory.RoadmapFingerprintAsync();

        var response = await MoveAsync(client, id, "Now", null, 0);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(fingerprint, await factory.RoadmapFingerprintAsync());
    }

    [Theory]
    [InlineData("Horizon", "Sideways", "Choose Now, Next or Later.")]
    [InlineData("Horizon", "7", "Choose Now, Next or Later.")]
    [InlineData("Horizon", "", "Choose Now, Next or Later.")]
    [InlineData("Version", "", "This board is out of date. Reload it and try again.")]
    [InlineData("Version", "abc", "This board is out of date. Reload it and try again.")]
    [InlineData("BeforeItemId", "first", "Choose a card on the board to move it before.")]
    [InlineData("BeforeItemId", "-5", "Choose a card on the board to move it before.")]
    public async Task Bad_input_is_refused_with_a_message_on_the_board_and_changes_nothing(string field, string value, string message)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var item = Column(await ItemsAsync(factory), RoadmapHorizon.Now)[0];
        var fingerprint = await factory.RoadmapFingerprintAsync();
        var fields = new Dictionary<string, string>
        {
            ["Horizon"] = "Next", ["BeforeItemId"] = string.Empty, ["Version"] = item.Version.ToString(CultureInfo.InvariantCulture), ["returnQuery"] = AllTeams,
        };
        fields[field] = value;

        var page = await client.PostFormAsync($"/roadmap/items/{item.Id}/move", "/roadmap", fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Equal($"Nothing was moved: {message}", page.Document.QuerySelector("main .alert-danger")!.TextContent.Trim());
        Assert.Equal(3, page.Document.QuerySelectorAll("section[data-column]").Length); // the board again
        Assert.Equal(fingerprint, await factory.RoadmapFingerprintAsync());
    }

    [Fact]
    public async Task Dropped_items_are_not_on_the_board_and_cannot_be_moved_there()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var dropped = await ItemAsync(factory, "Legacy wizard clean-up");
        var fingerprint = await factory.RoadmapFingerprintAsync();

        var page = await client.PostFormAsync($"/roadmap/items/{dropped.Id}/move", "/roadmap", new Dictionary<string, string>
        {
            ["Horizon"] = "Next", ["Version"] = dropped.Version.ToString(CultureInfo.InvariantCulture), ["returnQuery"] = AllTeams,
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains("“Legacy wizard clean-up” is dropped, so it is not on the board.", page.Text, StringComparison.Ordinal);
        Assert.Equal(fingerprint, await factory.RoadmapFingerprintAsync());
    }

    [Theory]
    [InlineData("//evil.example/roadmap", "/roadmap?team=all")]
    [InlineData("https://evil.example/?product=1", "/roadmap?team=all")]
    [InlineData("product=1&team=2&shipped=true&next=//evil.example", "/roadmap?product=1&team=2&shipped=true")]
    [InlineData("product=1&team=%0d%0aSet-Cookie:x", "/roadmap?product=1&team=all")]
    public async Task The_return_address_can_only_be_this_sites_board(string returnQuery, string expected)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var item = Column(await ItemsAsync(factory), RoadmapHorizon.Later)[0];

        var response = await MoveAsync(client, item.Id, "Later", null, item.Version, returnQuery);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{expected}#item-{item.Id}", response.Location);
    }

    [Fact]
    public async Task A_move_without_the_antiforgery_token_is_refused()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var item = Column(await ItemsAsync(factory), RoadmapHorizon.Later)[0];
        var fingerprint = await factory.RoadmapFingerprintAsync();

        var response = await client.PostRawAsync($"/roadmap/items/{item.Id}/move", new Dictionary<string, string>
        {
            ["Horizon"] = "Now", ["Version"] = item.Version.ToString(CultureInfo.InvariantCulture),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(fingerprint, await factory.RoadmapFingerprintAsync());
    }

    private static async Task<Page> MoveAsync(TestClient client, int itemId, string horizon, int? beforeId, long version, string returnQuery = AllTeams) =>
        await client.PostFormAsync($"/roadmap/items/{itemId}/move", "/roadmap", new Dictionary<string, string>
        {
            ["Horizon"] = horizon,
            ["BeforeItemId"] = beforeId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            ["Version"] = version.ToString(CultureInfo.InvariantCulture),
            ["returnQuery"] = returnQuery,
        });

    /// <summary>The request the board's script sends: the same form, asking for JSON.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body)> MoveJsonAsync(TestClient client, int itemId, string horizon, int? beforeId, long version)
    {
        var token = await client.GetTokenAsync("/roadmap");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/roadmap/items/{itemId}/move")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Horizon"] = horizon,
                ["BeforeItemId"] = beforeId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                ["Version"] = version.ToString(CultureInfo.InvariantCulture),
                ["returnQuery"] = AllTeams,
                [TestClient.TokenField] = token,
            }),
        };
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await client.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (response.StatusCode, body);
    }

    /// <summary>Submits a card's "Move up" / "Move down" form exactly as a browser would (the pressed button's value included).</summary>
    private static async Task<Page> SubmitOrderButtonAsync(TestClient client, Page page, int itemId, string label)
    {
        var form = Card(page, itemId).QuerySelector("form.board-move-order")!;
        var button = form.QuerySelectorAll("button").Single(b => b.TextContent.Trim().StartsWith(label, StringComparison.Ordinal));
        Assert.False(button.HasAttribute("disabled"));
        var fields = HtmlForms.FieldsOf(form).Append(new(button.GetAttribute("name")!, button.GetAttribute("value") ?? string.Empty)).ToList();
        return await client.PostWithTokenAsync(form.GetAttribute("action")!, null, fields);
    }
}
