using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.Infrastructure.Auditing;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.AuditLog;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Export;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.TeamExport;

/// <summary>
/// A team's data in a portable form (checklist item 39): its objectives with their key results and check-ins, its
/// roadmap items (archived ones too) with their links and dependencies, and its members. Ids are the source
/// database's. A link, dependency or parent objective may point at an objective, key result or item of another team:
/// it stays in the file by id only, never by its text, and is marked <c>external</c>.
/// Version 2 adds what an import needs to rebuild the team in another database without those ids meaning anything
/// there: the people referenced (id, e-mail, name), the products of the team's items and goals (name), the goals the
/// team's objectives and links refer to (product-level context, not another team's rows) and the period keys.
/// </summary>
public sealed record TeamExportDocument(
    string Format,
    int FormatVersion,
    DateTimeOffset ExportedAt,
    TeamRecord Team,
    IReadOnlyList<ObjectiveRecord> Objectives,
    IReadOnlyList<KeyResultRecord> KeyResults,
    IReadOnlyList<CheckInRecord> CheckIns,
    IReadOnlyList<RoadmapItemRecord> RoadmapItems,
    IReadOnlyList<LinkRecord> Links,
    IReadOnlyList<DependencyRecord> Dependencies,
    IReadOnlyList<MemberRecord>? Members = null,
    IReadOnlyList<PersonRecord>? People = null,
    IReadOnlyList<ProductRecord>? Products = null,
    IReadOnlyList<GoalRecord>? Goals = null,
    IReadOnlyList<string>? Periods = null)
{
    public const string FormatName = "alignmenthub.team-export";

    public const int CurrentVersion = 2;
}

public sealed record TeamRecord(int Id, string Name, string? Mission);

/// <param name="ParentExternal">The parent objective belongs to another team: only its id is here.</param>
/// <param name="ViaGoalId">For an external parent: the goal its chain of parents ends at, so an import can keep the objective aligned.</param>
public sealed record ObjectiveRecord(int Id, string PeriodKey, string Title, string? Description, int? GoalId, int? ParentObjectiveId, string? OwnerId,
    ObjectiveStatus Status, decimal Weight, decimal? Score, string? Retrospective, DateTimeOffset CreatedAt, long Version, bool ParentExternal = false,
    int? ViaGoalId = null);

public sealed record KeyResultRecord(int Id, int ObjectiveId, string Title, string? MetricName, MetricType MetricType, MetricDirection Direction,
    decimal Baseline, decimal Target, decimal? BandLow, decimal? BandHigh, decimal? Current, string? Unit, string? CurrencyCode, decimal Weight,
    int CadenceDays, KeyResultStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? LastCheckInAt, long Version);

public sealed record CheckInRecord(int Id, int KeyResultId, decimal Value, int Confidence, string? Note, string AuthorId, string AuthorName, DateTimeOffset CreatedAt);

public sealed record RoadmapItemRecord(int Id, int ProductId, string Title, string? Description, RoadmapItemKind Kind, RoadmapItemStatus Status,
    RoadmapHorizon Horizon, int BoardPosition, string? TargetPeriodKey, DateOnly? StartDate, DateOnly? EndDate, decimal? Effort, int? RiceReach,
    decimal? RiceImpact, int? RiceConfidence, string? OwnerId, string? ExternalKey, DateTimeOffset CreatedAt, DateTimeOffset? ShippedAt,
    DateTimeOffset? ArchivedAt, long Version);

/// <param name="External">The target is an objective or key result of another team (goals are product-level, never external).</param>
public sealed record LinkRecord(int Id, int RoadmapItemId, LinkTargetType TargetType, int TargetId, bool External = false);

/// <param name="External">The blocker is an item of another team.</param>
public sealed record DependencyRecord(int Id, int RoadmapItemId, int BlockerId, bool External = false);

public sealed record MemberRecord(string UserId, bool IsLead);

/// <summary>A person the team's rows refer to (owner, check-in author, member).</summary>
public sealed record PersonRecord(string Id, string Email, string DisplayName);

public sealed record ProductRecord(int Id, string Name);

public sealed record GoalRecord(int Id, int ProductId, string Title, string? Description, string? SuccessMetric, GoalHorizon Horizon, GoalStatus Status,
    int? Rank, DateTimeOffset? RetiredAt, string? RetirementReason);

public static class TeamExportFormat
{
    /// <summary>camelCase names, enums by name (readable, and stable if their numbers ever change), indented.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The CSV tables, by the name used in <c>?entity=</c> and as the file name inside the zip.</summary>
    public static readonly IReadOnlyList<string> Tables = ["objectives", "key-results", "check-ins", "roadmap-items", "links", "dependencies"];

    public static IReadOnlyList<object> Rows(TeamExportDocument d, string table) => table switch
    {
        "objectives" => [.. d.Objectives],
        "key-results" => [.. d.KeyResults],
        "check-ins" => [.. d.CheckIns],
        "roadmap-items" => [.. d.RoadmapItems],
        "links" => [.. d.Links],
        "dependencies" => [.. d.Dependencies],
        _ => throw new ArgumentOutOfRangeException(nameof(table)),
    };

    public static Type RowType(string table) => table switch
    {
        "objectives" => typeof(ObjectiveRecord),
        "key-results" => typeof(KeyResultRecord),
        "check-ins" => typeof(CheckInRecord),
        "roadmap-items" => typeof(RoadmapItemRecord),
        "links" => typeof(LinkRecord),
        "dependencies" => typeof(DependencyRecord),
        _ => throw new ArgumentOutOfRangeException(nameof(table)),
    };

    /// <summary>One table as CSV: a header of the record's property names, then one row per record, invariant culture.</summary>
    public static async Task WriteCsvAsync(Stream stream, TeamExportDocument document, string table)
    {
        var properties = RowType(table).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        await using var csv = CsvWriter.Create(stream);
        await csv.WriteRowAsync(properties.Select(p => p.Name));
        foreach (var row in Rows(document, table))
        {
            await csv.WriteRowAsync(properties.Select(p => Cell(p.GetValue(row))));
        }
    }

    /// <summary>Every table as a CSV file in one zip, plus the JSON (the portable format) for completeness.</summary>
    public static async Task<byte[]> ZipAsync(TeamExportDocument document)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var table in Tables)
            {
                var entry = zip.CreateEntry(table + ".csv", CompressionLevel.Optimal);
                await using var stream = entry.Open();
                await WriteCsvAsync(stream, document, table);
            }
        }

        return buffer.ToArray();
    }

    private static string? Cell(object? value) => value switch
    {
        null => null,
        DateTimeOffset t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

public sealed record GetTeamExportQuery(int TeamId) : IQuery<TeamExportDocument>;

/// <summary>
/// The team, one query per table, then the context of version 2 (members, people, products, goals); a parent objective
/// of another team costs one query per level of its chain of parents, to find the goal it ends at.
/// </summary>
public sealed class GetTeamExportHandler(AppDbContext db, TimeProvider clock) : IQueryHandler<GetTeamExportQuery, TeamExportDocument>
{
    public async ValueTask<TeamExportDocument> Handle(GetTeamExportQuery query, CancellationToken cancellationToken)
    {
        var teamId = query.TeamId;
        var team = await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => new TeamRecord(t.Id, t.Name, t.Mission))
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The team");
        var objectives = await (
                from o in db.Objectives.AsNoTracking()
                join p in db.Periods on o.PeriodId equals p.Id
                where o.TeamId == teamId
                orderby o.Id
                select new ObjectiveRecord(o.Id, p.Key, o.Title, o.Description, o.GoalId, o.ParentObjectiveId, o.OwnerId, o.Status, o.Weight, o.Score,
                    o.Retrospective, o.CreatedAt, o.Version, false, null))
            .ToListAsync(cancellationToken);
        var keyResults = await db.KeyResults.AsNoTracking()
            .Where(k => db.Objectives.Any(o => o.Id == k.ObjectiveId && o.TeamId == teamId))
            .OrderBy(k => k.Id)
            .Select(k => new KeyResultRecord(k.Id, k.ObjectiveId, k.Title, k.MetricName, k.MetricType, k.Direction, k.Baseline, k.Target, k.BandLow, k.BandHigh,
                k.Current, k.Unit, k.CurrencyCode, k.Weight, k.CadenceDays, k.Status, k.CreatedAt, k.LastCheckInAt, k.Version))
            .ToListAsync(cancellationToken);
        var checkIns = await db.CheckIns.AsNoTracking()
            .Where(c => db.KeyResults.Any(k => k.Id == c.KeyResultId && db.Objectives.Any(o => o.Id == k.ObjectiveId && o.TeamId == teamId)))
            .OrderBy(c => c.Id)
            .Select(c => new CheckInRecord(c.Id, c.KeyResultId, c.Value, c.Confidence, c.Note, c.AuthorId, c.AuthorName, c.CreatedAt))
            .ToListAsync(cancellationToken);
        var items = await db.RoadmapItems.AsNoTracking()
            .Where(i => i.TeamId == teamId)
            .OrderBy(i => i.Id)
            .Select(i => new RoadmapItemRecord(i.Id, i.ProductId, i.Title, i.Description, i.Kind, i.Status, i.Horizon, i.BoardPosition, i.TargetPeriodKey,
                i.StartDate, i.EndDate, i.Effort, i.RiceReach, i.RiceImpact, i.RiceConfidence, i.OwnerId, i.ExternalKey, i.CreatedAt, i.ShippedAt,
                i.ArchivedAt, i.Version))
            .ToListAsync(cancellationToken);
        var links = await db.RoadmapLinks.AsNoTracking()
            .Where(l => db.RoadmapItems.Any(i => i.Id == l.RoadmapItemId && i.TeamId == teamId))
            .OrderBy(l => l.Id)
            .Select(l => new LinkRecord(l.Id, l.RoadmapItemId, l.TargetType, l.TargetId, false))
            .ToListAsync(cancellationToken);
        var dependencies = await db.ItemDependencies.AsNoTracking()
            .Where(d => db.RoadmapItems.Any(i => i.Id == d.RoadmapItemId && i.TeamId == teamId))
            .OrderBy(d => d.Id)
            .Select(d => new DependencyRecord(d.Id, d.RoadmapItemId, d.BlockerId, false))
            .ToListAsync(cancellationToken);
        var members = await db.TeamMemberships.AsNoTracking()
            .Where(m => m.TeamId == teamId)
            .OrderBy(m => m.Id)
            .Select(m => new MemberRecord(m.UserId, m.IsLead))
            .ToListAsync(cancellationToken);

        // References out of the team are marked, by id only.
        var objectiveIds = objectives.Select(o => o.Id).ToHashSet();
        var keyResultIds = keyResults.Select(k => k.Id).ToHashSet();
        var itemIds = items.Select(i => i.Id).ToHashSet();
        links = links.Select(l => l with
        {
            External = l.TargetType switch
            {
                LinkTargetType.Objective => !objectiveIds.Contains(l.TargetId),
                LinkTargetType.KeyResult => !keyResultIds.Contains(l.TargetId),
                _ => false,
            },
        }).ToList();
        dependencies = dependencies.Select(d => d with { External = !itemIds.Contains(d.BlockerId) }).ToList();
        var via = await GoalsOfExternalParentsAsync(objectives.Where(o => o.ParentObjectiveId is { } p && !objectiveIds.Contains(p))
            .Select(o => o.ParentObjectiveId!.Value).ToHashSet(), cancellationToken);
        objectives = objectives.Select(o => o.ParentObjectiveId is { } p && !objectiveIds.Contains(p)
            ? o with { ParentExternal = true, ViaGoalId = via.GetValueOrDefault(p) }
            : o).ToList();

        // Context: the people, goals and products the rows refer to.
        var personIds = objectives.Select(o => o.OwnerId).Concat(items.Select(i => i.OwnerId)).Concat(checkIns.Select(c => c.AuthorId))
            .Concat(members.Select(m => m.UserId)).OfType<string>().ToHashSet();
        var people = await db.Users.AsNoTracking()
            .Where(u => personIds.Contains(u.Id))
            .OrderBy(u => u.Id)
            .Select(u => new PersonRecord(u.Id, u.Email ?? string.Empty, u.DisplayName))
            .ToListAsync(cancellationToken);
        var goalIds = objectives.Select(o => o.GoalId ?? o.ViaGoalId).OfType<int>()
            .Concat(links.Where(l => l.TargetType == LinkTargetType.Goal).Select(l => l.TargetId)).ToHashSet();
        var goals = await db.Goals.AsNoTracking()
            .Where(g => goalIds.Contains(g.Id))
            .OrderBy(g => g.Id)
            .Select(g => new GoalRecord(g.Id, g.ProductId, g.Title, g.Description, g.SuccessMetric, g.Horizon, g.Status, g.Rank, g.RetiredAt, g.RetirementReason))
            .ToListAsync(cancellationToken);
        var productIds = items.Select(i => i.ProductId).Concat(goals.Select(g => g.ProductId)).ToHashSet();
        var products = await db.Products.AsNoTracking()
            .Where(p => productIds.Contains(p.Id))
            .OrderBy(p => p.Id)
            .Select(p => new ProductRecord(p.Id, p.Name))
            .ToListAsync(cancellationToken);
        var periods = objectives.Select(o => o.PeriodKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new TeamExportDocument(TeamExportDocument.FormatName, TeamExportDocument.CurrentVersion, clock.GetUtcNow(), team,
            objectives, keyResults, checkIns, items, links, dependencies, members, people, products, goals, periods);
    }

    /// <summary>For each objective id, the goal at the end of its chain of parents (absent when the chain has none).</summary>
    private async Task<Dictionary<int, int>> GoalsOfExternalParentsAsync(HashSet<int> parents, CancellationToken cancellationToken)
    {
        var result = new Dictionary<int, int>();
        var pending = parents.ToDictionary(p => p, p => new List<int> { p }); // objective to look at → the parents it answers for
        var seen = new HashSet<int>();
        while (pending.Count > 0)
        {
            var ids = pending.Keys.Where(seen.Add).ToList();
            var rows = await db.Objectives.AsNoTracking().Where(o => ids.Contains(o.Id))
                .Select(o => new { o.Id, o.GoalId, o.ParentObjectiveId }).ToListAsync(cancellationToken);
            var next = new Dictionary<int, List<int>>();
            foreach (var row in rows)
            {
                var origins = pending[row.Id];
                if (row.GoalId is { } goal)
                {
                    origins.ForEach(o => result[o] = goal);
                }
                else if (row.ParentObjectiveId is { } parent && !seen.Contains(parent))
                {
                    (next.TryGetValue(parent, out var list) ? list : next[parent] = []).AddRange(origins);
                }
            }

            pending = next;
        }

        return result;
    }
}

/// <summary>The team's name for the export page; 404 for a team that does not exist.</summary>
public sealed record GetTeamNameQuery(int TeamId) : IQuery<string>;

public sealed class GetTeamNameHandler(AppDbContext db) : IQueryHandler<GetTeamNameQuery, string>
{
    public async ValueTask<string> Handle(GetTeamNameQuery query, CancellationToken cancellationToken) =>
        await db.Teams.AsNoTracking().Where(t => t.Id == query.TeamId).Select(t => t.Name).SingleOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("The team");
}

/// <summary>Records a team export in the audit trail (entity type <c>TeamExport</c>, the team's id) before it is sent.</summary>
public sealed record RecordTeamExportCommand(int TeamId, string Format, string? Table) : ICommand<Unit>;

public sealed class RecordTeamExportHandler(AppDbContext db, IAuditActor actor, TimeProvider clock) : ICommandHandler<RecordTeamExportCommand, Unit>
{
    public async ValueTask<Unit> Handle(RecordTeamExportCommand command, CancellationToken cancellationToken)
    {
        await AuditExports.RecordAsync(db, actor, clock, AuditExports.TeamExportType, command.TeamId.ToString(CultureInfo.InvariantCulture),
            new Dictionary<string, string?> { ["format"] = command.Format, ["entity"] = command.Table }, cancellationToken);
        return Unit.Value;
    }
}
