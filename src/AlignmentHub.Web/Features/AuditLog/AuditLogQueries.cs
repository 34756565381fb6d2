using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AlignmentHub.Domain.Auditing;
using AlignmentHub.Infrastructure.Auditing;
using AlignmentHub.Infrastructure.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.AuditLog;

/// <summary>The audit filter as typed into the form (all text, so that nothing typed is lost to binding).</summary>
public sealed class AuditFilterInput
{
    public string? From { get; set; }

    public string? To { get; set; }

    public string? Actor { get; set; }

    public string? Entity { get; set; }

    public string? EntityId { get; set; }

    public string? Page { get; set; }
}

/// <summary>A checked filter. <see cref="ToExclusive"/> is the start of the day after "to"; dates are UTC days.</summary>
public sealed record AuditFilter(DateTimeOffset? From, DateTimeOffset? ToExclusive, string? ActorId, bool SystemActor, string? EntityType, string? EntityId)
{
    public const string SystemActorValue = "system";

    public IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> entries)
    {
        if (From is { } from)
        {
            entries = entries.Where(a => a.OccurredAt >= from);
        }

        if (ToExclusive is { } to)
        {
            entries = entries.Where(a => a.OccurredAt < to);
        }

        if (SystemActor)
        {
            entries = entries.Where(a => a.UserId == null);
        }
        else if (ActorId is { } actor)
        {
            entries = entries.Where(a => a.UserId == actor);
        }

        if (EntityType is { } type)
        {
            entries = entries.Where(a => a.EntityType == type);
        }

        if (EntityId is { } id)
        {
            entries = entries.Where(a => a.EntityId == id);
        }

        return entries;
    }

    /// <summary>Checks the typed filter: each bad field gets a message; never throws on what a user can type.</summary>
    public static (AuditFilter? Filter, int Page, Dictionary<string, string> Errors) Parse(AuditFilterInput input, IReadOnlyCollection<string> userIds, IReadOnlyCollection<string> entityTypes)
    {
        var errors = new Dictionary<string, string>();
        var from = ParseDay(input.From, nameof(AuditFilterInput.From), errors);
        var to = ParseDay(input.To, nameof(AuditFilterInput.To), errors);
        if (from is { } f && to is { } t && t < f)
        {
            errors[nameof(AuditFilterInput.To)] = "The end date is before the start date.";
        }

        var actor = input.Actor?.Trim();
        var system = actor == SystemActorValue;
        if (!string.IsNullOrEmpty(actor) && !system && !userIds.Contains(actor))
        {
            errors[nameof(AuditFilterInput.Actor)] = "Choose a person from the list.";
        }

        var entity = input.Entity?.Trim();
        if (!string.IsNullOrEmpty(entity) && !entityTypes.Contains(entity))
        {
            errors[nameof(AuditFilterInput.Entity)] = "Choose an entity type from the list.";
        }

        var entityId = input.EntityId?.Trim();
        if (entityId is { Length: > 100 })
        {
            errors[nameof(AuditFilterInput.EntityId)] = "An id has at most 100 characters.";
        }
        else if (entityId is not null && entityId.Any(char.IsControl))
        {
            errors[nameof(AuditFilterInput.EntityId)] = "This contains a character that is not allowed.";
        }

        // The page number comes from the pager's links, not from a field: anything odd simply means the first page.
        var page = int.TryParse(input.Page, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= AuditLogPage.MaxPage ? p : 1;
        if (errors.Count > 0)
        {
            return (null, page, errors);
        }

        var filter = new AuditFilter(
            from is { } day ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            to is { } last && last < DateOnly.MaxValue ? new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            system || string.IsNullOrEmpty(actor) ? null : actor,
            system,
            string.IsNullOrEmpty(entity) ? null : entity,
            string.IsNullOrEmpty(entityId) ? null : entityId);
        return (filter, page, errors);
    }

    private static DateOnly? ParseDay(string? text, string field, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors[field] = "Enter a date as YYYY-MM-DD, for example 2027-01-31.";
        return null;
    }
}

/// <summary>One changed field of an audit row, as shown: its value before and after (either may be empty).</summary>
public sealed record AuditChange(string Field, string? Before, string? After);

public sealed record AuditRow(long Id, DateTimeOffset OccurredAt, string Actor, string Action, string EntityType, string EntityId, string? CorrelationId, string Changes)
{
    /// <summary>The stored JSON read as field changes: "Updated" rows hold before/after pairs, other rows one value per field.</summary>
    public IReadOnlyList<AuditChange> Diff() => AuditDiff.Read(Action, Changes);
}

public sealed record ActorChoice(string Value, string Label);

public sealed record AuditLogPage(
    AuditFilterInput Input,
    IReadOnlyDictionary<string, string> Errors,
    IReadOnlyList<ActorChoice> Actors,
    IReadOnlyList<string> EntityTypes,
    IReadOnlyList<AuditRow> Rows,
    int Page,
    bool HasNext,
    int RetentionDays)
{
    public const int PageSize = 50;

    public const int MaxPage = 10_000_000;

    public bool IsValid => Errors.Count == 0;
}

public static class AuditDiff
{
    private const int MaxShown = 300;

    public static IReadOnlyList<AuditChange> Read(string action, string changes)
    {
        try
        {
            using var json = JsonDocument.Parse(changes);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [new AuditChange("(details)", null, Shorten(json.RootElement.GetRawText()))];
            }

            var list = new List<AuditChange>();
            foreach (var property in json.RootElement.EnumerateObject())
            {
                var value = property.Value;
                if (action == "Updated" && value.ValueKind == JsonValueKind.Object && value.TryGetProperty("before", out var before) && value.TryGetProperty("after", out var after))
                {
                    list.Add(new AuditChange(property.Name, Text(before), Text(after)));
                }
                else if (action == "Deleted")
                {
                    list.Add(new AuditChange(property.Name, Text(value), null));
                }
                else
                {
                    list.Add(new AuditChange(property.Name, null, Text(value)));
                }
            }

            return list;
        }
        catch (JsonException)
        {
            return [new AuditChange("(details)", null, Shorten(changes))];
        }
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => Shorten(value.GetString()!),
        _ => Shorten(value.GetRawText()),
    };

    private static string Shorten(string text) => text.Length <= MaxShown ? text : text[..MaxShown] + "…";
}

public sealed record GetAuditLogQuery(AuditFilterInput Input) : IQuery<AuditLogPage>;

/// <summary>
/// Two queries whatever the size of the table: the people (for the actor filter) and one page of rows, newest first,
/// fetched one row beyond the page to know whether there is a next page (no COUNT over a table that only grows).
/// </summary>
public sealed class GetAuditLogHandler(AppDbContext db, AuditLogOptions options) : IQueryHandler<GetAuditLogQuery, AuditLogPage>
{
    public async ValueTask<AuditLogPage> Handle(GetAuditLogQuery query, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).Select(u => new { u.Id, u.Email, u.DisplayName }).ToListAsync(cancellationToken);
        var actors = new List<ActorChoice> { new(AuditFilter.SystemActorValue, "System (start-up, retention)") };
        actors.AddRange(users.Select(u => new ActorChoice(u.Id, $"{u.DisplayName} ({u.Email})")));
        var entityTypes = AuditLogEntityTypes.Of(db);
        var (filter, page, errors) = AuditFilter.Parse(query.Input, users.Select(u => u.Id).ToHashSet(), entityTypes);
        if (filter is null)
        {
            return new AuditLogPage(query.Input, errors, actors, entityTypes, [], 1, false, options.RetentionDays);
        }

        var rows = await AuditLogRows.Select(filter.Apply(db.AuditEntries.AsNoTracking()))
            .Skip((page - 1) * AuditLogPage.PageSize).Take(AuditLogPage.PageSize + 1)
            .ToListAsync(cancellationToken);
        return new AuditLogPage(query.Input, errors, actors, entityTypes, rows.Take(AuditLogPage.PageSize).ToList(), page, rows.Count > AuditLogPage.PageSize, options.RetentionDays);
    }
}

public static class AuditLogRows
{
    /// <summary>Newest first; the id breaks ties between rows of one save.</summary>
    public static IQueryable<AuditRow> Select(IQueryable<AuditEntry> entries) => entries
        .OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id)
        .Select(a => new AuditRow(a.Id, a.OccurredAt, a.UserName ?? "system", a.Action, a.EntityType, a.EntityId, a.CorrelationId, a.Changes));
}

public static class AuditLogEntityTypes
{
    /// <summary>
    /// Every entity type the interceptor can name (the CLR names of the model's types) and the pseudo-types written
    /// for exports, imports and retention, sorted. Read from the model, so no query.
    /// </summary>
    public static IReadOnlyList<string> Of(AppDbContext db) => db.Model.GetEntityTypes()
        .Where(t => !t.IsOwned() && t.ClrType != typeof(AuditEntry))
        .Select(t => t.ClrType.Name)
        .Concat([AuditExports.AuditLogType, AuditExports.TeamExportType, TeamImport.CommitTeamImportHandler.AuditType])
        .Distinct()
        .Order(StringComparer.Ordinal)
        .ToList();
}

/// <summary>The rows of a filter for the CSV download, streamed from the database one at a time.</summary>
public sealed record StreamAuditLogQuery(AuditFilter Filter) : IStreamQuery<AuditRow>;

public sealed class StreamAuditLogHandler(AppDbContext db) : IStreamQueryHandler<StreamAuditLogQuery, AuditRow>
{
    public async IAsyncEnumerable<AuditRow> Handle(StreamAuditLogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in AuditLogRows.Select(query.Filter.Apply(db.AuditEntries.AsNoTracking())).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return row;
        }
    }
}

/// <summary>Checks a download's filter and, when it is good, records the export in the audit trail before a byte is sent.</summary>
public sealed record AuditExportStart(AuditFilter? Filter, IReadOnlyDictionary<string, string> Errors);

public sealed record StartAuditExportCommand(AuditFilterInput Input) : ICommand<AuditExportStart>;

public sealed class StartAuditExportHandler(AppDbContext db, IAuditActor actor, TimeProvider clock) : ICommandHandler<StartAuditExportCommand, AuditExportStart>
{
    public async ValueTask<AuditExportStart> Handle(StartAuditExportCommand command, CancellationToken cancellationToken)
    {
        var userIds = await db.Users.AsNoTracking().Select(u => u.Id).ToListAsync(cancellationToken);
        var (filter, _, errors) = AuditFilter.Parse(command.Input, userIds.ToHashSet(), AuditLogEntityTypes.Of(db));
        if (filter is null)
        {
            return new AuditExportStart(null, errors);
        }

        var i = command.Input;
        await AuditExports.RecordAsync(db, actor, clock, AuditExports.AuditLogType, "audit-log", new Dictionary<string, string?>
        {
            ["format"] = "csv", ["from"] = i.From?.Trim(), ["to"] = i.To?.Trim(), ["actor"] = i.Actor?.Trim(), ["entity"] = i.Entity?.Trim(), ["entityId"] = i.EntityId?.Trim(),
        }, cancellationToken);
        return new AuditExportStart(filter, errors);
    }
}

public static class AuditExports
{
    /// <summary>The entity type of the rows that record downloads of the audit log itself (and its retention purges).</summary>
    public const string AuditLogType = "AuditLog";

    /// <summary>The entity type of the rows that record team exports; the entity id is the team's id.</summary>
    public const string TeamExportType = "TeamExport";

    public const string ExportedAction = "Exported";

    /// <summary>
    /// Writes one audit row for a download ("exports are audited", checklist item 34): who, when, what and with which
    /// filter. Reads change no entity, so the interceptor has nothing to record; this row is added directly (the
    /// interceptor lets new audit rows through and refuses changes to existing ones).
    /// </summary>
    public static async Task RecordAsync(AppDbContext db, IAuditActor actor, TimeProvider clock, string entityType, string entityId,
        IReadOnlyDictionary<string, string?> details, CancellationToken cancellationToken)
    {
        var kept = details.Where(d => !string.IsNullOrEmpty(d.Value)).ToDictionary(d => d.Key, d => d.Value);
        db.AuditEntries.Add(new AuditEntry(clock.GetUtcNow(), actor.UserId, actor.UserName, entityType, entityId, ExportedAction,
            JsonSerializer.Serialize(kept), actor.CorrelationId));
        await db.SaveChangesAsync(cancellationToken);
    }
}
