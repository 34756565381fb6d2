using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Rendering;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AlignmentHub.Web.Features.Dashboards;

/// <summary>The executive and team dashboards (brief §4): read-only, for everyone signed in.</summary>
[Route("dashboards")]
public sealed class DashboardsController(IMediator mediator) : AppController
{
    [HttpGet("")]
    public async Task<IActionResult> Executive([FromQuery] int? product, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new GetExecutiveDashboardQuery(product), cancellationToken);
        SetPage($"Executive dashboard · {page.ProductName}", "dashboards", page.ProductId, new Crumb("Dashboards", "/dashboards"), new Crumb(page.ProductName));
        return View(page);
    }

    /// <summary>The team switcher's target (a GET form cannot put the team into the path): on to that team's page.</summary>
    [HttpGet("teams")]
    public async Task<IActionResult> ChooseTeam([FromQuery] int? team, [FromQuery] int? product, CancellationToken cancellationToken)
    {
        var teamId = team ?? await mediator.Send(new GetDefaultTeamQuery(), cancellationToken);
        return teamId is { } id
            ? Redirect($"/dashboards/teams/{id}" + (product is { } p ? $"?product={p}" : string.Empty))
            : Redirect("/dashboards");
    }

    [HttpGet("teams/{teamId:int}")]
    public async Task<IActionResult> Team([FromRoute] int teamId, [FromQuery] int? product, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new GetTeamDashboardQuery(teamId, product), cancellationToken);
        SetPage($"{page.TeamName} · team dashboard", "dashboards", page.ProductId,
            new Crumb("Dashboards", $"/dashboards?product={page.ProductId}"), new Crumb(page.TeamName));
        return View(page);
    }
}
