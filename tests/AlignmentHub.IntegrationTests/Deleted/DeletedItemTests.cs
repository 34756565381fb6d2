using System.Net;
using System.Text.Json;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Features.Deleted;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Deleted;

/// <summary>
/// Checklist item 39 for roadmap items: delete (confirmation naming the items that wait for it) → gone from every page,
/// metric and export → listed in Recently deleted → restore brings it back with its links. Each test uses its own item.
/// </summary>
public sealed class DeletedItemTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private const string Onboarding = "Onboarding";

    [Fact]
    public async Task A_deleted_item_is_gone_everywhere_listed_in_recently_deleted_and_comes_back_on_restore()
    {
        const string title = "In-app onboarding tours";
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        var item = await factory.ItemIdAsync(title);
        var team = await factory.TeamIdAsync(Onboarding);
        var wizardObjective = await factory.ObjectiveIdAsync("Make the first week effortless");
        var extra = new[] { $"/okrs/objectives/{wizardObjective}" };
        // Warm every read model first (and prove the pages do show it): what follows must not be served from a cache.
        Assert.True(Occurrences(await member.EverywhereAsync(team, extra), title) > 0);
        Assert.Contains((await factory.GraphAsync()).Items, i => i.Id == item);
        var audit = await factory.MaxAuditIdAsync();

        var confirm = await member.GetAsync($"/roadmap/items/{item}/delete");
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var deleted = await member.PostRawAsync($"/roadmap/items/{item}/delete", HtmlForms.Form(confirm.Document, $"/roadmap/items/{item}/delete"));

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal("/roadmap", deleted.LocationPath);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/roadmap/items/{item}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/roadmap/items/{item}/edit")).StatusCode);
        Assert.Equal(0, Occurrences(await member.EverywhereAsync(team, extra), title));
        var graph = await factory.GraphAsync();
        Assert.DoesNotContain(graph.Items, i => i.Id == item);
        Assert.DoesNotContain(graph.Links, l => l.ItemId == item);

        // Audited as a change of the item, by the member.
        var entry = Assert.Single(await factory.AuditAfterAsync(audit), a => a.EntityType == nameof(RoadmapItem));
        Assert.Equal((item.ToString(System.Globalization.CultureInfo.InvariantCulture), "Updated", Demo.Member), (entry.EntityId, entry.Action, entry.UserName));
        using (var changes = JsonDocument.Parse(entry.Changes))
        {
            Assert.True(changes.RootElement.TryGetProperty(nameof(RoadmapItem.DeletedAt), out _));
        }

        // Recently deleted: what it was, who, when, days left.
        var list = await member.GetAsync("/deleted");
        var row = list.Document.QuerySelector($"[data-deleted-row='item-{item}']");
        Assert.NotNull(row);
        Assert.Contains(title, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Deleted by Tom Becker", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("30 days left", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Onboarding", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Next", row.TextContent, StringComparison.Ordinal);

        var restore = await member.PostRawAsync(DeletedUrls.RestoreItem(item), HtmlForms.Form(list.Document, DeletedUrls.RestoreItem(item)));

        Assert.Equal(HttpStatusCode.Redirect, restore.StatusCode);
        Assert.Equal($"/roadmap/items/{item}", restore.LocationPath);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/roadmap/items/{item}")).StatusCode);
        Assert.True(Occurrences(await member.EverywhereAsync(team, extra), title) > 0);
        Assert.Equal(2, (await factory.GraphAsync()).Links.Count(l => l.ItemId == item));
        Assert.Null((await member.GetAsync("/deleted")).Document.QuerySelector($"[data-deleted-row='item-{item}']"));
        Assert.Contains(await factory.AuditAfterAsync(audit), a => a.EntityType == nameof(RoadmapItem) && a.Action == "Updated" && a.Changes.Contains("DeletedAt", StringComparison.Ordinal)
            && a.Id > entry.Id);
    }

    [Fact]
    public async Task The_confirmation_names_the_items_that_wait_for_it_and_their_dependency_goes_and_comes_back_with_it()
    {
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        var blocker = await factory.ItemIdAsync("Freshdesk importer");
        var waiting = await factory.ItemIdAsync("Trial extension self-service");
        await factory.QueryAsync(async db =>
        {
            var items = await db.RoadmapItems.Include(i => i.Dependencies).Where(i => i.Id == waiting || i.Id == blocker).ToListAsync();
            items.Single(i => i.Id == waiting).DependOn(items.Single(i => i.Id == blocker), _ => []);
            return await db.SaveChangesAsync();
        });
        Assert.Contains("Freshdesk importer", await DependenciesOfAsync(member, waiting), StringComparison.Ordinal);

        var confirm = await member.GetAsync($"/roadmap/items/{blocker}/delete");
        var named = confirm.Document.QuerySelector("[data-delete-dependents]");
        Assert.NotNull(named);
        Assert.Contains("Trial extension self-service", named.TextContent, StringComparison.Ordinal);
        var deleted = await member.PostRawAsync($"/roadmap/items/{blocker}/delete", HtmlForms.Form(confirm.Document, $"/roadmap/items/{blocker}/delete"));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);

        Assert.DoesNotContain("Freshdesk importer", await DependenciesOfAsync(member, waiting), StringComparison.Ordinal);
        Assert.DoesNotContain((await factory.GraphAsync()).Items, i => i.Id == blocker);

        var list = await member.GetAsync("/deleted");
        await member.PostRawAsync(DeletedUrls.RestoreItem(blocker), HtmlForms.Form(list.Document, DeletedUrls.RestoreItem(blocker)));
        Assert.Contains("Freshdesk importer", await DependenciesOfAsync(member, waiting), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_version_is_a_conflict_for_delete_and_restore_and_changes_nothing()
    {
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        using var jonas = await TestClient.SignedInAsync(factory, "jonas@alignmenthub.demo");
        var item = await factory.ItemIdAsync("Onboarding NPS survey");
        var confirm = await member.GetAsync($"/roadmap/items/{item}/delete");
        var edit = await jonas.GetAsync($"/roadmap/items/{item}/edit");
        Assert.Equal(HttpStatusCode.Redirect, (await jonas.PostRawAsync($"/roadmap/items/{item}/edit",
            HtmlForms.Form(edit.Document, $"/roadmap/items/{item}/edit").And("Title", "Onboarding NPS survey v2"))).StatusCode);

        var stale = await member.PostRawAsync($"/roadmap/items/{item}/delete", HtmlForms.Form(confirm.Document, $"/roadmap/items/{item}/delete"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, stale.StatusCode);
        Assert.Contains("Delete anyway", stale.Text, StringComparison.Ordinal);
        Assert.Null((await factory.ItemAsync(item)).DeletedAt);

        // Deleted now (with the current version); a restore form from before someone else restored and deleted it again is refused.
        var again = await member.GetAsync($"/roadmap/items/{item}/delete");
        await member.PostRawAsync($"/roadmap/items/{item}/delete", HtmlForms.Form(again.Document, $"/roadmap/items/{item}/delete"));
        var oldList = await member.GetAsync("/deleted");
        var list = await jonas.GetAsync("/deleted");
        await jonas.PostRawAsync(DeletedUrls.RestoreItem(item), HtmlForms.Form(list.Document, DeletedUrls.RestoreItem(item)));
        var back = await jonas.GetAsync($"/roadmap/items/{item}/delete");
        await jonas.PostRawAsync($"/roadmap/items/{item}/delete", HtmlForms.Form(back.Document, $"/roadmap/items/{item}/delete"));
        var version = await factory.ItemVersionAsync(item);

        var refused = await member.PostRawAsync(DeletedUrls.RestoreItem(item), HtmlForms.Form(oldList.Document, DeletedUrls.RestoreItem(item)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var beside = refused.Document.QuerySelector($"[data-deleted-row='item-{item}'] [data-restore-refused]");
        Assert.NotNull(beside);
        Assert.Contains(RestoreDeletedHandler.ChangedText, beside.TextContent, StringComparison.Ordinal);
        Assert.Equal(version, await factory.ItemVersionAsync(item));
        Assert.NotNull(await factory.QueryAsync(db => db.RoadmapItems.IgnoreQueryFilters(QueryFilters.DeletedOnly).Where(i => i.Id == item).Select(i => i.DeletedAt).SingleAsync()));
    }

    [Fact]
    public async Task Who_may_not_edit_the_item_may_not_delete_or_restore_it_nor_sees_it_listed()
    {
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        using var sam = await TestClient.SignedInAsync(factory, "sam@alignmenthub.demo");
        using var exec = await TestClient.SignedInAsync(factory, Demo.Executive);
        var item = await factory.ItemIdAsync("Welcome video library");

        Assert.Equal(HttpStatusCode.Forbidden, (await sam.GetAsync($"/roadmap/items/{item}/delete")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await exec.GetAsync($"/roadmap/items/{item}/delete")).StatusCode);
        var confirm = await member.GetAsync($"/roadmap/items/{item}/delete");
        await member.PostRawAsync($"/roadmap/items/{item}/delete", HtmlForms.Form(confirm.Document, $"/roadmap/items/{item}/delete"));
        var version = await factory.ItemVersionAsync(item);

        Assert.Null((await sam.GetAsync("/deleted")).Document.QuerySelector($"[data-deleted-row='item-{item}']"));
        var execPage = await exec.GetAsync("/deleted");
        Assert.NotNull(execPage.Document.QuerySelector("[data-deleted-empty]"));
        var token = await sam.GetTokenAsync("/deleted");
        var fields = new Dictionary<string, string> { ["Version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.PostWithTokenAsync(DeletedUrls.RestoreItem(item), token, fields)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await exec.PostWithTokenAsync(DeletedUrls.RestoreItem(item), await exec.GetTokenAsync("/deleted"), fields)).StatusCode);
        Assert.NotNull(await factory.QueryAsync(db => db.RoadmapItems.IgnoreQueryFilters(QueryFilters.DeletedOnly).Where(i => i.Id == item).Select(i => i.DeletedAt).SingleAsync()));
    }

    /// <summary>The item page's dependencies section (the page's flash message names the deleted item too).</summary>
    private static async Task<string> DependenciesOfAsync(TestClient client, int itemId) =>
        (await client.GetAsync($"/roadmap/items/{itemId}")).Document.QuerySelector("#dependencies")?.TextContent ?? string.Empty;

    private static int Occurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
