using System.Net;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Security.Access;

/// <summary>
/// Checklist item 3: a member of team A (member@, Onboarding) changes team B's (Platform's) objects on the same product,
/// and ids are mixed: a child of one parent under another parent in the route, or a form field pointing into another
/// team or product. Every such request is refused (403/404, or 422 with a message for a form field) and changes nothing.
/// Reads stay open to everyone (brief §6; the matrix's read rows prove it).
/// </summary>
public sealed class IdorTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static readonly HttpStatusCode[] RouteRefusal = [HttpStatusCode.Forbidden, HttpStatusCode.NotFound];
    private static readonly HttpStatusCode[] FieldRefusal = [HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.UnprocessableEntity];

    /// <summary>
    /// A child id that is not among the parent's children is looked up only among them, so it reads like one already gone:
    /// "That link had already been removed." (a double submit), or "the board changed" for a card to move before. The
    /// answer is the redirect back with that message; what matters is that nothing changes, asserted for every case.
    /// </summary>
    private static readonly HttpStatusCode[] NoOp = [.. FieldRefusal, HttpStatusCode.Redirect];

    /// <summary>A case: who sends it, how to build it, which answers count as a refusal; <c>Fields</c> null = GET.</summary>
    private sealed record Case(Role Role, Func<AccessFixture, Task<(string Url, (string, string)[]? Fields)>> Build, HttpStatusCode[] Refusals);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // ------------------------------------------------ team B's objects on the member's own product (Beacon)
        ["member edits team B's objective"] = new(Role.TeamMember, async f =>
        {
            var (objective, _) = await f.NewObjectiveAsync(f.PlatformId, f.Goal(Scope.Own));
            return ($"/okrs/objectives/{objective}/edit", [("Title", "Hijacked"), ("Version", "1"), ("AlignTo", "Goal"), ("GoalId", f.Goal(Scope.Own).Invariant())]);
        }, RouteRefusal),
        ["member closes team B's objective"] = new(Role.TeamMember, async f =>
        {
            var (objective, _) = await f.NewObjectiveAsync(f.PlatformId, f.Goal(Scope.Own));
            return ($"/okrs/objectives/{objective}/close", [("Score", "0.1"), ("Version", (await f.ObjectiveVersionAsync(objective)).Invariant())]);
        }, RouteRefusal),
        ["member retires team B's objective"] = new(Role.TeamMember, async f =>
        {
            var (objective, _) = await f.NewObjectiveAsync(f.PlatformId, f.Goal(Scope.Own));
            return ($"/okrs/objectives/{objective}/retire", [("Version", (await f.ObjectiveVersionAsync(objective)).Invariant())]);
        }, RouteRefusal),
        ["member retires team B's key result"] = new(Role.TeamMember, async f =>
        {
            var (objective, keyResults) = await f.NewObjectiveAsync(f.PlatformId, f.Goal(Scope.Own));
            return ($"/okrs/key-results/{keyResults[1]}/retire", [("Version", (await f.ObjectiveVersionAsync(objective)).Invariant())]);
        }, RouteRefusal),
        ["member checks in on team B's key result"] = new(Role.TeamMember, async f =>
            ($"/okrs/key-results/{await f.KeyResultIdAsync("Monthly uptime")}/check-ins", [("Value", "99.99"), ("Confidence", "9")]), RouteRefusal),
        ["member creates an objective for team B"] = new(Role.TeamMember, f => Now("/okrs/objectives/new",
            [("Title", "Hijacked"), ("TeamId", f.PlatformId.Invariant()), ("Period", f.CurrentPeriod), ("AlignTo", "Goal"), ("GoalId", f.Goal(Scope.Own).Invariant()),
             ("KeyResults[0].Title", "KR"), ("KeyResults[0].Baseline", "0"), ("KeyResults[0].Target", "1")]), FieldRefusal),
        ["member creates an item for team B"] = new(Role.TeamMember, f => Now($"/roadmap/items/new?product={f.BeaconId}",
            [("Title", "Hijacked"), ("TeamId", f.PlatformId.Invariant()), ("Kind", "Feature"), ("Status", "Idea"), ("Horizon", "Next")]), FieldRefusal),
        ["member edits team B's item"] = new(Role.TeamMember, async f =>
        {
            var item = await f.NewItemAsync("Platform", f.BeaconId);
            return ($"/roadmap/items/{item}/edit", [("Title", "Hijacked"), ("Kind", "Feature"), ("TeamId", f.PlatformId.Invariant()), ("Status", "Idea"), ("Horizon", "Next"), ("Version", (await f.ItemVersionAsync(item)).Invariant())]);
        }, RouteRefusal),
        ["member archives team B's item"] = new(Role.TeamMember, async f =>
        {
            var item = await f.NewItemAsync("Platform", f.BeaconId);
            return ($"/roadmap/items/{item}/archive", [("Version", (await f.ItemVersionAsync(item)).Invariant())]);
        }, RouteRefusal),
        ["member moves team B's card on the board"] = new(Role.TeamMember, async f =>
        {
            var item = await f.NewItemAsync("Platform", f.BeaconId);
            return ($"/roadmap/items/{item}/move", [("Horizon", "Later"), ("Version", (await f.ItemVersionAsync(item)).Invariant())]);
        }, RouteRefusal),
        ["member moves their own item to team B"] = new(Role.TeamMember, async f =>
        {
            var item = await f.NewItemAsync("Onboarding", f.BeaconId);
            return ($"/roadmap/items/{item}/edit", [("Title", "Moved away"), ("Kind", "Feature"), ("TeamId", f.PlatformId.Invariant()), ("Status", "Idea"), ("Horizon", "Next"), ("Version", (await f.ItemVersionAsync(item)).Invariant())]);
        }, FieldRefusal),
        ["member re-links team B's orphan among their own"] = new(Role.TeamMember, async f =>
        {
            var own = await f.NewItemAsync("Onboarding", f.BeaconId);
            var foreign = await f.NewItemAsync("Platform", f.BeaconId);
            return ("/alignment/relink", [("ProductId", f.BeaconId.Invariant()), ("ItemIds", own.Invariant()), ("ItemIds", foreign.Invariant()), ("Target", $"goal:{f.Goal(Scope.Own)}")]);
        }, RouteRefusal),

        // ------------------------------------------------ mixed parent/child ids in the route
        ["manager of Beacon edits a Harbor goal under Beacon's id"] = new(Role.ProductManager, async f =>
        {
            var goal = await f.NewGoalAsync(Scope.Other);
            return ($"/products/{f.BeaconId}/goals/{goal}/edit", [("Title", "Hijacked"), ("Horizon", "MidTerm"), ("Version", (await f.GoalVersionAsync(goal)).Invariant())]);
        }, RouteRefusal),
        ["manager of Beacon moves a Harbor goal under Beacon's id"] = new(Role.ProductManager, async f =>
            ($"/products/{f.BeaconId}/goals/{await f.NewGoalAsync(Scope.Other)}/move", [("NewRank", "1"), ("ProductVersion", (await f.ProductVersionAsync(f.BeaconId)).Invariant())]), RouteRefusal),
        ["manager of Beacon retires a Harbor goal under Beacon's id"] = new(Role.ProductManager, async f =>
            ($"/products/{f.BeaconId}/goals/{await f.NewGoalAsync(Scope.Other)}/retire", [("Version", "1")]), RouteRefusal),
        ["manager of Beacon achieves a Harbor goal under Beacon's id"] = new(Role.ProductManager, async f =>
            ($"/products/{f.BeaconId}/goals/{await f.NewGoalAsync(Scope.Other)}/achieve", [("Version", "1")]), RouteRefusal),
        ["a Harbor goal's page under Beacon's id"] = new(Role.TeamMember, f => Now($"/products/{f.BeaconId}/goals/{f.Goal(Scope.Other)}", null), [HttpStatusCode.NotFound]),
        ["member removes team B's link through their own item"] = new(Role.TeamMember, async f =>
        {
            var own = await f.NewItemAsync(Scope.Own);
            var foreign = await f.NewRichItemAsync(Scope.Other);
            return ($"/roadmap/items/{own}/links/{foreign.Link}/remove", []);
        }, NoOp),
        ["member removes team B's dependency through their own item"] = new(Role.TeamMember, async f =>
        {
            var own = await f.NewItemAsync(Scope.Own);
            var foreign = await f.NewRichItemAsync(Scope.Other);
            return ($"/roadmap/items/{own}/dependencies/{foreign.Dependency}/remove", []);
        }, NoOp),
        ["member removes team B's evidence through their own item"] = new(Role.TeamMember, async f =>
        {
            var own = await f.NewItemAsync(Scope.Own);
            var foreign = await f.NewRichItemAsync(Scope.Other);
            return ($"/roadmap/items/{own}/evidence/{foreign.Evidence}/remove", []);
        }, NoOp),
        ["member moves team B's key result into their own objective"] = new(Role.TeamMember, async f =>
        {
            var (_, foreign) = await f.NewObjectiveAsync(f.PlatformId, f.Goal(Scope.Own));
            var (own, _) = await f.NewObjectiveAsync(Scope.Own);
            return ($"/okrs/key-results/{foreign[0]}/move", [("TargetObjectiveId", own.Invariant())]);
        }, RouteRefusal),

        // ------------------------------------------------ form fields pointing into another team or product
        ["member moves their key result into team B's objective"] = new(Role.TeamMember, async f =>
        {
            var (_, own) = await f.NewObjectiveAsync(Scope.Own);
            var (foreign, _) = await f.NewObjectiveAsync(f.PlatformId, f.Goal(Scope.Own));
            return ($"/okrs/key-results/{own[0]}/move", [("TargetObjectiveId", foreign.Invariant())]);
        }, FieldRefusal),
        ["item links to a key result of another product"] = new(Role.TeamMember, async f =>
            ($"/roadmap/items/{await f.NewItemAsync(Scope.Own)}/links", [("Target", $"kr:{f.KeyResult(Scope.Other)}")]), FieldRefusal),
        ["item links to a goal of another product"] = new(Role.TeamMember, async f =>
            ($"/roadmap/items/{await f.NewItemAsync(Scope.Own)}/links", [("Target", $"goal:{f.Goal(Scope.Other)}")]), FieldRefusal),
        ["item depends on an item of another product"] = new(Role.TeamMember, async f =>
            ($"/roadmap/items/{await f.NewItemAsync(Scope.Own)}/dependencies", [("BlockerId", f.Item(Scope.Other).Invariant())]), FieldRefusal),
        ["card moved before a card of another product"] = new(Role.TeamMember, async f =>
        {
            var item = await f.NewItemAsync(Scope.Own);
            return ($"/roadmap/items/{item}/move", [("Horizon", "Next"), ("BeforeItemId", f.Item(Scope.Other).Invariant()), ("Version", (await f.ItemVersionAsync(item)).Invariant())]);
        }, NoOp),
        ["re-link of another product's item under Beacon's id"] = new(Role.Admin, async f =>
            ("/alignment/relink", [("ProductId", f.BeaconId.Invariant()), ("ItemIds", (await f.NewItemAsync(Scope.Other)).Invariant()), ("Target", $"goal:{f.Goal(Scope.Own)}")]), FieldRefusal),
        ["re-link to a goal of another product"] = new(Role.Admin, async f =>
            ("/alignment/relink", [("ProductId", f.BeaconId.Invariant()), ("ItemIds", (await f.NewItemAsync(Scope.Own)).Invariant()), ("Target", $"goal:{f.Goal(Scope.Other)}")]), FieldRefusal),
    };

    private static Task<(string Url, (string, string)[]? Fields)> Now(string url, (string, string)[]? fields) => Task.FromResult((url, fields));

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Cross_team_and_mixed_id_requests_are_refused_and_change_nothing(string name)
    {
        var @case = Cases[name];
        var (url, fields) = await @case.Build(fixture);
        var client = await fixture.ClientAsync(@case.Role);
        var token = fields is null ? null : await fixture.TokenAsync(@case.Role);

        var before = await DatabaseSnapshot.TakeAsync(fixture);
        var page = fields is null
            ? await client.GetAsync(url)
            : await client.PostWithTokenAsync(url, token, fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));
        var after = await DatabaseSnapshot.TakeAsync(fixture);

        Assert.True(@case.Refusals.Contains(page.StatusCode), $"{name}: {(int)page.StatusCode} {page.Location}, expected one of {string.Join("/", @case.Refusals.Select(c => (int)c))}");
        Assert.True(before.Hash == after.Hash, $"{name} changed the database: {after.DescribeChangesSince(before)}");
    }

    /// <summary>
    /// The member's own objective saved with a key-result row that carries team B's key result id: the foreign key result
    /// must stay exactly as it was (the row may be refused, or saved as a new key result of the member's objective).
    /// </summary>
    [Fact]
    public async Task A_key_result_id_of_team_B_in_the_objective_form_never_touches_team_B()
    {
        var (own, _) = await fixture.NewObjectiveAsync(Scope.Own);
        var (foreignObjective, foreign) = await fixture.NewObjectiveAsync(fixture.PlatformId, fixture.Goal(Scope.Own));
        var fields = await CellRunner.FieldsAsync(fixture, new CellRequest($"/okrs/objectives/{own}/edit", FormPage: $"/okrs/objectives/{own}/edit"));
        fields.Set("KeyResults[0].KeyResultId", foreign[0].Invariant()).Set("KeyResults[0].Title", "Hijacked key result");
        var client = await fixture.ClientAsync(Role.TeamMember);
        var token = await fixture.TokenAsync(Role.TeamMember);

        var before = await DatabaseSnapshot.TakeAsync(fixture);
        var page = await client.PostWithTokenAsync($"/okrs/objectives/{own}/edit", token, fields);
        var after = await DatabaseSnapshot.TakeAsync(fixture);

        Assert.NotEqual(HttpStatusCode.InternalServerError, page.StatusCode);
        var touched = after.ChangesSince(before).Where(c =>
            (c.Table == "KeyResults" && foreign.Select(k => k.Invariant()).Contains(c.Key))
            || (c.Table == "Objectives" && c.Key == foreignObjective.Invariant())
            || (c.Table == "CheckIns" && foreign.Select(k => k.Invariant()).Contains((c.After ?? c.Before)!.GetValueOrDefault("KeyResultId")))).ToList();
        Assert.True(touched.Count == 0, $"{(int)page.StatusCode}: team B's objective or key results changed: {string.Join("; ", touched)}");
        var foreignTitle = await fixture.QueryAsync(db => db.KeyResults.Where(k => k.Id == foreign[0]).Select(k => k.Title).SingleAsync());
        Assert.Equal("First key result", foreignTitle);
    }

    /// <summary>Control for the cases above: the same kind of request on the member's own team goes through, so the refusals are about the team.</summary>
    [Fact]
    public async Task The_same_requests_on_the_members_own_team_are_allowed()
    {
        var item = await fixture.NewItemAsync("Onboarding", fixture.BeaconId);
        var client = await fixture.ClientAsync(Role.TeamMember);
        var token = await fixture.TokenAsync(Role.TeamMember);

        var page = await client.PostWithTokenAsync($"/roadmap/items/{item}/archive", token, [new("Version", (await fixture.ItemVersionAsync(item)).Invariant())]);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.NotNull((await fixture.QueryAsync(db => db.RoadmapItems.AsNoTracking().SingleAsync(i => i.Id == item))).ArchivedAt);
    }
}
