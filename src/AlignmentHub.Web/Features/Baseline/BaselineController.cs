using System.Reflection;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Baseline;

public sealed record BaselineRow(int Id, int? Rank, string Title);

/// <summary>
/// The benchmark's yardstick (issue 5, like TechEmpower's Fortunes): one small table (a product's goals, about a dozen
/// rows) read with EF Core and rendered in the normal layout, behind the same middleware and sign-in as every page.
/// Only exists when <c>Benchmark:BaselinePage</c> is true (scripts/bench sets it); otherwise no route leads here.
/// </summary>
[Route("bench/baseline")]
public sealed class BaselineController(AppDbContext db) : AppController
{
    public const string Setting = "Benchmark:BaselinePage";

    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] int product, CancellationToken cancellationToken)
    {
        var rows = await db.Goals.AsNoTracking().Where(g => g.ProductId == product)
            .OrderBy(g => g.Rank == null).ThenBy(g => g.Rank).ThenBy(g => g.Title)
            .Select(g => new BaselineRow(g.Id, g.Rank, g.Title))
            .ToListAsync(cancellationToken);
        SetPage("Baseline", "home", product);
        return View(rows);
    }
}

/// <summary>Leaves <see cref="BaselineController"/> out of the application unless the benchmark asked for it.</summary>
public sealed class BaselineControllerSwitch(bool enabled) : IApplicationFeatureProvider<ControllerFeature>
{
    public void PopulateFeature(IEnumerable<ApplicationPart> parts, ControllerFeature feature)
    {
        if (!enabled)
        {
            feature.Controllers.Remove(typeof(BaselineController).GetTypeInfo());
        }
    }
}
