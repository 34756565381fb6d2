using AlignmentHub.Infrastructure.Persistence;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace AlignmentHub.Web.Infrastructure.Errors;

/// <summary>
/// Turns <see cref="NotFoundException"/> and <see cref="ForbiddenException"/> into the friendly 404 and 403 pages, and a
/// write that could not start because the database stayed busy (<see cref="DatabaseBusyException"/>) into a 503 with
/// Retry-After: a deliberate answer under overload, not an error.
/// </summary>
public sealed class HttpErrorExceptionFilter(ILogger<HttpErrorExceptionFilter> logger) : IExceptionFilter
{
    private const string RetryAfterSeconds = "5";

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
            case DatabaseBusyException busy:
                logger.LogWarning("Database busy: {Method} {Path} answered 503 ({Reason})", context.HttpContext.Request.Method,
                    context.HttpContext.Request.Path.Value, busy.Message);
                context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
                context.Result = new StatusCodeResult(StatusCodes.Status503ServiceUnavailable);
                context.ExceptionHandled = true;
                break;
        }
    }
}
