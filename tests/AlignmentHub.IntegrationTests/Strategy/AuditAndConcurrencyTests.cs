using System.Globalization;
using System.Net;
using System.Text.Json;
using AlignmentHub.Domain.Auditing;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Strategy;

/// <summary>The audit trail (one append-only row per change, same transaction) and the 20-way lost-update race.</summary>
public sealed class AuditAndConcurrencyTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private const string GoalsUrl = "/products/1/goals";

    [Fact]
    public async Task Editing_a_goal_writes_exactly_one_audit_row_with_who_and_before_after()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goal = (await factory.RankedGoalsAsync())[0];
        var form = await OpenEditorAsync(client, goal.Id);
        var title = Demo.UniqueTitle("Audited title");
        form["Title"] = title;
        var lastAudit = await factory.MaxAuditIdAsync();

        var save = await client.PostWithTokenAsync(EditUrl(goal.Id), form[TestClient.TokenField], Without(form, TestClient.TokenField));

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var entry = Assert.Single(await factory.AuditAfterAsync(lastAudit));
        Assert.Equal("Goal", entry.EntityType);
        Assert.Equal(goal.Id.ToString(CultureInfo.InvariantCulture), entry.EntityId);
        Assert.Equal("Updated", entry.Action);
        Assert.Equal(Demo.ProductManager, entry.UserName);
        Assert.Equal(await UserIdAsync(Demo.ProductManager), entry.UserId);
        Assert.InRange(entry.OccurredAt, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.False(string.IsNullOrEmpty(entry.CorrelationId));
        using var changes = JsonDocument.Parse(entry.Changes);
        var titleChange = changes.RootElement.GetProperty("Title");
        Assert.Equal(goal.Title, titleChange.GetProperty("before").GetString());
        Assert.Equal(title, titleChange.GetProperty("after").GetString());
        Assert.False(changes.RootElement.TryGetProperty("Rank", out _)); // only what changed
    }

    [Fact]
    public async Task Creating_a_goal_writes_created_rows_with_the_real_generated_id()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var title = Demo.UniqueTitle("Audited new goal");
        var lastAudit = await factory.MaxAuditIdAsync();

        var save = await client.PostFormAsync(GoalsUrl + "/new", GoalsUrl + "/new", [new("Title", title), new("Horizon", "ShortTerm"), new("Rank", "1")]);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var goal = (await factory.GoalsAsync()).Single(g => g.Title == title);
        Assert.True(goal.Id > 0);
        var entries = await factory.AuditAfterAsync(lastAudit);
        Assert.All(entries, e => Assert.Equal(Demo.Admin, e.UserName));
        var created = Assert.Single(entries, e => e.EntityType == "Goal" && e.Action == "Created");
        Assert.Equal(goal.Id.ToString(CultureInfo.InvariantCulture), created.EntityId);
        using var changes = JsonDocument.Parse(created.Changes);
        Assert.Equal(goal.Id, changes.RootElement.GetProperty("Id").GetInt32());
        Assert.Equal(title, changes.RootElement.GetProperty("Title").GetString());
        Assert.Equal(1, changes.RootElement.GetProperty("Rank").GetInt32());

        // Inserting at rank 1 re-ranks the others: each shifted goal and the product get one Updated row.
        var shifted = entries.Where(e => e.EntityType == "Goal" && e.Action == "Updated").ToList();
        Assert.Equal((await factory.RankedGoalsAsync()).Count - 1, shifted.Count);
        Assert.Equal(shifted.Count, shifted.Select(e => e.EntityId).Distinct().Count());
        Assert.Single(entries, e => e.EntityType == "Product" && e.Action == "Updated" && e.EntityId == "1");
        Assert.Equal(entries.Count, shifted.Count + 2);
    }

    [Fact]
    public async Task Rows_created_together_are_audited_with_the_real_ids_they_point_to()
    {
        // An objective and its key results are inserted by one save: when the audit values are read, each key result's
        // ObjectiveId is still EF's temporary (negative) key. The Created rows must show the id the database gave.
        var lastAudit = await factory.MaxAuditIdAsync();
        var objectiveId = await factory.QueryAsync(async db =>
        {
            var team = await db.Teams.OrderBy(t => t.Id).FirstAsync();
            var period = await db.Periods.OrderBy(p => p.Id).FirstAsync();
            var goal = await db.Goals.OrderBy(g => g.Id).FirstAsync();
            var objective = new AlignmentHub.Domain.Okrs.Objective(team.Id, period.Id, Demo.UniqueTitle("Audited objective"), null, goal.Id, null, null,
                [new("Audited key result", AlignmentHub.Domain.Okrs.MetricType.Number, AlignmentHub.Domain.Okrs.MetricDirection.Increase, 1, 2)], DateTimeOffset.UtcNow);
            db.Objectives.Add(objective);
            await db.SaveChangesAsync();
            return objective.Id;
        });

        var created = Assert.Single(await factory.AuditAfterAsync(lastAudit), e => e.EntityType == "KeyResult" && e.Action == "Created");
        using var changes = JsonDocument.Parse(created.Changes);
        Assert.Equal(objectiveId, changes.RootElement.GetProperty("ObjectiveId").GetInt32());
    }

    [Fact]
    public async Task Audit_rows_cannot_be_changed_or_deleted_through_ef()
    {
        var (id, original) = await factory.QueryAsync(async db =>
        {
            var first = await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).FirstAsync();
            return (first.Id, first.Action);
        });

        var update = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.QueryAsync(async db =>
        {
            var entry = await db.AuditEntries.SingleAsync(a => a.Id == id);
            db.Entry(entry).Property(nameof(AuditEntry.Action)).CurrentValue = "Tampered";
            return await db.SaveChangesAsync();
        }));
        var delete = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.QueryAsync(async db =>
        {
            db.AuditEntries.Remove(await db.AuditEntries.SingleAsync(a => a.Id == id));
            return await db.SaveChangesAsync();
        }));
        var attached = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.QueryAsync(async db =>
        {
            var entry = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Id == id);
            db.Update(entry);
            return await db.SaveChangesAsync();
        }));

        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", attached.Message, StringComparison.Ordinal);
        var stored = await factory.QueryAsync(db => db.AuditEntries.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id));
        Assert.NotNull(stored);
        Assert.Equal(original, stored.Action);
    }

    [Fact]
    public async Task Twenty_parallel_saves_with_one_version_give_one_winner_and_nineteen_conflicts()
    {
        const int Editors = 20;
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goal = (await factory.RankedGoalsAsync())[^1];
        var form = await OpenEditorAsync(client, goal.Id);
        var lastAudit = await factory.MaxAuditIdAsync();
        var titles = Enumerable.Range(1, Editors).Select(i => Demo.UniqueTitle($"Race entry {i:00}")).ToList();

        var pages = await Task.WhenAll(titles.Select(async title =>
        {
            var fields = new Dictionary<string, string>(form) { ["Title"] = title };
            return (Title: title, Page: await client.PostWithTokenAsync(EditUrl(goal.Id), form[TestClient.TokenField], Without(fields, TestClient.TokenField)));
        }));

        var statuses = pages.GroupBy(p => p.Page.StatusCode).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.Redirect) == 1 && statuses.GetValueOrDefault(HttpStatusCode.UnprocessableEntity) == Editors - 1,
            "statuses: " + string.Join(", ", statuses.Select(s => $"{(int)s.Key}×{s.Value}")));
        var winner = pages.Single(p => p.Page.StatusCode == HttpStatusCode.Redirect).Title;
        Assert.All(pages.Where(p => p.Title != winner), p =>
        {
            Assert.Contains("changed this", p.Page.Document.QuerySelector(".alert-warning")?.TextContent, StringComparison.Ordinal);
            Assert.Equal(p.Title, p.Page.InputValue("Title"));
        });
        var saved = await factory.GoalAsync(goal.Id);
        Assert.Equal(winner, saved.Title);
        Assert.Equal(goal.Version + 1, saved.Version);
        var audit = Assert.Single(await factory.AuditAfterAsync(lastAudit));
        Assert.Contains(winner, audit.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_concurrent_save_through_ef_is_refused_by_the_version_token()
    {
        var goal = (await factory.RankedGoalsAsync())[1];
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var tracked = await db.Goals.Include(g => g.Product).ThenInclude(p => p.Goals).SingleAsync(g => g.Id == goal.Id);
        await factory.QueryAsync(async other =>
        {
            var concurrent = await other.Goals.Include(g => g.Product).ThenInclude(p => p.Goals).SingleAsync(g => g.Id == goal.Id);
            concurrent.Edit(Demo.UniqueTitle("Saved first"), null, null, concurrent.Horizon);
            return await other.SaveChangesAsync();
        });

        tracked.Edit(Demo.UniqueTitle("Saved second"), null, null, tracked.Horizon);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
    }

    private async Task<string> UserIdAsync(string email) =>
        await factory.QueryAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private static string EditUrl(int goalId) => $"{GoalsUrl}/{goalId}/edit";

    private static async Task<Dictionary<string, string>> OpenEditorAsync(TestClient client, int goalId)
    {
        var page = await client.GetAsync(EditUrl(goalId));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return HtmlForms.Form(page.Document, EditUrl(goalId));
    }

    private static List<KeyValuePair<string, string>> Without(Dictionary<string, string> form, string field) =>
        form.Where(f => f.Key != field).ToList();
}
