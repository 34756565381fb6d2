using System.Security.Claims;
using System.Security.Cryptography;
using AlignmentHub.Infrastructure.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentHub.Infrastructure.Identity;

/// <summary>
/// Keeps authentication tickets in the database (<see cref="UserSession"/>) instead of in the cookie, so that signing
/// out, or an administrator ending someone's sessions, revokes them immediately (security checklist B.10).
/// </summary>
public sealed class DatabaseTicketStore(IServiceScopeFactory scopes, IHttpContextAccessor requests, TimeProvider clock) : ITicketStore
{
    // Every signed-in request reads its session: compiled once, so no expression tree is built or looked up per request.
    private static readonly Func<AppDbContext, string, Task<SessionRow?>> ReadSession = EF.CompileAsyncQuery(
        (AppDbContext db, string key) => db.UserSessions.AsNoTracking().Where(s => s.Id == key)
            .Select(s => new SessionRow(s.Ticket, s.CreatedAt, s.ExpiresAt)).SingleOrDefault());

    /// <summary>
    /// A session ends this long after sign-in however active it is (checklist B.10). Sliding renewal moves the ticket's
    /// IssuedUtc and ExpiresUtc forward, so the limit is measured from the row's <see cref="UserSession.CreatedAt"/>, which
    /// renewal never changes.
    /// </summary>
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(12);

    /// <summary>Is a session with these times still usable at <paramref name="now"/>?</summary>
    public static bool IsActive(DateTimeOffset createdAt, DateTimeOffset? expiresAt, DateTimeOffset now) =>
        (expiresAt is null || expiresAt >= now) && createdAt + AbsoluteLifetime > now;

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var userId = ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        // Expired sessions of this user are removed as new ones start, so the table does not grow without bound; one
        // transaction, so on SQLite both writes queue once behind the write gate.
        await using var transaction = await db.Database.BeginTransactionAsync();
        var startedBefore = now - AbsoluteLifetime;
        await db.UserSessions.Where(s => s.UserId == userId && (s.ExpiresAt < now || s.CreatedAt <= startedBefore)).ExecuteDeleteAsync();
        db.UserSessions.Add(new UserSession
        {
            Id = key,
            UserId = userId,
            Ticket = TicketSerializer.Default.Serialize(ticket),
            CreatedAt = now,
            ExpiresAt = ticket.Properties.ExpiresUtc,
        });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var bytes = TicketSerializer.Default.Serialize(ticket);
        var expires = ticket.Properties.ExpiresUtc;

        // Only an existing session is renewed: a session removed by sign-out must not come back.
        await db.UserSessions.Where(s => s.Id == key)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, bytes).SetProperty(x => x.ExpiresAt, expires));
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        // A read without tracking: the request's own DbContext serves it (it is created for the page anyway), which
        // spares every request a second DI scope and context. Outside a request, a scope of its own.
        SessionRow? session;
        if (requests.HttpContext?.RequestServices.GetService<AppDbContext>() is { } requestDb)
        {
            session = await ReadSession(requestDb, key);
        }
        else
        {
            await using var scope = scopes.CreateAsyncScope();
            session = await ReadSession(scope.ServiceProvider.GetRequiredService<AppDbContext>(), key);
        }

        if (session is null || !IsActive(session.CreatedAt, session.ExpiresAt, clock.GetUtcNow()))
        {
            return null;
        }

        return TicketSerializer.Default.Deserialize(session.Ticket);
    }

    public async Task RemoveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.UserSessions.Where(s => s.Id == key).ExecuteDeleteAsync();
    }

    /// <summary>Ends every session of a user (used when a user is disabled or their roles change).</summary>
    public static Task<int> RemoveAllForUserAsync(AppDbContext db, string userId, CancellationToken cancellationToken) =>
        db.UserSessions.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);

    private sealed record SessionRow(byte[] Ticket, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
