using System.Globalization;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Rendering;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AlignmentHub.Web.Features.Objectives;

/// <summary>
/// Changing objectives: create and edit with key results in one form (rows added and removed with or without
/// JavaScript), move a key result, carry over into a later period, close with a score. Every success ends on the
/// objective page (/okrs/objectives/{id}) with a flash message.
/// </summary>
[Route("okrs")]
public sealed class ObjectivesController(IMediator mediator, ICurrentUser user, TimeProvider clock) : AppController
{
    private const string FormActionField = "formAction";

    // ------------------------------------------------------------ create

    [HttpGet("objectives/new")]
    public async Task<IActionResult> Create([FromQuery] string? team, [FromQuery] string? period, CancellationToken cancellationToken)
    {
        var teams = await EditableTeamsAsync(cancellationToken);
        int? teamId = int.TryParse(team, NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;
        if (teamId is { } chosen && teams.All(x => x.Id != chosen))
        {
            teamId = IsAdminOrProductManager() ? null : throw new ForbiddenException(); // someone else's team; or no such team
        }

        var key = period?.Trim().ToUpperInvariant();
        ModelState.Clear(); // the query string is not the form: "period" must not pre-fill the Period field as typed
        return await ShowCreateForm(new CreateObjectiveCommand
        {
            TeamId = teamId ?? teams[0].Id,
            Period = Period.TryParseKey(key, out _, out _) ? key : CurrentPeriodKey(),
            AlignTo = AlignmentKind.Goal,
            KeyResults = [new KeyResultRow()],
        }, cancellationToken);
    }

    [HttpPost("objectives/new")]
    public async Task<IActionResult> Create(
        [Bind("Title,Description,TeamId,Period,AlignTo,GoalId,ParentObjectiveId,OwnerId,Weight,KeyResults")] CreateObjectiveCommand command,
        [FromForm(Name = FormActionField)] string? formAction,
        CancellationToken cancellationToken)
    {
        var teams = await EditableTeamsAsync(cancellationToken);
        if (command.TeamId is { } teamId && teams.All(x => x.Id != teamId) && !IsAdminOrProductManager())
        {
            throw new ForbiddenException(); // a team member's objective for someone else's team
        }

        if (ApplyRowAction(command, formAction))
        {
            return await ShowCreateForm(command, cancellationToken);
        }

        FlagDamagedRows();
        return await SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            id =>
            {
                var count = command.KeyResults.Count;
                TempData.Success($"Objective “{command.Title?.Trim()}” created with {count} key result{(count == 1 ? string.Empty : "s")}.");
                return Redirect(ObjectiveUrls.Objective(id));
            },
            () => ShowCreateForm(command, cancellationToken));
    }

    // ------------------------------------------------------------ edit

    [HttpGet("objectives/{objectiveId:int}/edit")]
    public async Task<IActionResult> Edit([FromRoute] int objectiveId, CancellationToken cancellationToken)
    {
        var context = await mediator.Send(new GetObjectiveContextQuery(objectiveId), cancellationToken);
        if (!context.IsActive)
        {
            return NotActive(context, "edited");
        }

        return await ShowEditForm(new EditObjectiveCommand
        {
            ObjectiveId = objectiveId,
            Version = context.Version,
            Title = context.Title,
            Description = context.Description,
            AlignTo = context.GoalId is null ? AlignmentKind.Parent : AlignmentKind.Goal,
            GoalId = context.GoalId,
            ParentObjectiveId = context.ParentObjectiveId,
            OwnerId = context.OwnerId,
            Weight = context.Weight,
            KeyResults = context.KeyResults.Select(k => k.Row).ToList(),
        }, context, cancellationToken);
    }

    [HttpPost("objectives/{objectiveId:int}/edit")]
    public async Task<IActionResult> Edit(
        [FromRoute] int objectiveId,
        [Bind("Title,Description,AlignTo,GoalId,ParentObjectiveId,OwnerId,Weight,KeyResults,Version")] EditObjectiveCommand command,
        [FromForm(Name = FormActionField)] string? formAction,
        CancellationToken cancellationToken)
    {
        command.ObjectiveId = objectiveId;
        var context = await mediator.Send(new GetObjectiveContextQuery(objectiveId), cancellationToken); // 404 / 403 before anything else
        if (ApplyRowAction(command, formAction))
        {
            return await ShowEditForm(command, context, cancellationToken);
        }

        FlagDamagedRows();
        return await SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            result =>
            {
                TempData.Success(result.RetiredKeyResults switch
                {
                    0 => "Objective saved.",
                    1 => "Objective saved. One key result was retired; its check-ins are kept.",
                    var n => $"Objective saved. {n} key results were retired; their check-ins are kept.",
                });
                return Redirect(ObjectiveUrls.Objective(result.ObjectiveId));
            },
            async () => await ShowEditForm(command, await mediator.Send(new GetObjectiveContextQuery(objectiveId), cancellationToken), cancellationToken));
    }

    // ------------------------------------------------------------ close

    [HttpGet("objectives/{objectiveId:int}/close")]
    public async Task<IActionResult> Close([FromRoute] int objectiveId, CancellationToken cancellationToken)
    {
        var context = await mediator.Send(new GetObjectiveContextQuery(objectiveId), cancellationToken);
        return context.IsActive
            ? ShowClose(new CloseObjectiveCommand { ObjectiveId = objectiveId, Version = context.Version, Score = context.SuggestedScore }, context)
            : NotActive(context, "closed again");
    }

    [HttpPost("objectives/{objectiveId:int}/close")]
    public async Task<IActionResult> Close([FromRoute] int objectiveId, [Bind("Score,Retrospective,Version")] CloseObjectiveCommand command, CancellationToken cancellationToken)
    {
        command.ObjectiveId = objectiveId;
        var context = await mediator.Send(new GetObjectiveContextQuery(objectiveId), cancellationToken);
        return await SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            score =>
            {
                TempData.Success($"Objective closed with a score of {score.ToString("0.0#", CultureInfo.InvariantCulture)}.");
                return Redirect(ObjectiveUrls.Objective(objectiveId));
            },
            () => Task.FromResult(ShowClose(command, context)));
    }

    // ------------------------------------------------------------ carry over

    [HttpGet("objectives/{objectiveId:int}/carry-over")]
    public async Task<IActionResult> CarryOver([FromRoute] int objectiveId, CancellationToken cancellationToken)
    {
        var context = await mediator.Send(new GetObjectiveContextQuery(objectiveId), cancellationToken);
        if (!context.IsActive)
        {
            return NotActive(context, "carried over");
        }

        var (year, quarter) = context.Period.Next();
        return ShowCarryOver(new CarryOverCommand { ObjectiveId = objectiveId, Version = context.Version, Period = Period.ForQuarter(year, quarter).Key }, context);
    }

    [HttpPost("objectives/{objectiveId:int}/carry-over")]
    public async Task<IActionResult> CarryOver([FromRoute] int objectiveId, [Bind("Period,Version")] CarryOverCommand command, CancellationToken cancellationToken)
    {
        command.ObjectiveId = objectiveId;
        var context = await mediator.Send(new GetObjectiveContextQuery(objectiveId), cancellationToken);
        return await SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            result =>
            {
                TempData.Success($"“{context.Title}” carried over to {result.PeriodKey} with {result.KeyResults} key result{(result.KeyResults == 1 ? string.Empty : "s")}. "
                    + $"The {context.Period.Key} objective is closed with a score of {result.Score.ToString("0.0#", CultureInfo.InvariantCulture)}."
                    + (result.RelinkedItems switch { 0 => string.Empty, 1 => " One roadmap item now links to the new key results too.", var n => $" {n} roadmap items now link to the new key results too." }));
                return Redirect(ObjectiveUrls.Objective(result.NewObjectiveId));
            },
            () => Task.FromResult(ShowCarryOver(command, context)));
    }

    // ------------------------------------------------------------ move a key result

    [HttpGet("key-results/{keyResultId:int}/move")]
    public async Task<IActionResult> Move([FromRoute] int keyResultId, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new GetMoveKeyResultQuery(keyResultId), cancellationToken);
        return page.Source.IsActive ? ShowMove(new MoveKeyResultCommand { KeyResultId = keyResultId }, page) : NotActive(page.Source, "changed");
    }

    [HttpPost("key-results/{keyResultId:int}/move")]
    public async Task<IActionResult> Move([FromRoute] int keyResultId, [Bind("TargetObjectiveId")] MoveKeyResultCommand command, CancellationToken cancellationToken)
    {
        command.KeyResultId = keyResultId;
        _ = await mediator.Send(new GetMoveKeyResultQuery(keyResultId), cancellationToken); // 404 / 403 before anything else
        return await SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            result =>
            {
                TempData.Success($"Key result “{result.KeyResultTitle}” moved to “{result.TargetTitle}”.");
                return Redirect(ObjectiveUrls.Objective(result.TargetObjectiveId));
            },
            async () => ShowMove(command, await mediator.Send(new GetMoveKeyResultQuery(keyResultId), cancellationToken)));
    }

    // ------------------------------------------------------------ helpers

    /// <summary>
    /// The form's own buttons without JavaScript: "Add key result" (formAction=add) and "Remove" (formAction=remove:{i})
    /// show the form again with one row more or less, keep everything typed, and save nothing.
    /// </summary>
    private bool ApplyRowAction(ObjectiveFormCommand command, string? formAction)
    {
        if (formAction == "add")
        {
            if (command.KeyResults.Count >= ObjectiveFormCommand.MaxRows)
            {
                ResetModelState(removedRow: null);
                ModelState.AddModelError(nameof(command.KeyResults), $"An objective can have at most {ObjectiveFormCommand.MaxRows} key results.");
                return true;
            }

            ResetModelState(removedRow: null);
            command.KeyResults.Add(new KeyResultRow());
            return true;
        }

        if (formAction?.StartsWith("remove:", StringComparison.Ordinal) == true)
        {
            var valid = int.TryParse(formAction.AsSpan("remove:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < command.KeyResults.Count;
            if (!valid || command.KeyResults.Count <= 1)
            {
                ResetModelState(removedRow: null);
                ModelState.AddModelError(nameof(command.KeyResults), valid
                    ? "An objective needs at least one key result: add another before removing this one."
                    : "That row no longer exists.");
                return true;
            }

            ResetModelState(removedRow: index);
            command.KeyResults.RemoveAt(index);
            return true;
        }

        return false;
    }

    /// <summary>A row's hidden id or version that could not be read has no place for a message: say it once at the top.</summary>
    private void FlagDamagedRows()
    {
        if (ModelState.Any(e => TryRowIndex(e.Key, out _, out var rest) && rest is ".KeyResultId" or ".Version" && e.Value?.Errors.Count > 0))
        {
            ModelState.AddModelError(string.Empty, "This form is damaged or out of date. Reload the page and try again.");
        }
    }

    /// <summary>
    /// Keeps what was typed (including values that could not be read, such as "abc" in a number field) but no messages:
    /// adding or removing a row is not a save. The rows after a removed one move up by one.
    /// </summary>
    private void ResetModelState(int? removedRow)
    {
        var entries = ModelState.Select(e => (e.Key, e.Value?.RawValue, e.Value?.AttemptedValue)).ToList();
        ModelState.Clear();
        foreach (var (key, raw, attempted) in entries)
        {
            var newKey = key;
            if (removedRow is { } removed && TryRowIndex(key, out var index, out var rest))
            {
                if (index == removed)
                {
                    continue;
                }

                if (index > removed)
                {
                    newKey = string.Create(CultureInfo.InvariantCulture, $"KeyResults[{index - 1}]{rest}");
                }
            }

            ModelState.SetModelValue(newKey, raw, attempted);
        }
    }

    private static bool TryRowIndex(string key, out int index, out string rest)
    {
        index = -1;
        rest = string.Empty;
        const string prefix = "KeyResults[";
        var close = key.IndexOf(']', StringComparison.Ordinal);
        if (!key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || close < 0
            || !int.TryParse(key.AsSpan(prefix.Length, close - prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            return false;
        }

        rest = key[(close + 1)..];
        return true;
    }

    private async Task<IActionResult> ShowCreateForm(CreateObjectiveCommand command, CancellationToken cancellationToken)
    {
        var teams = await EditableTeamsAsync(cancellationToken);
        var teamId = command.TeamId is { } t && teams.Any(x => x.Id == t) ? t : teams[0].Id;
        var periodKey = command.Period?.Trim().ToUpperInvariant();
        ViewData["Options"] = await mediator.Send(new GetObjectiveFormOptionsQuery(null, teamId, periodKey, null, null, null), cancellationToken);
        SetPage("New objective", "okrs", null, new Crumb("OKRs", ObjectiveUrls.List), new Crumb("New objective"));
        return View("Create", command);
    }

    private async Task<IActionResult> ShowEditForm(EditObjectiveCommand command, ObjectiveContext context, CancellationToken cancellationToken)
    {
        if (ViewData["Conflict"] is ConcurrencyConflictException conflict)
        {
            ModelState.Remove(nameof(EditObjectiveCommand.Version));
            command.Version = conflict.CurrentVersion;
        }

        ViewData["Options"] = await mediator.Send(new GetObjectiveFormOptionsQuery(context.Id, context.TeamId, context.Period.Key, context.GoalId, context.ParentObjectiveId, context.OwnerId), cancellationToken);
        ViewData["Context"] = context;
        SetPage("Edit objective", "okrs", null, new Crumb("OKRs", ObjectiveUrls.List), new Crumb(context.Title, context.Url), new Crumb("Edit"));
        return View("Edit", command);
    }

    private IActionResult ShowClose(CloseObjectiveCommand command, ObjectiveContext context)
    {
        PrepareConflictVersion(v => command.Version = v);
        ViewData["Context"] = context;
        SetPage("Close objective", "okrs", null, new Crumb("OKRs", ObjectiveUrls.List), new Crumb(context.Title, context.Url), new Crumb("Close"));
        return View("Close", command);
    }

    private IActionResult ShowCarryOver(CarryOverCommand command, ObjectiveContext context)
    {
        PrepareConflictVersion(v => command.Version = v);
        ViewData["Context"] = context;
        SetPage("Carry over", "okrs", null, new Crumb("OKRs", ObjectiveUrls.List), new Crumb(context.Title, context.Url), new Crumb("Carry over"));
        return View("CarryOver", command);
    }

    private IActionResult ShowMove(MoveKeyResultCommand command, MoveKeyResultPage page)
    {
        ViewData["Page"] = page;
        SetPage("Move key result", "okrs", null, new Crumb("OKRs", ObjectiveUrls.List), new Crumb(page.Source.Title, page.Source.Url), new Crumb("Move key result"));
        return View("Move", command);
    }

    private void PrepareConflictVersion(Action<long> setVersion)
    {
        if (ViewData["Conflict"] is ConcurrencyConflictException conflict)
        {
            ModelState.Remove("Version");
            setVersion(conflict.CurrentVersion);
        }
    }

    private RedirectResult NotActive(ObjectiveContext context, string what)
    {
        TempData.Warning($"“{context.Title}” is {(context.Status == ObjectiveStatus.Closed ? "closed" : "retired")}: it can no longer be {what}.");
        return Redirect(context.Url);
    }

    /// <summary>The teams the user may create objectives for; 403 when there are none (executives, members without a team).</summary>
    private async Task<IReadOnlyList<TeamRef>> EditableTeamsAsync(CancellationToken cancellationToken)
    {
        var teams = await mediator.Send(new GetEditableTeamsQuery(), cancellationToken);
        return teams.Count == 0 ? throw new ForbiddenException() : teams;
    }

    private bool IsAdminOrProductManager() => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.ProductManager);

    private string CurrentPeriodKey() => Period.Containing(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).Key;
}
