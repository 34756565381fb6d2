namespace AlignmentHub.IntegrationTests.Security.Access;

/// <summary>
/// Checklist items 1, 2 and 11 (GET half): every page of the matrix requested by every role for its own and another
/// team's or product's object answers as the matrix says, and no page view changes the database.
/// </summary>
public sealed class AccessMatrixReadTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    public static TheoryData<string, Role, Scope> ReadCells => AccessMatrix.Cells(r => r.IsRead);

    [Theory]
    [MemberData(nameof(ReadCells))]
    public async Task Page_answers_as_the_matrix_says_and_changes_nothing(string endpoint, Role role, Scope scope)
    {
        var row = AccessMatrix.Find(endpoint);
        var expected = row.Expect[role, scope];

        var result = await CellRunner.RunAsync(fixture, row, role, scope, chain: true);

        Assert.True(result.Outcome == expected, $"{endpoint} as {role} ({scope}): expected {expected}, got {result.Outcome}: {result.Describe()}");
        Assert.False(result.DatabaseChanged, $"{endpoint} as {role} ({scope}) changed the database: {result.After.DescribeChangesSince(result.Before)}");
    }
}

/// <summary>
/// Checklist item 2 (writes): every form of the matrix posted by every role, with that user's valid antiforgery token,
/// for its own and another team's or product's object: allowed cells do the change, refused ones leave every row of
/// the database as it was.
/// </summary>
public sealed class AccessMatrixWriteTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    public static TheoryData<string, Role, Scope> WriteCells => AccessMatrix.Cells(r => !r.IsRead);

    [Theory]
    [MemberData(nameof(WriteCells))]
    public async Task Form_post_answers_as_the_matrix_says_and_only_allowed_posts_change_data(string endpoint, Role role, Scope scope)
    {
        var row = AccessMatrix.Find(endpoint);
        var expected = row.Expect[role, scope];

        var result = await CellRunner.RunAsync(fixture, row, role, scope);

        Assert.True(result.Outcome == expected, $"{endpoint} as {role} ({scope}): expected {expected}, got {result.Outcome}: {result.Describe()}");
        if (expected != Outcome.Ok)
        {
            Assert.False(result.DatabaseChanged, $"Refused {endpoint} as {role} ({scope}) changed the database: {result.After.DescribeChangesSince(result.Before)}");
        }
        else if (!row.Flags.HasFlag(RowFlags.NoDataChange))
        {
            Assert.True(result.DatabaseChanged, $"Allowed {endpoint} as {role} ({scope}) answered {result.Describe()} but changed nothing: the sample form is not a real change.");
        }
    }
}
