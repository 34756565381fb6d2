using System.Globalization;
using System.Net;
using System.Text.Json;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.IntegrationTests.Support;
using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;

namespace AlignmentHub.IntegrationTests.Okrs;

/// <summary>
/// Check-ins on key results: who may, what is stored and audited, how the figures follow, bad input, and 50 parallel
/// check-ins on one key result that must all land.
/// </summary>
public sealed class CheckInTests(AlignmentHubFactory factory) : IClassFixture<AlignmentHubFactory>
{
    [Fact]
    public async Task A_team_member_checks_in_on_an_own_team_key_result_and_it_is_stored_audited_and_shown()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var kr = await factory.KeyResultAsync("Setup wizard completion rate");
        var before = await CheckInCountAsync(kr.Id);
        var lastAudit = await factory.MaxAuditIdAsync();
        var note = Demo.UniqueTitle("Wizard <b>v2</b> shipped");

        var save = await CheckInAsync(client, kr, "63.5", "8", note);

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Equal($"/okrs/objectives/{kr.ObjectiveId}", save.LocationPath);
        Assert.Equal(before + 1, await CheckInCountAsync(kr.Id));
        var stored = await factory.QueryAsync(db => db.CheckIns.AsNoTracking().Where(c => c.KeyResultId == kr.Id).OrderByDescending(c => c.Id).FirstAsync());
        Assert.Equal(63.5m, stored.Value);
        Assert.Equal(8, stored.Confidence);
        Assert.Equal(note, stored.Note);
        Assert.Equal(await factory.UserIdAsync(Demo.Member), stored.AuthorId);
        Assert.Equal("Tom Becker", stored.AuthorName);
        Assert.InRange(stored.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));
        var after = await factory.KeyResultAsync(kr.Title);
        Assert.Equal(63.5m, after.Current);
        Assert.Equal(stored.CreatedAt, after.LastCheckInAt);

        // Exactly one audit row: the check-in, created, by the member (the key result's derived columns are not a second change).
        var audit = Assert.Single(await factory.AuditAfterAsync(lastAudit));
        Assert.Equal(("CheckIn", "Created", stored.Id.ToString(CultureInfo.InvariantCulture), Demo.Member), (audit.EntityType, audit.Action, audit.EntityId, audit.UserName));
        using var changes = JsonDocument.Parse(audit.Changes);
        Assert.Equal(63.5m, changes.RootElement.GetProperty("Value").GetDecimal());

        var page = await client.GetAsync(save.Location!);
        Assert.Contains($"Check-in saved: “Setup wizard completion rate” is now 63.5 %, confidence 8 of 10 (on track).", page.Document.QuerySelector("[role='status']")!.TextContent, StringComparison.Ordinal);
        var card = page.Document.QuerySelector($"article#kr-{kr.Id}")!;
        Assert.Equal(OkrTestData.Figure(Math.Round((63.5m - 45m) / (75m - 45m) * 100m, 1, MidpointRounding.AwayFromZero)), card.QuerySelector(".progress-figure")!.TextContent.Trim()); // 61.7 %
        Assert.StartsWith("On track", card.QuerySelector("[data-flag='confidence']")!.TextContent.Trim(), StringComparison.Ordinal);
        var newest = card.QuerySelector("details.okr-history tbody tr")!;
        Assert.Equal("63.5", newest.QuerySelector("[data-value]")!.GetAttribute("data-value"));
        Assert.Equal(note, newest.Children[3].TextContent.Trim()); // the note is text, never markup
        Assert.Null(newest.QuerySelector("b"));
    }

    [Fact]
    public async Task Checking_in_336_on_the_decreasing_latency_key_result_shows_49_4_percent_on_the_objective_page_and_the_list()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var kr = await factory.KeyResultAsync("P95 API latency");

        var save = await CheckInAsync(client, kr, "336", "6", "Query cache rolled out to half the clusters.");

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var page = await client.GetAsync($"/okrs/objectives/{kr.ObjectiveId}");
        var card = page.Document.QuerySelector($"article#kr-{kr.Id}")!;
        Assert.Equal("49.4 %", card.QuerySelector(".progress-figure")!.TextContent.Trim()); // (336 − 420) ÷ (250 − 420)
        Assert.Contains("(336 − 420) ÷ (250 − 420) = 49.4 %", card.QuerySelector("details.how-calculated")!.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("At risk", card.QuerySelector("[data-flag='confidence']")!.TextContent.Trim(), StringComparison.Ordinal);

        // The objective rolls up its three key results with equal weights, by hand.
        var objective = (await OkrTestData.ObjectivesAsync(factory, OkrTestData.CurrentKey)).Single(o => o.Id == kr.ObjectiveId);
        var expected = OkrTestData.ObjectiveProgress(objective);
        var others = objective.KeyResults.Where(k => k.Id != kr.Id).Sum(k => Math.Min(100m, OkrTestData.Shown(k)));
        Assert.Equal(Math.Round((others + 49.4m) / 3m, 1, MidpointRounding.AwayFromZero), expected);
        Assert.Equal(OkrTestData.Figure(expected), page.Document.QuerySelector("[aria-labelledby='okr-progress'] .progress-figure")!.TextContent.Trim());

        var list = await client.GetAsync("/okrs");
        var row = list.Document.QuerySelectorAll("li.okr-kr").Single(li => li.QuerySelector(".okr-kr-title")!.TextContent.Trim() == "P95 API latency");
        Assert.Equal("49.4 %", row.QuerySelector(".progress-figure")!.TextContent.Trim());
        Assert.Equal("336 ms · target 250 ms", row.QuerySelector(".okr-kr-values")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_team_member_cannot_check_in_on_another_team_s_key_result_and_nothing_is_saved()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var own = await factory.KeyResultAsync("Support tickets per trial account");
        var other = await factory.KeyResultAsync("Monthly uptime");
        var token = await client.GetTokenAsync($"/okrs/objectives/{own.ObjectiveId}");
        var before = await FingerprintAsync(other.Id);
        var lastAudit = await factory.MaxAuditIdAsync();

        var denied = await client.PostWithTokenAsync(Url(other.Id), token, Fields("99.99", "9", "Not my team"));
        var deniedBadInput = await client.PostWithTokenAsync(Url(other.Id), token, Fields("abc", "11", null));
        var allowed = await client.PostWithTokenAsync(Url(own.Id), token, Fields("4", "7", null));

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, deniedBadInput.StatusCode);
        Assert.Contains("You don't have permission to do that", denied.Text, StringComparison.Ordinal);
        Assert.Equal(before, await FingerprintAsync(other.Id));
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        Assert.All(await factory.AuditAfterAsync(lastAudit), a => Assert.NotEqual(other.Id, CheckInKeyResult(a.Changes)));
        var platform = await client.GetAsync($"/okrs/objectives/{other.ObjectiveId}");
        Assert.Empty(platform.Document.QuerySelectorAll("form.okr-checkin"));
    }

    [Fact]
    public async Task An_executive_gets_403_and_no_check_in_form()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Executive);
        var kr = await factory.KeyResultAsync("Trial-to-paid conversion");
        var page = await client.GetAsync($"/okrs/objectives/{kr.ObjectiveId}");
        var token = page.Document.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>($"input[name='{TestClient.TokenField}']")!.Value;
        var before = await FingerprintAsync(kr.Id);

        var post = await client.PostWithTokenAsync(Url(kr.Id), token, Fields("16", "8", null));

        Assert.Empty(page.Document.QuerySelectorAll("form.okr-checkin"));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(before, await FingerprintAsync(kr.Id));
    }

    [Theory]
    [InlineData(999999)]
    [InlineData(0)]
    public async Task A_check_in_on_an_unknown_key_result_answers_404(int id)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var token = await client.GetTokenAsync("/okrs");

        var post = await client.PostWithTokenAsync(Url(id), token, Fields("1", "5", null));

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task A_check_in_without_the_antiforgery_token_is_refused()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var kr = await factory.KeyResultAsync("Trial-to-paid conversion");
        var before = await FingerprintAsync(kr.Id);

        var post = await client.PostRawAsync(Url(kr.Id), Fields("16", "8", null));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(before, await FingerprintAsync(kr.Id));
    }

    public static TheoryData<string, string, string?, string, string> BadInput => new()
    {
        // value, confidence, note → field, message (part)
        { string.Empty, "8", null, "Value", "Enter the value the key result stands at now." },
        { "   ", "8", null, "Value", "Enter the value the key result stands at now." },
        { "abc", "8", null, "Value", "Enter a number, such as 42 or 3.5." },
        { "12abc", "8", null, "Value", "Enter a number, such as 42 or 3.5." },
        { "NaN", "8", null, "Value", "Enter a number" },
        { "0,5", "8", null, "Value", "Use a dot for decimals, such as 0.5, and no thousands separators." }, // not 5
        { "1,000", "8", null, "Value", "Use a dot for decimals" }, // not 1000: a European 1,000 is one
        { "1e309", "8", null, "Value", "Enter a value between −1,000,000,000,000 and 1,000,000,000,000." },
        { "-1e309", "8", null, "Value", "Enter a value between" },
        { "1e13", "8", null, "Value", "Enter a value between" },
        { "79228162514264337593543950336", "8", null, "Value", "Enter a value between" },
        { "1000000000000.01", "8", null, "Value", "Enter a value between" },
        { "5", "11", null, "Confidence", "Choose a confidence from 0 (no chance) to 10 (certain)." },
        { "5", "-1", null, "Confidence", "Choose a confidence" },
        { "5", string.Empty, null, "Confidence", "Choose a confidence" },
        { "5", "7.5", null, "Confidence", "Choose a confidence" },
        { "5", "high", null, "Confidence", "Choose a confidence" },
        { "5", "99999999999", null, "Confidence", "Choose a confidence" },
        { "5", "8", "{long}", "Note", "The note must be at most 4,000 characters." },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_is_refused_beside_the_field_in_that_key_result_s_form_with_the_input_kept_and_nothing_saved(string value, string confidence, string? note, string field, string message)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var kr = await factory.KeyResultAsync("Median days to first resolved ticket");
        var typedNote = note == "{long}" ? new string('n', 4001) : note ?? Demo.UniqueTitle("Kept note");
        var before = await FingerprintAsync(kr.Id);
        var lastAudit = await factory.MaxAuditIdAsync();

        var page = await CheckInAsync(client, kr, value, confidence, typedNote);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        var form = page.Document.QuerySelector($"form[action='{Url(kr.Id)}']")!;
        Assert.Contains(message, form.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(form.QuerySelector($"[data-valmsg-for='{field}']")!.Id, form.QuerySelector($"[name='{field}']")!.GetAttribute("aria-describedby")!.Split(' ')[^1]);
        Assert.Equal("true", form.QuerySelector($"[name='{field}']")!.GetAttribute("aria-invalid"));
        Assert.Single(page.Document.QuerySelectorAll($"[data-valmsg-for='{field}']")); // only in the rejected form
        Assert.Equal(value.Trim(), (InputValue(form, "Value") ?? string.Empty).Trim());
        Assert.Equal(typedNote, InputValue(form, "Note"));
        if (field != "Confidence")
        {
            Assert.Equal(confidence, InputValue(form, "Confidence"));
        }

        Assert.Equal(before, await FingerprintAsync(kr.Id));
        Assert.Empty(await factory.AuditAfterAsync(lastAudit));
        Assert.DoesNotContain("Something went wrong", page.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Note", "NUL\0inside", "This contains a character that is not allowed.")]
    [InlineData("Value", "5\0", "Enter a number, such as 42 or 3.5.")]
    public async Task A_nul_character_is_refused_beside_the_field_when_the_form_can_be_read(string field, string typed, string message)
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var kr = await factory.KeyResultAsync("Median days to first resolved ticket");
        var token = await client.GetTokenAsync($"/okrs/objectives/{kr.ObjectiveId}");
        var before = await FingerprintAsync(kr.Id);
        var fields = new Dictionary<string, string> { ["Value"] = "9", ["Confidence"] = "8", ["Note"] = "ok", [field] = typed, [TestClient.TokenField] = token };

        // A browser posting multipart/form-data delivers the NUL to the application: it is refused beside the field.
        using var multipart = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            multipart.Add(new StringContent(value), name);
        }

        var page = await TestClient.ToPageAsync(await client.Http.PostAsync(Url(kr.Id), multipart));

        // URL-encoded, ASP.NET Core refuses to decode %00 at all: the whole form is unreadable, a plain 400.
        var encoded = await client.PostWithTokenAsync(Url(kr.Id), token, fields.Where(f => f.Key != TestClient.TokenField));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        var form = page.Document.QuerySelector($"form[action='{Url(kr.Id)}']")!;
        Assert.Equal(message, form.QuerySelector($"[data-valmsg-for='{field}']")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.BadRequest, encoded.StatusCode);
        Assert.DoesNotContain("Something went wrong", encoded.Text, StringComparison.Ordinal);
        Assert.Equal(before, await FingerprintAsync(kr.Id));
    }

    [Fact]
    public async Task A_milestone_takes_only_not_yet_or_done()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var kr = await factory.KeyResultAsync("Guided import from Zendesk launched");
        var before = await FingerprintAsync(kr.Id);

        var refused = await CheckInAsync(client, kr, "2", "7", null);
        var done = await CheckInAsync(client, kr, "1", "9", "Live for every new account.");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var form = refused.Document.QuerySelector($"form[action='{Url(kr.Id)}']")!;
        Assert.Equal("Enter 1 when reached or 0 when not yet reached.", form.QuerySelector("[data-valmsg-for='Value']")!.TextContent.Trim());
        Assert.NotEqual(before, await FingerprintAsync(kr.Id)); // the second one was saved
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var page = await client.GetAsync(done.Location!);
        Assert.Contains("is now Done", page.Document.QuerySelector("[role='status']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("100 %", page.Document.QuerySelector($"article#kr-{kr.Id} .progress-figure")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_closed_objective_takes_no_check_ins()
    {
        using var client = await TestClient.SignedInAsync(factory, Demo.Member);
        var kr = await factory.KeyResultAsync("Wizard available to all new accounts");
        var before = await FingerprintAsync(kr.Id);

        var page = await client.GetAsync($"/okrs/objectives/{kr.ObjectiveId}");
        var post = await client.PostWithTokenAsync(Url(kr.Id), await client.GetTokenAsync($"/okrs/objectives/{kr.ObjectiveId}"), Fields("1", "9", null));

        Assert.Empty(page.Document.QuerySelectorAll("form.okr-checkin"));
        Assert.Contains("Closed with a score of 0.8.", page.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, post.StatusCode);
        Assert.Contains("Check-ins are only possible on active key results of active objectives.", post.Document.QuerySelector($"article#kr-{kr.Id} .alert-danger")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await FingerprintAsync(kr.Id));
    }

    [Fact]
    public async Task Fifty_parallel_check_ins_on_one_key_result_all_land_and_the_current_value_follows_the_newest()
    {
        const int Count = 50;
        using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
        var kr = await factory.KeyResultAsync("Net revenue retention");
        var token = await client.GetTokenAsync($"/okrs/objectives/{kr.ObjectiveId}");
        var before = await CheckInCountAsync(kr.Id);
        var lastId = await factory.QueryAsync(async db => await db.CheckIns.MaxAsync(c => (int?)c.Id) ?? 0);
        var lastAudit = await factory.MaxAuditIdAsync();

        var pages = await Task.WhenAll(Enumerable.Range(1, Count).Select(i =>
            client.PostWithTokenAsync(Url(kr.Id), token, Fields((100m + (i / 10m)).ToString(CultureInfo.InvariantCulture), (i % 11).ToString(CultureInfo.InvariantCulture), $"Parallel {i}"))));

        Assert.All(pages, p => Assert.Equal(HttpStatusCode.Redirect, p.StatusCode));
        Assert.Equal(before + Count, await CheckInCountAsync(kr.Id));
        var added = await factory.QueryAsync(db => db.CheckIns.AsNoTracking().Where(c => c.KeyResultId == kr.Id && c.Id > lastId).ToListAsync());
        Assert.Equal(Enumerable.Range(1, Count).Select(i => $"Parallel {i}"), added.Select(c => c.Note!).OrderBy(n => int.Parse(n[9..], CultureInfo.InvariantCulture)));
        var all = await factory.QueryAsync(db => db.CheckIns.AsNoTracking().Where(c => c.KeyResultId == kr.Id).ToListAsync());
        var newest = all.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).First();
        var after = await factory.KeyResultAsync(kr.Title);
        Assert.Equal(newest.Value, after.Current);
        Assert.Equal(newest.CreatedAt, after.LastCheckInAt);

        // Every check-in wrote exactly one audit row, for itself.
        var audits = await factory.AuditAfterAsync(lastAudit);
        Assert.Equal(Count, audits.Count);
        Assert.All(audits, a => Assert.Equal(("CheckIn", "Created"), (a.EntityType, a.Action)));
        Assert.Equal(added.Select(c => c.Id.ToString(CultureInfo.InvariantCulture)).Order(), audits.Select(a => a.EntityId).Order());
    }

    private static string Url(int keyResultId) => $"/okrs/key-results/{keyResultId}/check-ins";

    private static List<KeyValuePair<string, string>> Fields(string value, string confidence, string? note)
    {
        var fields = new List<KeyValuePair<string, string>> { new("Value", value), new("Confidence", confidence) };
        if (note is not null)
        {
            fields.Add(new("Note", note));
        }

        return fields;
    }

    private static Task<Page> CheckInAsync(TestClient client, KeyResult kr, string value, string confidence, string? note) =>
        client.PostFormAsync(Url(kr.Id), $"/okrs/objectives/{kr.ObjectiveId}", Fields(value, confidence, note));

    private static string? InputValue(IElement form, string name) => form.QuerySelector($"[name='{name}']") switch
    {
        AngleSharp.Html.Dom.IHtmlInputElement input => input.Value,
        AngleSharp.Html.Dom.IHtmlTextAreaElement area => area.Value,
        AngleSharp.Html.Dom.IHtmlSelectElement select => select.SelectedOptions.FirstOrDefault()?.Value,
        _ => null,
    };

    private static int? CheckInKeyResult(string changes)
    {
        using var json = JsonDocument.Parse(changes);
        return json.RootElement.TryGetProperty("KeyResultId", out var id) ? id.GetInt32() : null;
    }

    private Task<int> CheckInCountAsync(int keyResultId) =>
        factory.QueryAsync(db => db.CheckIns.CountAsync(c => c.KeyResultId == keyResultId));

    /// <summary>The key result's stored state and its check-ins, to prove a refused request changed nothing.</summary>
    private async Task<string> FingerprintAsync(int keyResultId)
    {
        var kr = await factory.QueryAsync(db => db.KeyResults.AsNoTracking().SingleAsync(k => k.Id == keyResultId));
        var ids = await factory.QueryAsync(db => db.CheckIns.Where(c => c.KeyResultId == keyResultId).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync());
        return $"{kr.Current}|{kr.LastCheckInAt:o}|{kr.Version}|" + string.Join(",", ids);
    }
}
