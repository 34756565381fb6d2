using System.Globalization;
using System.Text.Json;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Web.Features.TeamExport;

namespace AlignmentHub.Web.Features.TeamImport;

/// <summary>One row of the file that cannot be imported: its table, its position (1-based), its id when readable, and why.</summary>
public sealed record ImportRowError(string Table, int Row, string? Id, string Message);

/// <summary>A file read: the document, or the reason the file as a whole is refused; and the rows that are wrong.</summary>
public sealed record ImportFile(TeamExportDocument? Document, string? FileError, IReadOnlyList<ImportRowError> RowErrors)
{
    public static ImportFile Refused(string message) => new(null, message, []);
}

/// <summary>
/// Reads a team export for import. The file is read row by row (a bad enum or a malformed id spoils its row, not the
/// file), then the references between rows are checked: what the import would need and the file does not hold is a
/// row error, listed with the row. Entity rules (lengths, ranges, metric rules) are checked afterwards by building the
/// entities themselves (<see cref="TeamImportBuilder"/>).
/// </summary>
public static class TeamImportReader
{
    public const long MaxFileBytes = 10 * 1024 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public static ImportFile Read(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return ImportFile.Refused("The file is empty. Choose the JSON file the team export downloaded.");
        }

        if (bytes.Length > MaxFileBytes)
        {
            return ImportFile.Refused("The file is larger than 10 MB. A team export is much smaller: choose the JSON file of one team.");
        }

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(bytes, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return ImportFile.Refused($"This is not a JSON file (it cannot be read after line {(ex.LineNumber ?? 0) + 1}). Choose the JSON file of a team export, not the CSV zip.");
        }

        using (json)
        {
            return Read(json.RootElement);
        }
    }

    private static ImportFile Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String
            || format.GetString() != TeamExportDocument.FormatName)
        {
            return ImportFile.Refused("This JSON file is not an AlignmentHub team export (its \"format\" is not \"" + TeamExportDocument.FormatName + "\").");
        }

        if (!root.TryGetProperty("formatVersion", out var versionElement) || !versionElement.TryGetInt32(out var version) || version < 1)
        {
            return ImportFile.Refused("The file has no readable format version.");
        }

        if (version == 1)
        {
            // Version 1 carried ids only: without the people's e-mail addresses and the goals' titles nothing could be matched here.
            return ImportFile.Refused("This export is format version 1, which does not include the people and goals an import needs. Export the team again (version 2) and import that file.");
        }

        if (version > TeamExportDocument.CurrentVersion)
        {
            return ImportFile.Refused(string.Create(CultureInfo.InvariantCulture,
                $"This export is format version {version}, made by a newer AlignmentHub. This one reads version {TeamExportDocument.CurrentVersion}: update it first, or export from the same version."));
        }

        if (!root.TryGetProperty("team", out var teamElement) || !TryDeserialize<TeamRecord>(teamElement, out var team, out _) || team is null)
        {
            return ImportFile.Refused("The file has no readable \"team\" (its name and mission).");
        }

        var errors = new List<ImportRowError>();
        var missing = new List<string>();
        List<T> Table<T>(string property, string table)
        {
            if (!root.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array)
            {
                missing.Add(property);
                return [];
            }

            var rows = new List<T>();
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                index++;
                if (TryDeserialize<T>(element, out var row, out var field) && row is not null)
                {
                    rows.Add(row);
                }
                else
                {
                    errors.Add(new ImportRowError(table, index, IdOf(element),
                        field is null ? "The row cannot be read." : $"“{field}” has a value that is not valid here."));
                }
            }

            return rows;
        }

        var objectives = Table<ObjectiveRecord>("objectives", TeamImportTables.Objectives);
        var keyResults = Table<KeyResultRecord>("keyResults", TeamImportTables.KeyResults);
        var checkIns = Table<CheckInRecord>("checkIns", TeamImportTables.CheckIns);
        var items = Table<RoadmapItemRecord>("roadmapItems", TeamImportTables.RoadmapItems);
        var links = Table<LinkRecord>("links", TeamImportTables.Links);
        var dependencies = Table<DependencyRecord>("dependencies", TeamImportTables.Dependencies);
        var members = Table<MemberRecord>("members", TeamImportTables.Members);
        var people = Table<PersonRecord>("people", TeamImportTables.People);
        var products = Table<ProductRecord>("products", TeamImportTables.Products);
        var goals = Table<GoalRecord>("goals", TeamImportTables.Goals);
        var periods = Table<string>("periods", TeamImportTables.Periods);
        if (missing.Count > 0)
        {
            return ImportFile.Refused("The file is incomplete: it has no " + string.Join(", ", missing.Select(m => "\"" + m + "\"")) + " list.");
        }

        var document = new TeamExportDocument(TeamExportDocument.FormatName, version, DateTimeOffset.MinValue, team, objectives, keyResults, checkIns, items,
            links, dependencies, members, people, products, goals, periods);
        CheckReferences(document, errors);
        return new ImportFile(document, null, errors);
    }

    /// <summary>Ids unique and positive, and every reference either inside the file or marked external.</summary>
    private static void CheckReferences(TeamExportDocument d, List<ImportRowError> errors)
    {
        void Error(string table, int index, object? id, string message) =>
            errors.Add(new ImportRowError(table, index + 1, Convert.ToString(id, CultureInfo.InvariantCulture), message));

        HashSet<TKey> Ids<TRow, TKey>(IReadOnlyList<TRow> rows, string table, Func<TRow, TKey> id, Func<TKey, bool>? valid = null)
            where TKey : notnull
        {
            var seen = new HashSet<TKey>();
            for (var i = 0; i < rows.Count; i++)
            {
                var key = id(rows[i]);
                if (valid is not null && !valid(key))
                {
                    Error(table, i, key, "The id is not valid.");
                }
                else if (!seen.Add(key))
                {
                    Error(table, i, key, "Another row of this table has the same id.");
                }
            }

            return seen;
        }

        static bool Positive(int id) => id > 0;
        static bool Text(string id) => !string.IsNullOrWhiteSpace(id) && id.Length <= Domain.Common.Limits.UserId;
        var objectives = Ids(d.Objectives, TeamImportTables.Objectives, o => o.Id, Positive);
        var keyResults = Ids(d.KeyResults, TeamImportTables.KeyResults, k => k.Id, Positive);
        Ids(d.CheckIns, TeamImportTables.CheckIns, c => c.Id, Positive);
        var items = Ids(d.RoadmapItems, TeamImportTables.RoadmapItems, i => i.Id, Positive);
        Ids(d.Links, TeamImportTables.Links, l => l.Id, Positive);
        Ids(d.Dependencies, TeamImportTables.Dependencies, x => x.Id, Positive);
        var people = Ids(d.People!, TeamImportTables.People, p => p.Id, Text);
        var products = Ids(d.Products!, TeamImportTables.Products, p => p.Id, Positive);
        var goals = Ids(d.Goals!, TeamImportTables.Goals, g => g.Id, Positive);

        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < d.People!.Count; i++)
        {
            var p = d.People[i];
            if (!TeamImportRules.IsEmail(p.Email))
            {
                Error(TeamImportTables.People, i, p.Id, "The e-mail address is missing or not valid.");
            }
            else if (!emails.Add(p.Email.Trim()))
            {
                Error(TeamImportTables.People, i, p.Id, "Another person of the file has the same e-mail address.");
            }

            if (string.IsNullOrWhiteSpace(p.DisplayName) || p.DisplayName.Trim().Length > Domain.Common.Limits.UserName)
            {
                Error(TeamImportTables.People, i, p.Id, $"The name is missing or longer than {Domain.Common.Limits.UserName} characters.");
            }
        }

        for (var i = 0; i < d.Products!.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(d.Products[i].Name) || d.Products[i].Name.Trim().Length > Domain.Common.Limits.Name)
            {
                Error(TeamImportTables.Products, i, d.Products[i].Id, $"The product name is missing or longer than {Domain.Common.Limits.Name} characters.");
            }
        }

        var goalTitles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < d.Goals!.Count; i++)
        {
            if (!products.Contains(d.Goals[i].ProductId))
            {
                Error(TeamImportTables.Goals, i, d.Goals[i].Id, "Its product is not in the file.");
            }

            if (!goalTitles.Add(d.Goals[i].Title?.Trim() ?? string.Empty))
            {
                Error(TeamImportTables.Goals, i, d.Goals[i].Id, "Another goal of the file has the same title.");
            }
        }

        for (var i = 0; i < d.Periods!.Count; i++)
        {
            if (!Period.TryParseKey(d.Periods[i], out _, out _))
            {
                Error(TeamImportTables.Periods, i, d.Periods[i], "The period is not a quarter written YYYY-Qn.");
            }
        }

        for (var i = 0; i < d.Members!.Count; i++)
        {
            if (!people.Contains(d.Members[i].UserId ?? string.Empty))
            {
                Error(TeamImportTables.Members, i, d.Members[i].UserId, "This member is not among the people of the file.");
            }
        }

        if (d.Members.GroupBy(m => m.UserId).Any(g => g.Count() > 1))
        {
            Error(TeamImportTables.Members, 0, null, "A person is listed as a member more than once.");
        }

        for (var i = 0; i < d.Objectives.Count; i++)
        {
            var o = d.Objectives[i];
            if (!Period.TryParseKey(o.PeriodKey, out _, out _))
            {
                Error(TeamImportTables.Objectives, i, o.Id, "The period is not a quarter written YYYY-Qn.");
            }

            if (o.OwnerId is { } owner && !people.Contains(owner))
            {
                Error(TeamImportTables.Objectives, i, o.Id, "Its owner is not among the people of the file.");
            }

            if (o.GoalId is { } goal && !goals.Contains(goal))
            {
                Error(TeamImportTables.Objectives, i, o.Id, "Its goal is not among the goals of the file.");
            }

            if (o.ParentObjectiveId is { } parent)
            {
                if (o.ParentExternal)
                {
                    if (o.ViaGoalId is not { } via || !goals.Contains(via))
                    {
                        Error(TeamImportTables.Objectives, i, o.Id, "Its parent objective belongs to another team and the file names no goal to keep it aligned to.");
                    }
                }
                else if (!objectives.Contains(parent))
                {
                    Error(TeamImportTables.Objectives, i, o.Id, "Its parent objective is not in the file and not marked external.");
                }
            }

            if (!d.KeyResults.Any(k => k.ObjectiveId == o.Id))
            {
                Error(TeamImportTables.Objectives, i, o.Id, "The objective has no key result in the file.");
            }
        }

        if (TeamImportRules.HasParentCycle(d.Objectives))
        {
            Error(TeamImportTables.Objectives, 0, null, "The parent objectives of the file form a loop.");
        }

        for (var i = 0; i < d.KeyResults.Count; i++)
        {
            if (!objectives.Contains(d.KeyResults[i].ObjectiveId))
            {
                Error(TeamImportTables.KeyResults, i, d.KeyResults[i].Id, string.Create(CultureInfo.InvariantCulture, $"Its objective (id {d.KeyResults[i].ObjectiveId}) is not in the file."));
            }
        }

        for (var i = 0; i < d.CheckIns.Count; i++)
        {
            var c = d.CheckIns[i];
            if (!keyResults.Contains(c.KeyResultId))
            {
                Error(TeamImportTables.CheckIns, i, c.Id, string.Create(CultureInfo.InvariantCulture, $"Its key result (id {c.KeyResultId}) is not in the file."));
            }

            if (!people.Contains(c.AuthorId ?? string.Empty))
            {
                Error(TeamImportTables.CheckIns, i, c.Id, "Its author is not among the people of the file.");
            }
        }

        for (var i = 0; i < d.RoadmapItems.Count; i++)
        {
            var item = d.RoadmapItems[i];
            if (!products.Contains(item.ProductId))
            {
                Error(TeamImportTables.RoadmapItems, i, item.Id, "Its product is not among the products of the file.");
            }

            if (item.OwnerId is { } owner && !people.Contains(owner))
            {
                Error(TeamImportTables.RoadmapItems, i, item.Id, "Its owner is not among the people of the file.");
            }
        }

        for (var i = 0; i < d.Links.Count; i++)
        {
            var l = d.Links[i];
            if (!items.Contains(l.RoadmapItemId))
            {
                Error(TeamImportTables.Links, i, l.Id, "Its roadmap item is not in the file.");
            }

            var known = l.TargetType switch
            {
                LinkTargetType.Goal => goals.Contains(l.TargetId),
                LinkTargetType.Objective => l.External || objectives.Contains(l.TargetId),
                LinkTargetType.KeyResult => l.External || keyResults.Contains(l.TargetId),
                _ => false,
            };
            if (!known)
            {
                Error(TeamImportTables.Links, i, l.Id, "What it links to is not in the file and not marked external.");
            }
        }

        for (var i = 0; i < d.Dependencies.Count; i++)
        {
            var x = d.Dependencies[i];
            if (!items.Contains(x.RoadmapItemId))
            {
                Error(TeamImportTables.Dependencies, i, x.Id, "Its roadmap item is not in the file.");
            }

            if (!x.External && !items.Contains(x.BlockerId))
            {
                Error(TeamImportTables.Dependencies, i, x.Id, "The item it depends on is not in the file and not marked external.");
            }
        }
    }

    private static bool TryDeserialize<T>(JsonElement element, out T? value, out string? field)
    {
        field = null;
        try
        {
            value = element.Deserialize<T>(TeamExportFormat.Json);
            return value is not null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or FormatException or InvalidOperationException)
        {
            field = ex is JsonException { Path: { Length: > 2 } path } ? path.TrimStart('$', '.') : "row";
            value = default;
            return false;
        }
    }

    private static string? IdOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.Number or JsonValueKind.String
            ? Shorten(id.ToString())
            : null;

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}

/// <summary>The table names used in the preview's counts and row errors (those of the CSV export, plus the context of version 2).</summary>
public static class TeamImportTables
{
    public const string Objectives = "objectives";
    public const string KeyResults = "key-results";
    public const string CheckIns = "check-ins";
    public const string RoadmapItems = "roadmap-items";
    public const string Links = "links";
    public const string Dependencies = "dependencies";
    public const string Members = "members";
    public const string People = "people";
    public const string Products = "products";
    public const string Goals = "goals";
    public const string Periods = "periods";
}

internal static class TeamImportRules
{
    public static bool IsEmail(string? email) =>
        email is { Length: > 2 and <= 256 } e && new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(e.Trim()) && !e.Any(char.IsControl);

    /// <summary>Parents inside the file that lead back to where they started.</summary>
    public static bool HasParentCycle(IReadOnlyList<ObjectiveRecord> objectives)
    {
        var parentOf = objectives.Where(o => !o.ParentExternal).GroupBy(o => o.Id).ToDictionary(g => g.Key, g => g.First().ParentObjectiveId);
        foreach (var start in parentOf.Keys)
        {
            var seen = new HashSet<int> { start };
            for (var at = parentOf[start]; at is { } a && parentOf.ContainsKey(a); at = parentOf[a])
            {
                if (!seen.Add(a))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Objectives ordered so that a parent inside the file comes before its children.</summary>
    public static List<ObjectiveRecord> ParentsFirst(IReadOnlyList<ObjectiveRecord> objectives)
    {
        var byId = objectives.GroupBy(o => o.Id).ToDictionary(g => g.Key, g => g.First());
        var ordered = new List<ObjectiveRecord>();
        var placed = new HashSet<int>();
        void Place(ObjectiveRecord o, int depth)
        {
            if (placed.Contains(o.Id) || depth > byId.Count)
            {
                return;
            }

            if (!o.ParentExternal && o.ParentObjectiveId is { } p && byId.TryGetValue(p, out var parent))
            {
                Place(parent, depth + 1);
            }

            if (placed.Add(o.Id))
            {
                ordered.Add(o);
            }
        }

        foreach (var o in objectives)
        {
            Place(o, 0);
        }

        return ordered;
    }
}
