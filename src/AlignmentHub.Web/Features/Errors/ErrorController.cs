using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AlignmentHub.Web.Features.Errors;

/// <summary>Friendly error pages (403, 404, 500 …) that leak nothing: no stack trace, no exception text.</summary>
[AllowAnonymous]
[Route("error")]
[ApiExplorerSettings(IgnoreApi = true)]
[IgnoreAntiforgeryToken]
public sealed class ErrorController : Controller
{
    [Route("{code:int}")]
    public IActionResult Show()
    {
        // Read the code from the route by hand: model binding would read the re-executed request's form, and that
        // form may be the very thing that failed (e.g. a NUL character), turning a 400 into a 500.
        var code = int.TryParse(RouteData.Values["code"]?.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : 500;
        var view = code switch
        {
            403 => "403",
            404 => "404",
            >= 400 and < 500 => "4xx",
            503 => "503",
            _ => "500",
        };
        Response.StatusCode = code is >= 400 and < 600 ? code : 500;
        ViewData["Title"] = view switch { "403" => "Not allowed", "404" => "Page not found", "4xx" => "Request not accepted", "503" => "Busy", _ => "Something went wrong" };
        ViewData["Code"] = code;
        return View($"~/Features/Errors/{view}.cshtml");
    }
}
