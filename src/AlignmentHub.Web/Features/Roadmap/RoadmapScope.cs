using System.Globalization;
using AlignmentHub.Infrastructure.Identity;
using AlignmentHub.Infrastructure.Persistence;
using AlignmentHub.Web.Features.Shared;
using AlignmentHub.Web.Infrastructure.Alignment;
using AlignmentHub.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.Web.Features.Roadmap;

/// <summary>
/// The product and team a roadmap view shows, resolved from the address: unknown or malformed values are ignored with
/// a notice, never an error page.
/// </summary>
/// <param name="Product">Null only when there is no product at all.</param>
/// <param name="Team">Null = all teams.</param>
/// <param name="TeamIsMine">The team was chosen because it is the signed-in member's own (no team in the address).</param>
/// <param name="Snapshot">The product's read model (null only when there is no product).</param>
public sealed record RoadmapScope(
    IReadOnlyList<ProductChoice> Products,
    ProductChoice? Product,
    IReadOnlyList<TeamChoice> Teams,
    TeamChoice? Team,
    bool TeamIsMine,
    IReadOnlyList<string> Notices,
    ProductSnapshot? Snapshot = null)
{
    public string TeamName(int teamId) => Teams.FirstOrDefault(t => t.Id == teamId)?.Name ?? "—";
}

/// <summary>
/// Resolves <see cref="RoadmapScope"/>: the products (one query), the chosen product's snapshot (one query when it is
/// current) with its teams, plus the user's teams when they are needed.
/// </summary>
public static class RoadmapScopes
{
    /// <summary>The team value that means "all teams" explicitly (an absent team may mean "my team" on the board).</summary>
    public const string AllTeams = "all";

    public static async Task<RoadmapScope> ResolveAsync(AppDbContext db, RoadmapAccess access, ICurrentUser user, AlignmentGraphLoader snapshots,
        string? product, string? team, bool defaultToMyTeam, CancellationToken cancellationToken)
    {
        var notices = new List<string>();
        var products = await db.Products.AsNoTracking().OrderBy(p => p.Name).ThenBy(p => p.Id)
            .Select(p => new ProductChoice(p.Id, p.Name)).ToListAsync(cancellationToken);
        var chosenProduct = products.FirstOrDefault();
        if (!string.IsNullOrWhiteSpace(product))
        {
            var found = TryParseId(product, out var productId) ? products.FirstOrDefault(p => p.Id == productId) : null;
            if (found is null)
            {
                notices.Add(chosenProduct is null
                    ? $"There is no product “{RoadmapText.Quote(product)}”."
                    : $"There is no product “{RoadmapText.Quote(product)}”. Showing {chosenProduct.Name} instead.");
            }
            else
            {
                chosenProduct = found;
            }
        }

        var snapshot = chosenProduct is null ? null : await snapshots.SnapshotAsync(chosenProduct.Id, cancellationToken);
        var teams = snapshot is not null
            ? snapshot.Memo("teams", s => s.TeamNames.Select(t => new TeamChoice(t.Key, t.Value))
                .OrderBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(t => t.Id).ToList())
            : await db.Teams.AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Id).Select(t => new TeamChoice(t.Id, t.Name)).ToListAsync(cancellationToken);
        TeamChoice? chosenTeam = null;
        var mine = false;
        if (string.IsNullOrWhiteSpace(team))
        {
            // A team member mostly plans their own team's work: start there, with "all teams" one click away.
            if (defaultToMyTeam && IsOnlyTeamMember(user))
            {
                var myTeams = await access.MyTeamsAsync(cancellationToken);
                chosenTeam = teams.FirstOrDefault(t => myTeams.Contains(t.Id));
                mine = chosenTeam is not null;
            }
        }
        else if (!string.Equals(team.Trim(), AllTeams, StringComparison.OrdinalIgnoreCase))
        {
            chosenTeam = TryParseId(team, out var teamId) ? teams.FirstOrDefault(t => t.Id == teamId) : null;
            if (chosenTeam is null)
            {
                notices.Add($"There is no team “{RoadmapText.Quote(team)}”. Showing all teams instead.");
            }
        }

        return new RoadmapScope(products, chosenProduct, teams, chosenTeam, mine, notices, snapshot);
    }

    public static bool TryParseId(string? text, out int id) =>
        int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    private static bool IsOnlyTeamMember(ICurrentUser user) =>
        user.IsInRole(Roles.TeamMember) && !user.IsInRole(Roles.Admin) && !user.IsInRole(Roles.ProductManager);
}
