using System.Globalization;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Binding;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Rendering;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AlignmentHub.Web.Features.Okrs;

/// <summary>The reading side of OKRs: the period's tree, the objective page, and check-ins on key results.</summary>
[Route("okrs")]
public sealed class OkrsController(IMediator mediator) : AppController
{
    /// <summary>ViewData key: the key result whose check-in form was rejected (its form shows the messages and the typed values).</summary>
    public const string CheckInForKey = "CheckInFor";

    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] string? period, [FromQuery] string? team, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new GetOkrsQuery(period, team), cancellationToken);
        var crumbs = new List<Crumb> { new("OKRs", "/okrs"), new(page.Period.Key, PeriodUrl(page.Period.Key)) };
        if (page.Team is { } t)
        {
            crumbs.Add(new Crumb(t.Name));
        }

        SetPage(page.Team is null ? $"OKRs {page.Period.Key}" : $"OKRs {page.Period.Key} · {page.Team.Name}", "okrs", null, [.. crumbs]);
        if (page.Notice is not null)
        {
            // The page asked for does not exist: say so (and show the current one) with an honest status code.
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return View(page);
    }

    [HttpGet("objectives/{id:int}")]
    public async Task<IActionResult> Details([FromRoute] int id, CancellationToken cancellationToken) =>
        await ShowObjectiveAsync(id, cancellationToken);

    /// <summary>Every check-in of a key result, 50 a page; the objective page links here from its latest ones.</summary>
    [HttpGet("key-results/{id:int}/check-ins")]
    public async Task<IActionResult> History([FromRoute] int id, [FromQuery] int page = 1, CancellationToken cancellationToken = default)
    {
        var history = await mediator.Send(new GetCheckInHistoryQuery(id, page), cancellationToken);
        SetPage($"Check-ins · {history.KeyResult.Title}", "okrs", null,
            new Crumb("OKRs", "/okrs"),
            new Crumb(history.PeriodKey, PeriodUrl(history.PeriodKey)),
            new Crumb(history.TeamName, PeriodUrl(history.PeriodKey, history.TeamId)),
            new Crumb(history.ObjectiveTitle, $"/okrs/objectives/{history.ObjectiveId}"),
            new Crumb("Check-ins"));
        if (!history.RequestedPageExists)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return View(history);
    }

    [HttpPost("key-results/{id:int}/check-ins")]
    public async Task<IActionResult> CheckIn([FromRoute] int id, [Bind("Value,Confidence,Note")] CheckInCommand command, CancellationToken cancellationToken)
    {
        // Unknown key result → 404 and not allowed → 403 come first, whatever was typed.
        var target = await mediator.Send(new GetCheckInTargetQuery(id), cancellationToken);
        if (!target.CanCheckIn)
        {
            throw new ForbiddenException("Only the team's members, product managers and administrators can check in on this key result.");
        }

        command.KeyResultId = id;
        ReplaceBindingMessages();
        return await SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            result =>
            {
                TempData.Success(result.Message);
                return RedirectToAction(nameof(Details), new { id = result.ObjectiveId });
            },
            () =>
            {
                ViewData[CheckInForKey] = id;
                ViewData["CheckIn"] = command;
                return ShowObjectiveAsync(target.ObjectiveId, cancellationToken);
            });
    }

    public static string PeriodUrl(string periodKey, int? teamId = null) =>
        "/okrs?period=" + Uri.EscapeDataString(periodKey) + (teamId is { } t ? "&team=" + t.ToString(CultureInfo.InvariantCulture) : string.Empty);

    private async Task<IActionResult> ShowObjectiveAsync(int id, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new GetObjectiveQuery(id), cancellationToken);
        SetPage(page.Title, "okrs", (page.Goal ?? page.GoalViaParent)?.ProductId,
            new Crumb("OKRs", "/okrs"),
            new Crumb(page.Period.Key, PeriodUrl(page.Period.Key)),
            new Crumb(page.TeamName, PeriodUrl(page.Period.Key, page.TeamId)),
            new Crumb(page.Title));
        return View("Details", page);
    }

    /// <summary>
    /// A value the model binder could not read keeps the binder's own wording (FormValueParser: "Use a dot for decimals…",
    /// "Enter a number, such as 42 or 3.5."), except that a number too large for a decimal ("1e309") is told the check-in's
    /// range, and anything else (a NUL) gets the format message.
    /// </summary>
    private void ReplaceBindingMessages()
    {
        if (ModelState[nameof(CheckInCommand.Value)] is { Errors.Count: > 0 } value)
        {
            var said = value.Errors.Select(e => e.ErrorMessage).ToList();
            value.Errors.Clear();
            ModelState.AddModelError(nameof(CheckInCommand.Value),
                said.Contains(FormValueParser.TooLargeMessage) ? CheckInValidator.ValueRangeMessage
                : said.Contains(FormValueParser.CommaMessage) ? FormValueParser.CommaMessage
                : CheckInValidator.ValueFormatMessage);
        }

        if (ModelState[nameof(CheckInCommand.Confidence)] is { Errors.Count: > 0 } confidence)
        {
            confidence.Errors.Clear();
            ModelState.AddModelError(nameof(CheckInCommand.Confidence), CheckInValidator.ConfidenceMessage);
        }
    }
}
