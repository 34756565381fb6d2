using System.Globalization;
using System.Net;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Strategy;

/// <summary>The goals slice: ranked list, create, edit, re-rank; validation, conflicts, permissions, over-posting.</summary>
/// <remarks>Every test reads the ranking it starts from in the database, so the tests of this class do not depend on each other.</remarks>
public sealed class GoalTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private const string GoalsUrl = "/products/1/goals";
    private const string CreateUrl = "/products/1/goals/new";

    [Fact]
    public async Task The_list_shows_active_goals_in_rank_order_and_inactive_ones_apart()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var ranked = await factory.RankedGoalsAsync();

        var page = await client.GetAsync(GoalsUrl);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var items = page.Document.QuerySelectorAll("ol.goal-list > li").ToList();
        Assert.Equal(ranked.Select(g => g.Rank.ToString()), items.Select(i => i.QuerySelector(".rank-badge")?.TextContent.Trim()));
        Assert.Equal(ranked.Select(g => g.Title), items.Select(i => i.QuerySelector("h2")?.TextContent.Trim()));
        Assert.Contains("Launch a partner app marketplace", page.Document.QuerySelector("ul.list-group")?.TextContent);
        Assert.Empty(page.Document.QuerySelectorAll($"form[action$='/move'], a[href='{CreateUrl}']")); // read-only for a team member
    }

    [Fact]
    public async Task Creating_a_goal_at_rank_2_shifts_the_others_down_keeping_ranks_unique_and_contiguous()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var before = await factory.RankedGoalsAsync();
        var title = Demo.UniqueTitle("Halve churn of small accounts");

        var save = await client.PostFormAsync(CreateUrl, CreateUrl, GoalFields(title, "MidTerm", rank: "2", metric: "Logo churn, monthly"));

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal(GoalsUrl, save.LocationPath);
        var after = await factory.RankedGoalsAsync();
        var created = Assert.Single(after, g => g.Title == title);
        Assert.Equal(2, created.Rank);
        Assert.Equal(GoalStatus.Active, created.Status);
        Assert.Equal("Logo churn, monthly", created.SuccessMetric);
        Assert.Equal(GoalHorizon.MidTerm, created.Horizon);
        Assert.Equal(3, after.Single(g => g.Id == before[1].Id).Rank);
        Assert.Equal(1, after.Single(g => g.Id == before[0].Id).Rank);
        await AssertRanksContiguousAsync(before.Count + 1);
        var list = await client.GetAsync(GoalsUrl);
        Assert.Equal(title, list.Document.QuerySelectorAll("ol.goal-list > li h2")[1].TextContent.Trim());
        Assert.Contains($"Goal “{title}” added.", list.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_goal_created_without_a_rank_goes_last_and_protected_fields_cannot_be_posted()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var before = await factory.RankedGoalsAsync();
        var title = Demo.UniqueTitle("Be the easiest tool to leave");
        var fields = GoalFields(title, "LongTerm");
        fields.AddRange([new("Id", "1"), new("Status", "Retired"), new("Version", "999"), new("RetiredAt", "2020-01-01"), new("GoalRankingRevision", "0")]);

        var save = await client.PostFormAsync(CreateUrl, CreateUrl, fields);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var created = (await factory.GoalsAsync()).Single(g => g.Title == title);
        Assert.Equal(before.Count + 1, created.Rank);
        Assert.NotEqual(1, created.Id);
        Assert.Null(created.RetiredAt);
        Assert.Equal(Demo.ProductId, created.ProductId);
        Assert.Equal(GoalStatus.Active, created.Status);
        Assert.NotEqual(999, created.Version);
        await AssertRanksContiguousAsync(before.Count + 1);
    }

    public static TheoryData<string, string?, string?, string, string> InvalidCreations => new()
    {
        // Title ("{unique}" = a fresh valid title), Horizon (null = not posted), Rank (null = not posted) → field, message (part)
        { string.Empty, "MidTerm", null, "Title", "Give the goal a title." },
        { "   ", "MidTerm", null, "Title", "Give the goal a title." },
        { new string('x', 201), "MidTerm", null, "Title", "The title must be at most 200 characters." },
        { "Bell\u0007 in the title", "MidTerm", null, "Title", "not allowed" },
        { "{unique}", "99", null, "Horizon", string.Empty },
        { "{unique}", null, null, "Horizon", "Choose a horizon." },
        { "{unique}", string.Empty, null, "Horizon", "Choose a horizon." },
        { "{unique}", "ShortTerm", "0", "Rank", "Rank must be a whole number from 1 up." },
        { "{unique}", "ShortTerm", "-5", "Rank", "Rank must be a whole number from 1 up." },
        { "{unique}", "ShortTerm", "99", "Rank", "Rank must be between 1 and" },
    };

    [Theory]
    [MemberData(nameof(InvalidCreations))]
    public async Task Invalid_input_is_refused_beside_the_field_with_the_input_kept_and_nothing_saved(string title, string? horizon, string? rank, string field, string message)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var before = await factory.GoalsFingerprintAsync();
        var typedTitle = title == "{unique}" ? Demo.UniqueTitle("Kept title") : title;
        var metric = Demo.UniqueTitle("Kept metric");

        var page = await client.PostFormAsync(CreateUrl, CreateUrl, GoalFields(typedTitle, horizon, rank, metric));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.NotEqual(string.Empty, page.FieldError(field));
        Assert.Contains(message, page.FieldError(field), StringComparison.Ordinal);
        Assert.Equal(typedTitle, page.InputValue("Title"));
        Assert.Equal(metric, page.InputValue("SuccessMetric"));
        if (rank is not null)
        {
            Assert.Equal(rank, page.InputValue("Rank"));
            Assert.Equal(horizon, page.InputValue("Horizon"));
        }

        Assert.Equal(before, await factory.GoalsFingerprintAsync());
    }

    public static TheoryData<string, string> BadInputCorpus => new()
    {
        { "Title", "bell\u0007 and escape\u001B" },
        { "Title", "\u202Eright-to-left override" },
        { "Title", "zero\u200Bwidth\u200Djoiner" },
        { "Title", "emoji 🚀👩‍👩‍👧" },
        { "Title", "<script>alert(1)</script>" },
        { "Title", "\"><img src=x onerror=alert(1)>" },
        { "Title", "' OR 1=1; DROP TABLE Goals; --" },
        { "Title", new string('w', 10_000) },
        { "Title", "line\r\nbreak" },
        { "Description", "</textarea><script>alert(1)</script>" },
        { "Description", new string('d', 100_000) },
        { "SuccessMetric", "\uFFFF\uFFFE not characters" },
        { "SuccessMetric", new string('m', 501) },
        { "Horizon", "0" },
        { "Horizon", "-1" },
        { "Horizon", "2147483648" },
        { "Horizon", "ShortTerm,LongTerm" },
        { "Horizon", "NaN" },
        { "Rank", "1e309" },
        { "Rank", "2147483648" },
        { "Rank", "-2147483649" },
        { "Rank", "NaN" },
        { "Rank", "1001" },
    };

    [Theory]
    [MemberData(nameof(BadInputCorpus))]
    public async Task Bad_input_never_causes_a_server_error_and_never_renders_script(string field, string value)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var fields = new Dictionary<string, string>
        {
            ["Title"] = Demo.UniqueTitle("Corpus"),
            ["Description"] = "Valid description",
            ["SuccessMetric"] = "Valid metric",
            ["Horizon"] = "MidTerm",
        };
        fields[field] = field == "Title" && value.Length < 150 ? value + " " + Guid.NewGuid().ToString("N")[..6] : value;

        var page = await client.PostFormAsync(CreateUrl, CreateUrl, fields);

        Assert.True(page.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest, $"status {(int)page.StatusCode}");
        if (page.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            Assert.Contains(page.Document.QuerySelectorAll("[data-valmsg-for], .validation-summary-errors"), e => e.TextContent.Trim().Length > 0);
            Assert.Equal(fields["Title"].Replace("\r\n", "\n", StringComparison.Ordinal), page.InputValue("Title")?.Replace("\r\n", "\n", StringComparison.Ordinal));
        }

        foreach (var url in new[] { GoalsUrl, "/" })
        {
            var shown = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
            Assert.All(shown.Document.QuerySelectorAll("script"), e => Assert.NotNull(e.GetAttribute("src")));
            Assert.All(shown.Document.QuerySelectorAll("*"), e => Assert.DoesNotContain(e.Attributes, a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
            Assert.All(shown.Document.QuerySelectorAll("img"), e => Assert.StartsWith("/", e.GetAttribute("src")));
        }
    }

    [Theory]
    [InlineData("/account/login", "Password")]
    [InlineData(CreateUrl, "Title")]
    [InlineData(CreateUrl, "SuccessMetric")]
    [InlineData("/products/1/vision/edit", "Text")]
    public async Task A_nul_character_in_a_form_gets_a_4xx_answer_not_a_500(string url, string field)
    {
        using var client = url.StartsWith("/account", StringComparison.Ordinal) ? new TestClient(factory) : await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var before = await factory.GoalsFingerprintAsync();
        var fields = new Dictionary<string, string> { ["Email"] = Demo.ProductManager, ["Title"] = Demo.UniqueTitle("NUL"), ["Horizon"] = "MidTerm", ["BaseVersion"] = "1" };
        fields[field] = "NUL\0inside";

        var page = await client.PostFormAsync(url, url, fields);

        Assert.True((int)page.StatusCode is >= 400 and < 500, $"status {(int)page.StatusCode}");
        Assert.DoesNotContain("Something went wrong on our side", page.Text, StringComparison.Ordinal);
        Assert.Equal(before, await factory.GoalsFingerprintAsync());
    }

    [Fact]
    public async Task A_rank_that_is_not_a_number_is_refused_beside_the_field()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var before = await factory.GoalsFingerprintAsync();
        var title = Demo.UniqueTitle("Goal with a rank typo");

        var page = await client.PostFormAsync(CreateUrl, CreateUrl, GoalFields(title, "ShortTerm", rank: "second"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.NotEqual(string.Empty, page.FieldError("Rank"));
        Assert.Equal("second", page.InputValue("Rank"));
        Assert.Equal(before, await factory.GoalsFingerprintAsync());
    }

    [Fact]
    public async Task A_duplicate_title_is_refused_beside_the_title_on_create_and_on_edit()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var ranked = await factory.RankedGoalsAsync();
        var before = await factory.GoalsFingerprintAsync();
        var existing = ranked[0].Title.ToUpperInvariant();

        var create = await client.PostFormAsync(CreateUrl, CreateUrl, GoalFields("  " + existing + " ", "ShortTerm"));
        var form = await OpenEditorAsync(client, ranked[1].Id);
        form["Title"] = existing;
        var edit = await client.PostWithTokenAsync(EditUrl(ranked[1].Id), form[TestClient.TokenField], Without(form, TestClient.TokenField));

        foreach (var page in new[] { create, edit })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
            Assert.Equal("Another goal of this product already has this title.", page.FieldError("Title"));
            Assert.Contains(existing, page.InputValue("Title"), StringComparison.Ordinal);
        }

        Assert.Equal(before, await factory.GoalsFingerprintAsync());
    }

    [Fact]
    public async Task Editing_a_goal_saves_it_and_bumps_its_version()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goal = (await factory.RankedGoalsAsync())[2];
        var form = await OpenEditorAsync(client, goal.Id);
        Assert.Equal(goal.Version.ToString(CultureInfo.InvariantCulture), form["Version"]);
        var title = Demo.UniqueTitle("Edited goal");
        form["Title"] = title;
        form["SuccessMetric"] = "A new metric";
        form["Horizon"] = "LongTerm";
        form["Description"] = "Line one\nLine two";

        var save = await client.PostWithTokenAsync(EditUrl(goal.Id), form[TestClient.TokenField], Without(form, TestClient.TokenField));

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal($"{GoalsUrl}/{goal.Id}", save.LocationPath);
        var saved = await factory.GoalAsync(goal.Id);
        Assert.Equal(title, saved.Title);
        Assert.Equal("A new metric", saved.SuccessMetric);
        Assert.Equal(GoalHorizon.LongTerm, saved.Horizon);
        Assert.Equal("Line one\nLine two", saved.Description?.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal(goal.Rank, saved.Rank);
        Assert.Equal(goal.Version + 1, saved.Version);
        var details = await client.GetAsync(save.LocationPath!);
        Assert.Equal(title, details.Document.QuerySelector("h1")?.TextContent.Trim());
        Assert.Contains("Goal saved.", details.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_edits_are_refused_beside_the_field_and_save_nothing()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goal = (await factory.RankedGoalsAsync())[0];
        var before = await factory.GoalsFingerprintAsync();
        var form = await OpenEditorAsync(client, goal.Id);
        form["Title"] = string.Empty;
        form["Horizon"] = "7";
        form["Description"] = new string('d', 4001);

        var page = await client.PostWithTokenAsync(EditUrl(goal.Id), form[TestClient.TokenField], Without(form, TestClient.TokenField));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Equal("Give the goal a title.", page.FieldError("Title"));
        Assert.NotEqual(string.Empty, page.FieldError("Horizon"));
        Assert.Contains("4,000", page.FieldError("Description"), StringComparison.Ordinal);
        Assert.Equal(4001, page.InputValue("Description")?.Length);
        Assert.Equal(before, await factory.GoalsFingerprintAsync());
    }

    [Fact]
    public async Task A_stale_edit_shows_the_other_editors_values_keeps_the_typed_title_and_changes_nothing()
    {
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var goal = (await factory.RankedGoalsAsync())[1];
        var pmForm = await OpenEditorAsync(pm, goal.Id);
        var adminForm = await OpenEditorAsync(admin, goal.Id);
        var adminTitle = Demo.UniqueTitle("Admin's title");
        adminForm["Title"] = adminTitle;
        adminForm["SuccessMetric"] = "Admin's metric";
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostWithTokenAsync(EditUrl(goal.Id), adminForm[TestClient.TokenField], Without(adminForm, TestClient.TokenField))).StatusCode);
        var stored = await factory.GoalAsync(goal.Id);
        var typed = Demo.UniqueTitle("PM's title");
        pmForm["Title"] = typed;

        var page = await pm.PostWithTokenAsync(EditUrl(goal.Id), pmForm[TestClient.TokenField], Without(pmForm, TestClient.TokenField));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        var notice = page.Document.QuerySelector(".alert-warning")?.TextContent ?? string.Empty;
        Assert.Contains($"{Demo.DisplayName(Demo.Admin)} changed this", notice, StringComparison.Ordinal);
        Assert.Contains(adminTitle, notice, StringComparison.Ordinal);
        Assert.Contains("Admin's metric", notice, StringComparison.Ordinal);
        Assert.Equal(typed, page.InputValue("Title"));
        var after = await factory.GoalAsync(goal.Id);
        Assert.Equal(adminTitle, after.Title);
        Assert.Equal(stored.Version, after.Version);

        // The form now carries the stored version: saving again on purpose replaces the admin's values.
        Assert.Equal(stored.Version.ToString(CultureInfo.InvariantCulture), page.InputValue("Version"));
        var again = HtmlForms.Form(page.Document, EditUrl(goal.Id));
        var resave = await pm.PostWithTokenAsync(EditUrl(goal.Id), again[TestClient.TokenField], Without(again, TestClient.TokenField));
        Assert.Equal(HttpStatusCode.Redirect, resave.StatusCode);
        Assert.Equal(typed, (await factory.GoalAsync(goal.Id)).Title);
    }

    [Fact]
    public async Task Moving_a_goal_up_and_down_re_ranks_the_list()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var before = await factory.RankedGoalsAsync();
        var goal = before[2];

        var up = await SubmitMoveFormAsync(client, goal.Id, newRank: 2);

        Assert.Equal(HttpStatusCode.Redirect, up.StatusCode);
        Assert.Equal(GoalsUrl, up.LocationPath);
        var afterUp = await factory.RankedGoalsAsync();
        Assert.Equal(2, afterUp.Single(g => g.Id == goal.Id).Rank);
        Assert.Equal(3, afterUp.Single(g => g.Id == before[1].Id).Rank);
        await AssertRanksContiguousAsync(before.Count);

        var down = await SubmitMoveFormAsync(client, goal.Id, newRank: 3);

        Assert.Equal(HttpStatusCode.Redirect, down.StatusCode);
        Assert.Equal(before.Select(g => g.Id), (await factory.RankedGoalsAsync()).Select(g => g.Id));
        await AssertRanksContiguousAsync(before.Count);
    }

    [Fact]
    public async Task A_move_posted_from_a_stale_list_is_refused_and_the_ranking_stays()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var ranked = await factory.RankedGoalsAsync();
        var staleList = await client.GetAsync(GoalsUrl);
        var staleForm = MoveForm(staleList, ranked[0].Id, newRank: 2);
        Assert.Equal(HttpStatusCode.Redirect, (await SubmitMoveFormAsync(client, ranked[3].Id, newRank: 3)).StatusCode);
        var ranking = (await factory.RankedGoalsAsync()).Select(g => (g.Id, g.Rank)).ToList();

        var page = await client.PostWithTokenAsync($"{GoalsUrl}/{ranked[0].Id}/move", staleForm[TestClient.TokenField], Without(staleForm, TestClient.TokenField));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains("ranking changed", page.Document.QuerySelector(".alert-danger")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(ranking, (await factory.RankedGoalsAsync()).Select(g => (g.Id, g.Rank)).ToList());
        Assert.NotEmpty(page.Document.QuerySelectorAll("ol.goal-list > li")); // the list is shown again, reloaded
    }

    [Theory]
    [InlineData("0")]
    [InlineData("99")]
    [InlineData("abc")]
    public async Task A_move_to_an_impossible_rank_is_refused_and_the_ranking_stays(string newRank)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goal = (await factory.RankedGoalsAsync())[0];
        var before = await factory.GoalsFingerprintAsync();
        var form = MoveForm(await client.GetAsync(GoalsUrl), goal.Id, newRank: 2);
        form["NewRank"] = newRank;

        var page = await client.PostWithTokenAsync($"{GoalsUrl}/{goal.Id}/move", form[TestClient.TokenField], Without(form, TestClient.TokenField));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Matches("Rank must be|not a valid value", page.Document.QuerySelector(".alert-danger")?.TextContent ?? string.Empty);
        Assert.Equal(before, await factory.GoalsFingerprintAsync());
    }

    [Theory]
    [InlineData(Demo.Executive)]
    [InlineData(Demo.Member)]
    public async Task Readers_cannot_create_edit_or_move_goals(string email)
    {
        using var client = await TestClient.SignedInAsync(factory, email);
        var goal = (await factory.RankedGoalsAsync())[1];
        var before = await factory.GoalsFingerprintAsync();
        var product = await factory.QueryAsync(db => db.Products.AsNoTracking().SingleAsync(p => p.Id == Demo.ProductId));
        var token = await client.GetTokenAsync(GoalsUrl);

        var pages = new[]
        {
            await client.GetAsync(CreateUrl),
            await client.GetAsync(EditUrl(goal.Id)),
            await client.PostWithTokenAsync(CreateUrl, token, GoalFields(Demo.UniqueTitle("Sneaky goal"), "ShortTerm", rank: "1")),
            await client.PostWithTokenAsync(EditUrl(goal.Id), token, [new("Title", Demo.UniqueTitle("Sneaky edit")), new("Horizon", "ShortTerm"), new("Version", goal.Version.ToString(CultureInfo.InvariantCulture))]),
            await client.PostWithTokenAsync($"{GoalsUrl}/{goal.Id}/move", token, [new("NewRank", "1"), new("ProductVersion", product.Version.ToString(CultureInfo.InvariantCulture))]),
        };

        Assert.All(pages, p => Assert.Equal(HttpStatusCode.Forbidden, p.StatusCode));
        Assert.Equal(before, await factory.GoalsFingerprintAsync());
    }

    [Fact]
    public async Task Over_posted_fields_on_edit_change_nothing_but_the_form_fields()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var ranked = await factory.RankedGoalsAsync();
        var goal = ranked[^1];
        var other = ranked[0];
        var form = await OpenEditorAsync(client, goal.Id);
        var title = Demo.UniqueTitle("Over-posted");
        form["Title"] = title;
        var fields = Without(form, TestClient.TokenField);
        fields.AddRange([new("Id", other.Id.ToString(CultureInfo.InvariantCulture)), new("Rank", "1"), new("Status", "Retired"),
            new("RetiredAt", "2020-01-01"), new("RetirementReason", "over-posted"), new("Version", "999")]);

        var save = await client.PostWithTokenAsync(EditUrl(goal.Id), form[TestClient.TokenField], fields);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var saved = await factory.GoalAsync(goal.Id);
        Assert.Equal(title, saved.Title);
        Assert.Equal(Demo.ProductId, saved.ProductId);
        Assert.Equal(goal.Rank, saved.Rank);
        Assert.Equal(GoalStatus.Active, saved.Status);
        Assert.Null(saved.RetiredAt);
        Assert.Null(saved.RetirementReason);
        Assert.Equal(goal.Version + 1, saved.Version);
        var untouched = await factory.GoalAsync(other.Id);
        Assert.Equal((other.Title, other.Rank, other.Version), (untouched.Title, untouched.Rank, untouched.Version));

        // A forged version number is not stored either: it is a stale save.
        var fingerprint = await factory.GoalsFingerprintAsync();
        var forged = await OpenEditorAsync(client, goal.Id);
        forged["Title"] = Demo.UniqueTitle("Forged version");
        forged["Version"] = "999";
        var page = await client.PostWithTokenAsync(EditUrl(goal.Id), forged[TestClient.TokenField], Without(forged, TestClient.TokenField));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Equal(fingerprint, await factory.GoalsFingerprintAsync());
    }

    [Fact]
    public async Task Goals_of_another_product_cannot_be_reached_through_this_product_or_edited_by_its_manager()
    {
        var (otherProductId, otherGoalId) = await factory.QueryAsync(async db =>
        {
            var product = new Product(Demo.UniqueTitle("Other product"), null, DateTimeOffset.UtcNow);
            var goal = product.AddGoal("Goal of another product", null, null, GoalHorizon.ShortTerm);
            db.Products.Add(product);
            await db.SaveChangesAsync();
            return (product.Id, goal.Id);
        });
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var token = await pm.GetTokenAsync(GoalsUrl);
        var before = await factory.GoalsFingerprintAsync(otherProductId);
        var edit = new List<KeyValuePair<string, string>> { new("Title", "Hijacked"), new("Horizon", "ShortTerm"), new("Version", "0") };

        Assert.Equal(HttpStatusCode.NotFound, (await pm.GetAsync($"{GoalsUrl}/{otherGoalId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pm.GetAsync($"{GoalsUrl}/{otherGoalId}/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pm.PostWithTokenAsync(EditUrl(otherGoalId), token, edit)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pm.GetAsync($"/products/{otherProductId}/goals/{otherGoalId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pm.GetAsync($"/products/{otherProductId}/goals/{otherGoalId}/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pm.PostWithTokenAsync($"/products/{otherProductId}/goals/{otherGoalId}/edit", token, edit)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pm.GetAsync($"{GoalsUrl}/99999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pm.GetAsync("/products/99999/goals")).StatusCode);
        Assert.Equal(before, await factory.GoalsFingerprintAsync(otherProductId));
    }

    [Fact]
    public async Task Posted_route_ids_cannot_redirect_a_write_to_another_product_or_goal()
    {
        var (otherProductId, otherGoalId) = await factory.QueryAsync(async db =>
        {
            var product = new Product(Demo.UniqueTitle("Second product"), null, DateTimeOffset.UtcNow);
            var goal = product.AddGoal("Goal of the second product", null, null, GoalHorizon.ShortTerm);
            db.Products.Add(product);
            await db.SaveChangesAsync();
            return (product.Id, goal.Id);
        });
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var otherBefore = await factory.GoalsFingerprintAsync(otherProductId);
        var ranked = await factory.RankedGoalsAsync();
        var target = ranked[^1];
        var bystander = ranked[0];
        var title = Demo.UniqueTitle("Created through product 1");

        var create = await admin.PostFormAsync(CreateUrl, CreateUrl, [.. GoalFields(title, "ShortTerm"), new("ProductId", otherProductId.ToString(CultureInfo.InvariantCulture))]);
        var form = await OpenEditorAsync(admin, target.Id);
        var editedTitle = Demo.UniqueTitle("Edited through goal URL");
        form["Title"] = editedTitle;
        var edit = await admin.PostWithTokenAsync(EditUrl(target.Id), form[TestClient.TokenField],
            [.. Without(form, TestClient.TokenField), new("GoalId", bystander.Id.ToString(CultureInfo.InvariantCulture)), new("ProductId", otherProductId.ToString(CultureInfo.InvariantCulture))]);

        Assert.Equal(HttpStatusCode.Redirect, create.StatusCode);
        Assert.Equal(Demo.ProductId, (await factory.QueryAsync(db => db.Goals.AsNoTracking().SingleAsync(g => g.Title == title))).ProductId);
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        Assert.Equal($"{GoalsUrl}/{target.Id}", edit.LocationPath);
        Assert.Equal(editedTitle, (await factory.GoalAsync(target.Id)).Title);
        Assert.Equal(bystander.Title, (await factory.GoalAsync(bystander.Id)).Title);
        Assert.Equal(otherBefore, await factory.GoalsFingerprintAsync(otherProductId));
        Assert.Equal("Goal of the second product", (await factory.GoalAsync(otherGoalId)).Title);
    }

    private static string EditUrl(int goalId) => $"{GoalsUrl}/{goalId}/edit";

    private static List<KeyValuePair<string, string>> GoalFields(string title, string? horizon, string? rank = null, string? metric = null)
    {
        var fields = new List<KeyValuePair<string, string>> { new("Title", title), new("Description", "Why this matters."), new("SuccessMetric", metric ?? "A metric") };
        if (horizon is not null)
        {
            fields.Add(new("Horizon", horizon));
        }

        if (rank is not null)
        {
            fields.Add(new("Rank", rank));
        }

        return fields;
    }

    private static async Task<Dictionary<string, string>> OpenEditorAsync(TestClient client, int goalId)
    {
        var page = await client.GetAsync(EditUrl(goalId));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return HtmlForms.Form(page.Document, EditUrl(goalId));
    }

    private static Dictionary<string, string> MoveForm(Page list, int goalId, int newRank)
    {
        var form = list.Document.QuerySelectorAll($"form[action='{GoalsUrl}/{goalId}/move']")
            .Select(HtmlForms.FieldsOf)
            .Select(f => f.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value))
            .FirstOrDefault(f => f["NewRank"] == newRank.ToString(CultureInfo.InvariantCulture));
        return form ?? throw new InvalidOperationException($"No move form to rank {newRank} for goal {goalId}.");
    }

    private async Task<Page> SubmitMoveFormAsync(TestClient client, int goalId, int newRank)
    {
        var form = MoveForm(await client.GetAsync(GoalsUrl), goalId, newRank);
        return await client.PostWithTokenAsync($"{GoalsUrl}/{goalId}/move", form[TestClient.TokenField], Without(form, TestClient.TokenField));
    }

    private async Task AssertRanksContiguousAsync(int expectedCount)
    {
        var goals = await factory.GoalsAsync();
        var ranks = goals.Where(g => g.Status == GoalStatus.Active).Select(g => g.Rank).OrderBy(r => r).ToList();
        Assert.Equal(Enumerable.Range(1, expectedCount).Select(r => (int?)r), ranks);
        Assert.All(goals.Where(g => g.Status != GoalStatus.Active), g => Assert.Null(g.Rank));
    }

    private static List<KeyValuePair<string, string>> Without(Dictionary<string, string> form, string field) =>
        form.Where(f => f.Key != field).ToList();
}
