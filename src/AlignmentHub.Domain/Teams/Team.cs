using AlignmentHub.Domain.Common;

namespace AlignmentHub.Domain.Teams;

/// <summary>A team that sets objectives and owns roadmap items. Members are Identity users, referenced by id.</summary>
public sealed class Team : Entity
{
    private readonly List<TeamMembership> members = [];

    private Team()
    {
        Name = string.Empty;
    }

    public Team(string name, string? mission)
    {
        Name = Guard.Text(name, nameof(Name), Limits.Name);
        Mission = Guard.OptionalText(mission, nameof(Mission), Limits.ShortText);
    }

    public string Name { get; private set; }

    public string? Mission { get; private set; }

    public IReadOnlyCollection<TeamMembership> Members => members;

    public void Edit(string name, string? mission)
    {
        Name = Guard.Text(name, nameof(Name), Limits.Name);
        Mission = Guard.OptionalText(mission, nameof(Mission), Limits.ShortText);
    }

    public TeamMembership AddMember(string userId, bool isLead = false)
    {
        Guard.UserId(userId);
        if (members.Any(m => m.UserId == userId))
        {
            throw new DomainException("This person is already a member of the team.", "UserId");
        }

        var membership = new TeamMembership(this, userId, isLead);
        members.Add(membership);
        return membership;
    }

    public void RemoveMember(string userId)
    {
        var membership = members.SingleOrDefault(m => m.UserId == userId)
            ?? throw new DomainException("This person is not a member of the team.", "UserId");
        members.Remove(membership);
    }
}

public sealed class TeamMembership
{
    private TeamMembership()
    {
        UserId = string.Empty;
    }

    internal TeamMembership(Team team, string userId, bool isLead)
    {
        TeamId = team.Id;
        UserId = userId;
        IsLead = isLead;
    }

    public int Id { get; private set; }

    public int TeamId { get; private set; }

    public string UserId { get; private set; }

    public bool IsLead { get; private set; }
}
