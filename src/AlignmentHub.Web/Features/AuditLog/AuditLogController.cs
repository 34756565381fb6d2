using System.Globalization;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Export;
using AlignmentHub.Web.Infrastructure.Rendering;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace AlignmentHub.Web.Features.AuditLog;

/// <summary>
/// The administrators' audit log (checklist items 34–36): every change, newest first, filtered by date, person and
/// entity, and downloadable as CSV. Read-only: no route changes or removes an audit row.
/// </summary>
[Route("admin/audit")]
public sealed class AuditLogController(IMediator mediator) : AppController
{
    public override void OnActionExecuting(ActionExecutingContext context)
    {
        if (!User.IsInRole(Roles.Admin))
        {
            throw new ForbiddenException();
        }

        base.OnActionExecuting(context);
    }

    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] AuditFilterInput filter, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new GetAuditLogQuery(filter), cancellationToken);
        return Show(page);
    }

    /// <summary>
    /// The CSV of the current filter. A POST because it writes the export's own audit row; the rows are streamed from
    /// the database to the response, never held in memory together.
    /// </summary>
    [HttpPost("export.csv")]
    public async Task<IActionResult> Export([FromForm] AuditFilterInput filter, CancellationToken cancellationToken)
    {
        var start = await mediator.Send(new StartAuditExportCommand(filter), cancellationToken);
        if (start.Filter is null)
        {
            return Show(await mediator.Send(new GetAuditLogQuery(filter), cancellationToken));
        }

        var name = $"audit-log-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.csv";
        Response.ContentType = CsvWriter.ContentType;
        Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = name, DispositionType = "attachment" }.ToString();
        await using (var csv = CsvWriter.Create(Response.Body))
        {
            await csv.WriteRowAsync("Id", "Time (UTC)", "Actor", "Action", "Entity type", "Entity id", "Changes (JSON)", "Correlation id");
            await foreach (var row in mediator.CreateStream(new StreamAuditLogQuery(start.Filter), cancellationToken))
            {
                await csv.WriteRowAsync(row.Id.ToString(CultureInfo.InvariantCulture), row.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    row.Actor, row.Action, row.EntityType, row.EntityId, row.Changes, row.CorrelationId);
            }
        }

        return new EmptyResult();
    }

    private ViewResult Show(AuditLogPage page)
    {
        foreach (var (field, message) in page.Errors)
        {
            ModelState.AddModelError(field, message);
        }

        if (!page.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        SetPage("Audit log", "audit", null, new Crumb("Administration"), new Crumb("Audit log"));
        return View("Index", page);
    }
}
