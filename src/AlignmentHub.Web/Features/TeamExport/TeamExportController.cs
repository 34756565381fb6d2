using System.Globalization;
using System.Text.Json;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Export;
using AlignmentHub.Web.Infrastructure.Rendering;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AlignmentHub.Web.Features.TeamExport;

/// <summary>
/// A team's objectives, key results, check-ins and roadmap items as JSON (the portable format) or CSV (for
/// spreadsheets). Everyone signed in may read every team (brief §6), so everyone signed in may export it. Downloads are
/// POSTs because each writes an audit row: no GET changes the database.
/// </summary>
[Route("teams/{teamId:int}")]
public sealed class TeamExportController(IMediator mediator) : AppController
{
    [HttpGet("export")]
    public async Task<IActionResult> Index([FromRoute] int teamId, CancellationToken cancellationToken)
    {
        var name = await mediator.Send(new GetTeamNameQuery(teamId), cancellationToken);
        SetPage($"Export · {name}", "dashboards", null, new Crumb("Dashboards", "/dashboards"), new Crumb(name, $"/dashboards/teams/{teamId}"), new Crumb("Export"));
        return View(new TeamExportPage(teamId, name, TeamExportFormat.Tables));
    }

    [HttpPost("export.json")]
    public async Task<IActionResult> Json([FromRoute] int teamId, CancellationToken cancellationToken)
    {
        var document = await mediator.Send(new GetTeamExportQuery(teamId), cancellationToken);
        await mediator.Send(new RecordTeamExportCommand(teamId, "json", null), cancellationToken);
        Response.ContentType = "application/json; charset=utf-8";
        Response.Headers.ContentDisposition = Attachment(FileName(document, "json"));
        await JsonSerializer.SerializeAsync(Response.Body, document, TeamExportFormat.Json, cancellationToken);
        return new EmptyResult();
    }

    /// <summary>All tables as a zip of CSV files, or one table as a CSV file with <c>entity=</c> (see <see cref="TeamExportFormat.Tables"/>).</summary>
    [HttpPost("export.csv")]
    public async Task<IActionResult> Csv([FromRoute] int teamId, [FromQuery(Name = "entity")] string? entity, [FromForm(Name = "entity")] string? formEntity, CancellationToken cancellationToken)
    {
        var table = (entity ?? formEntity)?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(table) && !TeamExportFormat.Tables.Contains(table))
        {
            return BadRequest();
        }

        var document = await mediator.Send(new GetTeamExportQuery(teamId), cancellationToken);
        await mediator.Send(new RecordTeamExportCommand(teamId, string.IsNullOrEmpty(table) ? "csv-zip" : "csv", table), cancellationToken);
        if (string.IsNullOrEmpty(table))
        {
            // The zip is built in memory: a team's data is small, and ZipArchive writes its directory synchronously.
            return File(await TeamExportFormat.ZipAsync(document), "application/zip", FileName(document, "zip"));
        }

        Response.ContentType = CsvWriter.ContentType;
        Response.Headers.ContentDisposition = Attachment(FileName(document, table + ".csv"));
        await TeamExportFormat.WriteCsvAsync(Response.Body, document, table);
        return new EmptyResult();
    }

    private static string FileName(TeamExportDocument document, string extension) =>
        $"team-{document.Team.Id.ToString(CultureInfo.InvariantCulture)}-{document.ExportedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.{extension}";

    private static string Attachment(string fileName) =>
        new System.Net.Mime.ContentDisposition { FileName = fileName, DispositionType = "attachment" }.ToString();
}

public sealed record TeamExportPage(int TeamId, string TeamName, IReadOnlyList<string> Tables);
