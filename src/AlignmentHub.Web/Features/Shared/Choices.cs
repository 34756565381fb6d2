namespace AlignmentHub.Web.Features.Shared;

/// <summary>A product in a product switcher.</summary>
public sealed record ProductChoice(int Id, string Name);

/// <summary>A team in a team filter or switcher.</summary>
public sealed record TeamChoice(int Id, string Name);
