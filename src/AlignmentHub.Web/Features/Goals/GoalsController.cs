using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Rendering;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AlignmentHub.Web.Features.Goals;

[Route("products/{productId:int}/goals")]
public sealed class GoalsController(IMediator mediator) : AppController
{
    [HttpGet("")]
    public async Task<IActionResult> Index([FromRoute] int productId, CancellationToken cancellationToken)
    {
        var list = await mediator.Send(new GetGoalsQuery(productId), cancellationToken);
        SetPage("Goals", "goals", productId, new Crumb(list.ProductName, "/"), new Crumb("Goals"));
        return View(list);
    }

    [HttpGet("{goalId:int}")]
    public async Task<IActionResult> Details([FromRoute] int productId, [FromRoute] int goalId, [FromQuery] string? group, CancellationToken cancellationToken)
    {
        var detail = await mediator.Send(new GetGoalQuery(productId, goalId), cancellationToken);
        detail = detail with { Tree = await mediator.Send(new GetGoalTreeQuery(productId, goalId, group), cancellationToken) };
        SetPage(detail.Goal.Title, "goals", productId, new Crumb(detail.ProductName, "/"), new Crumb("Goals", Url.Action(nameof(Index), new { productId })), new Crumb(detail.Goal.Title));
        return View(detail);
    }

    [HttpGet("new")]
    public async Task<IActionResult> Create([FromRoute] int productId, CancellationToken cancellationToken)
    {
        var list = await mediator.Send(new GetGoalsQuery(productId), cancellationToken);
        if (!list.CanEdit)
        {
            throw new ForbiddenException();
        }

        return await ShowCreateForm(new CreateGoalCommand { ProductId = productId }, cancellationToken);
    }

    [HttpPost("new")]
    public Task<IActionResult> Create([FromRoute] int productId, [Bind("Title,Description,SuccessMetric,Horizon,Rank")] CreateGoalCommand command, CancellationToken cancellationToken)
    {
        command.ProductId = productId;
        return SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            _ =>
            {
                TempData.Success($"Goal “{command.Title?.Trim()}” added.");
                return RedirectToAction(nameof(Index), new { productId });
            },
            () => ShowCreateForm(command, cancellationToken));
    }

    [HttpGet("{goalId:int}/edit")]
    public async Task<IActionResult> Edit([FromRoute] int productId, [FromRoute] int goalId, CancellationToken cancellationToken)
    {
        var detail = await mediator.Send(new GetGoalQuery(productId, goalId), cancellationToken);
        if (!detail.CanEdit)
        {
            throw new ForbiddenException();
        }

        var g = detail.Goal;
        return await ShowEditForm(new EditGoalCommand
        {
            ProductId = productId, GoalId = goalId, Title = g.Title, Description = g.Description, SuccessMetric = g.SuccessMetric, Horizon = g.Horizon, Version = g.Version,
        }, cancellationToken);
    }

    [HttpPost("{goalId:int}/edit")]
    public Task<IActionResult> Edit([FromRoute] int productId, [FromRoute] int goalId, [Bind("Title,Description,SuccessMetric,Horizon,Version")] EditGoalCommand command, CancellationToken cancellationToken)
    {
        command.ProductId = productId;
        command.GoalId = goalId;
        return SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            _ =>
            {
                TempData.Success("Goal saved.");
                return RedirectToAction(nameof(Details), new { productId, goalId });
            },
            () => ShowEditForm(command, cancellationToken));
    }

    [HttpPost("{goalId:int}/move")]
    public Task<IActionResult> Move([FromRoute] int productId, [FromRoute] int goalId, [Bind("NewRank,ProductVersion")] MoveGoalCommand command, CancellationToken cancellationToken)
    {
        command.ProductId = productId;
        command.GoalId = goalId;
        return SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            rank =>
            {
                TempData.Success($"Goal moved to rank {rank}.");
                return RedirectToAction(nameof(Index), new { productId });
            },
            async () =>
            {
                var list = await mediator.Send(new GetGoalsQuery(productId), cancellationToken);
                SetPage("Goals", "goals", productId, new Crumb(list.ProductName, "/"), new Crumb("Goals"));
                ViewData["MoveError"] = string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage));
                return View(nameof(Index), list);
            });
    }

    private async Task<IActionResult> ShowCreateForm(CreateGoalCommand command, CancellationToken cancellationToken)
    {
        var list = await mediator.Send(new GetGoalsQuery(command.ProductId), cancellationToken);
        ViewData["RankCount"] = list.Ranked.Count;
        SetPage("New goal", "goals", command.ProductId, new Crumb(list.ProductName, "/"), new Crumb("Goals", Url.Action(nameof(Index), new { productId = command.ProductId })), new Crumb("New goal"));
        return View("Create", command);
    }

    private async Task<IActionResult> ShowEditForm(EditGoalCommand command, CancellationToken cancellationToken)
    {
        var detail = await mediator.Send(new GetGoalQuery(command.ProductId, command.GoalId), cancellationToken);
        if (ViewData["Conflict"] is ConcurrencyConflictException conflict)
        {
            ModelState.Remove(nameof(EditGoalCommand.Version));
            command.Version = conflict.CurrentVersion;
        }

        SetPage("Edit goal", "goals", command.ProductId, new Crumb(detail.ProductName, "/"), new Crumb("Goals", Url.Action(nameof(Index), new { productId = command.ProductId })),
            new Crumb(detail.Goal.Title, Url.Action(nameof(Details), new { productId = command.ProductId, goalId = command.GoalId })), new Crumb("Edit"));
        return View("Edit", command);
    }
}
