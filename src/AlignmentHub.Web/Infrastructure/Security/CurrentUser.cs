using System.Security.Claims;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Web.Infrastructure.Errors;

namespace AlignmentHub.Web.Infrastructure.Security;

/// <summary>The signed-in user, as handlers need it: id, display name and roles.</summary>
public interface ICurrentUser
{
    ClaimsPrincipal Principal { get; }

    string Id { get; }

    string DisplayName { get; }

    bool IsInRole(string role);
}

public sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    public const string DisplayNameClaim = "display_name";

    public ClaimsPrincipal Principal => accessor.HttpContext?.User ?? new ClaimsPrincipal();

    public string Id => Principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new ForbiddenException("Sign in first.");

    public string DisplayName => Principal.FindFirstValue(DisplayNameClaim) ?? Principal.Identity?.Name ?? "Unknown";

    public bool IsInRole(string role) => Principal.IsInRole(role);
}

public static class ClaimsPrincipalExtensions
{
    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(HttpCurrentUser.DisplayNameClaim) ?? user.Identity?.Name ?? "Unknown";

    public static string RoleLabel(this ClaimsPrincipal user) =>
        Roles.All.Where(user.IsInRole).Select(Roles.DisplayName).FirstOrDefault() ?? "No role";
}
