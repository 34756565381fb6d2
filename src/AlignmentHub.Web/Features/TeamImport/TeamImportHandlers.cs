using System.Globalization;
using System.Text.Json;
using AlignmentHub.Domain.Auditing;
using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Domain.Teams;
using AlignmentHub.Infrastructure.Auditing;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.TeamExport;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.TeamImport;

/// <summary>What the administrator chose on the preview: the new team's name and the product (0 = a new one, named <see cref="ProductName"/>).</summary>
public sealed record TeamImportOptions(string? TeamName, int? ProductId, string? ProductName);

public sealed record ProductChoice(int Id, string Name);

public sealed record GoalMatch(string Title, GoalHorizon Horizon, bool Matched);

public sealed record PersonMatch(string DisplayName, string Email, bool Matched);

public sealed record TableCount(string Table, int Count);

/// <summary>Everything the import would do, computed without saving anything.</summary>
public sealed record TeamImportPreview(
    string? FileError,
    string SourceTeam,
    string TeamName,
    string? TeamNameError,
    IReadOnlyList<ProductChoice> Products,
    int ProductId,
    string ProductName,
    string? ProductError,
    IReadOnlyList<TableCount> Counts,
    IReadOnlyList<GoalMatch> Goals,
    IReadOnlyList<PersonMatch> People,
    IReadOnlyList<string> Dropped,
    IReadOnlyList<string> Notes,
    IReadOnlyList<ImportRowError> RowErrors)
{
    public bool CanImport => FileError is null && TeamNameError is null && ProductError is null && RowErrors.Count == 0;

    public static TeamImportPreview Refused(string message) => new(message, string.Empty, string.Empty, null, [], 0, string.Empty, null, [], [], [], [], [], []);
}

public sealed record PreviewTeamImportQuery(byte[] Json, TeamImportOptions Options) : IQuery<TeamImportPreview>;

/// <summary>The import: the new team's id and the period to show it in, or the preview again when it cannot be done.</summary>
public sealed record TeamImportResult(TeamImportPreview Preview, int? TeamId, string? PeriodKey);

public sealed record CommitTeamImportCommand(byte[] Json, string? FileName, TeamImportOptions Options) : ICommand<TeamImportResult>;

/// <summary>The preview and the plan the commit follows: five queries whatever the file's size.</summary>
internal sealed class TeamImportPlanner(AppDbContext db)
{
    public sealed record Plan(TeamImportPreview Preview, TeamExportDocument? Document, Dictionary<int, int> ExistingGoals, Dictionary<string, string> ExistingPeople);

    public async Task<Plan> PlanAsync(byte[] json, TeamImportOptions options, CancellationToken cancellationToken)
    {
        var file = TeamImportReader.Read(json);
        if (file.Document is not { } d)
        {
            return new Plan(TeamImportPreview.Refused(file.FileError!), null, [], []);
        }

        var errors = file.RowErrors.ToList();

        // The team: a new one, under a name no team has.
        var teamName = (options.TeamName ?? d.Team.Name ?? string.Empty).Trim();
        string? teamNameError = null;
        try
        {
            _ = new Team(teamName, d.Team.Mission);
        }
        catch (DomainException ex) when (ex.Field == nameof(Team.Mission))
        {
            errors.Add(new ImportRowError("team", 1, d.Team.Id.ToString(CultureInfo.InvariantCulture), ex.Message));
        }
        catch (DomainException ex)
        {
            teamNameError = ex.Message;
        }

        if (teamNameError is null)
        {
            var lower = teamName.ToLowerInvariant();
            if (await db.Teams.AsNoTracking().AnyAsync(t => t.Name.ToLower() == lower, cancellationToken))
            {
                teamNameError = $"A team called “{teamName}” already exists. Choose another name for the imported team.";
            }
        }

        // The product: one that exists, or a new one named like the file's.
        var products = await db.Products.AsNoTracking().OrderBy(p => p.Name).Select(p => new ProductChoice(p.Id, p.Name)).ToListAsync(cancellationToken);
        var fileProduct = d.RoadmapItems.Select(i => d.Products!.FirstOrDefault(p => p.Id == i.ProductId)?.Name).FirstOrDefault(n => n is not null)
            ?? d.Products!.FirstOrDefault()?.Name ?? teamName;
        var productId = options.ProductId ?? products.FirstOrDefault(p => string.Equals(p.Name, fileProduct.Trim(), StringComparison.OrdinalIgnoreCase))?.Id ?? 0;
        var productName = (options.ProductName ?? fileProduct).Trim();
        string? productError = null;
        if (productId != 0 && products.All(p => p.Id != productId))
        {
            productError = "Choose a product from the list.";
        }
        else if (productId == 0)
        {
            if (productName.Length is 0 or > Limits.Name)
            {
                productError = $"Enter a name of 1 to {Limits.Name} characters for the new product.";
            }
            else if (products.Any(p => string.Equals(p.Name, productName, StringComparison.OrdinalIgnoreCase)))
            {
                productError = $"A product called “{productName}” already exists: choose it in the list, or another name.";
            }
        }

        // Goals matched by title in the target product, people by e-mail address.
        var existingGoals = new Dictionary<int, int>();
        if (productId != 0)
        {
            var targetGoals = await db.Goals.AsNoTracking().Where(g => g.ProductId == productId).Select(g => new { g.Id, g.Title }).ToListAsync(cancellationToken);
            foreach (var g in d.Goals!)
            {
                if (targetGoals.FirstOrDefault(t => string.Equals(t.Title, g.Title?.Trim(), StringComparison.OrdinalIgnoreCase)) is { } match)
                {
                    existingGoals[g.Id] = match.Id;
                }
            }
        }

        var emails = d.People!.Where(p => TeamImportRules.IsEmail(p.Email)).Select(p => p.Email.Trim().ToUpperInvariant()).ToList();
        var users = await db.Users.AsNoTracking().Where(u => emails.Contains(u.NormalizedEmail!)).Select(u => new { u.Id, u.NormalizedEmail }).ToListAsync(cancellationToken);
        var existingPeople = d.People!
            .Select(p => (p.Id, User: users.FirstOrDefault(u => u.NormalizedEmail == p.Email?.Trim().ToUpperInvariant())))
            .Where(p => p.User is not null)
            .GroupBy(p => p.Id)
            .ToDictionary(g => g.Key, g => g.First().User!.Id);

        // Entity rules: the same construction as the commit, on throw-away entities.
        var builder = new TeamImportBuilder(d, errors);
        var fileObjectives = d.Objectives.Select(o => o.Id).ToHashSet();
        foreach (var o in d.Objectives)
        {
            var parentExternal = o.ParentObjectiveId is { } p && (o.ParentExternal || !fileObjectives.Contains(p));
            builder.Objective(o, 0, 0, parentExternal ? o.ViaGoalId : o.GoalId, parentExternal ? null : o.ParentObjectiveId, id => id);
        }

        foreach (var i in d.RoadmapItems)
        {
            builder.Item(i, 0, 0, id => id);
        }

        builder.CheckLinksAndDependencies();

        var itemTitle = d.RoadmapItems.GroupBy(i => i.Id).ToDictionary(g => g.Key, g => g.First().Title);
        var goalTitle = d.Goals!.GroupBy(g => g.Id).ToDictionary(g => g.Key, g => g.First().Title);
        var dropped = new List<string>();
        foreach (var o in d.Objectives.Where(o => o.ParentExternal && o.ParentObjectiveId is not null))
        {
            dropped.Add(string.Create(CultureInfo.InvariantCulture,
                $"Objective “{o.Title}”: its parent objective (id {o.ParentObjectiveId}) belongs to another team; it will be aligned to the goal that objective serves, “{(o.ViaGoalId is { } g ? goalTitle.GetValueOrDefault(g) : "?")}”."));
        }

        foreach (var l in d.Links.Where(l => l.External))
        {
            dropped.Add(string.Create(CultureInfo.InvariantCulture,
                $"Link of “{itemTitle.GetValueOrDefault(l.RoadmapItemId)}” to {(l.TargetType == LinkTargetType.KeyResult ? "a key result" : "an objective")} of another team (id {l.TargetId}): not imported."));
        }

        foreach (var x in d.Dependencies.Where(x => x.External))
        {
            dropped.Add(string.Create(CultureInfo.InvariantCulture,
                $"Dependency of “{itemTitle.GetValueOrDefault(x.RoadmapItemId)}” on an item of another team (id {x.BlockerId}): not imported."));
        }

        var notes = d.Products!.Where(p => !string.Equals(p.Name, fileProduct, StringComparison.Ordinal))
            .Select(p => $"Items and goals of product “{p.Name}” are imported into the chosen product too.").ToList();

        var preview = new TeamImportPreview(null, d.Team.Name ?? string.Empty, teamName, teamNameError, products, productId, productName, productError,
            [
                new(TeamImportTables.Objectives, d.Objectives.Count), new(TeamImportTables.KeyResults, d.KeyResults.Count),
                new(TeamImportTables.CheckIns, d.CheckIns.Count), new(TeamImportTables.RoadmapItems, d.RoadmapItems.Count),
                new(TeamImportTables.Links, d.Links.Count(l => !l.External)), new(TeamImportTables.Dependencies, d.Dependencies.Count(x => !x.External)),
                new(TeamImportTables.Members, d.Members!.Count),
            ],
            d.Goals!.Select(g => new GoalMatch(g.Title ?? string.Empty, g.Horizon, existingGoals.ContainsKey(g.Id))).ToList(),
            d.People!.Select(p => new PersonMatch(p.DisplayName ?? string.Empty, p.Email ?? string.Empty, existingPeople.ContainsKey(p.Id))).ToList(),
            dropped, notes, errors.OrderBy(e => e.Table, StringComparer.Ordinal).ThenBy(e => e.Row).ToList());
        return new Plan(preview, d, existingGoals, existingPeople);
    }
}

public sealed class PreviewTeamImportHandler(AppDbContext db) : IQueryHandler<PreviewTeamImportQuery, TeamImportPreview>
{
    public async ValueTask<TeamImportPreview> Handle(PreviewTeamImportQuery query, CancellationToken cancellationToken) =>
        (await new TeamImportPlanner(db).PlanAsync(query.Json, query.Options, cancellationToken)).Preview;
}

/// <summary>
/// The import, all or nothing in one transaction: the plan is made again (the database may have changed since the
/// preview), then the product, goals, people, periods, team, objectives with their history, and roadmap items with
/// their links are created through the entities, every change audited by the interceptor, and one audit row records
/// the import itself with the map from the file's ids to the new ones.
/// </summary>
public sealed class CommitTeamImportHandler(AppDbContext db, UserManager<ApplicationUser> userManager, IAuditActor actor, TimeProvider clock)
    : ICommandHandler<CommitTeamImportCommand, TeamImportResult>
{
    public const string AuditType = "TeamImport";
    public const string AuditAction = "Imported";

    public async ValueTask<TeamImportResult> Handle(CommitTeamImportCommand command, CancellationToken cancellationToken)
    {
        var plan = await new TeamImportPlanner(db).PlanAsync(command.Json, command.Options, cancellationToken);
        if (!plan.Preview.CanImport || plan.Document is not { } d)
        {
            return new TeamImportResult(plan.Preview, null, null);
        }

        var now = clock.GetUtcNow();
        var errors = new List<ImportRowError>();
        var builder = new TeamImportBuilder(d, errors);
        var map = new ImportIdMap();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            // Product and goals.
            var product = plan.Preview.ProductId != 0
                ? await db.Products.Include(p => p.Goals).SingleAsync(p => p.Id == plan.Preview.ProductId, cancellationToken)
                : db.Products.Add(new Product(plan.Preview.ProductName, null, now)).Entity;
            var newGoals = new Dictionary<int, Goal>();
            foreach (var g in d.Goals!.Where(g => !plan.ExistingGoals.ContainsKey(g.Id)).OrderBy(g => g.Rank ?? int.MaxValue).ThenBy(g => g.Id))
            {
                var goal = product.AddGoal(g.Title, g.Description, g.SuccessMetric, g.Horizon);
                if (g.Status == GoalStatus.Achieved)
                {
                    goal.MarkAchieved();
                }
                else if (g.Status == GoalStatus.Retired)
                {
                    goal.Retire(g.RetirementReason, g.RetiredAt ?? now);
                }

                newGoals[g.Id] = goal;
            }

            await db.SaveChangesAsync(cancellationToken);
            foreach (var g in d.Goals!)
            {
                map.Goals[g.Id] = plan.ExistingGoals.TryGetValue(g.Id, out var existing) ? existing : newGoals[g.Id].Id;
            }

            // People: matched by e-mail, or created disabled and without a password (an administrator enables them on the user page).
            foreach (var p in d.People!)
            {
                if (plan.ExistingPeople.TryGetValue(p.Id, out var existing))
                {
                    map.People[p.Id] = existing;
                    continue;
                }

                var user = new ApplicationUser { UserName = p.Email.Trim(), Email = p.Email.Trim(), DisplayName = p.DisplayName.Trim(), IsDisabled = true };
                var created = await userManager.CreateAsync(user);
                if (!created.Succeeded)
                {
                    throw new DomainException($"The account for {p.Email} could not be created: {string.Join(" ", created.Errors.Select(e => e.Description))}");
                }

                map.People[p.Id] = user.Id;
            }

            // Periods by key.
            var keys = d.Objectives.Select(o => o.PeriodKey).Distinct(StringComparer.Ordinal).ToList();
            var periods = await db.Periods.Where(p => keys.Contains(p.Key)).ToDictionaryAsync(p => p.Key, cancellationToken);
            foreach (var key in keys.Where(k => !periods.ContainsKey(k)))
            {
                Period.TryParseKey(key, out var year, out var quarter);
                periods[key] = db.Periods.Add(Period.ForQuarter(year, quarter)).Entity;
            }

            // The team and its members.
            var team = db.Teams.Add(new Team(plan.Preview.TeamName, d.Team.Mission)).Entity;
            await db.SaveChangesAsync(cancellationToken);
            foreach (var m in d.Members!)
            {
                team.AddMember(map.People[m.UserId], m.IsLead);
            }

            string? Person(string? id) => id is null ? null : map.People[id];

            // Objectives, parents first, each saved so that its children can point at its new id.
            foreach (var o in TeamImportRules.ParentsFirst(d.Objectives))
            {
                var external = o.ParentObjectiveId is not null && o.ParentExternal;
                var goalId = external ? map.Goals[o.ViaGoalId!.Value] : o.GoalId is { } g ? map.Goals[g] : (int?)null;
                var parentId = external || o.ParentObjectiveId is not { } parent ? (int?)null : map.Objectives[parent];
                var built = builder.Objective(o, team.Id, periods[o.PeriodKey].Id, goalId, parentId, Person) ?? throw new ImportRefusedException();
                db.Objectives.Add(built.Objective);
                await db.SaveChangesAsync(cancellationToken);
                map.Objectives[o.Id] = built.Objective.Id;
                foreach (var (id, kr) in built.KeyResults)
                {
                    map.KeyResults[id] = kr.Id;
                }

                foreach (var (id, checkIn) in built.CheckIns)
                {
                    map.CheckIns[id] = checkIn.Id;
                }
            }

            // Roadmap items, then their links and dependencies (which need the items' new ids).
            var items = new Dictionary<int, RoadmapItem>();
            foreach (var i in d.RoadmapItems)
            {
                items[i.Id] = builder.Item(i, product.Id, team.Id, Person) ?? throw new ImportRefusedException();
                db.RoadmapItems.Add(items[i.Id]);
            }

            await db.SaveChangesAsync(cancellationToken);
            var links = new Dictionary<int, RoadmapLink>();
            foreach (var l in d.Links.Where(l => !l.External))
            {
                var target = l.TargetType switch
                {
                    LinkTargetType.Goal => map.Goals[l.TargetId],
                    LinkTargetType.Objective => map.Objectives[l.TargetId],
                    _ => map.KeyResults[l.TargetId],
                };
                links[l.Id] = items[l.RoadmapItemId].LinkTo(l.TargetType, target);
            }

            var dependencies = new Dictionary<int, ItemDependency>();
            var dependsOn = new Dictionary<int, List<int>>();
            foreach (var x in d.Dependencies.Where(x => !x.External))
            {
                var item = items[x.RoadmapItemId];
                var blocker = items[x.BlockerId];
                dependencies[x.Id] = item.DependOn(blocker, id => dependsOn.GetValueOrDefault(id) ?? []);
                (dependsOn.TryGetValue(item.Id, out var list) ? list : dependsOn[item.Id] = []).Add(blocker.Id);
            }

            await db.SaveChangesAsync(cancellationToken);
            foreach (var (id, item) in items)
            {
                map.RoadmapItems[id] = item.Id;
            }

            foreach (var (id, link) in links)
            {
                map.Links[id] = link.Id;
            }

            foreach (var (id, dependency) in dependencies)
            {
                map.Dependencies[id] = dependency.Id;
            }

            map.TeamId = team.Id;
            map.ProductId = product.Id;
            db.AuditEntries.Add(new AuditEntry(now, actor.UserId, actor.UserName, AuditType, team.Id.ToString(CultureInfo.InvariantCulture), AuditAction,
                JsonSerializer.Serialize(new
                {
                    file = command.FileName,
                    sourceTeamId = d.Team.Id,
                    team = team.Name,
                    product = product.Name,
                    counts = plan.Preview.Counts.ToDictionary(c => c.Table, c => c.Count),
                    dropped = plan.Preview.Dropped.Count,
                    map,
                }, TeamExportFormat.Json), actor.CorrelationId));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            var period = d.Objectives.Select(o => o.PeriodKey).Order(StringComparer.Ordinal).LastOrDefault();
            return new TeamImportResult(plan.Preview, team.Id, period);
        }
        catch (ImportRefusedException)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new TeamImportResult(plan.Preview with { RowErrors = errors }, null, null);
        }
        catch
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            throw;
        }
    }

    private sealed class ImportRefusedException : Exception;
}

/// <summary>The file's ids → the new ids, per table (recorded in the import's audit row; the round-trip test compares through it).</summary>
public sealed class ImportIdMap
{
    public int TeamId { get; set; }

    public int ProductId { get; set; }

    public Dictionary<string, string> People { get; init; } = [];

    public Dictionary<int, int> Goals { get; init; } = [];

    public Dictionary<int, int> Objectives { get; init; } = [];

    public Dictionary<int, int> KeyResults { get; init; } = [];

    public Dictionary<int, int> CheckIns { get; init; } = [];

    public Dictionary<int, int> RoadmapItems { get; init; } = [];

    public Dictionary<int, int> Links { get; init; } = [];

    public Dictionary<int, int> Dependencies { get; init; } = [];
}
