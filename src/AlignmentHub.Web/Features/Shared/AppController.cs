using AlignmentHub.Domain.Common;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Rendering;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace AlignmentHub.Web.Features.Shared;

/// <summary>Base controller: sets page context and turns command failures into field messages on the same form.</summary>
public abstract class AppController : Controller
{
    private static readonly string[] HiddenFields = ["Version", "BaseVersion", "ProductVersion", "ConcurrencyStamp"];

    public const string ForbiddenCharacterMessage = "This contains a character that is not allowed.";

    /// <summary>
    /// Refuses a NUL in any bound value, for every form. It only arrives in multipart posts (ASP.NET Core rejects a
    /// URL-encoded form containing it outright), and .NET's number parsing silently stops at it ("5\0" reads as 5),
    /// so it is caught here, after binding and before any action body, rather than field by field.
    /// </summary>
    public override void OnActionExecuting(ActionExecutingContext context)
    {
        foreach (var (key, _) in ModelState.Where(e => e.Value is { Errors.Count: 0, AttemptedValue: { } v } && v.Contains('\0', StringComparison.Ordinal)).ToList())
        {
            ModelState.AddModelError(key, ForbiddenCharacterMessage);
        }

        base.OnActionExecuting(context);
    }

    protected void SetPage(string title, string nav, int? productId, params Crumb[] crumbs)
    {
        ViewData["Title"] = title;
        ViewData["Nav"] = nav;
        ViewData["ProductId"] = productId;
        ViewData["Breadcrumbs"] = crumbs;
    }

    /// <summary>
    /// Runs a form's command. Validation failures, broken business rules and edit conflicts come back as messages
    /// beside the fields, the form is shown again with what the user typed, and nothing is saved.
    /// </summary>
    protected async Task<IActionResult> SubmitAsync<TCommand, TResponse>(TCommand command, Func<TCommand, Task<TResponse>> send, Func<TResponse, IActionResult> onSuccess, Func<Task<IActionResult>> showFormAgain)
    {
        if (!ModelState.IsValid)
        {
            if (HiddenFields.Any(f => ModelState[f]?.Errors.Count > 0))
            {
                // Hidden fields have no place for a message: say it once at the top.
                ModelState.AddModelError(string.Empty, "This form is damaged or out of date. Reload the page and try again.");
            }

            // Values that could not even be bound (a rank of "second", a version of "abc") are refused as they are.
            // Still run the validators, so every other field gets its message in the same round trip.
            foreach (var validator in HttpContext.RequestServices.GetServices<IValidator<TCommand>>())
            {
                var result = await validator.ValidateAsync(command);
                foreach (var error in result.Errors.Where(e => !(ModelState[e.PropertyName]?.Errors.Count > 0)))
                {
                    AddCommandError(error.PropertyName, error.ErrorMessage);
                }
            }

            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return await showFormAgain();
        }

        try
        {
            var response = await send(command);
            return onSuccess(response);
        }
        catch (ValidationException ex)
        {
            foreach (var error in ex.Errors)
            {
                AddCommandError(error.PropertyName, error.ErrorMessage);
            }
        }
        catch (DomainException ex)
        {
            ModelState.AddModelError(ex.Field ?? string.Empty, ex.Message);
        }
        catch (ConcurrencyConflictException ex)
        {
            ViewData["Conflict"] = ex;
            ModelState.AddModelError(string.Empty, ex.Message);
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await showFormAgain();
    }

    /// <summary>A validator's message; one about a hidden field (a damaged version or stamp) goes to the top of the form, once.</summary>
    private void AddCommandError(string field, string message)
    {
        var key = HiddenFields.Contains(field) ? string.Empty : field;
        if (key.Length > 0 || ModelState[key]?.Errors.Any(e => e.ErrorMessage == message) != true)
        {
            ModelState.AddModelError(key, message);
        }
    }
}
