using AlignmentHub.IntegrationTests.Support;

namespace AlignmentHub.IntegrationTests.Security.Access;

/// <summary>
/// Checklist item 4: every form of the matrix, posted by the least privileged role allowed to post it, with extra
/// fields that are not its own (Id, TeamId, OwnerId, CreatedBy, IsApproved, Role, Status, Version, ProductId) set to
/// values pointing elsewhere: the post succeeds, and no row it changes takes any of those values.
/// </summary>
public sealed class OverPostingTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private const string Marker = "overpost-canary";
    private const string InjectedNumber = "424242";

    public static TheoryData<string> Forms => new(AccessMatrix.Rows.Where(r => !r.IsRead).Select(r => r.Key));

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Extra_fields_change_nothing_they_name(string endpoint)
    {
        var row = AccessMatrix.Find(endpoint);
        var role = new[] { Role.Anonymous, Role.TeamMember, Role.Executive, Role.ProductManager, Role.Admin }.First(r => row.Expect[r, Scope.Own] == Outcome.Ok);
        var request = await row.Sample(fixture, Scope.Own);
        var ownFields = (await CellRunner.FieldsAsync(fixture, request)).Select(f => f.Key).ToList();
        var injected = (await InjectedAsync())
            .Where(i => !ownFields.Any(f => f.Equals(i.Key, StringComparison.OrdinalIgnoreCase) || f.EndsWith("." + i.Key, StringComparison.OrdinalIgnoreCase)))
            .ToList();

        var result = await CellRunner.RunAsync(fixture, row, role, Scope.Own, extraFields: injected, request: request);

        Assert.True(result.Outcome == Outcome.Ok, $"{endpoint} as {role} with extra fields: {result.Describe()}");
        var violations = new List<string>();
        foreach (var change in result.After.ChangesSince(result.Before).Where(c => c.After is not null))
        {
            foreach (var (name, value) in injected)
            {
                var column = change.After!.Keys.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));
                if (column is not null && change.After[column] == value && change.Before?.GetValueOrDefault(column) != value)
                {
                    violations.Add($"{change.Table}[{change.Key}].{column} = {value}");
                }
            }

            violations.AddRange(change.After!.Where(c => c.Value.Contains(Marker, StringComparison.Ordinal)).Select(c => $"{change.Table}[{change.Key}].{c.Key} holds the CreatedBy value"));
        }

        if (!endpoint.EndsWith("/roles", StringComparison.Ordinal)) // the one form whose job is to change role memberships
        {
            violations.AddRange(result.After.ChangesSince(result.Before).Where(c => c.Table == "AspNetUserRoles").Select(c => "role membership changed: " + c));
        }
        Assert.True(violations.Count == 0, $"{endpoint} as {role} bound fields it does not own ({string.Join(", ", injected.Select(i => i.Key))}): {string.Join("; ", violations)}");
    }

    /// <summary>The extra fields, each pointing at something the form must not be able to reach: another team, product and owner, a made-up id and version.</summary>
    private async Task<List<KeyValuePair<string, string>>> InjectedAsync() =>
    [
        new("Id", InjectedNumber),
        new("TeamId", fixture.PlatformId.Invariant()),
        new("OwnerId", await fixture.UserIdAsync("sam@alignmenthub.demo")),
        new("CreatedBy", Marker),
        new("IsApproved", "true"),
        new("Role", "Admin"),
        new("Status", "Shipped"),
        new("Version", InjectedNumber),
        new("ProductId", fixture.HarborId.Invariant()),
    ];
}
