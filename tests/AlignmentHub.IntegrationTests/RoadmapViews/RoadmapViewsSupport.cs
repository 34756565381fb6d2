using AlignmentHub.Domain.Alignment;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Startup;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.RoadmapViews;

/// <summary>The demo roadmap read straight from the database, and what the pages show of it.</summary>
internal static class RoadmapData
{
    /// <summary>
    /// The demo items that serve no active goal (brief §3), by title, from the seed data: no links at all, or linked only
    /// to the retired marketplace goal. "Legacy wizard clean-up" has no links either but is dropped, so it does not count.
    /// </summary>
    public static readonly IReadOnlySet<string> DemoOrphans = new HashSet<string>(StringComparer.Ordinal)
    {
        "Welcome video library", "Onboarding NPS survey", "Upgrade to PostgreSQL 17", "Internal developer portal", "Partner app sandbox",
        "Marketplace listing pages", "Pricing page experiments", "Reseller portal", "Data export to BigQuery", "AI summary of weekly trends",
        "Background job dashboard", "Mobile app onboarding", "Embedded analytics SDK",
    };

    public static Task<List<RoadmapItem>> ItemsAsync(AlignmentHubFactory factory, int productId = Demo.ProductId) =>
        factory.QueryAsync(db => db.RoadmapItems.AsNoTracking().Where(i => i.ProductId == productId).OrderBy(i => i.Id).ToListAsync());

    public static Task<RoadmapItem> ItemAsync(AlignmentHubFactory factory, string title) =>
        factory.QueryAsync(db => db.RoadmapItems.AsNoTracking().SingleAsync(i => i.Title == title && i.ProductId == Demo.ProductId));

    public static Task<Dictionary<int, string>> TeamNamesAsync(AlignmentHubFactory factory) =>
        factory.QueryAsync(db => db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name));

    public static async Task<AlignmentGraph> GraphAsync(AlignmentHubFactory factory, int productId = Demo.ProductId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AlignmentGraphLoader>().LoadAsync(productId, CancellationToken.None);
    }

    /// <summary>On the board by default: not archived, not dropped, not shipped.</summary>
    public static bool IsOpen(RoadmapItem i) => i.ArchivedAt is null && i.Status is not (RoadmapItemStatus.Dropped or RoadmapItemStatus.Shipped);

    /// <summary>The open items of a column in board order (position, then id).</summary>
    public static List<RoadmapItem> Column(IEnumerable<RoadmapItem> items, RoadmapHorizon horizon) =>
        items.Where(i => IsOpen(i) && i.Horizon == horizon).OrderBy(i => i.BoardPosition).ThenBy(i => i.Id).ToList();

    /// <summary>Changes items through the domain and the app's own DbContext (audited like any change).</summary>
    public static async Task ChangeAsync(AlignmentHubFactory factory, Func<AppDbContext, Task> change)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await change(db);
        await db.SaveChangesAsync();
    }

    public static IElement ColumnOf(Page page, RoadmapHorizon horizon) =>
        page.Document.QuerySelector($"section[data-column='{horizon}']") ?? throw new InvalidOperationException($"No {horizon} column on the page.");

    public static List<string> CardTitles(Page page, RoadmapHorizon horizon) =>
        ColumnOf(page, horizon).QuerySelectorAll("[data-card] .board-card-title a").Select(a => a.TextContent.Trim()).ToList();

    public static List<int> CardIds(Page page, RoadmapHorizon horizon) =>
        ColumnOf(page, horizon).QuerySelectorAll("[data-card]").Select(c => int.Parse(c.GetAttribute("data-item-id")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    public static IElement Card(Page page, int itemId) =>
        page.Document.QuerySelector($"[data-card][data-item-id='{itemId}']") ?? throw new InvalidOperationException($"No card for item {itemId}.");

    public static List<string> ListTitles(Page page) =>
        page.Document.QuerySelectorAll("table.roadmap-list tbody tr th a").Select(a => a.TextContent.Trim()).ToList();

    public static List<int> ListIds(Page page) =>
        page.Document.QuerySelectorAll("table.roadmap-list tbody tr").Select(r => int.Parse(r.GetAttribute("data-item-id")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    public static string Notices(Page page) =>
        string.Join(" ", page.Document.QuerySelectorAll("main .alert-warning").Select(a => a.TextContent.Trim()));
}

/// <summary>
/// The demo product plus a second, larger product from the real seed-large command (<see cref="Items"/> items with the
/// large data set's shape: twenty teams, dates, dependencies), and a SQL command counter on every request.
/// </summary>
public sealed class LargeRoadmapFactory : QueryCountingFactory, IAsyncLifetime
{
    public const int Items = 900;
    public const string ProductName = "Zephyr large data";

    public int LargeProductId { get; private set; }

    public async Task InitializeAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var seeder = scope.ServiceProvider.GetRequiredService<LargeDataSeeder>();
        if (!await seeder.SeedAsync(["--items", Items.ToString(System.Globalization.CultureInfo.InvariantCulture), "--checkins", "50", "--product", ProductName], CancellationToken.None))
        {
            throw new InvalidOperationException("seed-large refused to run.");
        }

        LargeProductId = await this.QueryAsync(db => db.Products.Where(p => p.Name == ProductName).Select(p => p.Id).SingleAsync());
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}
