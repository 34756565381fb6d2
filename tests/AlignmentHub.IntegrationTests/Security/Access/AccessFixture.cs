using System.Net;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Security.Access;

/// <summary>The five kinds of caller of brief §6.</summary>
public enum Role
{
    Admin,
    ProductManager,
    TeamMember,
    Executive,
    Anonymous,
}

/// <summary>
/// Whose object a matrix cell touches. <see cref="Own"/>: team Onboarding (member@'s team) on product Beacon (the product
/// pm@ manages). <see cref="Other"/>: team Platform on product Harbor, a second product this fixture adds and nobody
/// but the administrator may change. For Admin and Executive the two differ only in data, not in rights.
/// </summary>
public enum Scope
{
    Own,
    Other,
}

/// <summary>
/// The application with the demo data plus a second product ("Harbor", not managed by pm@) and objects of team
/// Platform on it; signed-in clients per role; and helpers that create fresh objects for cells that change data, so
/// that every cell starts from objects no other cell has touched.
/// </summary>
public class AccessFixture : AlignmentHubFactory, IAsyncLifetime
{
    /// <summary>Written into every title, text and goal of product Harbor: must never appear on a page about Beacon.</summary>
    public const string HarborCanary = "HARBOR-CANARY-7f3a";

    private readonly Dictionary<Role, TestClient> clients = [];
    private readonly Dictionary<Role, string> tokens = [];
    private int counter;

    public int BeaconId => Demo.ProductId;

    public int HarborId { get; private set; }

    public int OnboardingId { get; private set; }

    public int PlatformId { get; private set; }

    public int InsightsId { get; private set; }

    public string CurrentPeriod { get; } = Demo.CurrentPeriodKey;

    public string NextPeriod { get; private set; } = string.Empty;

    private Dictionary<Scope, (int Goal, int Objective, int KeyResult, int Item)> Static { get; } = [];

    public static string Email(Role role) => role switch
    {
        Role.Admin => Demo.Admin,
        Role.ProductManager => Demo.ProductManager,
        Role.TeamMember => Demo.Member,
        Role.Executive => Demo.Executive,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Anonymous has no e-mail."),
    };

    public int Product(Scope scope) => scope == Scope.Own ? BeaconId : HarborId;

    public int Team(Scope scope) => scope == Scope.Own ? OnboardingId : PlatformId;

    /// <summary>A goal, objective, key result and item of the scope that no cell changes (for pages that only read).</summary>
    public int Goal(Scope scope) => Static[scope].Goal;

    public int Objective(Scope scope) => Static[scope].Objective;

    public int KeyResult(Scope scope) => Static[scope].KeyResult;

    public int Item(Scope scope) => Static[scope].Item;

    public string Unique(string prefix) => $"{prefix} {Interlocked.Increment(ref counter)}";

    async Task IAsyncLifetime.InitializeAsync()
    {
        OnboardingId = await this.TeamIdAsync("Onboarding");
        PlatformId = await this.TeamIdAsync("Platform");
        InsightsId = await this.TeamIdAsync("Insights");
        var (year, quarter) = Period.Containing(DateOnly.FromDateTime(DateTime.UtcNow)).Next();
        NextPeriod = Period.ForQuarter(year, quarter).Key;

        HarborId = await this.QueryAsync(async db =>
        {
            var product = new Product("Harbor", "A second product nobody of the demo manages.", DateTimeOffset.UtcNow.AddDays(-100));
            product.AddGoal($"Harbor goal one {HarborCanary}", $"Description {HarborCanary}", $"Metric {HarborCanary}", GoalHorizon.MidTerm);
            product.AddGoal($"Harbor goal two {HarborCanary}", null, null, GoalHorizon.ShortTerm);
            db.Products.Add(product);
            await db.SaveChangesAsync();
            var vision = new Vision(product.Id);
            db.Visions.Add(vision);
            await db.SaveChangesAsync();
            var admin = await db.Users.SingleAsync(u => u.Email == Demo.Admin);
            vision.Revise($"# Harbor vision {HarborCanary}", admin.Id, admin.DisplayName, DateTimeOffset.UtcNow.AddDays(-50), "First", null);
            await db.SaveChangesAsync();
            vision.Revise($"# Harbor vision {HarborCanary}\n\nSecond version {HarborCanary}.", admin.Id, admin.DisplayName, DateTimeOffset.UtcNow.AddDays(-10), "Second", $"# Harbor vision {HarborCanary}");
            await db.SaveChangesAsync();
            return product.Id;
        });

        var ownGoal = (await this.RankedGoalsAsync()).First().Id;
        var ownObjective = await this.QueryAsync(db => db.Objectives.Where(o => o.Title == "Make the first week effortless").Select(o => o.Id).SingleAsync());
        var ownKeyResult = await this.KeyResultIdAsync("Median days to first resolved ticket");
        var ownItem = await this.ItemIdAsync("Guided Zendesk import");
        var otherGoal = (await this.RankedGoalsAsync(HarborId)).First().Id;
        var (otherObjective, otherKeyResults) = await NewObjectiveAsync(Scope.Other, $"Harbor objective {HarborCanary}", otherGoal);
        var otherItem = await NewItemAsync(Scope.Other, $"Harbor item {HarborCanary}", (LinkTargetType.KeyResult, otherKeyResults[0]));
        Static[Scope.Own] = (ownGoal, ownObjective, ownKeyResult, ownItem);
        Static[Scope.Other] = (otherGoal, otherObjective, otherKeyResults[0], otherItem);
        await SeedMoreAsync();
    }

    /// <summary>Data a derived fixture adds after the common data.</summary>
    protected virtual Task SeedMoreAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync()
    {
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        return Task.CompletedTask;
    }

    /// <summary>The "after" snapshot of the last chained cell (see <see cref="CellRunner"/>).</summary>
    public DatabaseSnapshot? LastSnapshot { get; set; }

    public bool HasClient(Role role) => clients.ContainsKey(role);

    /// <summary>Drops the role's shared client and token, so that the next cell signs in afresh.</summary>
    public void Forget(Role role)
    {
        if (clients.Remove(role, out var client))
        {
            client.Dispose();
        }

        tokens.Remove(role);
    }

    /// <summary>One signed-in client per role for the whole class (anonymous: a client that never signed in).</summary>
    public async Task<TestClient> ClientAsync(Role role)
    {
        if (!clients.TryGetValue(role, out var client))
        {
            client = role == Role.Anonymous ? new TestClient(this) : await TestClient.SignedInAsync(this, Email(role));
            clients[role] = client;
        }

        return client;
    }

    /// <summary>A fresh client signed in as <paramref name="role"/>, for cells that end its session (sign-out) or start another.</summary>
    public async Task<TestClient> NewClientAsync(Role role) =>
        role == Role.Anonymous ? new TestClient(this) : await TestClient.SignedInAsync(this, Email(role));

    /// <summary>The role's antiforgery token (from the sign-out form, or the sign-in form when anonymous): valid for every form of that user.</summary>
    public async Task<string> TokenAsync(Role role)
    {
        if (!tokens.TryGetValue(role, out var token))
        {
            token = await TokenOfAsync(await ClientAsync(role), role);
            tokens[role] = token;
        }

        return token;
    }

    public static Task<string> TokenOfAsync(TestClient client, Role role) =>
        client.GetTokenAsync(role == Role.Anonymous ? "/account/login" : "/");

    // ------------------------------------------------------------ fresh objects for cells that change data

    /// <summary>A new active, ranked (last) goal of the scope's product.</summary>
    public Task<int> NewGoalAsync(Scope scope) => this.QueryAsync(async db =>
    {
        var productId = Product(scope);
        var product = await db.Products.Include(p => p.Goals).SingleAsync(p => p.Id == productId);
        var goal = product.AddGoal(Unique("Fresh goal"), "Arranged by the access tests.", "A metric", GoalHorizon.MidTerm);
        await db.SaveChangesAsync();
        return goal.Id;
    });

    /// <summary>A new active objective of the scope's team in the current quarter, aligned to <paramref name="goalId"/> (the scope's static goal by default), with two key results.</summary>
    public Task<(int Objective, int[] KeyResults)> NewObjectiveAsync(Scope scope, string? title = null, int? goalId = null) =>
        NewObjectiveAsync(Team(scope), goalId ?? Goal(scope), title);

    /// <summary>A new active objective of <paramref name="teamId"/> in the current quarter aligned to <paramref name="goal"/>, with two key results.</summary>
    public async Task<(int Objective, int[] KeyResults)> NewObjectiveAsync(int teamId, int goal, string? title = null)
    {
        var periodKey = CurrentPeriod;
        return await this.QueryAsync(async db =>
        {
            var periodId = await db.Periods.Where(p => p.Key == periodKey).Select(p => p.Id).SingleAsync();
            var objective = new Objective(teamId, periodId, title ?? Unique("Fresh objective"), null, goal, null, null,
                [new("First key result", MetricType.Number, MetricDirection.Increase, 0, 10), new("Second key result", MetricType.Number, MetricDirection.Increase, 0, 20)],
                DateTimeOffset.UtcNow.AddDays(-10));
            db.Objectives.Add(objective);
            await db.SaveChangesAsync();
            return (objective.Id, objective.KeyResults.OrderBy(k => k.Id).Select(k => k.Id).ToArray());
        });
    }

    /// <summary>A new planned item of the scope's team on the scope's product, linked to <paramref name="links"/>.</summary>
    public Task<int> NewItemAsync(Scope scope, string? title = null, params (LinkTargetType Type, int Id)[] links) =>
        NewItemAsync(scope == Scope.Own ? "Onboarding" : "Platform", Product(scope), title, links);

    /// <summary>A new planned item of team <paramref name="team"/> on <paramref name="productId"/>'s roadmap.</summary>
    public Task<int> NewItemAsync(string team, int productId, string? title = null, params (LinkTargetType Type, int Id)[] links) =>
        this.ArrangeItemAsync(team, title ?? Unique("Fresh item"), 3m, RoadmapHorizon.Next, links, RoadmapItemStatus.Planned, productId: productId);

    /// <summary>A new item with one link, one dependency (on another new item) and one piece of evidence, for the "remove" forms.</summary>
    public async Task<(int Item, int Link, int Dependency, int Evidence)> NewRichItemAsync(Scope scope)
    {
        var blocker = await NewItemAsync(scope);
        var item = await NewItemAsync(scope, null, (LinkTargetType.KeyResult, KeyResult(scope)));
        return await this.QueryAsync(async db =>
        {
            var entity = await db.RoadmapItems.Include(i => i.Links).Include(i => i.Dependencies).Include(i => i.Evidence).SingleAsync(i => i.Id == item);
            var blockerEntity = await db.RoadmapItems.SingleAsync(i => i.Id == blocker);
            var dependency = entity.DependOn(blockerEntity, _ => []);
            var evidence = entity.AddEvidence("Customers asked for it.", null, 2, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            return (item, entity.Links.Single().Id, dependency.Id, evidence.Id);
        });
    }

    /// <summary>A new item of the scope that is archived (for the restore form).</summary>
    public async Task<int> NewArchivedItemAsync(Scope scope)
    {
        var item = await NewItemAsync(scope);
        await this.QueryAsync(async db =>
        {
            (await db.RoadmapItems.SingleAsync(i => i.Id == item)).Archive(DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        return item;
    }

    /// <summary>A new item of the scope, deleted (for the restore form of Recently deleted).</summary>
    public async Task<int> NewDeletedItemAsync(Scope scope)
    {
        var item = await NewItemAsync(scope);
        await this.QueryAsync(async db =>
        {
            (await db.RoadmapItems.SingleAsync(i => i.Id == item)).Delete(DateTimeOffset.UtcNow, null);
            return await db.SaveChangesAsync();
        });
        return item;
    }

    /// <summary>A new objective of the scope, deleted (for the restore form of Recently deleted).</summary>
    public async Task<int> NewDeletedObjectiveAsync(Scope scope)
    {
        var (objective, _) = await NewObjectiveAsync(scope);
        await this.QueryAsync(async db =>
        {
            (await db.Objectives.SingleAsync(o => o.Id == objective)).Delete(DateTimeOffset.UtcNow, null);
            return await db.SaveChangesAsync();
        });
        return objective;
    }

    public Task<long> DeletedItemVersionAsync(int id) =>
        this.QueryAsync(db => db.RoadmapItems.IgnoreQueryFilters(QueryFilters.DeletedOnly).Where(i => i.Id == id).Select(i => i.Version).SingleAsync());

    public Task<long> DeletedObjectiveVersionAsync(int id) =>
        this.QueryAsync(db => db.Objectives.IgnoreQueryFilters(QueryFilters.DeletedOnly).Where(o => o.Id == id).Select(o => o.Version).SingleAsync());

    public Task<long> ItemVersionAsync(int id) => this.QueryAsync(db => db.RoadmapItems.Where(i => i.Id == id).Select(i => i.Version).SingleAsync());

    public Task<long> ObjectiveVersionAsync(int id) => this.QueryAsync(db => db.Objectives.Where(o => o.Id == id).Select(o => o.Version).SingleAsync());

    public Task<long> GoalVersionAsync(int id) => this.QueryAsync(db => db.Goals.Where(g => g.Id == id).Select(g => g.Version).SingleAsync());

    public Task<long> ProductVersionAsync(int id) => this.QueryAsync(db => db.Products.Where(p => p.Id == id).Select(p => p.Version).SingleAsync());

    public Task<int> VisionNumberAsync(int productId) =>
        this.QueryAsync(db => db.Visions.Where(v => v.ProductId == productId).Select(v => v.CurrentVersionNumber).SingleAsync());

    public Task<string> UserIdAsync(string email) => TestDatabase.UserIdAsync(this, email);

    public static bool IsLoginChallenge(Page page) =>
        page.StatusCode == HttpStatusCode.Redirect && page.LocationPath == "/account/login"
        && (page.Location ?? string.Empty).Contains("ReturnUrl=", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Names demo roles the way <see cref="Roles"/> does, for messages.</summary>
public static class RoleNames
{
    public static string Of(Role role) => role == Role.Anonymous ? "Anonymous" : Roles.DisplayName(role.ToString());
}
