using System.Globalization;
using System.Net;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Features.Deleted;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AlignmentHub.IntegrationTests.Deleted;

/// <summary>
/// The 30 days of checklist item 39: day 29 restorable; day 31 refused with a message, and removed for good by the daily
/// job (on its own fixed clock) with key results, check-ins, links and evidence, each removal audited.
/// </summary>
public sealed class DeletedPurgeTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    [Fact]
    public async Task Day_29_is_restorable_day_31_is_refused_and_the_daily_job_purges_it_with_everything_that_hung_from_it()
    {
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var young = await factory.ItemIdAsync("Chaos testing in staging");
        var old = await factory.ItemIdAsync("Status page automation");
        foreach (var id in new[] { young, old })
        {
            var confirm = await admin.GetAsync($"/roadmap/items/{id}/delete");
            Assert.Equal(HttpStatusCode.Redirect, (await admin.PostRawAsync($"/roadmap/items/{id}/delete", HtmlForms.Form(confirm.Document, $"/roadmap/items/{id}/delete"))).StatusCode);
        }

        var evidenceOfOld = await factory.QueryAsync(db => db.CustomerEvidence.IgnoreQueryFilters(QueryFilters.DeletedOnly).CountAsync(e => e.RoadmapItemId == old));
        await AddEvidenceAsync(old);
        var now = DateTimeOffset.UtcNow;
        await factory.AgeItemAsync(young, now.AddDays(-29));
        await factory.AgeItemAsync(old, now.AddDays(-31));

        // The list: the 29-day one with its last day, the 31-day one no longer.
        var list = await admin.GetAsync("/deleted");
        Assert.Contains("Last day to restore", list.Document.QuerySelector($"[data-deleted-row='item-{young}']")!.TextContent, StringComparison.Ordinal);
        Assert.Null(list.Document.QuerySelector($"[data-deleted-row='item-{old}']"));

        // Restoring the 31-day one (a form kept open, or a hand-made post) is refused with a message; nothing changes.
        var fields = new Dictionary<string, string> { ["Version"] = (await factory.ItemVersionAsync(old)).ToString(CultureInfo.InvariantCulture) };
        var refused = await admin.PostWithTokenAsync(DeletedUrls.RestoreItem(old), await admin.GetTokenAsync("/deleted"), fields);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("deleted more than 30 days ago and can no longer be restored", refused.Text, StringComparison.Ordinal);

        // The job on a clock of its own: run now, it removes the 31-day item and keeps the 29-day one.
        var audit = await factory.MaxAuditIdAsync();
        var job = new DeletedPurgeJob(factory.Services.GetRequiredService<IServiceScopeFactory>(), new FixedClock(now), NullLogger<DeletedPurgeJob>.Instance);
        var result = await job.RunOnceAsync(CancellationToken.None);

        Assert.Equal(new PurgeResult(0, 1), result);
        Assert.False(await factory.QueryAsync(db => db.RoadmapItems.IgnoreQueryFilters(QueryFilters.DeletedOnly).AnyAsync(i => i.Id == old)));
        Assert.Equal(0, await factory.QueryAsync(db => db.RoadmapLinks.IgnoreQueryFilters(QueryFilters.DeletedOnly).CountAsync(l => l.RoadmapItemId == old)));
        Assert.Equal(0, await factory.QueryAsync(db => db.CustomerEvidence.IgnoreQueryFilters(QueryFilters.DeletedOnly).CountAsync(e => e.RoadmapItemId == old)));
        var entries = await factory.AuditAfterAsync(audit);
        var oldId = old.ToString(CultureInfo.InvariantCulture);
        Assert.Contains(entries, a => a.EntityType == "RoadmapItem" && a.EntityId == oldId && a.Action == "Deleted" && a.UserName == "system");
        Assert.Equal(evidenceOfOld + 1, entries.Count(a => a.EntityType == "CustomerEvidence" && a.Action == "Deleted"));
        Assert.Contains(entries, a => a.EntityType == "RoadmapLink" && a.Action == "Deleted");

        // Day 29: still restorable, and a second run the same day removes nothing.
        Assert.Equal(PurgeResult.None, await job.RunOnceAsync(CancellationToken.None));
        var restore = await admin.PostRawAsync(DeletedUrls.RestoreItem(young), HtmlForms.Form(list.Document, DeletedUrls.RestoreItem(young)));
        Assert.Equal(HttpStatusCode.Redirect, restore.StatusCode);
        Assert.Null((await factory.ItemAsync(young)).DeletedAt);
    }

    [Fact]
    public async Task Purging_an_objective_removes_its_key_results_check_ins_and_the_links_to_them_and_its_child_takes_over_its_goal()
    {
        var parent = await factory.ObjectiveIdAsync("Grow expansion revenue");
        var child = await factory.ObjectiveIdAsync("Show customers the value they get from Beacon");
        var before = await factory.DeletedAwareObjectiveAsync(parent);
        var keyResults = before.KeyResults.Select(k => k.Id).ToList();
        var linkedItem = await factory.ItemIdAsync("Seat-based upgrade prompts"); // linked to the NRR key result
        var now = DateTimeOffset.UtcNow;
        await factory.QueryAsync(async db =>
        {
            var objective = await db.Objectives.SingleAsync(o => o.Id == parent);
            objective.Delete(now.AddDays(-31), null);
            return await db.SaveChangesAsync();
        });
        Assert.Null((await factory.DeletedAwareObjectiveAsync(child)).GoalId); // still hangs from the deleted parent
        var audit = await factory.MaxAuditIdAsync();

        var result = await new DeletedPurgeJob(factory.Services.GetRequiredService<IServiceScopeFactory>(), new FixedClock(now), NullLogger<DeletedPurgeJob>.Instance)
            .RunOnceAsync(CancellationToken.None);

        Assert.Equal(new PurgeResult(1, 0), result);
        Assert.False(await factory.QueryAsync(db => db.Objectives.IgnoreQueryFilters(QueryFilters.DeletedOnly).AnyAsync(o => o.Id == parent)));
        Assert.Equal(0, await factory.QueryAsync(db => db.KeyResults.IgnoreQueryFilters(QueryFilters.DeletedOnly).CountAsync(k => keyResults.Contains(k.Id))));
        Assert.Equal(0, await factory.QueryAsync(db => db.CheckIns.IgnoreQueryFilters(QueryFilters.DeletedOnly).CountAsync(c => keyResults.Contains(c.KeyResultId))));
        Assert.Equal(0, await factory.QueryAsync(db => db.RoadmapLinks.IgnoreQueryFilters(QueryFilters.DeletedOnly).CountAsync(l => l.KeyResultId != null && keyResults.Contains(l.KeyResultId.Value))));
        Assert.NotNull(await factory.ItemAsync(linkedItem)); // the item itself stays
        var orphan = await factory.DeletedAwareObjectiveAsync(child);
        Assert.Equal((before.GoalId, (int?)null, ObjectiveStatus.Active), (orphan.GoalId, orphan.ParentObjectiveId, orphan.Status));
        var entries = await factory.AuditAfterAsync(audit);
        Assert.Contains(entries, a => a.EntityType == "Objective" && a.EntityId == parent.ToString(CultureInfo.InvariantCulture) && a.Action == "Deleted");
        Assert.Equal(keyResults.Count, entries.Count(a => a.EntityType == "KeyResult" && a.Action == "Deleted"));
        Assert.Equal(before.KeyResults.Sum(k => k.CheckIns.Count), entries.Count(a => a.EntityType == "CheckIn" && a.Action == "Deleted"));
        Assert.Contains(entries, a => a.EntityType == "Objective" && a.EntityId == child.ToString(CultureInfo.InvariantCulture) && a.Action == "Updated");
    }

    private Task AddEvidenceAsync(int itemId) => factory.QueryAsync(async db =>
    {
        var item = await db.RoadmapItems.IgnoreQueryFilters(QueryFilters.DeletedOnly).SingleAsync(i => i.Id == itemId);
        item.AddEvidence("Two customers asked for it", null, 2, DateTimeOffset.UtcNow);
        return await db.SaveChangesAsync();
    });

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
