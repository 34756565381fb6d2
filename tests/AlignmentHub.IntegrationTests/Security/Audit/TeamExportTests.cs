using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Features.AuditLog;
using AlignmentHub.Web.Features.TeamExport;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Security.Audit;

/// <summary>
/// Checklist item 39 (and 6, 22, 34 for exports): a team's JSON and CSV export holds that team's objectives, key
/// results, check-ins, items and links and nothing of another team; the JSON reads back into the same records as a
/// fresh query; CSV cells are formula-safe; every download is audited; anyone signed in may export.
/// </summary>
public sealed class TeamExportTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    [Fact]
    public async Task The_export_holds_the_teams_canaries_and_none_of_any_other_team()
    {
        var canaries = await ArrangeCanariesAsync();
        var onboarding = await factory.TeamIdAsync("Onboarding");
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);

        var json = Encoding.UTF8.GetString(await DownloadAsync(client, onboarding, "export.json"));
        var zip = await DownloadAsync(client, onboarding, "export.csv");
        var tables = new List<string>();
        foreach (var table in TeamExportFormat.Tables)
        {
            tables.Add(Encoding.UTF8.GetString(await DownloadAsync(client, onboarding, "export.csv?entity=" + table)));
        }

        var zipped = ZipTexts(zip);
        Assert.Equal(TeamExportFormat.Tables.Select(t => t + ".csv").Order(), zipped.Keys.Order());
        foreach (var (team, marks) in canaries)
        {
            foreach (var mark in marks)
            {
                var own = team == "Onboarding";
                Assert.True(own == json.Contains(mark, StringComparison.Ordinal), $"JSON and {team}'s {mark}");
                Assert.True(own == zipped.Values.Any(t => t.Contains(mark, StringComparison.Ordinal)), $"zip and {team}'s {mark}");
                Assert.True(own == tables.Any(t => t.Contains(mark, StringComparison.Ordinal)), $"CSV and {team}'s {mark}");
            }
        }

        // Every row is the team's own, checked by id against the database.
        var document = JsonSerializer.Deserialize<TeamExportDocument>(json, TeamExportFormat.Json)!;
        var ownObjectives = await factory.QueryAsync(db => db.Objectives.Where(o => o.TeamId == onboarding).Select(o => o.Id).ToListAsync());
        var ownItems = await factory.QueryAsync(db => db.RoadmapItems.Where(i => i.TeamId == onboarding).Select(i => i.Id).ToListAsync());
        Assert.All(document.Objectives, o => Assert.Contains(o.Id, ownObjectives));
        Assert.All(document.KeyResults, k => Assert.Contains(k.ObjectiveId, ownObjectives));
        Assert.All(document.CheckIns, c => Assert.Contains(c.KeyResultId, document.KeyResults.Select(k => k.Id)));
        Assert.All(document.RoadmapItems, i => Assert.Contains(i.Id, ownItems));
        Assert.All(document.Links, l => Assert.Contains(l.RoadmapItemId, ownItems));
        Assert.All(document.Dependencies, d => Assert.Contains(d.RoadmapItemId, ownItems));
    }

    [Fact]
    public async Task The_json_reads_back_into_the_same_records_as_a_fresh_query()
    {
        await ArrangeCanariesAsync();
        var teamId = await factory.TeamIdAsync("Onboarding");
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);

        var document = JsonSerializer.Deserialize<TeamExportDocument>(await DownloadAsync(client, teamId, "export.json"), TeamExportFormat.Json)!;

        var expected = await factory.QueryAsync(async db => new
        {
            Team = await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => new TeamRecord(t.Id, t.Name, t.Mission)).SingleAsync(),
            Periods = await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Key),
            Objectives = await db.Objectives.AsNoTracking().Include(o => o.KeyResults).ThenInclude(k => k.CheckIns).Where(o => o.TeamId == teamId).OrderBy(o => o.Id).ToListAsync(),
            Items = await db.RoadmapItems.AsNoTracking().Include(i => i.Links).Include(i => i.Dependencies).Where(i => i.TeamId == teamId).OrderBy(i => i.Id).ToListAsync(),
        });
        Assert.Equal((TeamExportDocument.FormatName, TeamExportDocument.CurrentVersion), (document.Format, document.FormatVersion));
        Assert.Equal(expected.Team, document.Team);
        Assert.Equal(expected.Objectives.Select(o => new ObjectiveRecord(o.Id, expected.Periods[o.PeriodId], o.Title, o.Description, o.GoalId, o.ParentObjectiveId, o.OwnerId,
            o.Status, o.Weight, o.Score, o.Retrospective, o.CreatedAt, o.Version)), document.Objectives);
        var keyResults = expected.Objectives.SelectMany(o => o.KeyResults).OrderBy(k => k.Id).ToList();
        Assert.Equal(keyResults.Select(k => new KeyResultRecord(k.Id, k.ObjectiveId, k.Title, k.MetricName, k.MetricType, k.Direction, k.Baseline, k.Target,
            k.BandLow, k.BandHigh, k.Current, k.Unit, k.CurrencyCode, k.Weight, k.CadenceDays, k.Status, k.CreatedAt, k.LastCheckInAt, k.Version)), document.KeyResults);
        Assert.Equal(keyResults.SelectMany(k => k.CheckIns).OrderBy(c => c.Id)
            .Select(c => new CheckInRecord(c.Id, c.KeyResultId, c.Value, c.Confidence, c.Note, c.AuthorId, c.AuthorName, c.CreatedAt)), document.CheckIns);
        Assert.Equal(expected.Items.Select(i => new RoadmapItemRecord(i.Id, i.ProductId, i.Title, i.Description, i.Kind, i.Status, i.Horizon, i.BoardPosition,
            i.TargetPeriodKey, i.StartDate, i.EndDate, i.Effort, i.RiceReach, i.RiceImpact, i.RiceConfidence, i.OwnerId, i.ExternalKey, i.CreatedAt, i.ShippedAt,
            i.ArchivedAt, i.Version)), document.RoadmapItems);
        // A link or dependency to another team's row is the team's row, kept by id and marked external (the canaries make one of each).
        var objectiveIds = expected.Objectives.Select(o => o.Id).ToHashSet();
        var itemIds = expected.Items.Select(i => i.Id).ToHashSet();
        Assert.Equal(expected.Items.SelectMany(i => i.Links).OrderBy(l => l.Id).Select(l => new LinkRecord(l.Id, l.RoadmapItemId, l.TargetType, l.TargetId,
            l.TargetType switch
            {
                LinkTargetType.Objective => !objectiveIds.Contains(l.TargetId),
                LinkTargetType.KeyResult => !keyResults.Any(k => k.Id == l.TargetId),
                _ => false,
            })), document.Links);
        Assert.Equal(expected.Items.SelectMany(i => i.Dependencies).OrderBy(d => d.Id).Select(d => new DependencyRecord(d.Id, d.RoadmapItemId, d.BlockerId, !itemIds.Contains(d.BlockerId))), document.Dependencies);
        Assert.Contains(document.Links, l => l.External);
        Assert.Contains(document.Dependencies, d => d.External);

        // Version 2's context: every person and goal the rows refer to, with what an import matches them by.
        var people = document.People!.ToDictionary(p => p.Id);
        Assert.All(document.Objectives.Select(o => o.OwnerId).Concat(document.RoadmapItems.Select(i => i.OwnerId)).Concat(document.CheckIns.Select(c => c.AuthorId))
            .Concat(document.Members!.Select(m => m.UserId)).OfType<string>(), id => Assert.Contains("@", people[id].Email, StringComparison.Ordinal));
        var goals = document.Goals!.Select(g => g.Id).ToHashSet();
        Assert.All(document.Objectives.Select(o => o.GoalId).OfType<int>().Concat(document.Links.Where(l => l.TargetType == LinkTargetType.Goal).Select(l => l.TargetId)), id => Assert.Contains(id, goals));
        Assert.Equal([Demo.ProductName], document.Products!.Select(p => p.Name));
        Assert.Equal(expected.Objectives.Select(o => expected.Periods[o.PeriodId]).Distinct().Order(StringComparer.Ordinal), document.Periods);

        // Not an empty comparison: the demo team and the canaries give every table rows.
        Assert.All(new[] { document.Objectives.Count, document.KeyResults.Count, document.CheckIns.Count, document.RoadmapItems.Count, document.Links.Count }, n => Assert.True(n > 0));
    }

    [Fact]
    public async Task Csv_tables_are_rfc_4180_with_formula_cells_neutralised()
    {
        var canaries = await ArrangeCanariesAsync();
        var teamId = await factory.TeamIdAsync("Onboarding");
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);

        var items = Rfc4180Reader.ReadUtf8WithBom(await DownloadAsync(client, teamId, "export.csv?entity=roadmap-items"));
        var checkIns = Rfc4180Reader.ReadUtf8WithBom(await DownloadAsync(client, teamId, "export.csv?entity=check-ins"));

        Assert.Equal(typeof(RoadmapItemRecord).GetProperties().Select(p => p.Name), items[0]);
        var title = items[0].IndexOf("Title");
        var formula = canaries["Onboarding"][0];
        Assert.Contains(items.Skip(1), r => r[title] == "'=" + formula + "+1");
        var note = checkIns[0].IndexOf("Note");
        Assert.Contains(checkIns.Skip(1), r => r[note] == "'-" + canaries["Onboarding"][1] + ", \"quoted\"\r\nline two");
        Assert.All(items.Concat(checkIns).SelectMany(r => r), cell => Assert.False(cell.Length > 0 && "=+@\t\r\0".Contains(cell[0], StringComparison.Ordinal), cell));
    }

    [Fact]
    public async Task Every_download_is_audited_with_who_which_team_and_format()
    {
        var teamId = await factory.TeamIdAsync("Platform");
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var before = await factory.MaxAuditIdAsync();

        await DownloadAsync(client, teamId, "export.json");
        await DownloadAsync(client, teamId, "export.csv?entity=links");
        await DownloadAsync(client, teamId, "export.csv");

        var rows = await factory.AuditAfterAsync(before);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal((AuditExports.TeamExportType, teamId.Invariant(), AuditExports.ExportedAction, Demo.Executive),
            (r.EntityType, r.EntityId, r.Action, r.UserName)));
        Assert.Equal(["json", "csv", "csv-zip"], rows.Select(r => JsonDocument.Parse(r.Changes).RootElement.GetProperty("format").GetString()));
        Assert.Equal("links", JsonDocument.Parse(rows[1].Changes).RootElement.GetProperty("entity").GetString());
    }

    [Fact]
    public async Task The_export_page_is_linked_from_the_dashboard_and_bad_requests_are_refused_without_an_audit_row()
    {
        var teamId = await factory.TeamIdAsync("Growth");
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var dashboard = await client.GetAsync($"/dashboards/teams/{teamId}");
        Assert.NotNull(dashboard.Document.QuerySelector($"a[href='/teams/{teamId}/export']"));
        var page = await client.GetAsync($"/teams/{teamId}/export");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.NotNull(page.Document.QuerySelector($"form[action='/teams/{teamId}/export.json']"));
        var token = await client.GetTokenAsync($"/teams/{teamId}/export");
        var before = await factory.MaxAuditIdAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/teams/999999/export")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostWithTokenAsync("/teams/999999/export.json", token, [])).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostWithTokenAsync($"/teams/{teamId}/export.csv?entity=users", token, [])).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostRawAsync($"/teams/{teamId}/export.json", [])).StatusCode); // no antiforgery token
        var get = await client.GetAsync($"/teams/{teamId}/export.json"); // downloads are POSTs: a GET changes nothing
        Assert.True(get.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"GET export.json: {(int)get.StatusCode}");
        Assert.Equal(before, await factory.MaxAuditIdAsync());
    }

    private async Task<byte[]> DownloadAsync(TestClient client, int teamId, string path)
    {
        var token = await client.GetTokenAsync($"/teams/{teamId}/export");
        using var content = new FormUrlEncodedContent([new(TestClient.TokenField, token)]);
        var response = await client.Http.PostAsync($"/teams/{teamId}/{path}", content);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static Dictionary<string, string> ZipTexts(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            Rfc4180Reader.ReadUtf8WithBom(bytes); // each file is well-formed CSV with its byte-order mark
            return Encoding.UTF8.GetString(bytes);
        });
    }

    /// <summary>
    /// For each of three teams: an objective, a key result, a check-in note, an item and its description carrying a
    /// unique canary; the Onboarding item is also linked to the Platform objective and depends on the Platform item
    /// (ids cross teams, text must not).
    /// </summary>
    private async Task<Dictionary<string, string[]>> ArrangeCanariesAsync()
    {
        var result = new Dictionary<string, string[]>();
        var admin = await factory.UserIdAsync(Demo.Admin);
        var goal = (await factory.RankedGoalsAsync())[0].Id;
        var ids = new Dictionary<string, (int Objective, int Item)>();
        foreach (var team in new[] { "Onboarding", "Platform", "Growth" })
        {
            var marks = Enumerable.Range(0, 6).Select(i => $"CANARY{i}{team[..3].ToUpperInvariant()}{Guid.NewGuid().ToString("N")[..10]}").ToArray();
            result[team] = marks;
            var teamId = await factory.TeamIdAsync(team);
            ids[team] = await factory.QueryAsync(async db =>
            {
                var period = await db.Periods.Where(p => p.Key == Demo.CurrentPeriodKey).Select(p => p.Id).SingleAsync();
                var objective = new Objective(teamId, period, marks[2], marks[3], goal, null, null,
                    [new KeyResultDefinition(marks[4], MetricType.Number, MetricDirection.Increase, 1m, 5m)], DateTimeOffset.UtcNow.AddDays(-5));
                db.Objectives.Add(objective);
                var item = new RoadmapItem(Demo.ProductId, teamId, "=" + marks[0] + "+1", RoadmapItemKind.Feature, RoadmapHorizon.Next, DateTimeOffset.UtcNow);
                item.Edit(item.Title, marks[5], RoadmapItemKind.Feature, teamId, null, null);
                db.RoadmapItems.Add(item);
                await db.SaveChangesAsync();
                objective.KeyResults.Single().RecordCheckIn(3m, 6, "-" + marks[1] + ", \"quoted\"\r\nline two", admin, "Admin", DateTimeOffset.UtcNow);
                await db.SaveChangesAsync();
                return (objective.Id, item.Id);
            });
        }

        await factory.QueryAsync(async db =>
        {
            var item = await db.RoadmapItems.Include(i => i.Links).Include(i => i.Dependencies).SingleAsync(i => i.Id == ids["Onboarding"].Item);
            var blocker = await db.RoadmapItems.SingleAsync(i => i.Id == ids["Platform"].Item);
            item.LinkTo(LinkTargetType.Objective, ids["Platform"].Objective);
            item.DependOn(blocker, _ => []);
            return await db.SaveChangesAsync();
        });
        return result;
    }
}
