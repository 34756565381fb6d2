using System.Globalization;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Rendering;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AlignmentHub.Web.Features.Alignment;

/// <summary>The Alignment page (brief §4): orphan queue with bulk re-link, unsupported objectives and key results, conflicts.</summary>
[Route("alignment")]
public sealed class AlignmentController(IMediator mediator, RoadmapAccess access) : AppController
{
    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] string? product, [FromQuery] string? team, [FromQuery] string? page, CancellationToken cancellationToken) =>
        await ShowAsync(product, team, page, RelinkSelection.None, cancellationToken);

    [HttpPost("relink")]
    public async Task<IActionResult> Relink([Bind("ProductId,ItemIds,ShownIds,All,Target,Team,Page")] RelinkItemsCommand command, CancellationToken cancellationToken)
    {
        // Read-only roles are refused whatever they posted; per-item permissions are the handler's (all or nothing).
        if (!access.MayEditSomeItems)
        {
            throw new ForbiddenException("Executives can read the alignment page but not change links.");
        }

        var product = command.ProductId.ToString(CultureInfo.InvariantCulture);
        return await SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            result =>
            {
                TempData.Success(result.Message);
                return Redirect(PageUrl(command.ProductId, command.Team, command.Page));
            },
            () => ShowAsync(product, command.Team, command.Page,
                new RelinkSelection(command.ItemIds.ToHashSet(), command.Target), cancellationToken));
    }

    /// <summary>The page's address with its product, team filter and page; empty values are left out.</summary>
    public static string PageUrl(int productId, string? team = null, string? page = null)
    {
        var url = "/alignment?product=" + productId.ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrWhiteSpace(team))
        {
            url += "&team=" + Uri.EscapeDataString(team.Trim());
        }

        if (!string.IsNullOrWhiteSpace(page) && page.Trim() != "1")
        {
            url += "&page=" + Uri.EscapeDataString(page.Trim());
        }

        return url;
    }

    private async Task<IActionResult> ShowAsync(string? product, string? team, string? page, RelinkSelection selection, CancellationToken cancellationToken)
    {
        var model = await mediator.Send(new GetAlignmentQuery(product, team, page), cancellationToken);
        if (model is null)
        {
            SetPage("Alignment", "alignment", null, new Crumb("Alignment"));
            return View("NoProduct");
        }

        SetPage($"Alignment · {model.ProductName}", "alignment", model.ProductId,
            new Crumb(model.ProductName, "/"), new Crumb("Alignment"));
        if (model.Queue.Notice is not null && Response.StatusCode == StatusCodes.Status200OK)
        {
            // The team asked for does not exist: say so (and show all teams) with an honest status code, as the OKR page does.
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return View("Index", model with { Selection = selection });
    }
}
