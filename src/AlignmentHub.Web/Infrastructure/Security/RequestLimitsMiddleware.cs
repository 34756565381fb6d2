using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace AlignmentHub.Web.Infrastructure.Security;

/// <summary>
/// Request size limits (security checklist C.18). No form of the app needs more than a few kilobytes (the longest
/// field, the vision, takes 20,000 characters), so bodies over 1 MiB are refused with 413 before anything reads
/// them, and over-large or malformed form bodies found while reading become 413/400 rather than a server error.
/// The status-code pages then show the friendly error page.
/// </summary>
public sealed class RequestLimitsMiddleware(RequestDelegate next)
{
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// The one exception: the team import (/admin/import), which uploads a team export of up to 10 MiB (and posts it
    /// back, compressed, to confirm). A path check, because this middleware runs before routing.
    /// </summary>
    public const long MaxImportBodyBytes = (10 * 1024 * 1024) + (64 * 1024);

    public static long LimitFor(HttpRequest request) =>
        request.Path.StartsWithSegments("/admin/import", StringComparison.OrdinalIgnoreCase) ? MaxImportBodyBytes : MaxBodyBytes;

    /// <summary>Form fields per request: the largest form (the orphan queue, a page of items) posts a few hundred.</summary>
    public const int MaxFormValues = 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IStatusCodeReExecuteFeature>() is not null)
        {
            await next(context); // showing the error page for a refused request: the body is not read again
            return;
        }

        var limit = LimitFor(context.Request);
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength is null && context.Request.HasFormContentType)
        {
            // A form sent without a length (chunked): read it here, so that crossing the limit is answered 413 and not
            // the 400 the antiforgery check would make of the server's "too large" error.
            context.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: limit);
            try
            {
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            }
            catch (IOException)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }

            context.Request.Body.Position = 0;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = ex.StatusCode;
        }
        catch (InvalidDataException) when (!context.Response.HasStarted && context.Request.HasFormContentType)
        {
            // The form reader's own limits (too many fields, a key or value too long).
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }
}
