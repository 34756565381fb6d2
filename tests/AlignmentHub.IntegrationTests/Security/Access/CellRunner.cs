using System.Net;
using AlignmentHub.IntegrationTests.Support;

namespace AlignmentHub.IntegrationTests.Security.Access;

/// <summary>What one request did: the response, its outcome, and the database before and after.</summary>
public sealed record CellResult(Page Page, Outcome Outcome, DatabaseSnapshot Before, DatabaseSnapshot After)
{
    public bool DatabaseChanged => Before.Hash != After.Hash;

    public string Describe() =>
        $"{(int)Page.StatusCode} {Page.Location} {(DatabaseChanged ? "DB changed: " + After.DescribeChangesSince(Before) : "DB unchanged")}"
        + (Page.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest ? " — " + Excerpt(Page) : string.Empty);

    private static string Excerpt(Page page)
    {
        var messages = page.Document.QuerySelectorAll(".invalid-feedback, .text-danger, .alert, [data-valmsg-for]")
            .Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).Distinct();
        return string.Join(" / ", messages).Replace('\n', ' ');
    }
}

/// <summary>Runs one request of the matrix as a role, with the database snapshotted around it.</summary>
public static class CellRunner
{
    /// <summary>
    /// Builds the row's request for the scope and sends it as <paramref name="role"/>: a GET, or the form (read as the
    /// administrator when the row names a form page) posted with <paramref name="token"/> (default: the role's own valid token;
    /// <see cref="NoToken"/> for none) plus <paramref name="extraFields"/>.
    /// </summary>
    public static async Task<CellResult> RunAsync(AccessFixture fixture, MatrixRow row, Role role, Scope scope,
        string? token = null, IEnumerable<KeyValuePair<string, string>>? extraFields = null, CellRequest? request = null, bool chain = false)
    {
        request ??= await row.Sample(fixture, scope);
        var fields = row.IsRead ? [] : await FieldsAsync(fixture, request);
        fields.AddRange(extraFields ?? []);

        var ownClient = row.Flags.HasFlag(RowFlags.OwnClient) ? await fixture.NewClientAsync(role) : null;
        var reuse = chain && ownClient is null && fixture.HasClient(role) && fixture.LastSnapshot is not null;
        try
        {
            var client = ownClient ?? await fixture.ClientAsync(role);
            if (!row.IsRead && token is null)
            {
                token = ownClient is null ? await fixture.TokenAsync(role) : await AccessFixture.TokenOfAsync(ownClient, role);
            }

            // Chained cells (reads, one after the other) start from the previous cell's "after": nothing else writes in between.
            var before = reuse ? fixture.LastSnapshot! : await DatabaseSnapshot.TakeAsync(fixture);
            var page = row.IsRead
                ? await client.GetAsync(request.Url)
                : await client.PostWithTokenAsync(request.Url, token == NoToken ? null : token, fields);
            var after = await DatabaseSnapshot.TakeAsync(fixture);
            fixture.LastSnapshot = chain ? after : null;
            return new CellResult(page, Classify(page, row.IsRead), before, after);
        }
        finally
        {
            if (ownClient is not null)
            {
                ownClient.Dispose();

                // Signing out renews the user's security stamp, which ends every other session of that user too
                // (by design): the shared client signs in again before its next cell.
                fixture.Forget(role);
            }
        }
    }

    /// <summary>Pass as the token to post without one.</summary>
    public const string NoToken = "(none)";

    /// <summary>The fields of the request: the real form's when the row names a form page, then the row's own values on top.</summary>
    public static async Task<List<KeyValuePair<string, string>>> FieldsAsync(AccessFixture fixture, CellRequest request)
    {
        var fields = new List<KeyValuePair<string, string>>();
        if (request.FormPage is not null)
        {
            var admin = await fixture.ClientAsync(Role.Admin);
            var page = await admin.GetAsync(request.FormPage);
            if (page.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"The form page {request.FormPage} answered the administrator {(int)page.StatusCode}.");
            }

            var form = HtmlForms.Form(page.Document, request.FormAction);
            fields.AddRange(form.Where(f => f.Key != TestClient.TokenField));
        }

        foreach (var (name, value) in request.Fields ?? [])
        {
            fields.Set(name, value);
        }

        return fields;
    }

    public static Outcome Classify(Page page, bool isRead) => page.StatusCode switch
    {
        HttpStatusCode.OK => Outcome.Ok,
        HttpStatusCode.Redirect when AccessFixture.IsLoginChallenge(page) => Outcome.Login,
        HttpStatusCode.Redirect => isRead ? Outcome.Redirect : Outcome.Ok,
        HttpStatusCode.Forbidden => Outcome.Forbidden,
        HttpStatusCode.NotFound => Outcome.NotFound,
        HttpStatusCode.BadRequest => Outcome.BadRequest,
        _ => Outcome.Unexpected,
    };
}
