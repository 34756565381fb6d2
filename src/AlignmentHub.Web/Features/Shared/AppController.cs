using AlignmentHub.Domain.Common;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Rendering;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace AlignmentHub.Web.Features.Shared;

/// <summary>Base controller: sets page context and turns command failures into field messages on the same form.</summary>
public abstract class AppController : Controller
{
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
    protected async Task<IActionResult> SubmitAsync<TResponse>(Func<Task<TResponse>> send, Func<TResponse, IActionResult> onSuccess, Func<Task<IActionResult>> showFormAgain)
    {
        try
        {
            var response = await send();
            return onSuccess(response);
        }
        catch (ValidationException ex)
        {
            foreach (var error in ex.Errors)
            {
                ModelState.AddModelError(error.PropertyName, error.ErrorMessage);
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
}
