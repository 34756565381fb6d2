using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignmentHub.IntegrationTests.Durability;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Features.TeamExport;
using AlignmentHub.Web.Features.TeamImport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.TeamImport;

/// <summary>The demo database (the source) and an empty one with only the administrator (the target).</summary>
public sealed class TeamImportFixture : IAsyncLifetime
{
    public AlignmentHubFactory Demo { get; } = new();

    public EmptyAlignmentHubFactory Empty { get; } = new();

    /// <summary>The demo database's Onboarding team, exported as JSON by the administrator.</summary>
    public byte[] Onboarding { get; private set; } = [];

    public async Task InitializeAsync()
    {
        using var admin = await TestClient.SignedInAsync(Demo, Support.Demo.Admin);
        Onboarding = await TeamImportTests.ExportAsync(admin, await Demo.TeamIdAsync("Onboarding"));
    }

    public async Task DisposeAsync()
    {
        await Demo.DisposeAsync();
        await Empty.DisposeAsync();
    }
}

/// <summary>Checklist item 39 (import half): a team export rebuilt in another database, and every way a file can be wrong.</summary>
public sealed class TeamImportTests(TeamImportFixture fixture) : IClassFixture<TeamImportFixture>
{
    [Fact]
    public async Task Onboarding_round_trips_into_an_empty_database_with_every_field_equal_through_the_id_map()
    {
        var source = Read(fixture.Onboarding);
        using var admin = await TestClient.SignedInAsync(fixture.Empty, Support.Demo.Admin);

        var preview = await UploadAsync(admin, fixture.Onboarding);
        Assert.True(preview.StatusCode == HttpStatusCode.OK, Describe(preview));
        Assert.Contains("Onboarding", preview.InputValue("TeamName"));
        Assert.Equal("0", preview.InputValue("ProductId")); // an empty database: a new product
        Assert.Equal("Beacon", preview.InputValue("ProductName"));

        var auditBefore = await fixture.Empty.MaxAuditIdAsync();
        var done = await CommitAsync(admin, preview);
        Assert.True(done.StatusCode == HttpStatusCode.Redirect, Describe(done));
        Assert.StartsWith("/okrs?period=", done.Location);
        var okrs = await admin.GetAsync(done.Location!);
        Assert.Contains("imported", okrs.Text, StringComparison.Ordinal);

        var importRow = (await fixture.Empty.AuditAfterAsync(auditBefore)).Single(a => a.EntityType == CommitTeamImportHandler.AuditType);
        var map = JsonNode.Parse(importRow.Changes)!["map"].Deserialize<ImportIdMap>(TeamExportFormat.Json)!;
        Assert.Equal(await fixture.Empty.UserIdAsync(Support.Demo.Admin), importRow.UserId);

        // The import is found in the audit log by its own entity type, beside the rows it created.
        var log = await admin.GetAsync("/admin/audit?entity=" + CommitTeamImportHandler.AuditType);
        Assert.Equal(HttpStatusCode.OK, log.StatusCode);
        Assert.Contains(CommitTeamImportHandler.AuditAction, log.Text, StringComparison.Ordinal);
        Assert.True(await fixture.Empty.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Id > auditBefore && a.EntityType == "CheckIn")) == source.CheckIns.Count);

        var imported = Read(await ExportAsync(admin, map.TeamId));
        var expected = Mapped(source, map);
        Assert.Equal(Normalised(expected), Normalised(imported));

        // Not an empty comparison, and nothing of another team: every table has rows, all of them the new team's.
        Assert.All(new[] { imported.Objectives.Count, imported.KeyResults.Count, imported.CheckIns.Count, imported.RoadmapItems.Count, imported.Links.Count,
            imported.Dependencies.Count, imported.Members!.Count, imported.People!.Count, imported.Goals!.Count }, n => Assert.True(n > 0));
        Assert.Equal(1, await fixture.Empty.QueryAsync(db => db.Teams.CountAsync()));
        Assert.All(imported.Links, l => Assert.False(l.External));

        // People created by the import cannot sign in until an administrator enables them (and they have no password).
        var created = await fixture.Empty.QueryAsync(db => db.Users.Where(u => u.Email != Support.Demo.Admin).ToListAsync());
        Assert.NotEmpty(created);
        Assert.All(created, u => Assert.True(u.IsDisabled && u.PasswordHash is null, u.Email));
    }

    [Fact]
    public async Task References_to_other_teams_are_listed_dropped_and_an_objective_under_another_teams_objective_keeps_its_goal()
    {
        // Insights: its objective's parent is a Growth objective, an item links to a Growth key result, another depends on a Platform item.
        using var source = await TestClient.SignedInAsync(fixture.Demo, Support.Demo.Admin);
        var file = await ExportAsync(source, await fixture.Demo.TeamIdAsync("Insights"));
        var document = Read(file);
        Assert.Contains(document.Objectives, o => o.ParentExternal && o.ViaGoalId is not null);
        Assert.Contains(document.Links, l => l.External);
        Assert.Contains(document.Dependencies, d => d.External);
        using var admin = await TestClient.SignedInAsync(fixture.Empty, Support.Demo.Admin);

        var upload = await UploadAsync(admin, file);
        var preview = await PostPreviewFormAsync(admin, upload, "/admin/import", ("TeamName", "Insights (imported)"));
        Assert.True(preview.StatusCode == HttpStatusCode.OK, Describe(preview));
        var dropped = preview.Document.QuerySelectorAll(".import-preview ul:not(.list-unstyled) li").Select(li => li.TextContent).ToList();
        Assert.Equal(document.Objectives.Count(o => o.ParentExternal) + document.Links.Count(l => l.External) + document.Dependencies.Count(d => d.External), dropped.Count);
        var via = document.Goals!.Single(g => g.Id == document.Objectives.First(o => o.ParentExternal).ViaGoalId).Title;
        Assert.Contains(dropped, d => d.Contains("belongs to another team", StringComparison.Ordinal) && d.Contains(via, StringComparison.Ordinal));

        var auditBefore = await fixture.Empty.MaxAuditIdAsync();
        var done = await CommitAsync(admin, preview);
        Assert.True(done.StatusCode == HttpStatusCode.Redirect, Describe(done));
        var importRow = (await fixture.Empty.AuditAfterAsync(auditBefore)).Single(a => a.EntityType == CommitTeamImportHandler.AuditType);
        var map = JsonNode.Parse(importRow.Changes)!["map"].Deserialize<ImportIdMap>(TeamExportFormat.Json)!;
        var imported = Read(await ExportAsync(admin, map.TeamId));

        var expected = Mapped(document, map);
        Assert.Equal(Normalised(expected with { Team = expected.Team with { Name = "Insights (imported)" } }), Normalised(imported));
        Assert.All(imported.Objectives, o => Assert.False(o.ParentExternal));
        Assert.Contains(imported.Objectives, o => o.GoalId == map.Goals[document.Objectives.First(x => x.ParentExternal).ViaGoalId!.Value]);
    }

    [Fact]
    public async Task The_preview_and_checking_it_again_change_nothing()
    {
        using var admin = await TestClient.SignedInAsync(fixture.Demo, Support.Demo.Admin);
        var before = await CountsAsync(fixture.Demo);

        var preview = await UploadAsync(admin, fixture.Onboarding);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, preview.StatusCode); // Onboarding exists here
        Assert.Contains("already exists", preview.FieldError("TeamName"), StringComparison.Ordinal);
        Assert.NotNull(preview.Document.QuerySelector(".import-preview button[type=submit][disabled]:not([formaction])"));

        // Goals and people of the demo database are matched, not created.
        Assert.DoesNotContain("New", preview.Document.QuerySelectorAll(".import-list .badge").Select(b => b.TextContent));

        var again = await PostPreviewFormAsync(admin, preview, "/admin/import", ("TeamName", "Onboarding copy"));
        Assert.True(again.StatusCode == HttpStatusCode.OK, Describe(again));
        Assert.Equal(before, await CountsAsync(fixture.Demo));
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "empty", string.Empty, "The file is empty" },
        { "not json", "objectives,key-results\n1,2", "This is not a JSON file" },
        { "wrong format", """{"format":"something-else","formatVersion":2}""", "not an AlignmentHub team export" },
        { "version 1", """{"format":"alignmenthub.team-export","formatVersion":1,"team":{"id":1,"name":"X"}}""", "format version 1" },
        { "future version", """{"format":"alignmenthub.team-export","formatVersion":3}""", "format version 3, made by a newer AlignmentHub" },
        { "no lists", """{"format":"alignmenthub.team-export","formatVersion":2,"team":{"id":1,"name":"X"}}""", "The file is incomplete" },
        { "deep", new string('[', 5000), "This is not a JSON file" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_refused_beside_the_file_field_and_changes_nothing(string name, string content, string message)
    {
        using var admin = await TestClient.SignedInAsync(fixture.Demo, Support.Demo.Admin);
        var before = await CountsAsync(fixture.Demo);

        var page = await UploadAsync(admin, Encoding.UTF8.GetBytes(content), name + ".json");

        Assert.True(page.StatusCode == HttpStatusCode.UnprocessableEntity, name + ": " + Describe(page));
        Assert.Contains(message, page.FieldError("file"), StringComparison.Ordinal);
        Assert.Null(page.Document.QuerySelector(".import-preview"));
        Assert.Equal(before, await CountsAsync(fixture.Demo));
    }

    [Fact]
    public async Task Rows_that_break_a_rule_are_listed_with_their_row_and_the_import_is_disabled()
    {
        var json = JsonNode.Parse(fixture.Onboarding)!.AsObject();
        json["objectives"]![0]!["status"] = "Bogus";
        json["keyResults"]![1]!["id"] = json["keyResults"]![0]!["id"]!.GetValue<int>();
        json["checkIns"]![2]!["keyResultId"] = 999_999;
        json["checkIns"]![3]!["confidence"] = 11;
        json["roadmapItems"]![0]!["title"] = new string('x', 201);
        json["roadmapItems"]![1]!["id"] = "abc";
        json["people"]![0]!["email"] = "not an address";
        using var admin = await TestClient.SignedInAsync(fixture.Demo, Support.Demo.Admin);
        var before = await CountsAsync(fixture.Demo);

        var page = await UploadAsync(admin, Encoding.UTF8.GetBytes(json.ToJsonString()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        var rows = page.Document.QuerySelectorAll(".import-errors tbody tr").Select(r => string.Join(" | ", r.Children.Select(c => c.TextContent.Trim()))).ToList();
        Assert.Contains(rows, r => r.StartsWith("objectives | 1 |", StringComparison.Ordinal) && r.Contains("status", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("key-results | 2 |", StringComparison.Ordinal) && r.Contains("same id", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("check-ins | 3 |", StringComparison.Ordinal) && r.Contains("key result (id 999999) is not in the file", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("check-ins | 4 |", StringComparison.Ordinal) && r.Contains("Confidence must be between 0 and 10", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("roadmap-items | 1 |", StringComparison.Ordinal) && r.Contains("at most 200 characters", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("roadmap-items | 2 | abc |", StringComparison.Ordinal) && r.Contains("not valid", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("people | 1 |", StringComparison.Ordinal) && r.Contains("e-mail", StringComparison.Ordinal));
        Assert.NotNull(page.Document.QuerySelector(".import-preview button[type=submit][disabled]:not([formaction])"));

        // Posting the commit anyway (the button is only disabled in the browser) imports nothing.
        var forced = await PostPreviewFormAsync(admin, page, "/admin/import/commit", ("TeamName", "Forced import"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forced.StatusCode);
        Assert.Equal(before, await CountsAsync(fixture.Demo));
    }

    [Fact]
    public async Task The_import_takes_a_file_over_the_global_limit_and_refuses_one_over_its_own()
    {
        using var admin = await TestClient.SignedInAsync(fixture.Demo, Support.Demo.Admin);

        // 2 MiB: over the 1 MiB every other form has, under the import's 10 MiB: read, and refused for what it is.
        var big = Encoding.UTF8.GetBytes("{\"format\":\"alignmenthub.team-export\",\"formatVersion\":2,\"pad\":\"" + new string('x', 2 * 1024 * 1024) + "\"}");
        var page = await UploadAsync(admin, big);
        Assert.True(page.StatusCode == HttpStatusCode.UnprocessableEntity, Describe(page));
        Assert.Contains("team", page.FieldError("file"), StringComparison.Ordinal);

        // The same size anywhere else is refused before it is read.
        var elsewhere = await UploadAsync(admin, big, action: "/admin/audit/export.csv");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, elsewhere.StatusCode);

        // Over the import's own limit.
        var huge = await UploadAsync(admin, new byte[(int)Web.Infrastructure.Security.RequestLimitsMiddleware.MaxImportBodyBytes + 1]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    [Fact]
    public async Task A_fault_in_the_middle_of_the_import_leaves_nothing_behind()
    {
        var fault = new NthCommandFault();
        await using var faulty = fixture.Empty.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddDbContextInterceptor(fault.Commands).AddDbContextInterceptor(fault.Commits)));
        using var admin = await TestClient.SignedInAsync(faulty, Support.Demo.Admin);
        var preview = await UploadAsync(admin, fixture.Onboarding);
        Assert.True(preview.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity, Describe(preview));
        // Count the steps of a clean import first (under other names): EF batches differently per provider (PostgreSQL
        // sends fewer, larger commands than SQLite), so fixed step numbers would miss the end on one of them. Twice:
        // the first import also creates the file's people, which every later import then finds by e-mail.
        var total = 0;
        foreach (var run in new[] { 1, 2 })
        {
            fault.Arm(int.MaxValue);
            var clean = await PostPreviewFormAsync(admin, preview, "/admin/import/commit", ("TeamName", $"Step count {run}"), ("ProductId", "0"), ("ProductName", $"Step count product {run}"));
            fault.Disarm();
            Assert.True(clean.StatusCode == HttpStatusCode.Redirect, Describe(clean));
            total = fault.Steps.Count;
        }

        Assert.True(total >= 8, $"only {total} steps: {string.Join(" / ", fault.Steps)}");

        var fields = new List<(string, string)> { ("TeamName", "Fault test"), ("ProductId", "0"), ("ProductName", "Fault product") };
        foreach (var step in new[] { 1, 4, total / 2, total - 1, total }.Distinct())
        {
            var before = await CountsAsync(fixture.Empty);
            fault.Arm(step);
            var page = await PostPreviewFormAsync(admin, preview, "/admin/import/commit", [.. fields]);
            fault.Disarm();

            Assert.True(fault.Fired, $"step {step} was not reached: {string.Join(" / ", fault.Steps)}");
            Assert.NotEqual(HttpStatusCode.Redirect, page.StatusCode);
            Assert.DoesNotContain(NthCommandFault.Secret, page.Html, StringComparison.Ordinal);
            Assert.Equal(before, await CountsAsync(fixture.Empty));
        }
    }

    [Theory]
    [InlineData(Support.Demo.ProductManager)]
    [InlineData(Support.Demo.Member)]
    [InlineData(Support.Demo.Executive)]
    public async Task Only_administrators_reach_the_import(string email)
    {
        using var admin = await TestClient.SignedInAsync(fixture.Demo, Support.Demo.Admin);
        var preview = await PostPreviewFormAsync(admin, await UploadAsync(admin, fixture.Onboarding), "/admin/import", ("TeamName", "Not for you"));
        using var client = await TestClient.SignedInAsync(fixture.Demo, email);
        var before = await CountsAsync(fixture.Demo);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/admin/import")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(client, fixture.Onboarding, token: await client.GetTokenAsync("/"))).StatusCode);
        var token = await client.GetTokenAsync("/");
        var fields = HtmlForms.Form(preview.Document, "/admin/import/commit").Where(f => f.Key != TestClient.TokenField).ToList();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostWithTokenAsync("/admin/import/commit", token, fields)).StatusCode);
        Assert.Equal(before, await CountsAsync(fixture.Demo));
        Assert.DoesNotContain("/admin/import", (await client.GetAsync("/")).Html, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ helpers

    public static async Task<byte[]> ExportAsync(TestClient client, int teamId)
    {
        var token = await client.GetTokenAsync($"/teams/{teamId}/export");
        using var content = new FormUrlEncodedContent([new(TestClient.TokenField, token)]);
        var response = await client.Http.PostAsync($"/teams/{teamId}/export.json", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<Page> UploadAsync(TestClient client, byte[] file, string name = "team.json", string action = "/admin/import", string? token = null)
    {
        token ??= await client.GetTokenAsync("/admin/import");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), TestClient.TokenField);
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        form.Add(part, "file", name);
        return await TestClient.ToPageAsync(await client.Http.PostAsync(action, form));
    }

    /// <summary>The preview's form (file kept in its hidden field) posted to <paramref name="action"/>, with changes.</summary>
    private static async Task<Page> PostPreviewFormAsync(TestClient client, Page preview, string action, params (string Name, string Value)[] changes)
    {
        var fields = HtmlForms.Form(preview.Document, "/admin/import/commit").ToList();
        foreach (var (name, value) in changes)
        {
            fields.Set(name, value);
        }

        return await client.PostRawAsync(action, fields);
    }

    private static Task<Page> CommitAsync(TestClient client, Page preview) => PostPreviewFormAsync(client, preview, "/admin/import/commit");

    private static TeamExportDocument Read(byte[] json) => JsonSerializer.Deserialize<TeamExportDocument>(json, TeamExportFormat.Json)!;

    /// <summary>The source document as the target should export it: every id through the import's map, references out of the team dropped.</summary>
    private static TeamExportDocument Mapped(TeamExportDocument d, ImportIdMap m)
    {
        string? P(string? id) => id is null ? null : m.People[id];
        return d with
        {
            Team = d.Team with { Id = m.TeamId },
            Objectives = d.Objectives.Select(o => o.ParentExternal
                ? o with { Id = m.Objectives[o.Id], GoalId = m.Goals[o.ViaGoalId!.Value], ParentObjectiveId = null, ParentExternal = false, ViaGoalId = null, OwnerId = P(o.OwnerId) }
                : o with { Id = m.Objectives[o.Id], GoalId = o.GoalId is { } g ? m.Goals[g] : null, ParentObjectiveId = o.ParentObjectiveId is { } p ? m.Objectives[p] : null, OwnerId = P(o.OwnerId) }).ToList(),
            KeyResults = d.KeyResults.Select(k => k with { Id = m.KeyResults[k.Id], ObjectiveId = m.Objectives[k.ObjectiveId] }).ToList(),
            CheckIns = d.CheckIns.Select(c => c with { Id = m.CheckIns[c.Id], KeyResultId = m.KeyResults[c.KeyResultId], AuthorId = P(c.AuthorId)! }).ToList(),
            RoadmapItems = d.RoadmapItems.Select(i => i with { Id = m.RoadmapItems[i.Id], ProductId = m.ProductId, OwnerId = P(i.OwnerId) }).ToList(),
            Links = d.Links.Where(l => !l.External).Select(l => l with
            {
                Id = m.Links[l.Id],
                RoadmapItemId = m.RoadmapItems[l.RoadmapItemId],
                TargetId = l.TargetType switch
                {
                    Domain.Roadmap.LinkTargetType.Goal => m.Goals[l.TargetId],
                    Domain.Roadmap.LinkTargetType.Objective => m.Objectives[l.TargetId],
                    _ => m.KeyResults[l.TargetId],
                },
            }).ToList(),
            Dependencies = d.Dependencies.Where(x => !x.External).Select(x => x with { Id = m.Dependencies[x.Id], RoadmapItemId = m.RoadmapItems[x.RoadmapItemId], BlockerId = m.RoadmapItems[x.BlockerId] }).ToList(),
            Members = d.Members!.Select(x => x with { UserId = m.People[x.UserId] }).ToList(),
            People = d.People!.Select(p => p with { Id = m.People[p.Id] }).ToList(),
            Products = [new ProductRecord(m.ProductId, d.Products!.Single().Name)],
            Goals = d.Goals!.Select(g => g with { Id = m.Goals[g.Id], ProductId = m.ProductId }).ToList(),
        };
    }

    /// <summary>
    /// The document as JSON with what is not data left out: the export time, versions (edit counters of the database)
    /// and goal ranks (a goal's place among the target product's goals), rows in id order.
    /// </summary>
    private static string Normalised(TeamExportDocument d) => JsonSerializer.Serialize(d with
    {
        ExportedAt = default,
        Objectives = d.Objectives.Select(o => o with { Version = 0 }).OrderBy(o => o.Id).ToList(),
        KeyResults = d.KeyResults.Select(k => k with { Version = 0 }).OrderBy(k => k.Id).ToList(),
        CheckIns = d.CheckIns.OrderBy(c => c.Id).ToList(),
        RoadmapItems = d.RoadmapItems.Select(i => i with { Version = 0 }).OrderBy(i => i.Id).ToList(),
        Links = d.Links.OrderBy(l => l.Id).ToList(),
        Dependencies = d.Dependencies.OrderBy(x => x.Id).ToList(),
        Members = d.Members!.OrderBy(x => x.UserId, StringComparer.Ordinal).ToList(),
        People = d.People!.OrderBy(p => p.Id, StringComparer.Ordinal).ToList(),
        Goals = d.Goals!.Select(g => g with { Rank = null }).OrderBy(g => g.Id).ToList(),
    }, TeamExportFormat.Json);

    /// <summary>Rows per table, the audit log included.</summary>
    private static Task<string> CountsAsync(AlignmentHubFactory factory) => factory.QueryAsync(async db => string.Join(",",
        await db.Products.CountAsync(), await db.Goals.CountAsync(), await db.Teams.CountAsync(), await db.TeamMemberships.CountAsync(), await db.Users.CountAsync(),
        await db.Periods.CountAsync(), await db.Objectives.CountAsync(), await db.KeyResults.CountAsync(), await db.CheckIns.CountAsync(),
        await db.RoadmapItems.CountAsync(), await db.RoadmapLinks.CountAsync(), await db.ItemDependencies.CountAsync(), await db.AuditEntries.CountAsync()));

    private static string Describe(Page page) =>
        $"{(int)page.StatusCode} {page.Location} " + string.Join(" / ", page.Document.QuerySelectorAll(".field-validation-error, .alert, .import-errors td").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).Take(12));
}
