using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Web.Features.TeamExport;

namespace AlignmentHub.Web.Features.TeamImport;

/// <summary>An objective rebuilt from the file, with its key results and check-ins by their ids in the file.</summary>
internal sealed record BuiltObjective(Objective Objective, Dictionary<int, KeyResult> KeyResults, Dictionary<int, CheckIn> CheckIns);

/// <summary>
/// Rebuilds the team's entities through their own constructors and methods, so that every rule the entities guard
/// (lengths, ranges, metric rules, at most five active key results, check-ins only while active) is applied to the
/// file exactly as to a form. The preview runs it on throw-away entities to list what would fail, row by row; the
/// commit runs the same code on the entities it saves.
/// </summary>
internal sealed class TeamImportBuilder(TeamExportDocument document, List<ImportRowError> errors)
{
    private readonly ILookup<int, KeyResultRecord> keyResultsOf = document.KeyResults.ToLookup(k => k.ObjectiveId);
    private readonly ILookup<int, CheckInRecord> checkInsOf = document.CheckIns.ToLookup(c => c.KeyResultId);

    /// <summary>
    /// The objective, its key results and its check-ins (original times and authors), then its final state: key results
    /// retired and the objective closed or retired only after their check-ins are replayed (the entities accept
    /// check-ins only while active). Null, with the row errors recorded, when the file's rows break a rule.
    /// </summary>
    public BuiltObjective? Objective(ObjectiveRecord o, int teamId, int periodId, int? goalId, int? parentId, Func<string?, string?> person)
    {
        var krs = keyResultsOf[o.Id].OrderBy(k => k.Id).ToList();
        if (krs.Count == 0)
        {
            return null; // already a row error of the reader
        }

        // The key result created together with the objective shares its creation time.
        var first = krs.FirstOrDefault(k => k.CreatedAt == o.CreatedAt) ?? krs[0];
        if (!Enum.IsDefined(o.Status))
        {
            Error(TeamImportTables.Objectives, o, "“status” has a value that is not valid here.");
            return null;
        }

        Objective objective;
        try
        {
            objective = new Objective(teamId, periodId, o.Title, o.Description, goalId, parentId, person(o.OwnerId), [Definition(first)], o.CreatedAt);
        }
        catch (DomainException ex)
        {
            // Whose rule was it? Try the objective alone with a definition known to be valid.
            try
            {
                _ = new Objective(teamId, periodId, o.Title, o.Description, goalId, parentId, person(o.OwnerId),
                    [new KeyResultDefinition("Check", MetricType.Number, MetricDirection.Increase, 0m, 1m)], o.CreatedAt);
                Error(TeamImportTables.KeyResults, first, ex.Message);
            }
            catch (DomainException)
            {
                Error(TeamImportTables.Objectives, o, ex.Message);
            }

            return null;
        }

        var ok = Guarded(TeamImportTables.Objectives, o, () => objective.SetWeight(o.Weight));
        var built = new Dictionary<int, KeyResult> { [first.Id] = objective.KeyResults.Single() };
        var checkIns = new Dictionary<int, CheckIn>();
        var retireLater = new List<(KeyResultRecord Record, KeyResult Entity)>();
        foreach (var k in krs)
        {
            if (k != first)
            {
                KeyResult? added = null;
                if (!Guarded(TeamImportTables.KeyResults, k, () => added = objective.AddKeyResult(Definition(k), k.CreatedAt)))
                {
                    ok = false;
                    continue;
                }

                built[k.Id] = added!;
            }

            var entity = built[k.Id];
            foreach (var c in checkInsOf[k.Id].OrderBy(c => c.Id))
            {
                ok &= Guarded(TeamImportTables.CheckIns, c, () => checkIns[c.Id] = entity.RecordCheckIn(c.Value, c.Confidence, c.Note, person(c.AuthorId)!, c.AuthorName, c.CreatedAt));
            }

            if (!Enum.IsDefined(k.Status))
            {
                Error(TeamImportTables.KeyResults, k, "“status” has a value that is not valid here.");
                ok = false;
            }
            else if (k.Status == KeyResultStatus.Retired)
            {
                retireLater.Add((k, entity));
            }

            // Retire as soon as another key result is active, so that at most five are active at any time, as in the source.
            foreach (var pending in retireLater.ToList().Where(_ => objective.ActiveKeyResults.Count() > 1))
            {
                ok &= Guarded(TeamImportTables.KeyResults, pending.Record, pending.Entity.Retire);
                retireLater.Remove(pending);
            }
        }

        foreach (var pending in retireLater)
        {
            ok &= Guarded(TeamImportTables.KeyResults, pending.Record, pending.Entity.Retire);
        }

        if (o.Status != ObjectiveStatus.Active || o.Score is not null)
        {
            if (o.Score is { } score)
            {
                ok &= Guarded(TeamImportTables.Objectives, o, () => objective.Close(score, o.Retrospective));
            }

            if (o.Status == ObjectiveStatus.Retired)
            {
                ok &= Guarded(TeamImportTables.Objectives, o, objective.Retire);
            }
            else if (o.Status == ObjectiveStatus.Closed && o.Score is null)
            {
                Error(TeamImportTables.Objectives, o, "A closed objective needs its score.");
                ok = false;
            }
        }

        return ok ? new BuiltObjective(objective, built, checkIns) : null;
    }

    /// <summary>The item with its text, schedule, board place, estimate, status and archive state; links and dependencies come later.</summary>
    public RoadmapItem? Item(RoadmapItemRecord i, int productId, int teamId, Func<string?, string?> person)
    {
        if (!Enum.IsDefined(i.Status))
        {
            Error(TeamImportTables.RoadmapItems, i, "“status” has a value that is not valid here.");
            return null;
        }

        RoadmapItem? item = null;
        var ok = Guarded(TeamImportTables.RoadmapItems, i, () =>
        {
            item = new RoadmapItem(productId, teamId, i.Title, i.Kind, i.Horizon, i.CreatedAt);
            item.Edit(i.Title, i.Description, i.Kind, teamId, person(i.OwnerId), i.ExternalKey);
            item.Schedule(i.Horizon, i.TargetPeriodKey, i.StartDate, i.EndDate);
            item.MoveOnBoard(i.Horizon, i.BoardPosition);
            item.Estimate(i.Effort, i.RiceReach, i.RiceImpact, i.RiceConfidence);
            item.ChangeStatus(i.Status, i.ShippedAt ?? i.CreatedAt);
            if (i.ArchivedAt is { } archived)
            {
                item.Archive(archived);
            }
        });
        return ok ? item : null;
    }

    /// <summary>
    /// The links and dependencies between rows of the file, checked as the entities will check them (no duplicate link,
    /// no self-dependency, no cycle), without needing database ids.
    /// </summary>
    public void CheckLinksAndDependencies()
    {
        foreach (var group in document.Links.Where(l => !l.External).GroupBy(l => (l.RoadmapItemId, l.TargetType, l.TargetId)).Where(g => g.Count() > 1))
        {
            Error(TeamImportTables.Links, group.Last(), "The item is already linked to this target.");
        }

        foreach (var l in document.Links.Where(l => !Enum.IsDefined(l.TargetType)))
        {
            Error(TeamImportTables.Links, l, "“targetType” has a value that is not valid here.");
        }

        var inside = document.Dependencies.Where(d => !d.External).ToList();
        foreach (var d in inside.Where(d => d.RoadmapItemId == d.BlockerId))
        {
            Error(TeamImportTables.Dependencies, d, "An item cannot depend on itself.");
        }

        foreach (var group in inside.GroupBy(d => (d.RoadmapItemId, d.BlockerId)).Where(g => g.Count() > 1))
        {
            Error(TeamImportTables.Dependencies, group.Last(), "This dependency already exists.");
        }

        var graph = inside.GroupBy(d => d.RoadmapItemId).ToDictionary(g => g.Key, g => g.Select(d => d.BlockerId).ToList());
        foreach (var d in inside.Where(d => d.RoadmapItemId != d.BlockerId))
        {
            var seen = new HashSet<int>();
            var queue = new Queue<int>([d.BlockerId]);
            while (queue.Count > 0)
            {
                var next = queue.Dequeue();
                if (next == d.RoadmapItemId)
                {
                    Error(TeamImportTables.Dependencies, d, "The dependencies of the file form a cycle.");
                    break;
                }

                if (seen.Add(next))
                {
                    foreach (var b in graph.GetValueOrDefault(next) ?? [])
                    {
                        queue.Enqueue(b);
                    }
                }
            }
        }
    }

    public static KeyResultDefinition Definition(KeyResultRecord k) =>
        new(k.Title, k.MetricType, k.Direction, k.Baseline, k.Target, k.BandLow, k.BandHigh, k.Unit, k.CurrencyCode, k.Weight, k.CadenceDays, k.MetricName);

    private bool Guarded<TRow>(string table, TRow row, Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (DomainException ex)
        {
            Error(table, row, ex.Message);
            return false;
        }
    }

    private void Error<TRow>(string table, TRow row, string message)
    {
        var (index, id) = row switch
        {
            ObjectiveRecord r => (IndexOf(document.Objectives, r), r.Id),
            KeyResultRecord r => (IndexOf(document.KeyResults, r), r.Id),
            CheckInRecord r => (IndexOf(document.CheckIns, r), r.Id),
            RoadmapItemRecord r => (IndexOf(document.RoadmapItems, r), r.Id),
            LinkRecord r => (IndexOf(document.Links, r), r.Id),
            DependencyRecord r => (IndexOf(document.Dependencies, r), r.Id),
            _ => throw new ArgumentOutOfRangeException(nameof(row)),
        };
        var error = new ImportRowError(table, index + 1, id.ToString(System.Globalization.CultureInfo.InvariantCulture), message);
        if (!errors.Contains(error))
        {
            errors.Add(error);
        }
    }

    private static int IndexOf<T>(IReadOnlyList<T> rows, T row)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            if (ReferenceEquals(rows[i], row))
            {
                return i;
            }
        }

        return -1;
    }
}
