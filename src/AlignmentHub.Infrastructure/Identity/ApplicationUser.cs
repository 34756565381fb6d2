using Microsoft.AspNetCore.Identity;

namespace AlignmentHub.Infrastructure.Identity;

/// <summary>A person who signs in. Roles: <see cref="Roles"/>.</summary>
public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>An administrator can disable a user; a disabled user cannot sign in and loses any session.</summary>
    public bool IsDisabled { get; set; }
}

/// <summary>The four roles of brief §6.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string ProductManager = "ProductManager";
    public const string TeamMember = "TeamMember";
    public const string Executive = "Executive";

    public static readonly IReadOnlyList<string> All = [Admin, ProductManager, TeamMember, Executive];

    public static string DisplayName(string role) => role switch
    {
        ProductManager => "Product manager",
        TeamMember => "Team member",
        _ => role,
    };
}
