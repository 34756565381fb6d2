using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace AlignmentHub.Web.Infrastructure.Errors;

/// <summary>Turns <see cref="NotFoundException"/> and <see cref="ForbiddenException"/> into the friendly 404 and 403 pages.</summary>
public sealed class HttpErrorExceptionFilter(ILogger<HttpErrorExceptionFilter> logger) : IExceptionFilter
{
    public void OnException(ExceptionContext context)
    {
        switch (context.Exception)
        {
            case NotFoundException:
                context.Result = new StatusCodeResult(StatusCodes.Status404NotFound);
                context.ExceptionHandled = true;
                break;
            case ForbiddenException:
                logger.LogWarning("Access denied to {User} for {Method} {Path}", context.HttpContext.User.Identity?.Name,
                    context.HttpContext.Request.Method, context.HttpContext.Request.Path.Value);
                context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
                context.ExceptionHandled = true;
                break;
        }
    }
}
