using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Rendering;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AlignmentHub.Web.Features.Deleted;

/// <summary>
/// "Recently deleted" (checklist item 39): objectives and roadmap items deleted in the last 30 days that the user may
/// edit, with Restore. A refused restore shows the list again with the reason beside the row, and changes nothing.
/// </summary>
[Route("deleted")]
public sealed class DeletedController(IMediator mediator) : AppController
{
    /// <summary>ViewData key: the row ("objective-5", "item-9") whose restore was refused.</summary>
    public const string RefusedRowKey = "RefusedRow";

    [HttpGet("")]
    public Task<IActionResult> Index(CancellationToken cancellationToken) => ShowAsync(cancellationToken);

    [HttpPost("objectives/{id:int}/restore")]
    public Task<IActionResult> RestoreObjective([FromRoute] int id, [Bind("Version")] RestoreDeletedCommand command, CancellationToken cancellationToken) =>
        RestoreAsync(command, DeletedKind.Objective, id, cancellationToken);

    [HttpPost("items/{id:int}/restore")]
    public Task<IActionResult> RestoreItem([FromRoute] int id, [Bind("Version")] RestoreDeletedCommand command, CancellationToken cancellationToken) =>
        RestoreAsync(command, DeletedKind.Item, id, cancellationToken);

    private Task<IActionResult> RestoreAsync(RestoreDeletedCommand command, DeletedKind kind, int id, CancellationToken cancellationToken)
    {
        // What is restored comes from the route only.
        command.Kind = kind;
        command.Id = id;
        return SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            result =>
            {
                TempData.Success(result.Message);
                return Redirect(result.RedirectUrl);
            },
            () =>
            {
                ViewData[RefusedRowKey] = $"{(kind == DeletedKind.Objective ? "objective" : "item")}-{id}";
                return ShowAsync(cancellationToken);
            });
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new GetDeletedQuery(), cancellationToken);
        SetPage("Recently deleted", "deleted", null, new Crumb("Home", "/"), new Crumb("Recently deleted"));
        return View("Index", page);
    }
}
