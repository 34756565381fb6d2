using System.Globalization;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Okrs;

/// <summary>The OKRs of one period (and optionally one team) as a tree from goal to key results.</summary>
/// <param name="PeriodKey">"2026-Q4" as typed in the address; empty = the current quarter.</param>
/// <param name="Team">A team id as typed in the address; empty = all teams.</param>
public sealed record GetOkrsQuery(string? PeriodKey, string? Team) : IQuery<OkrListPage>;

/// <summary>
/// Reads in a constant number of set-based queries (periods, teams, the period's objectives with their key results,
/// the latest confidence per key result, the alignment of the period's objectives, their goals, their owners);
/// progress and flags are computed in memory by the domain.
/// </summary>
public sealed class GetOkrsHandler(AppDbContext db, OkrAccess access, ICurrentUser user, TimeProvider clock) : IQueryHandler<GetOkrsQuery, OkrListPage>
{
    private const int MaxDisplayedInput = 24;

    public async ValueTask<OkrListPage> Handle(GetOkrsQuery query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var current = Period.Containing(today);
        var notices = new List<string>();

        // 1. Periods: those in the database, and always the current quarter.
        var stored = await db.Periods.AsNoTracking().OrderBy(p => p.Year).ThenBy(p => p.Quarter).ToListAsync(cancellationToken);
        var periods = stored.Any(p => p.Key == current.Key) ? stored : [.. stored, current];
        periods = [.. periods.OrderBy(p => p.Year).ThenBy(p => p.Quarter)];
        var requestedKey = query.PeriodKey?.Trim().ToUpperInvariant();
        var period = string.IsNullOrEmpty(requestedKey) ? null : periods.FirstOrDefault(p => p.Key == requestedKey);
        if (period is null)
        {
            if (!string.IsNullOrWhiteSpace(query.PeriodKey))
            {
                notices.Add(Period.TryParseKey(requestedKey, out _, out _)
                    ? $"There are no OKRs for the period “{Shorten(query.PeriodKey)}”. Showing {current.Key}, the current quarter, instead."
                    : $"“{Shorten(query.PeriodKey)}” is not a period: periods look like {current.Key}. Showing {current.Key}, the current quarter, instead.");
            }

            period = periods.First(p => p.Key == current.Key);
        }

        // 2. Teams, for the filter and for names.
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => new TeamOption(t.Id, t.Name)).ToListAsync(cancellationToken);
        TeamOption? team = null;
        if (!string.IsNullOrWhiteSpace(query.Team))
        {
            team = int.TryParse(query.Team.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var teamId) ? teams.FirstOrDefault(t => t.Id == teamId) : null;
            if (team is null)
            {
                notices.Add($"There is no team “{Shorten(query.Team)}”. Showing all teams instead.");
            }
        }

        var teamNames = teams.ToDictionary(t => t.Id, t => t.Name);
        var periodView = ToView(period, today, current);
        var index = periods.IndexOf(period);
        var (groups, counts, multipleProducts) = period.Id == 0
            ? ([], new OkrSummaryCounts(0, 0, 0, 0, 0, 0, 0, 0), false)
            : await LoadTreeAsync(period, team?.Id, teamNames, now, cancellationToken);

        return new OkrListPage(
            periods.Select(p => ToView(p, today, current)).ToList(),
            periodView,
            index > 0 ? periods[index - 1].Key : null,
            index < periods.Count - 1 ? periods[index + 1].Key : null,
            teams,
            team,
            notices.Count == 0 ? null : string.Join(" ", notices),
            groups,
            counts,
            multipleProducts,
            !access.IsReadOnlyRole,
            await CreateTeamAsync(team, cancellationToken));
    }

    internal static PeriodView ToView(Period p, DateOnly today, Period current) =>
        new(p.Key, p.StartDate, p.EndDate, (int)Math.Round(p.ElapsedShare(today) * 100m, MidpointRounding.AwayFromZero), p.Key == current.Key);

    /// <summary>What the user typed, fit to be quoted back: short, without control characters.</summary>
    private static string Shorten(string text)
    {
        var trimmed = new string(text.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return trimmed.Length <= MaxDisplayedInput ? trimmed : trimmed[..MaxDisplayedInput] + "…";
    }

    /// <summary>The team the "New objective" button proposes: the filtered one when the user may write there, else a team member's own team.</summary>
    private async Task<int?> CreateTeamAsync(TeamOption? team, CancellationToken cancellationToken)
    {
        if (access.IsReadOnlyRole)
        {
            return null;
        }

        if (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.ProductManager))
        {
            return team?.Id;
        }

        var mine = await access.MyTeamsAsync(cancellationToken);
        return team is not null && mine.Contains(team.Id) ? team.Id : mine.Count > 0 ? mine.Min() : null;
    }

    private async Task<(List<GoalGroup> Groups, OkrSummaryCounts Counts, bool MultipleProducts)> LoadTreeAsync(
        Period period, int? teamId, Dictionary<int, string> teamNames, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var periodId = period.Id;

        // 3. The objectives shown, with their key results (one query with a join).
        var objectivesQuery = db.Objectives.AsNoTracking().Where(o => o.PeriodId == periodId && o.Status != ObjectiveStatus.Retired);
        if (teamId is { } t)
        {
            objectivesQuery = objectivesQuery.Where(o => o.TeamId == t);
        }

        var objectives = await objectivesQuery.Include(o => o.KeyResults).ToListAsync(cancellationToken);
        if (objectives.Count == 0)
        {
            return ([], new OkrSummaryCounts(0, 0, 0, 0, 0, 0, 0, 0), false);
        }

        // 4. The confidence of the latest check-in of each of their key results.
        var keyResultsQuery = db.KeyResults.AsNoTracking().Where(k => k.Objective.PeriodId == periodId && k.Objective.Status != ObjectiveStatus.Retired);
        if (teamId is { } t2)
        {
            keyResultsQuery = keyResultsQuery.Where(k => k.Objective.TeamId == t2);
        }

        var confidence = await keyResultsQuery
            .Select(k => new
            {
                k.Id,
                Confidence = db.CheckIns.Where(c => c.KeyResultId == k.Id)
                    .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
                    .Select(c => (int?)c.Confidence).FirstOrDefault(),
            })
            .ToDictionaryAsync(x => x.Id, x => x.Confidence, cancellationToken);

        // 5. Alignment of every objective of the period (parents may belong to a team not shown), and of parents
        //    in other periods (rare: a few rounds at most).
        var alignment = await db.Objectives.AsNoTracking().Where(o => o.PeriodId == periodId)
            .Select(o => new AlignmentRow(o.Id, o.Title, o.TeamId, o.GoalId, o.ParentObjectiveId))
            .ToDictionaryAsync(a => a.Id, cancellationToken);
        await AddMissingParentsAsync(db, alignment, cancellationToken);

        var visible = objectives.ToDictionary(o => o.Id);
        var goalOf = visible.Keys.ToDictionary(id => id, id => GoalOf(alignment, id));

        // 6. Goals and 7. owners.
        var goalIds = goalOf.Values.OfType<int>().Distinct().ToList();
        var goals = await db.Goals.AsNoTracking().Where(g => goalIds.Contains(g.Id))
            .Select(g => new GoalRef(g.Id, g.ProductId, g.Product.Name, g.Rank, g.Title, g.Status))
            .ToDictionaryAsync(g => g.Id, cancellationToken);
        var ownerIds = objectives.Select(o => o.OwnerId).OfType<string>().Distinct().ToList();
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);

        // In memory: progress, flags and the tree.
        var summaries = objectives.ToDictionary(o => o.Id, o => Summarise(o, period, now, confidence, teamNames, owners));
        var children = objectives.Where(o => o.ParentObjectiveId is { } p && visible.ContainsKey(p))
            .GroupBy(o => o.ParentObjectiveId!.Value)
            .ToDictionary(g => g.Key, g => g.Select(o => summaries[o.Id]).OrderBy(s => s.TeamName).ThenBy(s => s.Title).ToList());
        var placed = new HashSet<int>();

        ObjectiveNode Build(ObjectiveSummary summary, ObjectiveRef? contributesTo)
        {
            placed.Add(summary.Id);
            var nested = children.GetValueOrDefault(summary.Id) ?? [];
            return new ObjectiveNode(summary, nested.Where(c => !placed.Contains(c.Id)).ToList().Select(c => Build(c, null)).ToList(), contributesTo);
        }

        ObjectiveRef? ParentRef(int id) => visible[id].ParentObjectiveId is { } p && alignment.TryGetValue(p, out var parent)
            ? new ObjectiveRef(parent.Id, parent.Title, teamNames.GetValueOrDefault(parent.TeamId) ?? "another team")
            : null;

        var ordered = summaries.Values.OrderBy(s => s.TeamName).ThenBy(s => s.Title).ToList();
        var roots = new List<ObjectiveNode>();
        foreach (var s in ordered.Where(s => visible[s.Id].ParentObjectiveId is not { } p || !visible.ContainsKey(p)))
        {
            roots.Add(Build(s, ParentRef(s.Id)));
        }

        // Objectives caught in a cycle of parents are never reached from a root: show them at the top level.
        foreach (var s in ordered.Where(s => !placed.Contains(s.Id)))
        {
            roots.Add(Build(s, ParentRef(s.Id)));
        }

        var groups = roots
            .GroupBy(r => goalOf[r.Objective.Id] is { } g && goals.TryGetValue(g, out var goal) ? goal : null)
            .OrderBy(g => g.Key is null)
            .ThenBy(g => g.Key?.ProductName)
            .ThenBy(g => g.Key?.Rank is null)
            .ThenBy(g => g.Key?.Rank)
            .ThenBy(g => g.Key?.Title)
            .Select(g => new GoalGroup(g.Key, g.ToList(), g.Key is { } goal ? GoalProgress(goal.Id) : null))
            .ToList();

        Progress GoalProgress(int goalId) => ProgressCalculator.WeightedMean(
            objectives.Where(o => o.GoalId == goalId).Select(o => (o.Title, summaries[o.Id].Progress.RolledUp, o.Weight)).ToList(),
            "objectives aligned to this goal");

        var krs = summaries.Values.SelectMany(s => s.KeyResults).ToList();
        var counts = new OkrSummaryCounts(
            summaries.Count,
            krs.Count,
            krs.Count(k => k.Flags.Level == ConfidenceLevel.OnTrack),
            krs.Count(k => k.Flags.Level == ConfidenceLevel.AtRisk),
            krs.Count(k => k.Flags.Level == ConfidenceLevel.OffTrack),
            krs.Count(k => k.Flags.Level is null),
            krs.Count(k => k.Flags.Stale),
            krs.Count(k => k.Flags.Behind));
        return (groups, counts, goals.Values.Select(g => g.ProductId).Distinct().Count() > 1);
    }

    private static ObjectiveSummary Summarise(Objective o, Period period, DateTimeOffset now, Dictionary<int, int?> confidence,
        Dictionary<int, string> teamNames, Dictionary<string, string> owners) =>
        new(o.Id, o.Title, o.TeamId, teamNames.GetValueOrDefault(o.TeamId) ?? "—", o.OwnerId is { } owner ? owners.GetValueOrDefault(owner) : null,
            o.Status, o.Score, o.Progress(),
            o.ActiveKeyResults.OrderBy(k => k.Id)
                .Select(k => KeyResultView.From(k, period, now, confidence.GetValueOrDefault(k.Id), o.Status == ObjectiveStatus.Active)).ToList());

    internal sealed record AlignmentRow(int Id, string Title, int TeamId, int? GoalId, int? ParentObjectiveId);

    /// <summary>Loads parents that are not in the map yet (objectives of other periods), a few levels at most.</summary>
    internal static async Task AddMissingParentsAsync(AppDbContext db, Dictionary<int, AlignmentRow> alignment, CancellationToken cancellationToken)
    {
        var unknown = new HashSet<int>();
        for (var round = 0; round < 5; round++)
        {
            var missing = alignment.Values.Select(a => a.ParentObjectiveId).OfType<int>()
                .Where(p => !alignment.ContainsKey(p) && !unknown.Contains(p)).Distinct().ToList();
            if (missing.Count == 0)
            {
                return;
            }

            var found = await db.Objectives.AsNoTracking().Where(o => missing.Contains(o.Id))
                .Select(o => new AlignmentRow(o.Id, o.Title, o.TeamId, o.GoalId, o.ParentObjectiveId)).ToListAsync(cancellationToken);
            foreach (var row in found)
            {
                alignment[row.Id] = row;
            }

            unknown.UnionWith(missing.Where(m => !alignment.ContainsKey(m)));
        }
    }

    /// <summary>The goal an objective serves: its own, or the first one up its chain of parents.</summary>
    internal static int? GoalOf(Dictionary<int, AlignmentRow> alignment, int objectiveId)
    {
        var seen = new HashSet<int>();
        for (var id = (int?)objectiveId; id is { } i && seen.Add(i) && alignment.TryGetValue(i, out var row); id = row.ParentObjectiveId)
        {
            if (row.GoalId is { } goal)
            {
                return goal;
            }
        }

        return null;
    }
}

/// <summary>One objective with its key results, their check-in history, alignment and what the user may do.</summary>
public sealed record GetObjectiveQuery(int ObjectiveId) : IQuery<ObjectivePage>;

/// <summary>
/// Reads the objective page's data once per change of the database (the change counter; see ADR 0005) and keeps it in
/// the shared <see cref="ReadModelCache"/>: a request then pays the counter and the user's memberships, not the
/// objective's check-ins and items again. What depends on the user or the clock is worked out per request.
/// </summary>
public sealed class GetObjectiveHandler(AppDbContext db, OkrAccess access, TimeProvider clock, ReadModelCache cache) : IQueryHandler<GetObjectiveQuery, ObjectivePage>
{
    public async ValueTask<ObjectivePage> Handle(GetObjectiveQuery query, CancellationToken cancellationToken)
    {
        var id = query.ObjectiveId;
        var data = await cache.GetOrReadAsync(db, ("objective-page", id), () => ReadAsync(id, cancellationToken), cancellationToken);
        var objective = data.Objective;
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        var canEdit = await access.CanEditObjectiveAsync(objective.TeamId, data.ProductId, cancellationToken);
        var isActive = objective.Status == ObjectiveStatus.Active;
        var canCheckIn = isActive && await access.CanCheckInAsync(objective.TeamId, cancellationToken);

        var keyResults = objective.ActiveKeyResults.OrderBy(k => k.Id).Select(k =>
        {
            var rows = data.History.GetValueOrDefault(k.Id) ?? [];
            var view = KeyResultView.From(k, data.Period, now, rows.Count == 0 ? null : rows[^1].Confidence, isActive);
            return new KeyResultDetail(view, rows, data.ChartJson[k.Id], canEdit && isActive, data.ItemsOfKeyResult[k.Id].ToList());
        }).ToList();

        var current = Period.Containing(today);
        return new ObjectivePage(objective.Id, objective.Title, objective.Description, objective.Status, objective.Score, objective.Retrospective,
            GetOkrsHandler.ToView(data.Period, today, current), objective.TeamId, data.TeamName, data.OwnerName, data.Goal, data.Parent, data.GoalViaParent,
            data.Contributors, objective.Progress(), keyResults,
            objective.KeyResults.Where(k => k.Status != KeyResultStatus.Active).OrderBy(k => k.Id).Select(k => k.Title).ToList(),
            canEdit, canCheckIn, data.ItemsOfObjective);
    }

    /// <summary>
    /// What the page shows of an objective whoever looks at it. Shared by concurrent requests: the entities were read
    /// without tracking and are only read from, never changed.
    /// </summary>
    private sealed record ObjectiveData(
        Objective Objective,
        Period Period,
        string TeamName,
        string? OwnerName,
        GoalRef? Goal,
        ObjectiveRef? Parent,
        GoalRef? GoalViaParent,
        IReadOnlyList<ObjectiveRef> Contributors,
        int? ProductId,
        IReadOnlyDictionary<int, List<CheckInRow>> History,
        IReadOnlyDictionary<int, string> ChartJson,
        ILookup<int, LinkedItem> ItemsOfKeyResult,
        IReadOnlyList<LinkedItem> ItemsOfObjective);

    private async Task<ObjectiveData> ReadAsync(int id, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.AsNoTracking().Include(o => o.KeyResults).SingleOrDefaultAsync(o => o.Id == id, cancellationToken)
            ?? throw new NotFoundException("The objective");

        // Everything else about the objective in one query: period, names, alignment (goal, or parent and its goal)
        // and the objectives that contribute to it. Left joins, not sub-selects of several columns: SQLite cannot run
        // those (no APPLY).
        var context = await (
                from o in db.Objectives.AsNoTracking()
                where o.Id == id
                join p in db.Periods on o.PeriodId equals p.Id
                join t in db.Teams on o.TeamId equals t.Id
                join u in db.Users on o.OwnerId equals u.Id into owners
                from u in owners.DefaultIfEmpty()
                join g in db.Goals on o.GoalId equals g.Id into goals
                from g in goals.DefaultIfEmpty()
                join parentRow in db.Objectives on o.ParentObjectiveId equals parentRow.Id into parents
                from parentRow in parents.DefaultIfEmpty()
                join parentTeam in db.Teams on parentRow.TeamId equals parentTeam.Id into parentTeams
                from parentTeam in parentTeams.DefaultIfEmpty()
                join pg in db.Goals on parentRow.GoalId equals pg.Id into parentGoals
                from pg in parentGoals.DefaultIfEmpty()
                select new
                {
                    Period = p,
                    TeamName = t.Name,
                    OwnerName = u == null ? null : u.DisplayName,
                    Goal = g == null ? null : new GoalRef(g.Id, g.ProductId, g.Product.Name, g.Rank, g.Title, g.Status),
                    Parent = parentRow == null ? null : new ObjectiveRef(parentRow.Id, parentRow.Title, parentTeam == null ? "another team" : parentTeam.Name),
                    ParentGoalId = parentRow == null ? null : parentRow.GoalId,
                    ParentGoal = pg == null ? null : new GoalRef(pg.Id, pg.ProductId, pg.Product.Name, pg.Rank, pg.Title, pg.Status),
                    Contributors = (
                            from c in db.Objectives
                            join ct in db.Teams on c.TeamId equals ct.Id
                            where c.ParentObjectiveId == o.Id && c.Status != ObjectiveStatus.Retired
                            orderby c.Title
                            select new ObjectiveRef(c.Id, c.Title, ct.Name))
                        .ToList(),
                })
            .SingleAsync(cancellationToken);
        var period = context.Period;

        // A join from the key results, not EXISTS per check-in: the database then seeks the (KeyResultId, CreatedAt)
        // index instead of scanning every check-in of every team.
        var history = (await (
                    from k in db.KeyResults
                    where k.ObjectiveId == id
                    join c in db.CheckIns on k.Id equals c.KeyResultId
                    orderby c.CreatedAt, c.Id
                    select new { c.KeyResultId, Row = new CheckInRow(c.Id, c.CreatedAt, c.Value, c.Confidence, c.Note, c.AuthorName) })
                .AsNoTracking()
                .ToListAsync(cancellationToken))
            .GroupBy(c => c.KeyResultId)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Row).ToList());

        // Alignment: the goal, or the parent and the goal up its chain (further up only for chains of three or more).
        var goal = objective.GoalId is null ? null : context.Goal;
        var parent = objective.GoalId is null ? context.Parent : null;
        var goalViaParent = objective.GoalId is null ? context.ParentGoal : null;
        if (objective.GoalId is null && context.Parent is not null && context.ParentGoalId is null && objective.ParentObjectiveId is { } parentId)
        {
            var alignment = await db.Objectives.AsNoTracking().Where(o => o.PeriodId == objective.PeriodId)
                .Select(o => new GetOkrsHandler.AlignmentRow(o.Id, o.Title, o.TeamId, o.GoalId, o.ParentObjectiveId))
                .ToDictionaryAsync(a => a.Id, cancellationToken);
            await GetOkrsHandler.AddMissingParentsAsync(db, alignment, cancellationToken);
            if (GetOkrsHandler.GoalOf(alignment, parentId) is { } g)
            {
                goalViaParent = await GoalAsync(g, cancellationToken);
            }
        }

        // Two index seeks joined by UNION ALL (links to the objective, links to its key results) rather than one OR
        // with EXISTS, which makes the database scan every link of the product.
        var links = db.RoadmapLinks.Where(l => l.ObjectiveId == id)
            .Select(l => new { l.RoadmapItemId, l.KeyResultId })
            .Concat(
                from k in db.KeyResults
                where k.ObjectiveId == id
                join l in db.RoadmapLinks on (int?)k.Id equals l.KeyResultId
                select new { l.RoadmapItemId, l.KeyResultId });
        var linkedItems = (await links.AsNoTracking()
                .Join(db.RoadmapItems.Where(i => i.ArchivedAt == null), l => l.RoadmapItemId, i => i.Id, (l, i) => new
                {
                    l.KeyResultId,
                    Item = new LinkedItem(i.Id, i.Title, i.Status, db.Teams.Where(t => t.Id == i.TeamId).Select(t => t.Name).FirstOrDefault() ?? "—"),
                })
                .ToListAsync(cancellationToken))
            .OrderBy(x => x.Item.Title, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

        // The chart data does not depend on the clock (title, unit, goalposts and the check-ins): serialised once here.
        var readAt = clock.GetUtcNow();
        var chartJson = objective.KeyResults.ToDictionary(k => k.Id, k => OkrText.ChartJson(
            KeyResultView.From(k, period, readAt, null), history.GetValueOrDefault(k.Id) ?? []));

        return new ObjectiveData(objective, period, context.TeamName, context.OwnerName, goal, parent, goalViaParent, context.Contributors,
            (goal ?? goalViaParent)?.ProductId, history, chartJson,
            linkedItems.Where(x => x.KeyResultId is not null).ToLookup(x => x.KeyResultId!.Value, x => x.Item),
            linkedItems.Where(x => x.KeyResultId is null).Select(x => x.Item).ToList());
    }

    private Task<GoalRef?> GoalAsync(int goalId, CancellationToken cancellationToken) =>
        db.Goals.AsNoTracking().Where(g => g.Id == goalId)
            .Select(g => new GoalRef(g.Id, g.ProductId, g.Product.Name, g.Rank, g.Title, g.Status))
            .SingleOrDefaultAsync(cancellationToken);
}

/// <summary>Where a check-in goes and whether the user may make it (404 and 403 come before any validation).</summary>
public sealed record GetCheckInTargetQuery(int KeyResultId) : IQuery<CheckInTarget>;

public sealed record CheckInTarget(int KeyResultId, int ObjectiveId, int TeamId, bool CanCheckIn);

public sealed class GetCheckInTargetHandler(AppDbContext db, OkrAccess access) : IQueryHandler<GetCheckInTargetQuery, CheckInTarget>
{
    public async ValueTask<CheckInTarget> Handle(GetCheckInTargetQuery query, CancellationToken cancellationToken)
    {
        var target = await db.KeyResults.AsNoTracking().Where(k => k.Id == query.KeyResultId)
            .Select(k => new { k.ObjectiveId, k.Objective.TeamId })
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The key result");
        return new CheckInTarget(query.KeyResultId, target.ObjectiveId, target.TeamId, await access.CanCheckInAsync(target.TeamId, cancellationToken));
    }
}

/// <summary>
/// Every check-in of one key result, newest first, a page at a time (the objective page shows the latest ones only).
/// </summary>
public sealed record GetCheckInHistoryQuery(int KeyResultId, int Page) : IQuery<CheckInHistoryPage>;

public sealed class GetCheckInHistoryHandler(AppDbContext db, TimeProvider clock) : IQueryHandler<GetCheckInHistoryQuery, CheckInHistoryPage>
{
    public const int PageSize = 50;

    public async ValueTask<CheckInHistoryPage> Handle(GetCheckInHistoryQuery query, CancellationToken cancellationToken)
    {
        var keyResult = await db.KeyResults.AsNoTracking().SingleOrDefaultAsync(k => k.Id == query.KeyResultId, cancellationToken)
            ?? throw new NotFoundException("The key result");
        var objective = await (
                from o in db.Objectives
                where o.Id == keyResult.ObjectiveId
                join p in db.Periods on o.PeriodId equals p.Id
                join t in db.Teams on o.TeamId equals t.Id
                select new { o.Id, o.Title, o.Status, Period = p, TeamId = t.Id, TeamName = t.Name })
            .AsNoTracking()
            .SingleAsync(cancellationToken);

        var checkIns = db.CheckIns.AsNoTracking().Where(c => c.KeyResultId == keyResult.Id);
        var total = await checkIns.CountAsync(cancellationToken);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        var page = Math.Clamp(query.Page, 1, pages);
        var rows = await checkIns
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(c => new CheckInRow(c.Id, c.CreatedAt, c.Value, c.Confidence, c.Note, c.AuthorName))
            .ToListAsync(cancellationToken);

        var view = KeyResultView.From(keyResult, objective.Period, clock.GetUtcNow(), rows.Count == 0 ? null : rows[0].Confidence,
            objective.Status == ObjectiveStatus.Active);
        return new CheckInHistoryPage(view, objective.Id, objective.Title, objective.Period.Key, objective.TeamId, objective.TeamName,
            rows, total, page, pages, RequestedPageExists: query.Page >= 1 && query.Page <= pages);
    }
}
