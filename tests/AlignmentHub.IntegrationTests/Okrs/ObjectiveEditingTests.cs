using System.Net;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;
using AlignmentHub.Domain.Strategy;
using AlignmentHub.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using static AlignmentHub.IntegrationTests.Okrs.ObjectiveEditingData;

namespace AlignmentHub.IntegrationTests.Okrs;

/// <summary>
/// Changing objectives: create and edit with key results in one form (rows added and removed without JavaScript),
/// move a key result, carry over, close; validation beside the right row, conflicts, permissions, over-posting, audit.
/// </summary>
/// <remarks>Every test that changes an objective arranges its own, so the tests do not depend on each other or on the demo OKRs.</remarks>
public sealed class ObjectiveEditingTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    private const string NewUrl = "/okrs/objectives/new";

    // ------------------------------------------------------------------ create

    [Fact]
    public async Task Creating_an_objective_with_two_key_results_of_different_kinds_saves_them_and_audits_it()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var teamId = await factory.TeamIdAsync("Onboarding");
        var goalId = await factory.GoalIdAsync(2);
        var ownerId = await factory.QueryAsync(db => db.Users.Where(u => u.Email == "jonas@alignmenthub.demo").Select(u => u.Id).SingleAsync());
        var title = Demo.UniqueTitle("Activate every new account");
        var audit = await factory.MaxAuditIdAsync();
        var fields = ObjectiveFields(title, teamId, CurrentKey, goalId);
        fields.Set("Description", "Two kinds of key result.").Set("OwnerId", ownerId).Set("Weight", "1.5");
        fields.AddRange(Row(0, "Accounts active in week one", "Percent", "Increase", "30", "45", weight: "2", cadence: "7", metricName: "Week-one activation"));
        fields.AddRange(Row(1, "Support cost per new account", "Currency", "Decrease", "12.5", "9.75", currency: "eur"));

        var save = await client.PostFormAsync(NewUrl, NewUrl, fields);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var saved = await factory.ObjectiveByTitleAsync(title) ?? throw new InvalidOperationException("Not saved.");
        Assert.Equal($"/okrs/objectives/{saved.Id}", save.LocationPath);
        Assert.Equal((teamId, await factory.PeriodIdAsync(CurrentKey), goalId, (int?)null, ownerId, 1.5m, ObjectiveStatus.Active, "Two kinds of key result."),
            (saved.TeamId, saved.PeriodId, saved.GoalId, saved.ParentObjectiveId, saved.OwnerId, saved.Weight, saved.Status, saved.Description));
        var krs = saved.KeyResults.OrderBy(k => k.Id).ToList();
        Assert.Equal(2, krs.Count);
        Assert.Equal(("Accounts active in week one", MetricType.Percent, MetricDirection.Increase, 30m, 45m, "%", 2m, 7, "Week-one activation"),
            (krs[0].Title, krs[0].MetricType, krs[0].Direction, krs[0].Baseline, krs[0].Target, krs[0].Unit, krs[0].Weight, krs[0].CadenceDays, krs[0].MetricName));
        Assert.Equal(("Support cost per new account", MetricType.Currency, MetricDirection.Decrease, 12.5m, 9.75m, "EUR", 1m, 14),
            (krs[1].Title, krs[1].MetricType, krs[1].Direction, krs[1].Baseline, krs[1].Target, krs[1].CurrencyCode, krs[1].Weight, krs[1].CadenceDays));
        Assert.All(krs, k => Assert.Equal(KeyResultStatus.Active, k.Status));

        var rows = await factory.AuditAfterAsync(audit);
        Assert.Single(rows, a => a.EntityType == "Objective" && a.Action == "Created" && a.EntityId == saved.Id.Invariant());
        Assert.Equal(2, rows.Count(a => a.EntityType == "KeyResult" && a.Action == "Created"));
        Assert.All(rows, a => Assert.Equal(Demo.Member, a.UserName));
        Assert.Contains($"Objective “{title}” created with 2 key results.", (await client.GetAsync("/")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_new_objective_form_offers_a_member_only_their_team_and_refuses_someone_elses()
    {
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        var onboarding = await factory.TeamIdAsync("Onboarding");
        var platform = await factory.TeamIdAsync("Platform");

        var form = await member.GetAsync($"{NewUrl}?team={onboarding}&period={NextKey}");
        var foreign = await member.GetAsync($"{NewUrl}?team={platform}");

        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal([onboarding.Invariant()], form.Document.QuerySelectorAll("select[name='TeamId'] option").Select(o => o.GetAttribute("value")));
        Assert.Equal(NextKey, form.InputValue("Period"));
        Assert.Equal("Goal", form.Document.QuerySelector("input[name='AlignTo'][checked]")?.GetAttribute("value"));
        Assert.NotNull(form.Document.QuerySelector("input[name='KeyResults[0].Title']"));
        Assert.Equal("14", form.InputValue("KeyResults[0].CadenceDays"));
        var template = Assert.IsAssignableFrom<AngleSharp.Html.Dom.IHtmlTemplateElement>(form.Document.QuerySelector("template#kr-row-template"));
        Assert.NotNull(template.Content.QuerySelector("input[name='KeyResults[__index__].Title']"));
        Assert.Contains(form.Document.QuerySelectorAll("script"), s => s.GetAttribute("src")?.StartsWith("/js/objective-form.js", StringComparison.Ordinal) == true);
        Assert.All(form.Document.QuerySelectorAll("script"), s => Assert.NotNull(s.GetAttribute("src")));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
    }

    [Fact]
    public async Task A_period_that_does_not_exist_yet_is_created_with_the_objective()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var title = Demo.UniqueTitle("Far future objective");
        var fields = ObjectiveFields(title, await factory.TeamIdAsync("Insights"), "2031-q2", await factory.GoalIdAsync(1));
        fields.AddRange(Row(0, "Launched", "Milestone", baseline: null, target: null));

        var save = await client.PostFormAsync(NewUrl, NewUrl, fields);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var saved = await factory.ObjectiveByTitleAsync(title);
        Assert.Equal(await factory.PeriodIdAsync("2031-Q2"), saved!.PeriodId);
        var kr = Assert.Single(saved.KeyResults);
        Assert.Equal((MetricType.Milestone, MetricDirection.Increase, 0m, 1m), (kr.MetricType, kr.Direction, kr.Baseline, kr.Target));
    }

    // ------------------------------------------------------------------ rows without JavaScript

    [Fact]
    public async Task Add_and_remove_buttons_without_javascript_show_the_form_again_with_one_row_more_or_less_and_save_nothing()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var before = await factory.OkrFingerprintAsync();
        var title = Demo.UniqueTitle("Rows round trip");
        var fields = ObjectiveFields(title, await factory.TeamIdAsync("Onboarding"), CurrentKey, await factory.GoalIdAsync(2));
        fields.AddRange(Row(0, "First", "Number", "Increase", "1", "2"));

        var added = await client.PostFormAsync(NewUrl, NewUrl, [.. fields, new("formAction", "add")]);

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(title, added.InputValue("Title"));
        Assert.Equal("First", added.InputValue("KeyResults[0].Title"));
        Assert.Equal(string.Empty, added.InputValue("KeyResults[1].Title"));
        Assert.Equal("Number", added.InputValue("KeyResults[1].MetricType"));
        Assert.Equal("14", added.InputValue("KeyResults[1].CadenceDays"));
        Assert.Null(added.Document.QuerySelector("input[name='KeyResults[2].Title']"));
        Assert.DoesNotContain(added.Document.QuerySelectorAll(".field-validation-error"), e => e.TextContent.Trim().Length > 0);
        Assert.Equal("remove:1", added.Document.QuerySelectorAll("button[name='formAction'][value^='remove:']").Last().GetAttribute("value"));

        // Three rows, the second with a value that is not a number: removing the first moves the others up, as typed.
        var (token, three) = HtmlForms.FormOf(added, NewUrl);
        three.Set("KeyResults[1].Title", "Second").Set("KeyResults[1].Baseline", "abc");
        three.AddRange(Row(2, "Third", "Boolean", baseline: null, target: null));
        var removed = await client.PostWithTokenAsync(NewUrl, token, [.. three, new("formAction", "remove:0")]);

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(("Second", "abc", "Third", "Boolean"), (removed.InputValue("KeyResults[0].Title"), removed.InputValue("KeyResults[0].Baseline"),
            removed.InputValue("KeyResults[1].Title"), removed.InputValue("KeyResults[1].MetricType")));
        Assert.Null(removed.Document.QuerySelector("input[name='KeyResults[2].Title']"));
        Assert.Equal(string.Empty, removed.FieldError("KeyResults[0].Baseline"));

        // The last row cannot go.
        var last = await client.PostWithTokenAsync(NewUrl, token, [.. fields, new("formAction", "remove:0")]);
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Contains("at least one key result", last.FieldError("KeyResults"), StringComparison.Ordinal);
        Assert.Equal("First", last.InputValue("KeyResults[0].Title"));

        Assert.Equal(before, await factory.OkrFingerprintAsync());
        Assert.Null(await factory.ObjectiveByTitleAsync(title));
    }

    [Fact]
    public async Task Adding_a_sixth_row_is_refused_and_the_add_button_is_disabled_at_five()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var fields = ObjectiveFields(Demo.UniqueTitle("Five rows"), await factory.TeamIdAsync("Growth"), CurrentKey, await factory.GoalIdAsync(1));
        for (var i = 0; i < 5; i++)
        {
            fields.AddRange(Row(i, $"KR {i + 1}"));
        }

        var page = await client.PostFormAsync(NewUrl, NewUrl, [.. fields, new("formAction", "add")]);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("at most 5", page.FieldError("KeyResults"), StringComparison.Ordinal);
        Assert.NotNull(page.Document.QuerySelector("button[data-kr-add][disabled]"));
        Assert.Null(page.Document.QuerySelector("input[name='KeyResults[5].Title']"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public async Task An_objective_needs_one_to_five_key_results(int rows)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var before = await factory.OkrFingerprintAsync();
        var title = Demo.UniqueTitle("Wrong number of rows");
        var fields = ObjectiveFields(title, await factory.TeamIdAsync("Growth"), CurrentKey, await factory.GoalIdAsync(1));
        for (var i = 0; i < rows; i++)
        {
            fields.AddRange(Row(i, $"KR {i + 1}"));
        }

        var page = await client.PostFormAsync(NewUrl, NewUrl, fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Equal("An objective needs between 1 and 5 key results.", page.FieldError("KeyResults"));
        Assert.Equal(title, page.InputValue("Title"));
        Assert.Equal(before, await factory.OkrFingerprintAsync());
    }

    // ------------------------------------------------------------------ validation beside the right row

    public static TheoryData<string, string, string, string> BrokenRules => new()
    {
        // field of row 1 to change → value; the field and message expected beside row 1
        { "Target", "10", "KeyResults[1].Target", "The target must differ from the baseline." },
        { "Direction", "Decrease", "KeyResults[1].Target", "For a decreasing key result the target must be below the baseline." },
        { "Target", "5", "KeyResults[1].Target", "For an increasing key result the target must be above the baseline." },
        { "CurrencyCode", "EURO", "KeyResults[1].CurrencyCode", "Enter a three-letter ISO currency code, such as EUR or USD." },
        { "BandHigh", "1", "KeyResults[1].BandHigh", "The lower bound must not be above the upper bound." },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task A_broken_key_result_rule_is_shown_beside_that_rows_field_with_everything_kept(string field, string value, string expectedField, string message)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var before = await factory.OkrFingerprintAsync();
        var title = Demo.UniqueTitle("Rules beside rows");
        var fields = ObjectiveFields(title, await factory.TeamIdAsync("Onboarding"), CurrentKey, await factory.GoalIdAsync(2));
        fields.AddRange(Row(0, "Fine row", "Number", "Decrease", "10", "5"));
        var type = field == "CurrencyCode" ? "Currency" : "Number";
        var direction = field == "BandHigh" ? "StayWithin" : "Increase";
        fields.AddRange(Row(1, "Row with a problem", type, direction, "10", "20", currency: "EUR", bandLow: "5", bandHigh: "9"));
        fields.Set($"KeyResults[1].{field}", value);

        var page = await client.PostFormAsync(NewUrl, NewUrl, fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Equal(message, page.FieldError(expectedField));
        Assert.Equal(string.Empty, page.FieldError(expectedField.Replace("[1]", "[0]", StringComparison.Ordinal)));
        Assert.Equal("true", page.Document.QuerySelector($"[name='{expectedField}']")?.GetAttribute("aria-invalid"));
        Assert.Equal(value, page.InputValue($"KeyResults[1].{field}"));
        Assert.Equal("Row with a problem", page.InputValue("KeyResults[1].Title"));
        Assert.Equal(title, page.InputValue("Title"));
        Assert.Equal(before, await factory.OkrFingerprintAsync());
    }

    public static TheoryData<string, string> BadValues => new()
    {
        // field → posted value; always refused with a message, never a 500, nothing saved, the input kept
        { "KeyResults[0].MetricType", "99" },
        { "KeyResults[0].MetricType", "Horizon" },
        { "KeyResults[0].Direction", "99" },
        { "KeyResults[0].Direction", "0" },
        { "AlignTo", "7" },
        { "KeyResults[0].Baseline", "1e309" },
        { "KeyResults[0].Target", "abc" },
        { "KeyResults[0].Target", "1e13" },
        { "KeyResults[0].Target", "-1000000000001" },
        { "KeyResults[0].Target", "2.00001" },
        { "KeyResults[0].Weight", "NaN" },
        { "KeyResults[0].Weight", "0" },
        { "KeyResults[0].Weight", "101" },
        { "KeyResults[0].CadenceDays", "0" },
        { "KeyResults[0].CadenceDays", "366" },
        { "KeyResults[0].CadenceDays", "2147483648" },
        { "KeyResults[0].CadenceDays", "1.5" },
        { "Weight", "1e309" },
        { "Weight", "-1" },
        { "GoalId", "abc" },
        { "GoalId", "999999" },
        { "OwnerId", "no-such-user" },
        { "TeamId", "abc" },
        { "Period", "2027-Q9" },
        { "Period", "1999-Q1" },
        { "Period", "next quarter" },
        { "Title", "" },
        { "Title", "bell\u0007" },
        { "KeyResults[0].Title", "" },
        { "KeyResults[0].Title", "tab\tinside" },
        { "KeyResults[0].MetricName", "m\u001B" },
        { "KeyResults[0].Unit", "twenty-one characters" },
        { "KeyResults[0].KeyResultId", "abc" },
    };

    // A select cannot show a value it does not offer; a hidden field is not typed.
    private static readonly HashSet<string> SelectFields = ["AlignTo", "TeamId", "GoalId", "OwnerId", "KeyResults[0].MetricType", "KeyResults[0].Direction", "KeyResults[0].KeyResultId"];

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task Bad_values_are_refused_beside_the_field_with_the_input_kept_and_nothing_saved(string field, string value)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var before = await factory.OkrFingerprintAsync();
        var title = Demo.UniqueTitle("Bad value");
        var fields = ObjectiveFields(title, await factory.TeamIdAsync("Onboarding"), CurrentKey, await factory.GoalIdAsync(2));
        fields.AddRange(Row(0, "A key result", "Number", "Increase", "1", "2"));
        fields.Set(field, value);

        var page = await client.PostFormAsync(NewUrl, NewUrl, fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        var message = field.EndsWith(".KeyResultId", StringComparison.Ordinal)
            ? page.Document.QuerySelector(".validation-summary-errors")?.TextContent ?? string.Empty // hidden: said at the top
            : page.FieldError(field);
        Assert.True(message.Length > 0, $"no message beside {field}: {page.Document.QuerySelector(".validation-summary-errors")?.TextContent}");
        if (!SelectFields.Contains(field))
        {
            Assert.Equal(value, page.InputValue(field));
        }

        Assert.Equal(before, await factory.OkrFingerprintAsync());
    }

    public static TheoryData<string> NulFields => new()
    {
        "Title", "Description", "Period", "Weight", "GoalId", "KeyResults[0].Title", "KeyResults[0].Unit", "KeyResults[0].Baseline",
        "KeyResults[0].Target", "KeyResults[0].CadenceDays", "KeyResults[0].MetricType",
    };

    [Theory]
    [MemberData(nameof(NulFields))]
    public async Task A_nul_character_is_refused_beside_the_field_with_the_input_kept_never_a_server_error(string field)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var before = await factory.OkrFingerprintAsync();
        var title = Demo.UniqueTitle("NUL");
        var fields = ObjectiveFields(title, await factory.TeamIdAsync("Onboarding"), CurrentKey, await factory.GoalIdAsync(2));
        fields.AddRange(Row(0, "A key result", "Number", "Increase", "1", "2"));
        var typed = fields.Get(field) + "\0";
        fields.Set(field, typed);
        var token = await client.GetTokenAsync(NewUrl);

        // A browser posting multipart/form-data delivers the NUL ("5\0" would even read as the number 5): refused beside the field.
        var page = await PostMultipartAsync(client, NewUrl, token, fields);
        // URL-encoded, ASP.NET Core refuses to decode %00 at all: the whole form is unreadable, a plain 400.
        var encoded = await client.PostWithTokenAsync(NewUrl, token, fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.NotEqual(string.Empty, page.FieldError(field));
        Assert.Equal(title, field == "Title" ? title : page.InputValue("Title"));
        if (!SelectFields.Contains(field))
        {
            Assert.StartsWith(typed.TrimEnd('\0'), page.InputValue(field), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.BadRequest, encoded.StatusCode);
        Assert.DoesNotContain("Something went wrong on our side", encoded.Text, StringComparison.Ordinal);
        Assert.Equal(before, await factory.OkrFingerprintAsync());
    }

    [Fact]
    public async Task A_nul_character_in_the_score_of_the_close_form_is_refused()
    {
        var id = await factory.ArrangeObjectiveAsync("Growth", Demo.UniqueTitle("NUL score"), await factory.GoalIdAsync(1), null, [Increase("KR")]);
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var url = $"/okrs/objectives/{id}/close";
        var (token, form) = HtmlForms.FormOf(await admin.GetAsync(url), url);
        var before = await factory.OkrFingerprintAsync();

        var page = await PostMultipartAsync(admin, url, token, form.Set("Score", "0.5\0"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.NotEqual(string.Empty, page.FieldError("Score"));
        Assert.Equal(before, await factory.OkrFingerprintAsync());
    }

    // ------------------------------------------------------------------ edit

    [Fact]
    public async Task Editing_changes_a_row_retires_a_removed_one_adds_a_new_one_in_one_save()
    {
        var decreaseDefinition = new KeyResultDefinition("Tickets per account", MetricType.Number, MetricDirection.Decrease, 8m, 4m, Unit: "tickets");
        var id = await factory.ArrangeObjectiveAsync("Onboarding", Demo.UniqueTitle("Editable"), await factory.GoalIdAsync(2), null,
            [Increase("Kept and changed"), decreaseDefinition, Increase("Untouched")],
            (o, author) => o.KeyResults.Single(k => k.Title == "Tickets per account").RecordCheckIn(6m, 7, "halfway", author, "Seed", DateTimeOffset.UtcNow.AddDays(-2)));
        var before = await factory.ObjectiveAsync(id);
        var retiring = before.KeyResults.Single(k => k.Title == "Tickets per account");
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var editUrl = $"/okrs/objectives/{id}/edit";
        var editor = await client.GetAsync(editUrl);
        Assert.Contains("1 check-in", editor.Document.QuerySelectorAll(".kr-row-meta").Select(e => e.TextContent));

        // Remove the decreasing row (index 1) without JavaScript: the form says it will be retired, and still nothing is saved.
        var (token, fields) = HtmlForms.FormOf(editor, editUrl);
        fields.Set("KeyResults[0].Target", "25").Set("Title", before.Title + " (edited)");
        var removedRow = await client.PostWithTokenAsync(editUrl, token, [.. fields, new("formAction", "remove:1")]);
        Assert.Equal(HttpStatusCode.OK, removedRow.StatusCode);
        Assert.Contains("“Tickets per account”", removedRow.Document.QuerySelector(".alert-info")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(before.Version, (await factory.ObjectiveAsync(id)).Version);

        // Then add a new row and save it all.
        var (token2, afterRemove) = HtmlForms.FormOf(removedRow, editUrl);
        var withNew = await client.PostWithTokenAsync(editUrl, token2, [.. afterRemove, new("formAction", "add")]);
        var (token3, final) = HtmlForms.FormOf(withNew, editUrl);
        final.Set("KeyResults[2].Title", "Brand new").Set("KeyResults[2].MetricType", "Boolean");
        var audit = await factory.MaxAuditIdAsync();

        var save = await client.PostWithTokenAsync(editUrl, token3, final);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal($"/okrs/objectives/{id}", save.LocationPath);
        var after = await factory.ObjectiveAsync(id);
        Assert.Equal(before.Title + " (edited)", after.Title);
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal(25m, after.KeyResults.Single(k => k.Title == "Kept and changed").Target);
        var retired = after.KeyResults.Single(k => k.Id == retiring.Id);
        Assert.Equal(KeyResultStatus.Retired, retired.Status);
        Assert.Single(retired.CheckIns); // history kept
        var created = after.KeyResults.Single(k => k.Title == "Brand new");
        Assert.Equal((KeyResultStatus.Active, MetricType.Boolean, 0m, 1m), (created.Status, created.MetricType, created.Baseline, created.Target));
        Assert.Equal(3, after.ActiveKeyResults.Count());
        Assert.Equal(4, after.KeyResults.Count);

        var rows = await factory.AuditAfterAsync(audit);
        Assert.Contains(rows, a => a.EntityType == "Objective" && a.Action == "Updated" && a.EntityId == id.Invariant());
        Assert.Contains(rows, a => a.EntityType == "KeyResult" && a.Action == "Updated" && a.EntityId == retiring.Id.Invariant() && a.Changes.Contains("\"Status\"", StringComparison.Ordinal));
        Assert.Contains(rows, a => a.EntityType == "KeyResult" && a.Action == "Created");
        Assert.Single(rows.Select(a => a.CorrelationId).Distinct()); // one request, one transaction
        Assert.Contains("One key result was retired; its check-ins are kept.", (await client.GetAsync("/")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_only_a_key_result_bumps_the_objective_so_a_second_editor_sees_the_conflict()
    {
        var id = await factory.ArrangeObjectiveAsync("Onboarding", Demo.UniqueTitle("Contested"), await factory.GoalIdAsync(2), null, [Increase("Shared KR"), Increase("Other KR")]);
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        var editUrl = $"/okrs/objectives/{id}/edit";
        var (memberToken, memberForm) = HtmlForms.FormOf(await member.GetAsync(editUrl), editUrl);
        var (adminToken, adminForm) = HtmlForms.FormOf(await admin.GetAsync(editUrl), editUrl);
        adminForm.Set("KeyResults[0].Target", "30");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostWithTokenAsync(editUrl, adminToken, adminForm)).StatusCode);
        var stored = await factory.OkrFingerprintAsync();
        var typedTitle = Demo.UniqueTitle("Member's title");
        memberForm.Set("Title", typedTitle).Set("KeyResults[1].Title", "Member's KR title");

        var page = await member.PostWithTokenAsync(editUrl, memberToken, memberForm);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        var notice = page.Document.QuerySelector(".alert-warning")?.TextContent ?? string.Empty;
        Assert.Contains($"{Demo.DisplayName(Demo.Admin)} changed this", notice, StringComparison.Ordinal);
        Assert.Contains("Shared KR — Number, 10 → 30", notice, StringComparison.Ordinal);
        Assert.Equal(typedTitle, page.InputValue("Title"));
        Assert.Equal("Member's KR title", page.InputValue("KeyResults[1].Title"));
        Assert.Equal("Save mine anyway", page.Document.QuerySelector("button.btn-primary")?.TextContent.Trim());
        Assert.Equal(stored, await factory.OkrFingerprintAsync());

        // Saving again on purpose replaces the admin's values.
        var (againToken, again) = HtmlForms.FormOf(page, editUrl);
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostWithTokenAsync(editUrl, againToken, again)).StatusCode);
        var after = await factory.ObjectiveAsync(id);
        Assert.Equal(typedTitle, after.Title);
        Assert.Equal(20m, after.KeyResults.Single(k => k.Title == "Shared KR").Target);
    }

    [Fact]
    public async Task A_check_in_while_the_form_is_open_is_not_an_edit_conflict()
    {
        var id = await factory.ArrangeObjectiveAsync("Onboarding", Demo.UniqueTitle("Checked in meanwhile"), await factory.GoalIdAsync(2), null, [Increase("Busy KR")]);
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        var editUrl = $"/okrs/objectives/{id}/edit";
        var (token, form) = HtmlForms.FormOf(await member.GetAsync(editUrl), editUrl);
        await factory.QueryAsync(async db =>
        {
            var objective = await db.Objectives.Include(o => o.KeyResults).SingleAsync(o => o.Id == id);
            var author = await db.Users.Where(u => u.Email == Demo.Member).Select(u => u.Id).SingleAsync();
            objective.KeyResults.Single().RecordCheckIn(15m, 8, null, author, "Seed", DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        form.Set("KeyResults[0].Target", "22");

        var save = await member.PostWithTokenAsync(editUrl, token, form);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var kr = (await factory.ObjectiveAsync(id)).KeyResults.Single();
        Assert.Equal((22m, 15m), (kr.Target, kr.Current));
    }

    [Fact]
    public async Task A_forged_objective_version_is_a_conflict_and_saves_nothing()
    {
        var id = await factory.ArrangeObjectiveAsync("Onboarding", Demo.UniqueTitle("Forged version"), await factory.GoalIdAsync(2), null, [Increase("KR")]);
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        var editUrl = $"/okrs/objectives/{id}/edit";
        var (token, form) = HtmlForms.FormOf(await member.GetAsync(editUrl), editUrl);
        var before = await factory.OkrFingerprintAsync();

        var page = await member.PostWithTokenAsync(editUrl, token, form.Set("Version", "999").Set("Title", "Forged"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.NotNull(page.Document.QuerySelector(".alert-warning"));
        Assert.Equal(before, await factory.OkrFingerprintAsync());
    }

    [Fact]
    public async Task Over_posted_fields_cannot_move_an_objective_or_its_key_results_nor_bypass_checks()
    {
        var id = await factory.ArrangeObjectiveAsync("Onboarding", Demo.UniqueTitle("Over-posted"), await factory.GoalIdAsync(2), null, [Increase("Mine"), Increase("Also mine")]);
        var platformObjective = await factory.ArrangeObjectiveAsync("Platform", Demo.UniqueTitle("Platform's"), await factory.GoalIdAsync(3), null, [Increase("Theirs"), Increase("Theirs too")]);
        var theirs = (await factory.ObjectiveAsync(platformObjective)).KeyResults.First();
        var platformTeam = await factory.TeamIdAsync("Platform");
        var nextPeriod = await factory.PeriodIdAsync(NextKey);
        var before = await factory.ObjectiveAsync(id);
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        var editUrl = $"/okrs/objectives/{id}/edit";
        var (token, form) = HtmlForms.FormOf(await member.GetAsync(editUrl), editUrl);
        form.Set("Title", before.Title + " ok").Set("TeamId", platformTeam.Invariant()).Set("PeriodId", nextPeriod.Invariant()).Set("Period", NextKey)
            .Set("Id", platformObjective.Invariant()).Set("ObjectiveId", platformObjective.Invariant()).Set("Status", "Closed").Set("Score", "1")
            .Set("KeyResults[0].Version", "999").Set("KeyResults[0].Status", "Retired").Set("KeyResults[0].ObjectiveId", platformObjective.Invariant())
            .Set("KeyResults[0].Current", "1000").Set("KeyResults[0].Id", theirs.Id.Invariant());

        var save = await member.PostWithTokenAsync(editUrl, token, form);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal($"/okrs/objectives/{id}", save.LocationPath);
        var after = await factory.ObjectiveAsync(id);
        Assert.Equal((before.Title + " ok", before.TeamId, before.PeriodId, ObjectiveStatus.Active, (decimal?)null, before.Version + 1),
            (after.Title, after.TeamId, after.PeriodId, after.Status, after.Score, after.Version));
        Assert.Equal(2, after.ActiveKeyResults.Count());
        Assert.All(after.KeyResults, k => Assert.Null(k.Current));
        var platformAfter = await factory.ObjectiveAsync(platformObjective);
        Assert.Equal(2, platformAfter.ActiveKeyResults.Count());

        // A row pointing at another objective's key result is refused beside that row; nothing is saved.
        var fingerprint = await factory.OkrFingerprintAsync();
        var (token2, form2) = HtmlForms.FormOf(await member.GetAsync(editUrl), editUrl);
        var hijack = await member.PostWithTokenAsync(editUrl, token2, form2.Set("KeyResults[0].KeyResultId", theirs.Id.Invariant()).Set("KeyResults[0].Title", "Hijacked"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, hijack.StatusCode);
        Assert.Contains("no longer part of this objective", hijack.FieldError("KeyResults[0].Title"), StringComparison.Ordinal);
        Assert.Equal(fingerprint, await factory.OkrFingerprintAsync());

        // On create, a posted key-result id is ignored: the rows are new key results.
        var title = Demo.UniqueTitle("Created with a posted id");
        var fields = ObjectiveFields(title, before.TeamId, CurrentKey, await factory.GoalIdAsync(2));
        fields.AddRange(Row(0, "New, not theirs"));
        fields.Set("KeyResults[0].KeyResultId", theirs.Id.Invariant()).Set("Status", "Closed").Set("Id", platformObjective.Invariant());
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostFormAsync(NewUrl, NewUrl, fields)).StatusCode);
        var created = await factory.ObjectiveByTitleAsync(title);
        Assert.NotEqual(theirs.Id, Assert.Single(created!.KeyResults).Id);
        Assert.Equal(ObjectiveStatus.Active, created.Status);
        Assert.Equal("Theirs", (await factory.ObjectiveAsync(platformObjective)).KeyResults.Single(k => k.Id == theirs.Id).Title);
    }

    [Fact]
    public async Task Parent_alignment_loops_are_refused_and_not_offered()
    {
        var goal = await factory.GoalIdAsync(1);
        var top = await factory.ArrangeObjectiveAsync("Growth", Demo.UniqueTitle("Top"), goal, null, [Increase("KR")]);
        var middle = await factory.ArrangeObjectiveAsync("Growth", Demo.UniqueTitle("Middle"), null, top, [Increase("KR")]);
        var bottom = await factory.ArrangeObjectiveAsync("Growth", Demo.UniqueTitle("Bottom"), null, middle, [Increase("KR")]);
        var elsewhere = await factory.ArrangeObjectiveAsync("Growth", Demo.UniqueTitle("Next quarter"), goal, null, [Increase("KR")], periodKey: NextKey);
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var editUrl = $"/okrs/objectives/{top}/edit";
        var editor = await admin.GetAsync(editUrl);
        var offered = editor.Document.QuerySelectorAll("select[name='ParentObjectiveId'] option").Select(o => o.GetAttribute("value")).ToList();
        Assert.DoesNotContain(top.Invariant(), offered);
        Assert.DoesNotContain(middle.Invariant(), offered);
        Assert.DoesNotContain(bottom.Invariant(), offered);
        Assert.DoesNotContain(elsewhere.Invariant(), offered);
        var before = await factory.OkrFingerprintAsync();

        foreach (var (parent, message) in new[]
        {
            (bottom, "already contributes to this one"),
            (middle, "already contributes to this one"),
            (top, "cannot be its own parent"),
            (elsewhere, "same period"),
        })
        {
            var (token, form) = HtmlForms.FormOf(await admin.GetAsync(editUrl), editUrl);
            var page = await admin.PostWithTokenAsync(editUrl, token, form.Set("AlignTo", "Parent").Set("ParentObjectiveId", parent.Invariant()));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
            Assert.Contains(message, page.FieldError("ParentObjectiveId"), StringComparison.Ordinal);
        }

        Assert.Equal(before, await factory.OkrFingerprintAsync());

        // Re-aligning the bottom one straight to the goal is fine.
        var (t, f) = HtmlForms.FormOf(await admin.GetAsync($"/okrs/objectives/{bottom}/edit"), $"/okrs/objectives/{bottom}/edit");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostWithTokenAsync($"/okrs/objectives/{bottom}/edit", t, f.Set("AlignTo", "Goal").Set("GoalId", goal.Invariant()))).StatusCode);
        Assert.Equal((goal, (int?)null), ((await factory.ObjectiveAsync(bottom)).GoalId, (await factory.ObjectiveAsync(bottom)).ParentObjectiveId));
    }

    // ------------------------------------------------------------------ permissions

    [Fact]
    public async Task A_team_member_edits_their_teams_objectives_but_not_another_teams()
    {
        var mine = await factory.ArrangeObjectiveAsync("Onboarding", Demo.UniqueTitle("Onboarding's"), await factory.GoalIdAsync(2), null, [Increase("KR a"), Increase("KR b")]);
        var platform = await factory.ArrangeObjectiveAsync("Platform", Demo.UniqueTitle("Platform's"), await factory.GoalIdAsync(3), null, [Increase("KR a"), Increase("KR b")]);
        var platformKr = (await factory.ObjectiveAsync(platform)).KeyResults.First();
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        var (token, form) = HtmlForms.FormOf(await member.GetAsync($"/okrs/objectives/{mine}/edit"), $"/okrs/objectives/{mine}/edit");
        Assert.Equal(HttpStatusCode.Redirect, (await member.PostWithTokenAsync($"/okrs/objectives/{mine}/edit", token, form.Set("Title", "Ours, edited"))).StatusCode);
        var before = await factory.OkrFingerprintAsync();
        var version = (await factory.ObjectiveAsync(platform)).Version.Invariant();
        var create = ObjectiveFields(Demo.UniqueTitle("For Platform"), await factory.TeamIdAsync("Platform"), CurrentKey, await factory.GoalIdAsync(3));
        create.AddRange(Row(0, "KR"));

        var pages = new[]
        {
            await member.GetAsync($"/okrs/objectives/{platform}/edit"),
            await member.GetAsync($"/okrs/objectives/{platform}/close"),
            await member.GetAsync($"/okrs/objectives/{platform}/carry-over"),
            await member.GetAsync($"/okrs/key-results/{platformKr.Id}/move"),
            await member.PostWithTokenAsync($"/okrs/objectives/{platform}/edit", token, [new("Title", "Hijacked"), new("AlignTo", "Goal"), new("GoalId", (await factory.GoalIdAsync(3)).Invariant()), new("Weight", "1"), new("Version", version), .. Row(0, "KR")]),
            await member.PostWithTokenAsync($"/okrs/objectives/{platform}/edit", token, [new("Title", ""), new("Version", version)]), // invalid input: still 403, not 422
            await member.PostWithTokenAsync($"/okrs/objectives/{platform}/close", token, [new("Score", "0.5"), new("Version", version)]),
            await member.PostWithTokenAsync($"/okrs/objectives/{platform}/carry-over", token, [new("Period", NextKey), new("Version", version)]),
            await member.PostWithTokenAsync($"/okrs/key-results/{platformKr.Id}/move", token, [new("TargetObjectiveId", mine.Invariant())]),
            await member.PostWithTokenAsync(NewUrl, token, create),
        };

        Assert.All(pages, p => Assert.Equal(HttpStatusCode.Forbidden, p.StatusCode));
        Assert.Equal(before, await factory.OkrFingerprintAsync());
        Assert.Equal("Ours, edited", (await factory.ObjectiveAsync(mine)).Title);
    }

    [Fact]
    public async Task An_executive_gets_403_on_every_page_and_post_of_this_feature()
    {
        var id = await factory.ArrangeObjectiveAsync("Insights", Demo.UniqueTitle("Read only"), await factory.GoalIdAsync(2), null, [Increase("KR a"), Increase("KR b")]);
        var other = await factory.ArrangeObjectiveAsync("Insights", Demo.UniqueTitle("Other"), await factory.GoalIdAsync(2), null, [Increase("KR")]);
        var kr = (await factory.ObjectiveAsync(id)).KeyResults.First();
        using var executive = await TestClient.SignedInAsync(factory, Demo.Executive);
        var token = await executive.GetTokenAsync("/");
        var before = await factory.OkrFingerprintAsync();
        var create = ObjectiveFields(Demo.UniqueTitle("Executive's"), await factory.TeamIdAsync("Insights"), CurrentKey, await factory.GoalIdAsync(2));
        create.AddRange(Row(0, "KR"));

        var pages = new[]
        {
            await executive.GetAsync(NewUrl),
            await executive.GetAsync($"{NewUrl}?team=1&period={CurrentKey}"),
            await executive.GetAsync($"/okrs/objectives/{id}/edit"),
            await executive.GetAsync($"/okrs/objectives/{id}/close"),
            await executive.GetAsync($"/okrs/objectives/{id}/carry-over"),
            await executive.GetAsync($"/okrs/key-results/{kr.Id}/move"),
            await executive.PostWithTokenAsync(NewUrl, token, create),
            await executive.PostWithTokenAsync(NewUrl, token, [new("formAction", "add")]),
            await executive.PostWithTokenAsync($"/okrs/objectives/{id}/edit", token, [new("Title", "x"), new("Version", "0"), .. Row(0, "KR")]),
            await executive.PostWithTokenAsync($"/okrs/objectives/{id}/edit", token, [new("formAction", "add")]),
            await executive.PostWithTokenAsync($"/okrs/objectives/{id}/close", token, [new("Score", "0.5"), new("Version", "0")]),
            await executive.PostWithTokenAsync($"/okrs/objectives/{id}/carry-over", token, [new("Period", NextKey), new("Version", "0")]),
            await executive.PostWithTokenAsync($"/okrs/key-results/{kr.Id}/move", token, [new("TargetObjectiveId", other.Invariant())]),
        };

        Assert.All(pages, p => Assert.Equal(HttpStatusCode.Forbidden, p.StatusCode));
        Assert.Equal(before, await factory.OkrFingerprintAsync());
    }

    [Fact]
    public async Task A_product_manager_edits_objectives_serving_their_product_but_not_another_products()
    {
        var ofProduct1 = await factory.ArrangeObjectiveAsync("Platform", Demo.UniqueTitle("Serves Beacon"), await factory.GoalIdAsync(3), null, [Increase("KR")]);
        var otherGoal = await factory.QueryAsync(async db =>
        {
            var product = new Product(Demo.UniqueTitle("Unmanaged product"), null, DateTimeOffset.UtcNow);
            var goal = product.AddGoal("A goal of another product", null, null, GoalHorizon.ShortTerm);
            db.Products.Add(product);
            await db.SaveChangesAsync();
            return goal.Id;
        });
        var ofOtherProduct = await factory.ArrangeObjectiveAsync("Platform", Demo.UniqueTitle("Serves another product"), otherGoal, null, [Increase("KR")]);
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var editUrl = $"/okrs/objectives/{ofProduct1}/edit";
        var editor = await pm.GetAsync(editUrl);
        Assert.DoesNotContain(editor.Document.QuerySelectorAll("select[name='GoalId'] option"), o => o.GetAttribute("value") == otherGoal.Invariant());
        var (token, form) = HtmlForms.FormOf(editor, editUrl);

        var save = await pm.PostWithTokenAsync(editUrl, token, form.Set("Title", "Edited by the product manager"));
        var title = Demo.UniqueTitle("PM's new objective");
        var create = ObjectiveFields(title, await factory.TeamIdAsync("Growth"), CurrentKey, await factory.GoalIdAsync(4));
        create.AddRange(Row(0, "KR"));
        var created = await pm.PostFormAsync(NewUrl, NewUrl, create);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal("Edited by the product manager", (await factory.ObjectiveAsync(ofProduct1)).Title);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.NotNull(await factory.ObjectiveByTitleAsync(title));

        var before = await factory.OkrFingerprintAsync();
        var (t2, f2) = HtmlForms.FormOf(await pm.GetAsync(editUrl), editUrl);
        var denied = new[]
        {
            await pm.GetAsync($"/okrs/objectives/{ofOtherProduct}/edit"),
            await pm.PostWithTokenAsync(editUrl, t2, f2.Set("GoalId", otherGoal.Invariant())), // re-aligning to a product they do not manage
            await pm.PostWithTokenAsync(NewUrl, t2, [.. create.Set("Title", Demo.UniqueTitle("Other product's")).Set("GoalId", otherGoal.Invariant())]),
        };
        Assert.All(denied, p => Assert.Equal(HttpStatusCode.Forbidden, p.StatusCode));
        Assert.Equal(before, await factory.OkrFingerprintAsync());
    }

    [Fact]
    public async Task Unknown_ids_answer_404()
    {
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var token = await admin.GetTokenAsync("/");

        var pages = new[]
        {
            await admin.GetAsync("/okrs/objectives/999999/edit"),
            await admin.GetAsync("/okrs/objectives/999999/close"),
            await admin.GetAsync("/okrs/objectives/999999/carry-over"),
            await admin.GetAsync("/okrs/key-results/999999/move"),
            await admin.PostWithTokenAsync("/okrs/objectives/999999/edit", token, [new("Title", "x"), new("Version", "0")]),
            await admin.PostWithTokenAsync("/okrs/objectives/999999/close", token, [new("Score", "0.5"), new("Version", "0")]),
            await admin.PostWithTokenAsync("/okrs/objectives/999999/carry-over", token, [new("Period", NextKey), new("Version", "0")]),
            await admin.PostWithTokenAsync("/okrs/key-results/999999/move", token, [new("TargetObjectiveId", "1")]),
        };

        Assert.All(pages, p => Assert.Equal(HttpStatusCode.NotFound, p.StatusCode));
    }

    // ------------------------------------------------------------------ move

    [Fact]
    public async Task Moving_a_key_result_takes_its_history_along_and_keeps_one_to_five_on_both_sides()
    {
        var goal = await factory.GoalIdAsync(2);
        var source = await factory.ArrangeObjectiveAsync("Onboarding", Demo.UniqueTitle("Source"), goal, null, [Increase("Moving"), Increase("Staying")],
            (o, author) => o.KeyResults.Single(k => k.Title == "Moving").RecordCheckIn(15m, 6, null, author, "Seed", DateTimeOffset.UtcNow.AddDays(-1)));
        var target = await factory.ArrangeObjectiveAsync("Onboarding", Demo.UniqueTitle("Target"), goal, null, [Increase("Already there")]);
        var full = await factory.ArrangeObjectiveAsync("Onboarding", Demo.UniqueTitle("Full"), goal, null, [.. Enumerable.Range(1, 5).Select(i => Increase($"KR {i}"))]);
        var nextQuarter = await factory.ArrangeObjectiveAsync("Onboarding", Demo.UniqueTitle("Next quarter"), goal, null, [Increase("Later")], periodKey: NextKey);
        var moving = (await factory.ObjectiveAsync(source)).KeyResults.Single(k => k.Title == "Moving");
        var (sourceVersion, targetVersion) = ((await factory.ObjectiveAsync(source)).Version, (await factory.ObjectiveAsync(target)).Version);
        using var member = await TestClient.SignedInAsync(factory, Demo.Member);
        var moveUrl = $"/okrs/key-results/{moving.Id}/move";

        var form = await member.GetAsync(moveUrl);

        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var options = form.Document.QuerySelectorAll("select[name='TargetObjectiveId'] option").ToList();
        Assert.Contains(options, o => o.GetAttribute("value") == target.Invariant() && !o.HasAttribute("disabled"));
        Assert.Contains(options, o => o.GetAttribute("value") == full.Invariant() && o.HasAttribute("disabled") && o.TextContent.Contains("already has 5", StringComparison.Ordinal));
        Assert.DoesNotContain(options, o => o.GetAttribute("value") == source.Invariant() || o.GetAttribute("value") == nextQuarter.Invariant());
        Assert.DoesNotContain(options, o => o.TextContent.Contains("Platform", StringComparison.Ordinal)); // a member may only move within their team

        // Refused: the full one, another period's; nothing saved.
        var before = await factory.OkrFingerprintAsync();
        var (token, _) = HtmlForms.FormOf(form, moveUrl);
        var toFull = await member.PostWithTokenAsync(moveUrl, token, [new("TargetObjectiveId", full.Invariant())]);
        var toNext = await member.PostWithTokenAsync(moveUrl, token, [new("TargetObjectiveId", nextQuarter.Invariant())]);
        var toNothing = await member.PostWithTokenAsync(moveUrl, token, [new("TargetObjectiveId", "")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, toFull.StatusCode);
        Assert.Equal("The target objective already has 5 key results.", toFull.FieldError("TargetObjectiveId"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, toNext.StatusCode);
        Assert.Equal("Choose an objective of the same period.", toNext.FieldError("TargetObjectiveId"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, toNothing.StatusCode);
        Assert.Equal("Choose the objective to move the key result to.", toNothing.FieldError("TargetObjectiveId"));
        Assert.Equal(before, await factory.OkrFingerprintAsync());

        var audit = await factory.MaxAuditIdAsync();
        var moved = await member.PostWithTokenAsync(moveUrl, token, [new("TargetObjectiveId", target.Invariant())]);

        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal($"/okrs/objectives/{target}", moved.LocationPath);
        var targetAfter = await factory.ObjectiveAsync(target);
        var sourceAfter = await factory.ObjectiveAsync(source);
        Assert.Single(targetAfter.KeyResults.Where(k => k.Id == moving.Id).SelectMany(k => k.CheckIns)); // its history came along
        Assert.Equal(["Staying"], sourceAfter.KeyResults.Select(k => k.Title));
        Assert.Equal((sourceVersion + 1, targetVersion + 1), (sourceAfter.Version, targetAfter.Version));
        var rows = await factory.AuditAfterAsync(audit);
        Assert.Contains(rows, a => a.EntityType == "KeyResult" && a.EntityId == moving.Id.Invariant() && a.Changes.Contains("ObjectiveId", StringComparison.Ordinal));
        Assert.Equal(2, rows.Count(a => a.EntityType == "Objective" && a.Action == "Updated"));

        // The source's last key result cannot leave.
        var last = sourceAfter.KeyResults.Single();
        var lastPage = await member.GetAsync($"/okrs/key-results/{last.Id}/move");
        Assert.Contains("only key result", lastPage.Text, StringComparison.Ordinal);
        var refused = await member.PostWithTokenAsync($"/okrs/key-results/{last.Id}/move", token, [new("TargetObjectiveId", target.Invariant())]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("at least one active key result", refused.Text, StringComparison.Ordinal);
        Assert.Equal(source, (await factory.ObjectiveAsync(source)).KeyResults.Single().ObjectiveId);
    }

    // ------------------------------------------------------------------ carry over

    [Fact]
    public async Task Carrying_over_creates_the_next_periods_objective_from_where_it_stands_and_closes_the_original_with_its_score()
    {
        var id = await factory.ArrangeObjectiveAsync("Insights", Demo.UniqueTitle("To carry"), await factory.GoalIdAsync(2), null,
        [
            Increase("Half way", 0m, 100m),
            new("Load time", MetricType.Number, MetricDirection.Decrease, 6m, 2m, Unit: "s"),
            Increase("Done already", 0m, 10m),
        ], (o, author) =>
        {
            var krs = o.KeyResults.ToDictionary(k => k.Title);
            krs["Half way"].RecordCheckIn(50m, 6, null, author, "Seed", DateTimeOffset.UtcNow.AddDays(-3)); // 50 %
            krs["Load time"].RecordCheckIn(5m, 5, null, author, "Seed", DateTimeOffset.UtcNow.AddDays(-3));  // (5 − 6) ÷ (2 − 6) = 25 %
            krs["Done already"].RecordCheckIn(12m, 9, null, author, "Seed", DateTimeOffset.UtcNow.AddDays(-3)); // 120 % → 100
        });
        var halfWay = (await factory.ObjectiveAsync(id)).KeyResults.Single(k => k.Title == "Half way");
        var done = (await factory.ObjectiveAsync(id)).KeyResults.Single(k => k.Title == "Done already");
        var insights = await factory.TeamIdAsync("Insights");
        var (openItem, shippedItem) = await factory.QueryAsync(async db =>
        {
            var open = new RoadmapItem(Demo.ProductId, insights, Demo.UniqueTitle("Open item"), RoadmapItemKind.Feature, RoadmapHorizon.Now, DateTimeOffset.UtcNow);
            var shipped = new RoadmapItem(Demo.ProductId, insights, Demo.UniqueTitle("Shipped item"), RoadmapItemKind.Feature, RoadmapHorizon.Now, DateTimeOffset.UtcNow);
            db.RoadmapItems.AddRange(open, shipped);
            await db.SaveChangesAsync();
            open.LinkTo(LinkTargetType.KeyResult, halfWay.Id);
            open.LinkTo(LinkTargetType.KeyResult, done.Id);
            shipped.LinkTo(LinkTargetType.KeyResult, halfWay.Id);
            shipped.ChangeStatus(RoadmapItemStatus.Shipped, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            return (open.Id, shipped.Id);
        });
        using var member = await TestClient.SignedInAsync(factory, "mia@alignmenthub.demo");
        var url = $"/okrs/objectives/{id}/carry-over";
        var page = await member.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(NextKey, page.InputValue("Period"));
        Assert.Contains("Goes along (2 of 3)", page.Text, StringComparison.Ordinal);
        Assert.Contains("0.58", page.Document.QuerySelector($"form[action='{url}']")?.TextContent, StringComparison.Ordinal); // (50 + 25 + 100) ÷ 3 = 58.3 % → 0.58
        var (token, form) = HtmlForms.FormOf(page, url);
        var audit = await factory.MaxAuditIdAsync();

        var save = await member.PostWithTokenAsync(url, token, form);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var original = await factory.ObjectiveAsync(id);
        var copy = await factory.QueryAsync(db => db.Objectives.AsNoTracking().Include(o => o.KeyResults)
            .SingleAsync(o => o.Title == original.Title && o.Id != id));
        Assert.Equal($"/okrs/objectives/{copy.Id}", save.LocationPath);
        Assert.Equal((ObjectiveStatus.Closed, 0.58m), (original.Status, original.Score));
        Assert.StartsWith($"Carried over to {NextKey}", original.Retrospective, StringComparison.Ordinal);
        Assert.Equal((await factory.PeriodIdAsync(NextKey), original.TeamId, original.GoalId, ObjectiveStatus.Active), (copy.PeriodId, copy.TeamId, copy.GoalId, copy.Status));
        var carried = copy.KeyResults.ToDictionary(k => k.Title);
        Assert.Equal(["Half way", "Load time"], carried.Keys.Order());
        Assert.Equal((50m, 100m), (carried["Half way"].Baseline, carried["Half way"].Target));
        Assert.Equal((5m, 2m, "s"), (carried["Load time"].Baseline, carried["Load time"].Target, carried["Load time"].Unit));
        var rows = await factory.AuditAfterAsync(audit);
        Assert.Contains(rows, a => a.EntityType == "Objective" && a.Action == "Updated" && a.EntityId == id.Invariant() && a.Changes.Contains("\"Score\"", StringComparison.Ordinal));
        Assert.Contains(rows, a => a.EntityType == "Objective" && a.Action == "Created" && a.EntityId == copy.Id.Invariant());
        Assert.Equal(2, rows.Count(a => a.EntityType == "KeyResult" && a.Action == "Created"));

        // The open roadmap item follows the unfinished key result (its old links stay); the shipped one and the complete KR do not.
        var links = await factory.QueryAsync(db => db.RoadmapLinks.AsNoTracking().Where(l => l.RoadmapItemId == openItem || l.RoadmapItemId == shippedItem)
            .Select(l => new { l.RoadmapItemId, l.TargetId }).ToListAsync());
        Assert.Equal([halfWay.Id, done.Id, carried["Half way"].Id], links.Where(l => l.RoadmapItemId == openItem).Select(l => l.TargetId).Order().ToList());
        Assert.Equal([halfWay.Id], links.Where(l => l.RoadmapItemId == shippedItem).Select(l => l.TargetId).ToList());
        Assert.Contains("One roadmap item now links to the new key results too.", (await member.GetAsync("/")).Text, StringComparison.Ordinal);

        // The closed original cannot be carried again or edited.
        var again = await member.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal($"/okrs/objectives/{id}", again.LocationPath);
        var (t, f) = HtmlForms.FormOf(await member.GetAsync($"/okrs/objectives/{copy.Id}/edit"), $"/okrs/objectives/{copy.Id}/edit");
        var editClosed = await member.PostWithTokenAsync($"/okrs/objectives/{id}/edit", t, f.Set("Version", original.Version.Invariant()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, editClosed.StatusCode);
        Assert.Contains("closed", editClosed.Document.QuerySelector(".validation-summary-errors")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Carrying_over_into_a_new_far_period_creates_it_and_an_earlier_period_is_refused()
    {
        var id = await factory.ArrangeObjectiveAsync("Insights", Demo.UniqueTitle("Far carry"), await factory.GoalIdAsync(2), null, [Increase("KR")]);
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var url = $"/okrs/objectives/{id}/carry-over";
        var (token, form) = HtmlForms.FormOf(await admin.GetAsync(url), url);
        var before = await factory.OkrFingerprintAsync();

        var earlier = await admin.PostWithTokenAsync(url, token, [.. form.Set("Period", "2001-Q1")]);
        var junk = await admin.PostWithTokenAsync(url, token, [.. form.Set("Period", "soon")]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, earlier.StatusCode);
        Assert.Equal("Choose a later period to carry the objective into.", earlier.FieldError("Period"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, junk.StatusCode);
        Assert.NotEqual(string.Empty, junk.FieldError("Period"));
        Assert.Equal(before, await factory.OkrFingerprintAsync());

        var year = DateTime.UtcNow.Year + 3;
        var save = await admin.PostWithTokenAsync(url, token, [.. form.Set("Period", $"{year}-Q3")]);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var periodId = await factory.PeriodIdAsync($"{year}-Q3");
        Assert.Equal(periodId, (await factory.QueryAsync(db => db.Objectives.AsNoTracking().SingleAsync(o => o.PeriodId == periodId))).PeriodId);
    }

    // ------------------------------------------------------------------ close

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("70")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("0.755")]
    public async Task Closing_with_a_score_outside_0_to_1_is_refused_beside_the_score(string score)
    {
        var id = await factory.ArrangeObjectiveAsync("Growth", Demo.UniqueTitle("Bad score"), await factory.GoalIdAsync(1), null, [Increase("KR")]);
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var url = $"/okrs/objectives/{id}/close";
        var (token, form) = HtmlForms.FormOf(await admin.GetAsync(url), url);
        var before = await factory.OkrFingerprintAsync();

        var page = await admin.PostWithTokenAsync(url, token, form.Set("Score", score).Set("Retrospective", "Kept note"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.NotEqual(string.Empty, page.FieldError("Score"));
        Assert.Equal(score, page.InputValue("Score"));
        Assert.Equal("Kept note", page.InputValue("Retrospective"));
        Assert.Equal(before, await factory.OkrFingerprintAsync());
    }

    [Fact]
    public async Task Closing_suggests_the_progress_as_the_score_and_saves_the_score_and_note()
    {
        var id = await factory.ArrangeObjectiveAsync("Growth", Demo.UniqueTitle("To close"), await factory.GoalIdAsync(1), null, [Increase("KR", 0m, 100m)],
            (o, author) => o.KeyResults.Single().RecordCheckIn(64m, 7, null, author, "Seed", DateTimeOffset.UtcNow));
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var url = $"/okrs/objectives/{id}/close";
        var page = await admin.GetAsync(url);
        Assert.Equal("0.64", page.InputValue("Score"));
        var (token, form) = HtmlForms.FormOf(page, url);
        var audit = await factory.MaxAuditIdAsync();

        var save = await admin.PostWithTokenAsync(url, token, form.Set("Score", "0.7").Set("Retrospective", "Good quarter.\nShipped late."));

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal($"/okrs/objectives/{id}", save.LocationPath);
        var closed = await factory.ObjectiveAsync(id);
        Assert.Equal((ObjectiveStatus.Closed, 0.7m), (closed.Status, closed.Score));
        Assert.Equal("Good quarter.\nShipped late.", closed.Retrospective?.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Single(await factory.AuditAfterAsync(audit), a => a.EntityType == "Objective" && a.Action == "Updated" && a.EntityId == id.Invariant());
        Assert.Contains("Objective closed with a score of 0.7.", (await admin.GetAsync("/")).Text, StringComparison.Ordinal);

        // Closing twice is refused.
        var again = await admin.PostWithTokenAsync(url, token, form.Set("Version", closed.Version.Invariant()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Equal(0.7m, (await factory.ObjectiveAsync(id)).Score);
    }

    // ------------------------------------------------------------------ helpers

    private static async Task<Page> PostMultipartAsync(TestClient client, string url, string token, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var multipart = new MultipartFormDataContent();
        foreach (var (name, value) in fields.Append(new(TestClient.TokenField, token)))
        {
            multipart.Add(new StringContent(value), name);
        }

        return await TestClient.ToPageAsync(await client.Http.PostAsync(url, multipart));
    }

    private static List<KeyValuePair<string, string>> ObjectiveFields(string title, int teamId, string period, int goalId) =>
    [
        new("Title", title),
        new("Description", string.Empty),
        new("TeamId", teamId.Invariant()),
        new("Period", period),
        new("AlignTo", "Goal"),
        new("GoalId", goalId.Invariant()),
        new("ParentObjectiveId", string.Empty),
        new("OwnerId", string.Empty),
        new("Weight", "1"),
    ];

    private static List<KeyValuePair<string, string>> Row(int index, string title, string type = "Number", string direction = "Increase",
        string? baseline = "10", string? target = "20", string weight = "1", string cadence = "14", string? unit = null, string? currency = null,
        string? bandLow = null, string? bandHigh = null, string? metricName = null)
    {
        var prefix = $"KeyResults[{index}].";
        return
        [
            new(prefix + "KeyResultId", string.Empty),
            new(prefix + "Version", string.Empty),
            new(prefix + "Title", title),
            new(prefix + "MetricName", metricName ?? string.Empty),
            new(prefix + "MetricType", type),
            new(prefix + "Direction", direction),
            new(prefix + "Baseline", baseline ?? string.Empty),
            new(prefix + "Target", target ?? string.Empty),
            new(prefix + "BandLow", bandLow ?? string.Empty),
            new(prefix + "BandHigh", bandHigh ?? string.Empty),
            new(prefix + "Unit", unit ?? string.Empty),
            new(prefix + "CurrencyCode", currency ?? string.Empty),
            new(prefix + "Weight", weight),
            new(prefix + "CadenceDays", cadence),
        ];
    }
}
