using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Rendering;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AlignmentHub.Web.Features.Vision;

[Route("products/{productId:int}/vision")]
public sealed class VisionController(IMediator mediator) : AppController
{
    [HttpGet("")]
    public async Task<IActionResult> Index([FromRoute] int productId, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new GetVisionQuery(productId), cancellationToken);
        SetPage("Vision", "vision", productId, new Crumb(page.ProductName, "/"), new Crumb("Vision"));
        return View(page);
    }

    [HttpGet("edit")]
    public async Task<IActionResult> Edit([FromRoute] int productId, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new GetVisionQuery(productId), cancellationToken);
        if (!page.CanEdit)
        {
            throw new ForbiddenException();
        }

        return await ShowEditForm(new ReviseVisionCommand { ProductId = productId, BaseVersion = page.Current?.Number ?? 0, Text = page.Current?.Text }, cancellationToken);
    }

    [HttpPost("edit")]
    public Task<IActionResult> Edit([FromRoute] int productId, [Bind("BaseVersion,Text,Reason")] ReviseVisionCommand command, CancellationToken cancellationToken)
    {
        command.ProductId = productId;
        return SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            number =>
            {
                TempData.Success($"Vision saved as version {number}.");
                return RedirectToAction(nameof(Index), new { productId });
            },
            () => ShowEditForm(command, cancellationToken));
    }

    [HttpGet("history")]
    public async Task<IActionResult> History([FromRoute] int productId, CancellationToken cancellationToken)
    {
        var history = await mediator.Send(new GetVisionHistoryQuery(productId), cancellationToken);
        SetPage("Vision history", "vision", productId, new Crumb(history.ProductName, "/"), new Crumb("Vision", Url.Action(nameof(Index), new { productId })), new Crumb("History"));
        return View(history);
    }

    [HttpGet("diff")]
    public async Task<IActionResult> Diff([FromRoute] int productId, int from, int to, CancellationToken cancellationToken)
    {
        var diff = await mediator.Send(new GetVisionDiffQuery(productId, from, to), cancellationToken);
        SetPage($"Changes from version {from} to {to}", "vision", productId, new Crumb(diff.ProductName, "/"),
            new Crumb("Vision", Url.Action(nameof(Index), new { productId })), new Crumb("History", Url.Action(nameof(History), new { productId })), new Crumb($"v{from} → v{to}"));
        return View(diff);
    }

    private async Task<IActionResult> ShowEditForm(ReviseVisionCommand command, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new GetVisionQuery(command.ProductId), cancellationToken);
        if (ViewData["Conflict"] is ConcurrencyConflictException conflict)
        {
            // A deliberate second save replaces the newer version (it is still kept in the history).
            ModelState.Remove(nameof(ReviseVisionCommand.BaseVersion));
            command.BaseVersion = (int)conflict.CurrentVersion;
        }

        SetPage("Edit vision", "vision", command.ProductId, new Crumb(page.ProductName, "/"), new Crumb("Vision", Url.Action(nameof(Index), new { productId = command.ProductId })), new Crumb("Edit"));
        return View("Edit", command);
    }
}
