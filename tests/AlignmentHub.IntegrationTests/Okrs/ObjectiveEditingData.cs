using AlignmentHub.Domain.Okrs;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Okrs;

/// <summary>Arranges objectives straight in the test database and reads them back, for <see cref="ObjectiveEditingTests"/>.</summary>
internal static class ObjectiveEditingData
{
    public static string CurrentKey => Period.Containing(DateOnly.FromDateTime(DateTime.UtcNow)).Key;

    public static string NextKey
    {
        get
        {
            var (year, quarter) = Period.Containing(DateOnly.FromDateTime(DateTime.UtcNow)).Next();
            return Period.ForQuarter(year, quarter).Key;
        }
    }

    public static Task<int> PeriodIdAsync(this AlignmentHubFactory factory, string key) =>
        factory.QueryAsync(db => db.Periods.Where(p => p.Key == key).Select(p => p.Id).SingleAsync());

    /// <summary>The id of the product's active goal of this rank.</summary>
    public static async Task<int> GoalIdAsync(this AlignmentHubFactory factory, int rank) =>
        (await factory.RankedGoalsAsync()).Single(g => g.Rank == rank).Id;

    /// <summary>An objective of <paramref name="team"/> in the current period, saved directly (not through the pages).</summary>
    public static async Task<int> ArrangeObjectiveAsync(this AlignmentHubFactory factory, string team, string title, int? goalId, int? parentId,
        IReadOnlyCollection<KeyResultDefinition> keyResults, Action<Objective, string>? then = null, string? periodKey = null)
    {
        var teamId = await factory.TeamIdAsync(team);
        var periodId = await factory.PeriodIdAsync(periodKey ?? CurrentKey);
        return await factory.QueryAsync(async db =>
        {
            var objective = new Objective(teamId, periodId, title, null, goalId, parentId, null, keyResults, DateTimeOffset.UtcNow.AddDays(-30));
            db.Objectives.Add(objective);
            await db.SaveChangesAsync();
            if (then is not null)
            {
                // Check-ins need a real author: the demo administrator.
                var authorId = await db.Users.Where(u => u.Email == Demo.Admin).Select(u => u.Id).SingleAsync();
                then(objective, authorId);
                await db.SaveChangesAsync();
            }

            return objective.Id;
        });
    }

    public static KeyResultDefinition Increase(string title, decimal baseline = 10m, decimal target = 20m) =>
        new(title, MetricType.Number, MetricDirection.Increase, baseline, target);

    public static Task<Objective> ObjectiveAsync(this AlignmentHubFactory factory, int id) =>
        factory.QueryAsync(db => db.Objectives.AsNoTracking().Include(o => o.KeyResults).ThenInclude(k => k.CheckIns).SingleAsync(o => o.Id == id));

    public static Task<Objective?> ObjectiveByTitleAsync(this AlignmentHubFactory factory, string title) =>
        factory.QueryAsync(db => db.Objectives.AsNoTracking().Include(o => o.KeyResults).SingleOrDefaultAsync(o => o.Title == title));

    /// <summary>Every objective, key result and period with versions, check-in and link counts, the last audit row: proves a refused request changed nothing.</summary>
    public static Task<string> OkrFingerprintAsync(this AlignmentHubFactory factory) => factory.QueryAsync(async db =>
    {
        var objectives = await db.Objectives.AsNoTracking().OrderBy(o => o.Id)
            .Select(o => $"O{o.Id}:{o.TeamId}:{o.PeriodId}:{o.Title}:{o.Description}:{o.GoalId}:{o.ParentObjectiveId}:{o.OwnerId}:{o.Status}:{o.Weight}:{o.Score}:{o.Version}")
            .ToListAsync();
        var keyResults = await db.KeyResults.AsNoTracking().OrderBy(k => k.Id)
            .Select(k => $"K{k.Id}:{k.ObjectiveId}:{k.Title}:{k.MetricType}:{k.Direction}:{k.Baseline}:{k.Target}:{k.BandLow}:{k.BandHigh}:{k.Unit}:{k.CurrencyCode}:{k.Weight}:{k.CadenceDays}:{k.Status}:{k.Version}")
            .ToListAsync();
        var periods = await db.Periods.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Key).ToListAsync();
        var checkIns = await db.CheckIns.CountAsync();
        var links = await db.RoadmapLinks.CountAsync();
        var audit = await db.AuditEntries.MaxAsync(a => (long?)a.Id) ?? 0; // a refused request writes no audit row either
        return string.Join("|", objectives) + "#" + string.Join("|", keyResults) + "#" + string.Join(",", periods) + $"#{checkIns}#{links}#audit {audit}";
    });

    public static string? Get(this List<KeyValuePair<string, string>> fields, string name) =>
        fields.Where(f => f.Key == name).Select(f => f.Value).FirstOrDefault();
}
