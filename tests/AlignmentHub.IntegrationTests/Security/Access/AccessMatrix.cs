using System.Globalization;
using Microsoft.EntityFrameworkCore;
using AlignmentHub.IntegrationTests.Support;

namespace AlignmentHub.IntegrationTests.Security.Access;

/// <summary>What a cell of the matrix answers.</summary>
public enum Outcome
{
    /// <summary>GET: 200. Other methods: done (a redirect to the result or 200), and the database changed.</summary>
    Ok,

    /// <summary>GET: 302 somewhere other than the sign-in page (by design, e.g. the team switcher).</summary>
    Redirect,

    Forbidden,
    NotFound,
    BadRequest,

    /// <summary>302 to /account/login?ReturnUrl=… (the fallback policy's challenge).</summary>
    Login,

    /// <summary>Anything else (only ever the actual outcome of a failing cell).</summary>
    Unexpected,
}

[Flags]
public enum RowFlags
{
    None = 0,

    /// <summary>The own-scope page is about product Beacon only: Harbor's canary must not appear on it.</summary>
    ProductScoped = 1,

    /// <summary>The cell runs on a client of its own (it signs out, or signs in again).</summary>
    OwnClient = 2,

    /// <summary>A successful request need not change the domain tables (signing in only writes a session row).</summary>
    NoDataChange = 4,

    /// <summary>The page may show users' e-mail addresses, phone numbers and concurrency stamps (the administrator's user pages and audit log).</summary>
    ShowsEmails = 8,

    /// <summary>Not about one team or product: "own" and "other" are the same request, so only the own cell is run.</summary>
    Unscoped = 16,
}

/// <summary>The request of one cell: where to go, and for a form what to post.</summary>
/// <param name="FormPage">A page with the real form, read as the administrator (who sees every form); its fields are posted, then <paramref name="Fields"/> on top.</param>
public sealed record CellRequest(string Url, IReadOnlyList<KeyValuePair<string, string>>? Fields = null, string? FormPage = null, string? FormAction = null);

/// <summary>The expected outcome per role × scope, written "Admin own other | PM … | Member … | Executive … | Anonymous …".</summary>
public sealed class Expect
{
    private readonly Outcome[] cells;

    private Expect(Outcome[] cells) => this.cells = cells;

    public Outcome this[Role role, Scope scope] => cells[((int)role * 2) + (int)scope];

    public static Expect Parse(string grid)
    {
        var words = grid.Split(['|', ' '], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != 10)
        {
            throw new FormatException($"An expectation needs 10 cells (5 roles × own/other): {grid}");
        }

        return new Expect(words.Select(w => w switch
        {
            "ok" => Outcome.Ok,
            "redirect" => Outcome.Redirect,
            "403" => Outcome.Forbidden,
            "404" => Outcome.NotFound,
            "400" => Outcome.BadRequest,
            "login" => Outcome.Login,
            _ => throw new FormatException($"Unknown outcome “{w}” in {grid}"),
        }).ToArray());
    }
}

/// <summary>One endpoint: its HTTP method ("*" = any) and route template exactly as the app registers it, who may do what, and how to build a request for each scope.</summary>
public sealed record MatrixRow(string Method, string Route, Expect Expect, Func<AccessFixture, Scope, Task<CellRequest>> Sample, RowFlags Flags = RowFlags.None)
{
    public string Key => $"{Method} /{Route}";

    public bool IsRead => Method is "GET" or "*";
}

/// <summary>
/// The access-control matrix of brief §6 as data: every endpoint of the app, one row each. Adding an endpoint means
/// adding one row here (the coverage test fails until then). "own"/"other" are <see cref="Scope"/>; for endpoints that
/// are not about one team or product (home, health, sign-in) both columns send the same request.
/// </summary>
public static class AccessMatrix
{
    // Profiles (Admin | ProductManager | TeamMember | Executive | Anonymous), each "own other".
    /// <summary>Brief §6: everyone signed in reads everything; anonymous callers are sent to sign in.</summary>
    public const string Read = "ok ok | ok ok | ok ok | ok ok | login login";

    /// <summary>Vision and goals: administrators, and product managers on the products they manage.</summary>
    public const string Strategy = "ok ok | ok 403 | 403 403 | 403 403 | login login";

    /// <summary>Objectives, key results, roadmap items: administrators, managers of the product, members of the team.</summary>
    public const string TeamWrite = "ok ok | ok 403 | ok 403 | 403 403 | login login";

    /// <summary>Check-ins: administrators and product managers anywhere, team members on their team's key results.</summary>
    public const string CheckIn = "ok ok | ok ok | ok 403 | 403 403 | login login";

    /// <summary>Signing out: every signed-in user.</summary>
    public const string SignedIn = "ok ok | ok ok | ok ok | ok ok | login login";

    public const string Everyone = "ok ok | ok ok | ok ok | ok ok | ok ok";

    public const string AdminOnly = "ok ok | 403 403 | 403 403 | 403 403 | login login";



    public static readonly IReadOnlyList<MatrixRow> Rows =
    [
        // ---------------------------------------------------------------- sign-in, errors, health (the anonymous allow-list)
        new("GET", "account/login", E("redirect redirect | redirect redirect | redirect redirect | redirect redirect | ok ok"), (_, _) => Get("/account/login"), RowFlags.Unscoped),
        new("POST", "account/login", E(Everyone), (_, _) => PostNow("/account/login", ("Email", Demo.Member), ("Password", AlignmentHubFactory.DemoPassword)), RowFlags.OwnClient | RowFlags.NoDataChange | RowFlags.Unscoped),
        new("POST", "account/logout", E(SignedIn), (_, _) => PostNow("/account/logout"), RowFlags.OwnClient | RowFlags.Unscoped),
        new("GET", "account/access-denied", E("403 403 | 403 403 | 403 403 | 403 403 | login login"), (_, _) => Get("/account/access-denied"), RowFlags.Unscoped),
        new("*", "error/{code:int}", E("404 404 | 404 404 | 404 404 | 404 404 | 404 404"), (_, _) => Get("/error/404"), RowFlags.Unscoped),
        new("*", "health/live", E(Everyone), (_, _) => Get("/health/live"), RowFlags.Unscoped),
        new("*", "health/ready", E(Everyone), (_, _) => Get("/health/ready"), RowFlags.Unscoped),

        // ---------------------------------------------------------------- home and dashboards (read only)
        new("GET", "", E(Read), (_, _) => Get("/"), RowFlags.Unscoped),
        new("GET", "dashboards", E(Read), (f, s) => Get($"/dashboards?product={f.Product(s)}"), RowFlags.ProductScoped),
        new("GET", "dashboards/teams", E("redirect redirect | redirect redirect | redirect redirect | redirect redirect | login login"), (f, s) => Get($"/dashboards/teams?team={f.Team(s)}&product={f.Product(s)}")),
        new("GET", "dashboards/teams/{teamId:int}", E(Read), (f, s) => Get($"/dashboards/teams/{f.Team(s)}?product={f.Product(s)}"), RowFlags.ProductScoped),

        // ---------------------------------------------------------------- vision
        new("GET", "products/{productId:int}/vision", E(Read), (f, s) => Get($"/products/{f.Product(s)}/vision"), RowFlags.ProductScoped),
        new("GET", "products/{productId:int}/vision/history", E(Read), (f, s) => Get($"/products/{f.Product(s)}/vision/history"), RowFlags.ProductScoped),
        new("GET", "products/{productId:int}/vision/diff", E(Read), (f, s) => Get($"/products/{f.Product(s)}/vision/diff?from=1&to=2"), RowFlags.ProductScoped),
        new("GET", "products/{productId:int}/vision/edit", E(Strategy), (f, s) => Get($"/products/{f.Product(s)}/vision/edit"), RowFlags.ProductScoped),
        new("POST", "products/{productId:int}/vision/edit", E(Strategy), async (f, s) => Post($"/products/{f.Product(s)}/vision/edit",
            ("BaseVersion", N(await f.VisionNumberAsync(f.Product(s)))), ("Text", "# " + f.Unique("Vision by the access tests")), ("Reason", "Access matrix"))),

        // ---------------------------------------------------------------- goals
        new("GET", "products/{productId:int}/goals", E(Read), (f, s) => Get($"/products/{f.Product(s)}/goals"), RowFlags.ProductScoped),
        new("GET", "products/{productId:int}/goals/{goalId:int}", E(Read), (f, s) => Get($"/products/{f.Product(s)}/goals/{f.Goal(s)}"), RowFlags.ProductScoped),
        new("GET", "products/{productId:int}/goals/new", E(Strategy), (f, s) => Get($"/products/{f.Product(s)}/goals/new"), RowFlags.ProductScoped),
        new("POST", "products/{productId:int}/goals/new", E(Strategy), (f, s) => PostNow($"/products/{f.Product(s)}/goals/new",
            ("Title", f.Unique("New goal")), ("Description", "By the access tests"), ("SuccessMetric", "A metric"), ("Horizon", "MidTerm"))),
        new("GET", "products/{productId:int}/goals/{goalId:int}/edit", E(Strategy), (f, s) => Get($"/products/{f.Product(s)}/goals/{f.Goal(s)}/edit"), RowFlags.ProductScoped),
        new("POST", "products/{productId:int}/goals/{goalId:int}/edit", E(Strategy), async (f, s) =>
        {
            var goal = await f.NewGoalAsync(s);
            return Post($"/products/{f.Product(s)}/goals/{goal}/edit", ("Title", f.Unique("Edited goal")), ("Description", "Edited"), ("SuccessMetric", "A metric"),
                ("Horizon", "LongTerm"), ("Version", N(await f.GoalVersionAsync(goal))));
        }),
        new("POST", "products/{productId:int}/goals/{goalId:int}/move", E(Strategy), async (f, s) =>
        {
            var goal = await f.NewGoalAsync(s);
            return Post($"/products/{f.Product(s)}/goals/{goal}/move", ("NewRank", "1"), ("ProductVersion", N(await f.ProductVersionAsync(f.Product(s)))));
        }),

        // ---------------------------------------------------------------- impact check: retire / achieve
        new("GET", "products/{productId:int}/goals/{goalId:int}/retire", E(Strategy), (f, s) => Get($"/products/{f.Product(s)}/goals/{f.Goal(s)}/retire"), RowFlags.ProductScoped),
        new("POST", "products/{productId:int}/goals/{goalId:int}/retire", E(Strategy), async (f, s) =>
            Scraped($"/products/{f.Product(s)}/goals/{await f.NewGoalAsync(s)}/retire", ("Reason", "Access matrix"))),
        new("GET", "products/{productId:int}/goals/{goalId:int}/achieve", E(Strategy), (f, s) => Get($"/products/{f.Product(s)}/goals/{f.Goal(s)}/achieve"), RowFlags.ProductScoped),
        new("POST", "products/{productId:int}/goals/{goalId:int}/achieve", E(Strategy), async (f, s) =>
            Scraped($"/products/{f.Product(s)}/goals/{await f.NewGoalAsync(s)}/achieve")),
        new("GET", "okrs/objectives/{objectiveId:int}/retire", E(TeamWrite), (f, s) => Get($"/okrs/objectives/{f.Objective(s)}/retire")),
        new("POST", "okrs/objectives/{objectiveId:int}/retire", E(TeamWrite), async (f, s) =>
            Scraped($"/okrs/objectives/{(await f.NewObjectiveAsync(s)).Objective}/retire")),
        new("GET", "okrs/objectives/{objectiveId:int}/delete", E(TeamWrite), (f, s) => Get($"/okrs/objectives/{f.Objective(s)}/delete")),
        new("POST", "okrs/objectives/{objectiveId:int}/delete", E(TeamWrite), async (f, s) =>
            Scraped($"/okrs/objectives/{(await f.NewObjectiveAsync(s)).Objective}/delete")),
        new("GET", "okrs/key-results/{keyResultId:int}/retire", E(TeamWrite), (f, s) => Get($"/okrs/key-results/{f.KeyResult(s)}/retire")),
        new("POST", "okrs/key-results/{keyResultId:int}/retire", E(TeamWrite), async (f, s) =>
            Scraped($"/okrs/key-results/{(await f.NewObjectiveAsync(s)).KeyResults[1]}/retire")),

        // ---------------------------------------------------------------- OKRs
        new("GET", "okrs", E(Read), (f, s) => Get($"/okrs?period={f.CurrentPeriod}&team={f.Team(s)}")),
        new("GET", "okrs/objectives/{id:int}", E(Read), (f, s) => Get($"/okrs/objectives/{f.Objective(s)}")),
        new("POST", "okrs/key-results/{id:int}/check-ins", E(CheckIn), (f, s) => PostNow($"/okrs/key-results/{f.KeyResult(s)}/check-ins",
            ("Value", "7"), ("Confidence", "6"), ("Note", "Access matrix"))),
        new("GET", "okrs/objectives/new", E("ok ok | ok ok | ok 403 | 403 403 | login login"), (f, s) => Get($"/okrs/objectives/new?team={f.Team(s)}")),
        new("POST", "okrs/objectives/new", E(TeamWrite), (f, s) => Task.FromResult(new CellRequest("/okrs/objectives/new",
            Fields(("Title", f.Unique("Objective by the matrix")), ("TeamId", N(f.Team(s))), ("Period", f.CurrentPeriod), ("AlignTo", "Goal"), ("GoalId", N(f.Goal(s))),
                ("KeyResults[0].Title", "A key result"), ("KeyResults[0].Baseline", "0"), ("KeyResults[0].Target", "10")),
            FormPage: $"/okrs/objectives/new?team={f.Team(s)}"))),
        new("GET", "okrs/objectives/{objectiveId:int}/edit", E(TeamWrite), (f, s) => Get($"/okrs/objectives/{f.Objective(s)}/edit")),
        new("POST", "okrs/objectives/{objectiveId:int}/edit", E(TeamWrite), async (f, s) =>
            Scraped($"/okrs/objectives/{(await f.NewObjectiveAsync(s)).Objective}/edit", ("Title", f.Unique("Edited objective")))),
        new("GET", "okrs/objectives/{objectiveId:int}/close", E(TeamWrite), (f, s) => Get($"/okrs/objectives/{f.Objective(s)}/close")),
        new("POST", "okrs/objectives/{objectiveId:int}/close", E(TeamWrite), async (f, s) =>
        {
            var (objective, _) = await f.NewObjectiveAsync(s);
            return Post($"/okrs/objectives/{objective}/close", ("Score", "0.5"), ("Retrospective", "Closed by the access tests"), ("Version", N(await f.ObjectiveVersionAsync(objective))));
        }),
        new("GET", "okrs/objectives/{objectiveId:int}/carry-over", E(TeamWrite), (f, s) => Get($"/okrs/objectives/{f.Objective(s)}/carry-over")),
        new("POST", "okrs/objectives/{objectiveId:int}/carry-over", E(TeamWrite), async (f, s) =>
        {
            var (objective, _) = await f.NewObjectiveAsync(s);
            return Post($"/okrs/objectives/{objective}/carry-over", ("Period", f.NextPeriod), ("Version", N(await f.ObjectiveVersionAsync(objective))));
        }),
        new("GET", "okrs/key-results/{keyResultId:int}/move", E(TeamWrite), (f, s) => Get($"/okrs/key-results/{f.KeyResult(s)}/move")),
        new("POST", "okrs/key-results/{keyResultId:int}/move", E(TeamWrite), async (f, s) =>
        {
            var (_, keyResults) = await f.NewObjectiveAsync(s);
            var (target, _) = await f.NewObjectiveAsync(s);
            return Post($"/okrs/key-results/{keyResults[0]}/move", ("TargetObjectiveId", N(target)));
        }),

        // ---------------------------------------------------------------- roadmap views
        new("GET", "roadmap", E(Read), (f, s) => Get($"/roadmap?product={f.Product(s)}"), RowFlags.ProductScoped),
        new("GET", "roadmap/timeline", E(Read), (f, s) => Get($"/roadmap/timeline?product={f.Product(s)}"), RowFlags.ProductScoped),
        new("GET", "roadmap/list", E(Read), (f, s) => Get($"/roadmap/list?product={f.Product(s)}"), RowFlags.ProductScoped),
        new("POST", "roadmap/items/{id:int}/move", E(TeamWrite), async (f, s) =>
        {
            var item = await f.NewItemAsync(s);
            return Post($"/roadmap/items/{item}/move", ("Horizon", "Later"), ("Version", N(await f.ItemVersionAsync(item))), ("returnQuery", $"product={f.Product(s)}"));
        }),

        // ---------------------------------------------------------------- roadmap items
        new("GET", "roadmap/items/new", E("ok ok | ok 403 | ok ok | 403 403 | login login"), (f, s) => Get($"/roadmap/items/new?product={f.Product(s)}&team={f.Team(s)}")),
        new("POST", "roadmap/items/new", E(TeamWrite), (f, s) => Task.FromResult(new CellRequest($"/roadmap/items/new?product={f.Product(s)}",
            Fields(("Title", f.Unique("Item by the matrix")), ("TeamId", N(f.Team(s))), ("Horizon", "Next")), FormPage: $"/roadmap/items/new?product={f.Product(s)}&team={f.Team(s)}"))),
        new("GET", "roadmap/items/{id:int}", E(Read), (f, s) => Get($"/roadmap/items/{f.Item(s)}"), RowFlags.ProductScoped),
        new("GET", "roadmap/items/{id:int}/edit", E(TeamWrite), (f, s) => Get($"/roadmap/items/{f.Item(s)}/edit"), RowFlags.ProductScoped),
        new("POST", "roadmap/items/{id:int}/edit", E(TeamWrite), async (f, s) =>
            Scraped($"/roadmap/items/{await f.NewItemAsync(s)}/edit", ("Title", f.Unique("Edited item")))),
        new("POST", "roadmap/items/{id:int}/status", E(TeamWrite), async (f, s) =>
        {
            var item = await f.NewItemAsync(s);
            return Post($"/roadmap/items/{item}/status", ("Status", "InProgress"), ("Version", N(await f.ItemVersionAsync(item))));
        }),
        new("POST", "roadmap/items/{id:int}/links", E(TeamWrite), async (f, s) => Post($"/roadmap/items/{await f.NewItemAsync(s)}/links", ("Target", $"kr:{f.KeyResult(s)}"))),
        new("POST", "roadmap/items/{id:int}/links/{linkId:int}/remove", E(TeamWrite), async (f, s) =>
        {
            var rich = await f.NewRichItemAsync(s);
            return Post($"/roadmap/items/{rich.Item}/links/{rich.Link}/remove");
        }),
        new("POST", "roadmap/items/{id:int}/dependencies", E(TeamWrite), async (f, s) =>
            Post($"/roadmap/items/{await f.NewItemAsync(s)}/dependencies", ("BlockerId", N(await f.NewItemAsync(s))))),
        new("POST", "roadmap/items/{id:int}/dependencies/{dependencyId:int}/remove", E(TeamWrite), async (f, s) =>
        {
            var rich = await f.NewRichItemAsync(s);
            return Post($"/roadmap/items/{rich.Item}/dependencies/{rich.Dependency}/remove");
        }),
        new("POST", "roadmap/items/{id:int}/evidence", E(TeamWrite), async (f, s) =>
            Post($"/roadmap/items/{await f.NewItemAsync(s)}/evidence", ("EvidenceText", "Three customers asked"), ("EvidenceLink", string.Empty), ("Importance", "2"))),
        new("POST", "roadmap/items/{id:int}/evidence/{evidenceId:int}/remove", E(TeamWrite), async (f, s) =>
        {
            var rich = await f.NewRichItemAsync(s);
            return Post($"/roadmap/items/{rich.Item}/evidence/{rich.Evidence}/remove");
        }),
        new("GET", "roadmap/items/{id:int}/archive", E(TeamWrite), (f, s) => Get($"/roadmap/items/{f.Item(s)}/archive"), RowFlags.ProductScoped),
        new("POST", "roadmap/items/{id:int}/archive", E(TeamWrite), async (f, s) =>
        {
            var item = await f.NewItemAsync(s);
            return Post($"/roadmap/items/{item}/archive", ("Version", N(await f.ItemVersionAsync(item))));
        }),
        new("POST", "roadmap/items/{id:int}/restore", E(TeamWrite), async (f, s) =>
        {
            var item = await f.NewArchivedItemAsync(s);
            return Post($"/roadmap/items/{item}/restore", ("Version", N(await f.ItemVersionAsync(item))));
        }),

        new("GET", "roadmap/items/{id:int}/delete", E(TeamWrite), (f, s) => Get($"/roadmap/items/{f.Item(s)}/delete"), RowFlags.ProductScoped),
        new("POST", "roadmap/items/{id:int}/delete", E(TeamWrite), async (f, s) =>
        {
            var item = await f.NewItemAsync(s);
            return Post($"/roadmap/items/{item}/delete", ("Version", N(await f.ItemVersionAsync(item))));
        }),

        // ---------------------------------------------------------------- recently deleted (checklist item 39): everyone signed in sees the page, listing only what they may edit
        new("GET", "deleted", E(Read), (_, _) => Get("/deleted"), RowFlags.Unscoped),
        new("POST", "deleted/objectives/{id:int}/restore", E(TeamWrite), async (f, s) =>
        {
            var objective = await f.NewDeletedObjectiveAsync(s);
            return Post($"/deleted/objectives/{objective}/restore", ("Version", N(await f.DeletedObjectiveVersionAsync(objective))));
        }),
        new("POST", "deleted/items/{id:int}/restore", E(TeamWrite), async (f, s) =>
        {
            var item = await f.NewDeletedItemAsync(s);
            return Post($"/deleted/items/{item}/restore", ("Version", N(await f.DeletedItemVersionAsync(item))));
        }),

        // ---------------------------------------------------------------- alignment
        new("GET", "alignment", E(Read), (f, s) => Get($"/alignment?product={f.Product(s)}"), RowFlags.ProductScoped),
        new("POST", "alignment/relink", E(TeamWrite), async (f, s) => Post("/alignment/relink",
            ("ProductId", N(f.Product(s))), ("ItemIds", N(await f.NewItemAsync(s))), ("Target", $"goal:{f.Goal(s)}"))),

        // ---------------------------------------------------------------- check-in history, team exports (readable by everyone signed in)
        new("GET", "okrs/key-results/{id:int}/check-ins", E(Read), (f, s) => Get($"/okrs/key-results/{f.KeyResult(s)}/check-ins")),
        new("GET", "teams/{teamId:int}/export", E(Read), (f, s) => Get($"/teams/{f.Team(s)}/export")),
        // Downloads are posts: each one writes its own audit row.
        new("POST", "teams/{teamId:int}/export.json", E(SignedIn), (f, s) => PostNow($"/teams/{f.Team(s)}/export.json")),
        new("POST", "teams/{teamId:int}/export.csv", E(SignedIn), (f, s) => PostNow($"/teams/{f.Team(s)}/export.csv")),

        // ---------------------------------------------------------------- administration (administrators only; each target user is used by no test client)
        new("GET", "admin/users", E(AdminOnly), (_, _) => Get("/admin/users"), RowFlags.Unscoped | RowFlags.ShowsEmails),
        new("GET", "admin/users/{userId:maxlength(450)}", E(AdminOnly), async (f, _) => new CellRequest($"/admin/users/{await f.UserIdAsync("mia@alignmenthub.demo")}"),
            RowFlags.Unscoped | RowFlags.ShowsEmails),
        new("POST", "admin/users/{userId:maxlength(450)}/roles", E(AdminOnly), async (f, _) =>
        {
            // A real change every time: the target is made a team member only, and the form asks for executive.
            var id = await f.UserIdAsync("mia@alignmenthub.demo");
            await f.QueryAsync(async db =>
            {
                var member = await db.Roles.Where(r => r.Name == AlignmentHub.Infrastructure.Identity.Roles.TeamMember).Select(r => r.Id).SingleAsync();
                await db.UserRoles.Where(r => r.UserId == id).ExecuteDeleteAsync();
                db.UserRoles.Add(new Microsoft.AspNetCore.Identity.IdentityUserRole<string> { UserId = id, RoleId = member });
                return await db.SaveChangesAsync();
            });
            return UserForm(id, "roles") with { Fields = Fields(("Roles", AlignmentHub.Infrastructure.Identity.Roles.Executive)) };
        }, RowFlags.Unscoped | RowFlags.ShowsEmails),
        // The disable form exists only for an enabled user and the enable form for a disabled one: set the target first.
        new("POST", "admin/users/{userId:maxlength(450)}/disable", E(AdminOnly), async (f, _) => UserForm(await UserDisabledAsync(f, "noah@alignmenthub.demo", false), "disable"),
            RowFlags.Unscoped | RowFlags.ShowsEmails),
        new("POST", "admin/users/{userId:maxlength(450)}/enable", E(AdminOnly), async (f, _) => UserForm(await UserDisabledAsync(f, "jonas@alignmenthub.demo", true), "enable"),
            RowFlags.Unscoped | RowFlags.ShowsEmails),
        new("POST", "admin/users/{userId:maxlength(450)}/sign-out", E(AdminOnly), async (f, _) => UserForm(await f.UserIdAsync("sam@alignmenthub.demo"), "sign-out"),
            RowFlags.Unscoped | RowFlags.ShowsEmails),
        new("GET", "admin/audit", E(AdminOnly), (_, _) => Get("/admin/audit"), RowFlags.Unscoped | RowFlags.ShowsEmails),
        new("POST", "admin/audit/export.csv", E(AdminOnly), (_, _) => PostNow("/admin/audit/export.csv"), RowFlags.Unscoped | RowFlags.ShowsEmails),
        // The import: the preview (nothing saved) and the commit post the file the administrator's own upload left in
        // the preview form, under a new team name each time; for everyone else the page refuses before reading it.
        new("GET", "admin/import", E(AdminOnly), (_, _) => Get("/admin/import"), RowFlags.Unscoped),
        new("POST", "admin/import", E(AdminOnly), async (f, _) => await ImportFormAsync(f), RowFlags.Unscoped | RowFlags.NoDataChange | RowFlags.ShowsEmails),
        new("POST", "admin/import/commit", E(AdminOnly), async (f, _) => await ImportFormAsync(f) with { Url = "/admin/import/commit" }, RowFlags.Unscoped | RowFlags.ShowsEmails),
    ];

    public static MatrixRow Find(string key) => Rows.Single(r => r.Key == key);

    /// <summary>Every cell as a theory case: "row key | role | scope".</summary>
    public static TheoryData<string, Role, Scope> Cells(Func<MatrixRow, bool> where)
    {
        var data = new TheoryData<string, Role, Scope>();
        foreach (var row in Rows.Where(where))
        {
            foreach (var role in Enum.GetValues<Role>())
            {
                foreach (var scope in Enum.GetValues<Scope>().Where(s => s == Scope.Own || !row.Flags.HasFlag(RowFlags.Unscoped)))
                {
                    data.Add(row.Key, role, scope);
                }
            }
        }

        return data;
    }

    private static Expect E(string grid) => Expect.Parse(grid);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static Task<CellRequest> Get(string url) => Task.FromResult(new CellRequest(url));

    private static Task<CellRequest> PostNow(string url, params (string Name, string Value)[] fields) => Task.FromResult(Post(url, fields));

    private static CellRequest Post(string url, params (string Name, string Value)[] fields) => new(url, Fields(fields));

    /// <summary>The form on <paramref name="url"/> (read as the administrator) posted back to <paramref name="url"/>, with <paramref name="overrides"/>.</summary>
    private static CellRequest Scraped(string url, params (string Name, string Value)[] overrides) => new(url, Fields(overrides), FormPage: url);

    private static async Task<string> UserDisabledAsync(AccessFixture fixture, string email, bool disabled)
    {
        var id = await fixture.UserIdAsync(email);
        await fixture.QueryAsync(db => db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsDisabled, disabled)));
        return id;
    }

    /// <summary>One of the forms on an administrator's user page, read as the administrator and posted back.</summary>
    private static CellRequest UserForm(string userId, string action) =>
        new($"/admin/users/{userId}/{action}", FormPage: $"/admin/users/{userId}", FormAction: $"/admin/users/{userId}/{action}");

    /// <summary>The Onboarding team exported and uploaded by the administrator: the preview form's fields, with a name no team has.</summary>
    private static async Task<CellRequest> ImportFormAsync(AccessFixture fixture)
    {
        var admin = await fixture.ClientAsync(Role.Admin);
        var team = fixture.OnboardingId;
        using var export = new FormUrlEncodedContent([new(TestClient.TokenField, await admin.GetTokenAsync($"/teams/{team}/export"))]);
        var document = System.Text.Json.Nodes.JsonNode.Parse(await (await admin.Http.PostAsync($"/teams/{team}/export.json", export)).Content.ReadAsByteArrayAsync())!;

        // Shipped items become planned: "Status = Shipped" is one of the over-posting test's canaries, and must only be
        // found in rows where a posted field put it, not where the file says so.
        foreach (var item in document["roadmapItems"]!.AsArray().Where(i => (string?)i!["status"] == "Shipped"))
        {
            item!["status"] = "Planned";
            item["shippedAt"] = null;
        }

        var json = System.Text.Encoding.UTF8.GetBytes(document.ToJsonString());
        using var upload = new MultipartFormDataContent { { new StringContent(await admin.GetTokenAsync("/admin/import")), TestClient.TokenField }, { new ByteArrayContent(json), "file", "team.json" } };
        var preview = await TestClient.ToPageAsync(await admin.Http.PostAsync("/admin/import", upload));
        var fields = HtmlForms.Form(preview.Document, "/admin/import/commit").Where(f => f.Key != TestClient.TokenField).ToList();
        fields.Set("TeamName", fixture.Unique("Imported team"));
        return new CellRequest("/admin/import", fields);
    }

    private static List<KeyValuePair<string, string>> Fields(params (string Name, string Value)[] fields) =>
        fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();
}
