using System.IO.Compression;
using AlignmentHub.Domain.Common;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Rendering;
using AlignmentHub.Web.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace AlignmentHub.Web.Features.TeamImport;

/// <summary>
/// Administrators import a team export (checklist item 39) into this database: upload, preview (nothing saved), import.
/// </summary>
/// <remarks>
/// The preview survives the round trip in a hidden field, not in server memory: the app may run as several instances
/// (sessions and data-protection keys live in the database for that reason), and a file kept in one instance's memory
/// would be missing when the next post reaches another. The field holds the file gzip-compressed and protected with
/// the data-protection keys for this purpose and this administrator, valid for 30 minutes, so it cannot be read,
/// altered or replayed by someone else or later. The commit reads and checks the file again in full anyway.
/// </remarks>
[Route("admin/import")]
[RequestFormLimits(MultipartBodyLengthLimit = RequestLimitsMiddleware.MaxImportBodyBytes, BufferBodyLengthLimit = RequestLimitsMiddleware.MaxImportBodyBytes,
    ValueLengthLimit = (int)RequestLimitsMiddleware.MaxImportBodyBytes)]
public sealed class TeamImportController(IMediator mediator, IDataProtectionProvider dataProtection) : AppController
{
    public const string PayloadField = "Payload";

    private static readonly TimeSpan PayloadLifetime = TimeSpan.FromMinutes(30);

    public override void OnActionExecuting(ActionExecutingContext context)
    {
        if (!User.IsInRole(Roles.Admin))
        {
            throw new ForbiddenException("Only administrators can import teams.");
        }

        base.OnActionExecuting(context);
    }

    [HttpGet("")]
    public IActionResult Index() => Show(new TeamImportPage(null, null, null));

    /// <summary>Step 1: the preview, of an uploaded file or (after changing the name or product) of the file already uploaded.</summary>
    [HttpPost("")]
    public async Task<IActionResult> Preview(IFormFile? file, [FromForm(Name = PayloadField)] string? payload, [FromForm] TeamImportInput input, CancellationToken cancellationToken)
    {
        var (json, fileName, error) = await ReadAsync(file, payload, input.FileName, cancellationToken);
        if (json is null)
        {
            return Refuse(error!);
        }

        var preview = await mediator.Send(new PreviewTeamImportQuery(json, input.Options()), cancellationToken);
        return ShowPreview(preview, json, fileName);
    }

    /// <summary>Step 2: the import, all or nothing, then the new team's OKRs.</summary>
    [HttpPost("commit")]
    public async Task<IActionResult> Commit([FromForm(Name = PayloadField)] string? payload, [FromForm] TeamImportInput input, CancellationToken cancellationToken)
    {
        var (json, fileName, error) = await ReadAsync(null, payload, input.FileName, cancellationToken);
        if (json is null)
        {
            return Refuse(error!);
        }

        TeamImportResult result;
        try
        {
            result = await mediator.Send(new CommitTeamImportCommand(json, fileName, input.Options()), cancellationToken);
        }
        catch (DomainException ex)
        {
            ModelState.AddModelError(string.Empty, ex.Message);
            return ShowPreview(await mediator.Send(new PreviewTeamImportQuery(json, input.Options()), cancellationToken), json, fileName, failed: true);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            // Someone created a team (or product) of the same name between the check and the save: the unique index
            // refused it and the transaction rolled back. Say so if that is what happened; anything else is a fault.
            var again = await mediator.Send(new PreviewTeamImportQuery(json, input.Options()), cancellationToken);
            if (again.TeamNameError is null && again.ProductError is null)
            {
                throw;
            }

            return ShowPreview(again, json, fileName);
        }

        if (result.TeamId is not { } teamId)
        {
            return ShowPreview(result.Preview, json, fileName);
        }

        TempData.Success($"Team “{result.Preview.TeamName}” imported with {result.Preview.Counts.Sum(c => c.Count)} rows. People created by the import cannot sign in until you enable them on the Users page.");
        var team = teamId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Redirect(result.PeriodKey is null ? $"/okrs?team={team}" : $"/okrs?period={Uri.EscapeDataString(result.PeriodKey)}&team={team}");
    }

    private async Task<(byte[]? Json, string? FileName, string? Error)> ReadAsync(IFormFile? file, string? payload, string? postedName, CancellationToken cancellationToken)
    {
        if (file is not null)
        {
            if (file.Length > TeamImportReader.MaxFileBytes)
            {
                return (null, null, "The file is larger than 10 MB. A team export is much smaller: choose the JSON file of one team.");
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            return (buffer.ToArray(), Path.GetFileName(file.FileName), null);
        }

        if (string.IsNullOrEmpty(payload))
        {
            return (null, null, "Choose the JSON file of a team export.");
        }

        try
        {
            var compressed = Protector().Unprotect(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(payload));
            using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            await CopyLimitedAsync(input, output, cancellationToken);
            return (output.ToArray(), postedName, null);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException or InvalidDataException)
        {
            return (null, null, "The preview has expired or was changed. Choose the file again.");
        }
    }

    private static async Task CopyLimitedAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (output.Length + read > TeamImportReader.MaxFileBytes)
            {
                throw new InvalidDataException("Too large.");
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private string Protect(byte[] json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json);
        }

        return Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(Protector().Protect(buffer.ToArray(), PayloadLifetime));
    }

    private ITimeLimitedDataProtector Protector() =>
        dataProtection.CreateProtector("AlignmentHub.TeamImport.Preview", User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? "-")
            .ToTimeLimitedDataProtector();

    private IActionResult Refuse(string message)
    {
        ModelState.AddModelError("file", message);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Show(new TeamImportPage(null, null, null));
    }

    private IActionResult ShowPreview(TeamImportPreview preview, byte[] json, string? fileName, bool failed = false)
    {
        if (preview.FileError is not null)
        {
            return Refuse(preview.FileError);
        }

        if (preview.TeamNameError is not null)
        {
            ModelState.AddModelError(nameof(TeamImportInput.TeamName), preview.TeamNameError);
        }

        if (preview.ProductError is not null)
        {
            ModelState.AddModelError(nameof(TeamImportInput.ProductName), preview.ProductError);
        }

        if (!preview.CanImport || failed)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        return Show(new TeamImportPage(preview, Protect(json), fileName));
    }

    private ViewResult Show(TeamImportPage page)
    {
        SetPage("Import a team", "import", null, new Crumb("Administration", "/admin/users"), new Crumb("Import a team"));
        return View("Index", page);
    }
}

/// <summary>The preview's choices, posted back with the file.</summary>
public sealed class TeamImportInput
{
    public string? TeamName { get; set; }

    /// <summary>0 = create a new product named <see cref="ProductName"/>.</summary>
    public int? ProductId { get; set; }

    public string? ProductName { get; set; }

    public string? FileName { get; set; }

    public TeamImportOptions Options() => new(TeamName, ProductId, ProductName);
}

public sealed record TeamImportPage(TeamImportPreview? Preview, string? Payload, string? FileName);
