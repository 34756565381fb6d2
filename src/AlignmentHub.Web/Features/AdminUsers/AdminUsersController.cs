using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Errors;
using AlignmentHub.Web.Infrastructure.Rendering;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AlignmentHub.Web.Features.AdminUsers;

/// <summary>
/// Users and roles (brief §4 Admin): list users, change roles, disable or enable, sign out everywhere. Administrators
/// only; every change ends the user's sessions so it takes effect on their next request (checklist A.5).
/// </summary>
[Authorize(Roles = Roles.Admin)]
[Route("admin/users")]
public sealed class AdminUsersController(IMediator mediator) : AppController
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var list = await mediator.Send(new GetAdminUsersQuery(), cancellationToken);
        SetPage("Users", "users", null, new Crumb("Administration"), new Crumb("Users"));
        return View(list);
    }

    [HttpGet("{userId:maxlength(450)}")]
    public async Task<IActionResult> Details([FromRoute] string userId, CancellationToken cancellationToken) =>
        await ShowUserPage(userId, null, cancellationToken);

    [HttpPost("{userId:maxlength(450)}/roles")]
    public Task<IActionResult> SaveRoles([FromRoute] string userId, [Bind("Roles,ConcurrencyStamp")] SetUserRolesCommand command, CancellationToken cancellationToken)
    {
        command.UserId = userId;
        return SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            ended => Done(userId, ended == 0 ? "The roles were already as chosen: nothing changed." : "Roles saved." + SessionsNote(ended)),
            () => ShowUserPage(userId, command, cancellationToken));
    }

    [HttpPost("{userId:maxlength(450)}/disable")]
    public Task<IActionResult> Disable([FromRoute] string userId, [Bind("ConcurrencyStamp")] SetUserDisabledCommand command, CancellationToken cancellationToken) =>
        SetDisabled(userId, command, disable: true, cancellationToken);

    [HttpPost("{userId:maxlength(450)}/enable")]
    public Task<IActionResult> Enable([FromRoute] string userId, [Bind("ConcurrencyStamp")] SetUserDisabledCommand command, CancellationToken cancellationToken) =>
        SetDisabled(userId, command, disable: false, cancellationToken);

    [HttpPost("{userId:maxlength(450)}/sign-out")]
    public Task<IActionResult> SignOutEverywhere([FromRoute] string userId, CancellationToken cancellationToken)
    {
        var command = new SignOutEverywhereCommand { UserId = userId };
        return SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            ended => Done(userId, ended == 0 ? "The user had no open sessions; any copy of an old sign-in cookie is now refused." : $"Signed out everywhere: {Sessions(ended)} ended."),
            () => ShowUserPage(userId, null, cancellationToken));
    }

    private Task<IActionResult> SetDisabled(string userId, SetUserDisabledCommand command, bool disable, CancellationToken cancellationToken)
    {
        command.UserId = userId;
        command.Disable = disable;
        return SubmitAsync(
            command,
            c => mediator.Send(c, cancellationToken).AsTask(),
            ended => Done(userId, disable ? "User disabled: they cannot sign in." + SessionsNote(ended) : "User enabled: they can sign in again."),
            () => ShowUserPage(userId, null, cancellationToken));
    }

    private RedirectToActionResult Done(string userId, string message)
    {
        TempData.Success(message);
        return RedirectToAction(nameof(Details), new { userId });
    }

    private static string Sessions(int count) => count == 1 ? "1 session" : $"{count} sessions";

    private static string SessionsNote(int ended) => ended > 0 ? $" {Sessions(ended)} ended: the new settings apply from their next sign-in." : string.Empty;

    /// <summary>The user page; after a refused change, with the roles the administrator ticked kept.</summary>
    private async Task<IActionResult> ShowUserPage(string userId, SetUserRolesCommand? posted, CancellationToken cancellationToken)
    {
        var user = await mediator.Send(new GetAdminUserQuery(userId), cancellationToken);
        var stamp = user.ConcurrencyStamp;
        if (ViewData["Conflict"] is ConcurrencyConflictException)
        {
            // A deliberate second save goes through against what is stored now.
            ModelState.Remove(nameof(SetUserRolesCommand.ConcurrencyStamp));
        }
        else if (posted?.ConcurrencyStamp is { } postedStamp)
        {
            stamp = postedStamp;
        }

        var model = new AdminUserPage(user, posted?.Roles ?? [.. user.Roles], stamp, user.Id == HttpContext.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value);
        SetPage(user.DisplayName, "users", null, new Crumb("Administration"), new Crumb("Users", Url.Action(nameof(Index))), new Crumb(user.DisplayName));
        return View("Details", model);
    }
}

/// <summary>The user page: the user, the roles to show ticked, and the stamp the forms post back.</summary>
public sealed record AdminUserPage(AdminUserRow User, IReadOnlyList<string> CheckedRoles, string? ConcurrencyStamp, bool IsSelf);
