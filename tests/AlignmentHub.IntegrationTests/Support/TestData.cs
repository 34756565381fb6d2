using AlignmentHub.Domain.Auditing;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.IntegrationTests.Support;

/// <summary>The demo users and product the app seeds on first run.</summary>
public static class Demo
{
    public const string Admin = "admin@alignmenthub.demo";
    public const string ProductManager = "pm@alignmenthub.demo";
    public const string Member = "member@alignmenthub.demo";
    public const string Executive = "exec@alignmenthub.demo";

    public const int ProductId = 1;
    public const string ProductName = "Beacon";

    public static string DisplayName(string email) =>
        AlignmentHub.Web.Infrastructure.Startup.DemoDataSeeder.Users.Single(u => u.Email == email).Name;

    /// <summary>The key of the quarter we are in ("2027-Q1"), as the app names periods.</summary>
    public static string CurrentPeriodKey => Period.Containing(DateOnly.FromDateTime(DateTime.UtcNow)).Key;

    /// <summary>A title no other test uses.</summary>
    public static string UniqueTitle(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..8]}";
}

/// <summary>Direct, read-mostly access to the test database through the app's own DbContext (never mocked).</summary>
public static class TestDatabase
{
    public static async Task<T> QueryAsync<T>(this AlignmentHubFactory factory, Func<AppDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await query(db);
    }

    public static Task<int> TeamIdAsync(this AlignmentHubFactory factory, string name) =>
        factory.QueryAsync(db => db.Teams.Where(t => t.Name == name).Select(t => t.Id).SingleAsync());

    public static Task<string> UserIdAsync(this AlignmentHubFactory factory, string email) =>
        factory.QueryAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    public static Task<KeyResult> KeyResultAsync(this AlignmentHubFactory factory, string title) =>
        factory.QueryAsync(db => db.KeyResults.AsNoTracking().SingleAsync(k => k.Title == title));

    public static Task<int> KeyResultIdAsync(this AlignmentHubFactory factory, string title) =>
        factory.QueryAsync(db => db.KeyResults.Where(k => k.Title == title).Select(k => k.Id).SingleAsync());

    public static Task<int> ItemIdAsync(this AlignmentHubFactory factory, string title) =>
        factory.QueryAsync(db => db.RoadmapItems.Where(i => i.Title == title).Select(i => i.Id).SingleAsync());

    /// <summary>A roadmap item with its links, dependencies and evidence.</summary>
    public static Task<RoadmapItem> ItemAsync(this AlignmentHubFactory factory, int id) =>
        factory.QueryAsync(db => db.RoadmapItems.AsNoTracking().Include(i => i.Links).Include(i => i.Dependencies).Include(i => i.Evidence).SingleAsync(i => i.Id == id));

    public static Task<List<Goal>> GoalsAsync(this AlignmentHubFactory factory, int productId = Demo.ProductId) =>
        factory.QueryAsync(db => db.Goals.AsNoTracking().Where(g => g.ProductId == productId).OrderBy(g => g.Id).ToListAsync());

    public static Task<Goal> GoalAsync(this AlignmentHubFactory factory, int goalId) =>
        factory.QueryAsync(db => db.Goals.AsNoTracking().SingleAsync(g => g.Id == goalId));

    public static async Task<List<Goal>> RankedGoalsAsync(this AlignmentHubFactory factory, int productId = Demo.ProductId) =>
        (await factory.GoalsAsync(productId)).Where(g => g.Rank != null).OrderBy(g => g.Rank).ToList();

    public static Task<int> VisionVersionCountAsync(this AlignmentHubFactory factory, int productId = Demo.ProductId) =>
        factory.QueryAsync(db => db.VisionVersions.CountAsync(v => db.Visions.Any(x => x.Id == v.VisionId && x.ProductId == productId)));

    public static Task<List<VisionVersion>> VisionVersionsAsync(this AlignmentHubFactory factory, int productId = Demo.ProductId) =>
        factory.QueryAsync(db => db.VisionVersions.AsNoTracking()
            .Where(v => db.Visions.Any(x => x.Id == v.VisionId && x.ProductId == productId)).OrderBy(v => v.Number).ToListAsync());

    public static Task<long> MaxAuditIdAsync(this AlignmentHubFactory factory) =>
        factory.QueryAsync(async db => await db.AuditEntries.MaxAsync(a => (long?)a.Id) ?? 0);

    public static Task<List<AuditEntry>> AuditAfterAsync(this AlignmentHubFactory factory, long afterId) =>
        factory.QueryAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Id > afterId).OrderBy(a => a.Id).ToListAsync());

    /// <summary>A fingerprint of a product's goals (id, title, rank, status, version…) to prove a denied request changed nothing.</summary>
    public static async Task<string> GoalsFingerprintAsync(this AlignmentHubFactory factory, int productId = Demo.ProductId)
    {
        var goals = await factory.GoalsAsync(productId);
        var product = await factory.QueryAsync(db => db.Products.AsNoTracking().SingleAsync(p => p.Id == productId));
        return $"product v{product.Version} r{product.GoalRankingRevision}|" + string.Join("|", goals.Select(g =>
            $"{g.Id}:{g.Title}:{g.Description}:{g.SuccessMetric}:{g.Horizon}:{g.Status}:{g.Rank}:{g.Version}:{g.ProductId}"));
    }
}
