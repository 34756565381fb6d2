using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.RoadmapItems;

/// <summary>The item pages' addresses, demo users and form fields, and reads of items and objectives, for the tests of this folder (arranging items: <see cref="TestRoadmap"/>).</summary>
internal static class ItemTestData
{
    public const string NewUrl = "/roadmap/items/new";

    /// <summary>Demo team members (see DemoDataSeeder): Tom and Jonas are in Onboarding, Sam in Platform.</summary>
    public const string Tom = Demo.Member;
    public const string Jonas = "jonas@alignmenthub.demo";
    public const string Sam = "sam@alignmenthub.demo";

    public static string ItemUrl(int id) => "/roadmap/items/" + id.Invariant();

    public static Task<Objective> ObjectiveAsync(this AlignmentHubFactory factory, string title) =>
        factory.QueryAsync(db => db.Objectives.AsNoTracking().Include(o => o.KeyResults).SingleAsync(o => o.Title == title));

    public static Task<RoadmapItem?> ItemByTitleAsync(this AlignmentHubFactory factory, string title) =>
        factory.QueryAsync(db => db.RoadmapItems.AsNoTracking().Include(i => i.Links).SingleOrDefaultAsync(i => i.Title == title));

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
}
