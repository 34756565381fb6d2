using System.Globalization;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.RoadmapItems;

/// <summary>Arranges roadmap items straight in the test database and reads them back, for the tests of this folder.</summary>
internal static class ItemTestData
{
    public const string NewUrl = "/roadmap/items/new";

    /// <summary>Demo team members (see DemoDataSeeder): Tom and Jonas are in Onboarding, Sam in Platform.</summary>
    public const string Tom = Demo.Member;
    public const string Jonas = "jonas@alignmenthub.demo";
    public const string Sam = "sam@alignmenthub.demo";

    public static string CurrentKey => Period.Containing(DateOnly.FromDateTime(DateTime.UtcNow)).Key;

    public static string ItemUrl(int id) => "/roadmap/items/" + id.ToString(CultureInfo.InvariantCulture);

    public static string Invariant(this int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Invariant(this long value) => value.ToString(CultureInfo.InvariantCulture);

    public static Task<int> TeamIdAsync(this AlignmentHubFactory factory, string name) =>
        factory.QueryAsync(db => db.Teams.Where(t => t.Name == name).Select(t => t.Id).SingleAsync());

    public static Task<string> UserIdAsync(this AlignmentHubFactory factory, string email) =>
        factory.QueryAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    public static Task<KeyResult> KeyResultAsync(this AlignmentHubFactory factory, string title) =>
        factory.QueryAsync(db => db.KeyResults.AsNoTracking().SingleAsync(k => k.Title == title));

    public static Task<Objective> ObjectiveAsync(this AlignmentHubFactory factory, string title) =>
        factory.QueryAsync(db => db.Objectives.AsNoTracking().Include(o => o.KeyResults).SingleAsync(o => o.Title == title));

    public static Task<int> ItemIdAsync(this AlignmentHubFactory factory, string title) =>
        factory.QueryAsync(db => db.RoadmapItems.Where(i => i.Title == title).Select(i => i.Id).SingleAsync());

    public static Task<RoadmapItem> ItemAsync(this AlignmentHubFactory factory, int id) =>
        factory.QueryAsync(db => db.RoadmapItems.AsNoTracking().Include(i => i.Links).Include(i => i.Dependencies).Include(i => i.Evidence).SingleAsync(i => i.Id == id));

    public static Task<RoadmapItem?> ItemByTitleAsync(this AlignmentHubFactory factory, string title) =>
        factory.QueryAsync(db => db.RoadmapItems.AsNoTracking().Include(i => i.Links).SingleOrDefaultAsync(i => i.Title == title));

    /// <summary>An item of <paramref name="team"/> on the demo product, saved directly, with the given links.</summary>
    public static async Task<int> ArrangeItemAsync(this AlignmentHubFactory factory, string team, string title, params (LinkTargetType Type, int Id)[] links)
    {
        var teamId = await factory.TeamIdAsync(team);
        return await factory.QueryAsync(async db =>
        {
            var item = new RoadmapItem(Demo.ProductId, teamId, title, RoadmapItemKind.Feature, RoadmapHorizon.Now, DateTimeOffset.UtcNow.AddDays(-3));
            item.Schedule(RoadmapHorizon.Now, CurrentKey, null, null);
            item.Estimate(3m, null, null, null);
            item.ChangeStatus(RoadmapItemStatus.Planned, DateTimeOffset.UtcNow);
            db.RoadmapItems.Add(item);
            await db.SaveChangesAsync();
            foreach (var (type, id) in links)
            {
                item.LinkTo(type, id);
            }

            await db.SaveChangesAsync();
            return item.Id;
        });
    }

    /// <summary>Every item, link, dependency and evidence row with versions, and the last audit row: proves a refused request changed nothing.</summary>
    public static Task<string> RoadmapFingerprintAsync(this AlignmentHubFactory factory) => factory.QueryAsync(async db =>
    {
        var items = await db.RoadmapItems.AsNoTracking().OrderBy(i => i.Id)
            .Select(i => $"{i.Id}:{i.TeamId}:{i.Title}:{i.Description}:{i.Kind}:{i.Status}:{i.Horizon}:{i.TargetPeriodKey}:{i.StartDate}:{i.EndDate}:{i.Effort}:{i.RiceReach}:{i.RiceImpact}:{i.RiceConfidence}:{i.OwnerId}:{i.ExternalKey}:{i.ArchivedAt}:{i.Version}")
            .ToListAsync();
        var links = await db.RoadmapLinks.CountAsync();
        var dependencies = await db.ItemDependencies.CountAsync();
        var evidence = await db.CustomerEvidence.CountAsync();
        var audit = await db.AuditEntries.MaxAsync(a => (long?)a.Id) ?? 0;
        return string.Join("|", items) + $"#{links}#{dependencies}#{evidence}#audit {audit}";
    });

    /// <summary>The fields of the form posting to <paramref name="action"/> on <paramref name="page"/>, and its token.</summary>
    public static (string Token, List<KeyValuePair<string, string>> Fields) FormOf(Page page, string action)
    {
        var form = HtmlForms.Form(page.Document, action);
        return (form[TestClient.TokenField], form.Where(f => f.Key != TestClient.TokenField).ToList());
    }

    public static List<KeyValuePair<string, string>> Set(this List<KeyValuePair<string, string>> fields, string name, string value)
    {
        var index = fields.FindIndex(f => f.Key == name);
        if (index < 0)
        {
            fields.Add(new(name, value));
        }
        else
        {
            fields[index] = new(name, value);
        }

        return fields;
    }

    /// <summary>The fields of a valid new item of <paramref name="teamId"/>; tests override one at a time.</summary>
    public static List<KeyValuePair<string, string>> ValidFields(string title, int teamId) =>
    [
        new("Title", title),
        new("Description", "Customers keep asking for it."),
        new("Kind", "Feature"),
        new("TeamId", teamId.Invariant()),
        new("OwnerId", string.Empty),
        new("Status", "Planned"),
        new("Horizon", "Next"),
        new("TargetPeriodKey", string.Empty),
        new("StartDate", string.Empty),
        new("EndDate", string.Empty),
        new("Effort", "5"),
        new("RiceReach", "900"),
        new("RiceImpact", "2"),
        new("RiceConfidence", "80"),
        new("ExternalKey", string.Empty),
        new("Why", string.Empty),
    ];

    /// <summary>The text a reader gets, spaces normalised.</summary>
    public static string Normalise(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
