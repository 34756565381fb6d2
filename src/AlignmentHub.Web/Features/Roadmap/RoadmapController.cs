using AlignmentHub.Domain.Common;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Rendering;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace AlignmentHub.Web.Features.Roadmap;

/// <summary>
/// The roadmap views: the Now / Next / Later board (with moving cards), the quarter timeline and the filterable list.
/// The item pages themselves live under roadmap/items (RoadmapItemsController).
/// </summary>
[Route("roadmap")]
public sealed class RoadmapController(IMediator mediator) : AppController
{
    [HttpGet("")]
    public async Task<IActionResult> Board([FromQuery] string? product, [FromQuery] string? team, [FromQuery] string? shipped, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new GetBoardQuery(product, team, shipped), cancellationToken);
        return ShowBoard(page);
    }

    [HttpGet("timeline")]
    public async Task<IActionResult> Timeline([FromQuery] string? product, [FromQuery] string? team, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new GetTimelineQuery(product, team), cancellationToken);
        SetRoadmapPage("Roadmap timeline", "Timeline", page.Scope);
        return View(page);
    }

    [HttpGet("list")]
    public async Task<IActionResult> List(
        [FromQuery] string? product, [FromQuery] string? team, [FromQuery] string? goal, [FromQuery] string? status, [FromQuery] string? horizon,
        [FromQuery] string? orphans, [FromQuery] string? unscheduled, [FromQuery] string? archived, [FromQuery] string? sort, [FromQuery] string? dir,
        [FromQuery] string? page, CancellationToken cancellationToken)
    {
        var list = await mediator.Send(new GetRoadmapListQuery(product, team, goal, status, horizon, orphans, unscheduled, archived, sort, dir, page), cancellationToken);
        SetRoadmapPage("Roadmap list", "List", list.Scope);
        return View(list);
    }

    /// <summary>
    /// Moves a card (drag and drop posts here through fetch, the card's forms post here without JavaScript).
    /// A plain form gets a redirect back to the board it came from with a flash message; a fetch asking for JSON gets
    /// <c>{ ok, message }</c> with 200, 409 (the board was out of date) or 422 (bad input).
    /// </summary>
    [HttpPost("items/{id:int}/move")]
    public async Task<IActionResult> Move([FromRoute] int id, [Bind("Horizon,BeforeItemId,Version")] MoveRoadmapItemCommand command,
        [FromForm] string? returnQuery, CancellationToken cancellationToken)
    {
        // Unknown item → 404 and not allowed → 403 come first, whatever was posted.
        await mediator.Send(new EnsureCanMoveQuery(id), cancellationToken);
        command.ItemId = id;
        var back = BoardQueryFrom(returnQuery);
        string? problem = null;
        if (!ModelState.IsValid)
        {
            problem = ModelState[nameof(MoveRoadmapItemCommand.Horizon)]?.Errors.Count > 0 ? MoveRoadmapItemValidator.HorizonMessage
                : ModelState[nameof(MoveRoadmapItemCommand.Version)]?.Errors.Count > 0 ? MoveRoadmapItemValidator.VersionMessage
                : "Choose a card on the board to move it before.";
        }
        else
        {
            try
            {
                var result = await mediator.Send(command, cancellationToken);
                if (WantsJson)
                {
                    return Json(new { ok = true, message = result.Message, itemId = result.ItemId, horizon = result.Horizon.ToString() });
                }

                TempData.Success(result.Message);
                return Redirect(RoadmapUrls.BoardPath + "?" + back + "#item-" + RoadmapText.Invariant(id));
            }
            catch (BoardChangedException ex)
            {
                if (WantsJson)
                {
                    return StatusCode(StatusCodes.Status409Conflict, new { ok = false, message = ex.Message });
                }

                // No jump to the card here: the warning at the top of the board must be seen.
                TempData.Warning(ex.Message);
                return Redirect(RoadmapUrls.BoardPath + "?" + back);
            }
            catch (ValidationException ex)
            {
                problem = string.Join(" ", ex.Errors.Select(e => e.ErrorMessage).Distinct());
            }
            catch (DomainException ex)
            {
                problem = ex.Message;
            }
        }

        // Bad input: nothing changed; the board again with the message (422).
        if (WantsJson)
        {
            return StatusCode(StatusCodes.Status422UnprocessableEntity, new { ok = false, message = problem });
        }

        var query = QueryHelpers.ParseQuery(back);
        var page = await mediator.Send(
            new GetBoardQuery(query.GetValueOrDefault("product").ToString(), query.GetValueOrDefault("team").ToString(), query.GetValueOrDefault("shipped").ToString()),
            cancellationToken);
        ViewData["MoveError"] = problem;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return ShowBoard(page);
    }

    private bool WantsJson => Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The board filters a move form posted back, rebuilt from the values we know (product, team, shipped), so the
    /// redirect can only ever go to this site's board (no open redirect through the hidden field).
    /// </summary>
    private static string BoardQueryFrom(string? returnQuery)
    {
        var query = QueryHelpers.ParseQuery(returnQuery is { Length: <= 500 } ? returnQuery : null);
        int? Id(string name) => RoadmapScopes.TryParseId(query.GetValueOrDefault(name).ToString(), out var value) ? value : null;
        return RoadmapUrls.BoardQuery(Id("product"), Id("team"), query.GetValueOrDefault("shipped").ToString() is "true");
    }

    private ViewResult ShowBoard(BoardPage page)
    {
        SetRoadmapPage("Roadmap", "Board", page.Scope);
        return View("Board", page);
    }

    private void SetRoadmapPage(string title, string view, RoadmapScope scope)
    {
        var productId = scope.Product?.Id;
        var crumbs = new List<Crumb>();
        if (scope.Product is { } product)
        {
            crumbs.Add(new Crumb(product.Name, "/"));
        }

        crumbs.Add(new Crumb("Roadmap", view == "Board" ? null : RoadmapUrls.Board(productId, scope.Team?.Id, shipped: false)));
        if (view != "Board")
        {
            crumbs.Add(new Crumb(view));
        }

        SetPage(title, "roadmap", productId, [.. crumbs]);
    }
}
