using System.Net;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Features.Deleted;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Deleted;

/// <summary>
/// Checklist item 39 for objectives: deleted through the impact check in delete mode (brief §5), gone with its key
/// results, check-ins and the links to them; restored with all of them, while the impact-check choices stay.
/// </summary>
public sealed class DeletedObjectiveTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private const string Objective = "Cut infrastructure cost per ticket";
    private const string CostKr = "Cost per 1,000 tickets";

    [Fact]
    public async Task Deleting_an_objective_runs_the_impact_check_hides_it_with_its_key_results_and_check_ins_and_restore_brings_them_back()
    {
        using var sam = await TestClient.SignedInAsync(factory, "sam@alignmenthub.demo");
        var objective = await factory.ObjectiveIdAsync(Objective);
        var team = await factory.TeamIdAsync("Platform");
        var before = await factory.DeletedAwareObjectiveAsync(objective);
        var costKr = before.KeyResults.Single(k => k.Title == CostKr).Id;
        var checkIns = before.KeyResults.Sum(k => k.CheckIns.Count);
        Assert.True(checkIns > 0);
        var onlyCost = await factory.ItemIdAsync("Move attachments to cold storage"); // linked to the cost key result alone
        var alsoLatency = await factory.ItemIdAsync("Query cache for ticket lists"); // also serves the latency key result
        var extra = new[] { $"/roadmap/items/{alsoLatency}", $"/okrs/key-results/{costKr}/check-ins" };
        var text = await sam.EverywhereAsync(team, extra);
        Assert.Contains(Objective, text, StringComparison.Ordinal);
        Assert.Contains(CostKr, text, StringComparison.Ordinal);

        // The impact check in delete mode: the item that loses its only reason is listed, with re-link / drop / cancel.
        var check = await sam.GetAsync($"/okrs/objectives/{objective}/delete");
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Contains("Delete objective", check.Document.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(check.Document.QuerySelector("[data-delete-note]"));
        var listed = check.Document.QuerySelectorAll("section[aria-labelledby='impact-items'] tbody a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains($"/roadmap/items/{onlyCost}", listed);
        Assert.DoesNotContain($"/roadmap/items/{alsoLatency}", listed);
        Assert.NotNull(check.Document.QuerySelector("#item-relink"));
        Assert.NotNull(check.Document.QuerySelector("#item-drop"));
        Assert.Equal($"/okrs/objectives/{objective}", check.Document.QuerySelector(".impact-form a.btn-outline-secondary")!.GetAttribute("href")); // cancel
        var form = HtmlForms.Form(check.Document, $"/okrs/objectives/{objective}/delete");

        // Without a choice: 422, nothing deleted.
        var noChoice = await sam.PostRawAsync($"/okrs/objectives/{objective}/delete", form);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noChoice.StatusCode);
        Assert.Null((await factory.DeletedAwareObjectiveAsync(objective)).DeletedAt);

        var audit = await factory.MaxAuditIdAsync();
        var deleted = await sam.PostRawAsync($"/okrs/objectives/{objective}/delete", form.And("ItemChoice", "drop"));

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal("/okrs", deleted.LocationPath);
        Assert.Equal(RoadmapItemStatus.Dropped, (await factory.ItemAsync(onlyCost)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync($"/okrs/objectives/{objective}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync($"/okrs/key-results/{costKr}/check-ins")).StatusCode);
        text = await sam.EverywhereAsync(team, $"/roadmap/items/{alsoLatency}");
        Assert.DoesNotContain(Objective, text, StringComparison.Ordinal);
        Assert.DoesNotContain(CostKr, text, StringComparison.Ordinal);
        var graph = await factory.GraphAsync();
        Assert.DoesNotContain(graph.Objectives, o => o.Id == objective);
        Assert.DoesNotContain(graph.KeyResults, k => k.ObjectiveId == objective);
        Assert.DoesNotContain(graph.Links, l => l.TargetType == LinkTargetType.KeyResult && before.KeyResults.Any(k => k.Id == l.TargetId));
        Assert.Equal(0, await factory.QueryAsync(db => db.CheckIns.CountAsync(c => before.KeyResults.Select(k => k.Id).Contains(c.KeyResultId))));
        var entries = await factory.AuditAfterAsync(audit);
        Assert.Contains(entries, a => a.EntityType == "Objective" && a.Action == "Updated" && a.Changes.Contains("DeletedAt", StringComparison.Ordinal) && a.UserName == "sam@alignmenthub.demo");
        Assert.Contains(entries, a => a.EntityType == nameof(RoadmapItem) && a.EntityId == onlyCost.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Recently deleted → restore: back with its key results and check-ins; the dropped item stays dropped.
        var list = await sam.GetAsync("/deleted");
        var row = list.Document.QuerySelector($"[data-deleted-row='objective-{objective}']");
        Assert.NotNull(row);
        Assert.Contains($"{before.KeyResults.Count} key results, {checkIns} check-ins", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Deleted by Sam Lee", row.TextContent, StringComparison.Ordinal);
        var restore = await sam.PostRawAsync(DeletedUrls.RestoreObjective(objective), HtmlForms.Form(list.Document, DeletedUrls.RestoreObjective(objective)));

        Assert.Equal(HttpStatusCode.Redirect, restore.StatusCode);
        Assert.Equal($"/okrs/objectives/{objective}", restore.LocationPath);
        var shown = await sam.GetAsync(restore.LocationPath!);
        Assert.Contains("stays as it is", shown.Text, StringComparison.Ordinal);
        Assert.Contains(CostKr, shown.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync($"/okrs/key-results/{costKr}/check-ins")).StatusCode);
        Assert.Equal(checkIns, await factory.QueryAsync(db => db.CheckIns.CountAsync(c => before.KeyResults.Select(k => k.Id).Contains(c.KeyResultId))));
        Assert.Contains((await factory.GraphAsync()).KeyResults, k => k.Id == costKr);
        Assert.Equal(RoadmapItemStatus.Dropped, (await factory.ItemAsync(onlyCost)).Status);
        Assert.Contains(Objective, await sam.EverywhereAsync(team), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_who_may_edit_the_objective_may_open_the_delete_check_and_restore()
    {
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        using var exec = await TestClient.SignedInAsync(factory, Demo.Executive);
        using var noah = await TestClient.SignedInAsync(factory, "noah@alignmenthub.demo");
        var objective = await factory.ObjectiveIdAsync("Open the German and French mid-market");

        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync($"/okrs/objectives/{objective}/delete")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await exec.GetAsync($"/okrs/objectives/{objective}/delete")).StatusCode);
        var check = await noah.GetAsync($"/okrs/objectives/{objective}/delete");
        var form = HtmlForms.Form(check.Document, $"/okrs/objectives/{objective}/delete");
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostWithTokenAsync($"/okrs/objectives/{objective}/delete", await member.GetTokenAsync("/okrs"), form.Where(f => f.Key != TestClient.TokenField))).StatusCode);
        Assert.Null((await factory.DeletedAwareObjectiveAsync(objective)).DeletedAt);

        var deleted = await noah.PostRawAsync($"/okrs/objectives/{objective}/delete", form.And("ItemChoice", "drop"));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        var version = await factory.ObjectiveVersionAsync(objective);
        var fields = new Dictionary<string, string> { ["Version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostWithTokenAsync(DeletedUrls.RestoreObjective(objective), await member.GetTokenAsync("/deleted"), fields)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await exec.PostWithTokenAsync(DeletedUrls.RestoreObjective(objective), await exec.GetTokenAsync("/deleted"), fields)).StatusCode);
        Assert.Null((await member.GetAsync("/deleted")).Document.QuerySelector($"[data-deleted-row='objective-{objective}']"));
        Assert.NotNull((await factory.DeletedAwareObjectiveAsync(objective)).DeletedAt);
        Assert.Equal(HttpStatusCode.NotFound, (await noah.GetAsync($"/okrs/objectives/{objective}/delete")).StatusCode); // deleting twice: not found
    }

    [Fact]
    public async Task A_closed_objective_can_be_deleted_and_a_child_cannot_be_restored_before_its_deleted_parent()
    {
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);

        // Closed last quarter: nothing depends on it, so the check has no choice to make.
        var closed = await factory.ObjectiveIdAsync("Launch the new setup wizard");
        var check = await admin.GetAsync($"/okrs/objectives/{closed}/delete");
        Assert.NotNull(check.Document.QuerySelector(".impact-none"));
        var deleted = await admin.PostRawAsync($"/okrs/objectives/{closed}/delete", HtmlForms.Form(check.Document, $"/okrs/objectives/{closed}/delete"));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(Domain.Okrs.ObjectiveStatus.Closed, (await factory.DeletedAwareObjectiveAsync(closed)).Status);

        // A child deleted after its parent waits for the parent: the reason beside its row, nothing changed.
        var parent = await factory.ObjectiveIdAsync("Grow expansion revenue");
        var child = await factory.ObjectiveIdAsync("Show customers the value they get from Beacon");
        await factory.QueryAsync(async db =>
        {
            foreach (var o in await db.Objectives.Where(o => o.Id == parent || o.Id == child).ToListAsync())
            {
                o.Delete(DateTimeOffset.UtcNow, null);
            }

            return await db.SaveChangesAsync();
        });
        var list = await admin.GetAsync("/deleted");
        var version = await factory.ObjectiveVersionAsync(child);

        var refused = await admin.PostRawAsync(DeletedUrls.RestoreObjective(child), HtmlForms.Form(list.Document, DeletedUrls.RestoreObjective(child)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var beside = refused.Document.QuerySelector($"[data-deleted-row='objective-{child}'] [data-restore-refused]");
        Assert.NotNull(beside);
        Assert.Contains("Its parent objective “Grow expansion revenue” is deleted too: restore that first", beside.TextContent, StringComparison.Ordinal);
        Assert.Equal(version, await factory.ObjectiveVersionAsync(child));
        Assert.NotNull((await factory.DeletedAwareObjectiveAsync(child)).DeletedAt);

        // Parent first, then the child: both back, the child under its parent again.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostRawAsync(DeletedUrls.RestoreObjective(parent), HtmlForms.Form(list.Document, DeletedUrls.RestoreObjective(parent)))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostRawAsync(DeletedUrls.RestoreObjective(child), HtmlForms.Form(list.Document, DeletedUrls.RestoreObjective(child)))).StatusCode);
        Assert.Equal(parent, (await factory.DeletedAwareObjectiveAsync(child)).ParentObjectiveId);
        Assert.Contains((await factory.GraphAsync()).Objectives, o => o.Id == child);
    }
}
