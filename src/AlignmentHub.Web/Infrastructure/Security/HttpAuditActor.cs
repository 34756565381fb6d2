using System.Diagnostics;
using System.Security.Claims;
using AlignmentHub.Infrastructure.Auditing;

namespace AlignmentHub.Web.Infrastructure.Security;

/// <summary>The audit actor of a web request: the signed-in user and the request's trace id.</summary>
public sealed class HttpAuditActor(IHttpContextAccessor accessor) : IAuditActor
{
    public string? UserId => accessor.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier);

    public string? UserName => accessor.HttpContext?.User.Identity?.Name ?? (accessor.HttpContext is null ? "system" : null);

    public string? CorrelationId => Activity.Current?.TraceId.ToString() ?? accessor.HttpContext?.TraceIdentifier;
}
