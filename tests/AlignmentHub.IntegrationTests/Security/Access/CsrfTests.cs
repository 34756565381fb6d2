namespace AlignmentHub.IntegrationTests.Security.Access;

/// <summary>
/// Checklist item 11: every endpoint that is not a GET, posted by a user who may use it but without the antiforgery
/// token, or with a token that belongs to another user's session, answers 400 and changes nothing. (That no GET of the
/// matrix changes the database is asserted for every read cell by <see cref="AccessMatrixReadTests"/>.)
/// </summary>
public sealed class CsrfTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    public static TheoryData<string, bool> Posts
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var row in AccessMatrix.Rows.Where(r => !r.IsRead))
            {
                data.Add(row.Key, false);
                data.Add(row.Key, true);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Posts))]
    public async Task A_post_without_its_users_antiforgery_token_is_refused_and_changes_nothing(string endpoint, bool foreignToken)
    {
        var row = AccessMatrix.Find(endpoint);

        // A role that may post this form, so the token is the only reason left to refuse it.
        var role = new[] { Role.Admin, Role.Anonymous }.First(r => row.Expect[r, Scope.Own] == Outcome.Ok);
        var token = foreignToken ? await fixture.TokenAsync(role == Role.Admin ? Role.TeamMember : Role.Executive) : CellRunner.NoToken;

        var result = await CellRunner.RunAsync(fixture, row, role, Scope.Own, token: token);

        Assert.True(result.Outcome == Outcome.BadRequest, $"{endpoint} as {role} with {(foreignToken ? "another user's token" : "no token")}: {result.Describe()}");
        Assert.False(result.DatabaseChanged, $"{endpoint} without a valid token changed the database: {result.After.DescribeChangesSince(result.Before)}");
    }

    /// <summary>Control: the very same request with the user's own token goes through, so the 400s above are about the token.</summary>
    [Fact]
    public async Task The_same_post_with_the_users_own_token_goes_through()
    {
        var row = AccessMatrix.Find("POST /roadmap/items/{id:int}/status");

        var result = await CellRunner.RunAsync(fixture, row, Role.Admin, Scope.Own);

        Assert.Equal(Outcome.Ok, result.Outcome);
        Assert.True(result.DatabaseChanged);
    }
}
