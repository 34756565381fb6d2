using System.Net;
using System.Text.Json;
using AlignmentHub.IntegrationTests.Support;
using AlignmentHub.Web.Features.AuditLog;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AlignmentHub.IntegrationTests.Security.Audit.AuditTestData;

namespace AlignmentHub.IntegrationTests.Security.Audit;

/// <summary>
/// Checklist items 35 and 36: the administrators' audit log — who may see it, newest first, filters (validated, never a
/// 500), paging at a constant number of queries, the CSV download (streamed, formula-safe, itself audited) and no
/// route that changes audit rows.
/// </summary>
public sealed class AuditLogPageTests(QueryCountingFactory factory) : IClassFixture<QueryCountingFactory>
{
    private const string Url = "/admin/audit";
    private const string ExportUrl = "/admin/audit/export.csv";

    [Theory]
    [InlineData(Demo.ProductManager)]
    [InlineData(Demo.Member)]
    [InlineData(Demo.Executive)]
    public async Task Everyone_but_an_administrator_gets_403_for_the_page_and_the_download(string email)
    {
        using var client = await TestClient.SignedInAsync(factory, email);
        var before = await factory.MaxAuditIdAsync();

        var page = await client.GetAsync(Url);
        var download = await client.PostFormAsync(ExportUrl, "/", []);

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, download.StatusCode);
        Assert.Equal(before, await factory.MaxAuditIdAsync());
        Assert.Null((await client.GetAsync("/")).Document.QuerySelector($"nav a[href='{Url}']"));
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        using var client = new TestClient(factory);

        var page = await client.GetAsync(Url);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/account/login", page.LocationPath);
    }

    [Fact]
    public async Task An_administrator_sees_a_real_change_newest_first_with_who_and_the_before_and_after()
    {
        using var pm = await TestClient.SignedInAsync(factory, Demo.ProductManager);
        var goal = (await factory.RankedGoalsAsync())[0];
        var editUrl = $"/products/1/goals/{goal.Id}/edit";
        var (token, fields) = HtmlForms.FormOf(await pm.GetAsync(editUrl), editUrl);
        var title = Demo.UniqueTitle("Audited on the page");
        Assert.Equal(HttpStatusCode.Redirect, (await pm.PostWithTokenAsync(editUrl, token, fields.Set("Title", title))).StatusCode);
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);

        var page = await admin.GetAsync($"{Url}?entity=Goal&entityId={goal.Id}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.NotNull(page.Document.QuerySelector($"nav a.active[href='{Url}']"));
        var first = page.Document.QuerySelector("tr[data-audit-id]")!;
        Assert.Equal(Demo.ProductManager, first.QuerySelector(".audit-actor")!.TextContent.Trim());
        Assert.Equal("Updated", first.Children[2].TextContent.Trim());
        Assert.Equal($"Goal #{goal.Id}", first.QuerySelector("[data-entity]")!.TextContent.Trim());
        var titleChange = first.QuerySelectorAll("dt").Single(dt => dt.TextContent == "Title").NextElementSibling!;
        Assert.Equal(goal.Title, titleChange.QuerySelector(".audit-before")!.TextContent);
        Assert.Equal(title, titleChange.QuerySelector(".audit-after")!.TextContent);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", first.QuerySelector("time")!.TextContent);
    }

    [Fact]
    public async Task Filters_by_date_range_person_entity_type_and_id_with_the_end_date_inclusive()
    {
        var pmId = await factory.UserIdAsync(Demo.ProductManager);
        var adminId = await factory.UserIdAsync(Demo.Admin);
        var (a, b, c) = (UniqueId(), UniqueId(), UniqueId());
        await factory.AddAuditRowsAsync(
            Row(At(2020, 3, 10, 8), pmId, Demo.ProductManager, "Goal", a),
            Row(At(2020, 3, 12, 23), adminId, Demo.Admin, "RoadmapItem", b),
            Row(At(2020, 3, 13, 0), null, "system", "Goal", c));
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);

        Assert.Equal([b, a], await ShownIdsAsync(admin, "from=2020-03-10&to=2020-03-12"));
        Assert.Equal([c, b], await ShownIdsAsync(admin, "from=2020-03-11&to=2020-03-13"));
        Assert.Equal([a], await ShownIdsAsync(admin, $"from=2020-03-01&to=2020-03-31&actor={pmId}"));
        Assert.Equal([c], await ShownIdsAsync(admin, "from=2020-03-01&to=2020-03-31&actor=system"));
        Assert.Equal([c, a], await ShownIdsAsync(admin, "from=2020-03-01&to=2020-03-31&entity=Goal"));
        Assert.Equal([b], await ShownIdsAsync(admin, $"entityId={b}"));
        Assert.Empty(await ShownIdsAsync(admin, $"entityId={b}&entity=Goal"));

        // What was typed stays in the form.
        var page = await admin.GetAsync($"{Url}?from=2020-03-01&to=2020-03-31&entity=Goal&actor={pmId}&entityId={a}");
        Assert.Equal(("2020-03-01", "2020-03-31", "Goal", pmId, a), (page.InputValue("from"), page.InputValue("to"), page.InputValue("entity"), page.InputValue("actor"), page.InputValue("entityId")));
    }

    public static TheoryData<string, string, string> BadFilters => new()
    {
        { "from=2020-13-45", "From", "Enter a date as YYYY-MM-DD" },
        { "to=abc", "To", "Enter a date as YYYY-MM-DD" },
        { "from=31.12.2020", "From", "Enter a date as YYYY-MM-DD" },
        { "from=2021-01-02&to=2021-01-01", "To", "The end date is before the start date." },
        { "to=%00", "To", "This contains a character that is not allowed." },
        { "from=99999-01-01", "From", "Enter a date as YYYY-MM-DD" },
        { "actor=not-a-user", "Actor", "Choose a person from the list." },
        { "entity=Nope", "Entity", "Choose an entity type from the list." },
        { "entityId=" + "x1234567890x1234567890x1234567890x1234567890x1234567890x1234567890x1234567890x1234567890x1234567890x1234567890", "EntityId", "at most 100 characters" },
    };

    [Theory]
    [MemberData(nameof(BadFilters))]
    public async Task A_bad_filter_gets_a_message_beside_its_field_and_keeps_the_input_never_a_500(string query, string field, string message)
    {
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);

        var before = await factory.MaxAuditIdAsync();

        var page = await admin.GetAsync($"{Url}?{query}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains(message, page.FieldError(field), StringComparison.Ordinal);
        Assert.Empty(page.Document.QuerySelectorAll("tr[data-audit-id]"));
        Assert.Null(page.Document.QuerySelector($"form[action='{ExportUrl}']"));
        if (!query.Contains("%00", StringComparison.Ordinal))
        {
            // The same filter posted to the download: the page again with the message, no file, no audit row.
            // (A NUL in a URL-encoded form is refused by ASP.NET Core itself with 400, before any action runs.)
            var download = await admin.PostFormAsync(ExportUrl, Url, ParseQuery(query));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, download.StatusCode);
            Assert.Contains(message, download.FieldError(field), StringComparison.Ordinal);
            Assert.Equal(before, await factory.MaxAuditIdAsync());
        }

        if (field is "From" or "To" or "EntityId" && !query.Contains("%00", StringComparison.Ordinal)) // HTML cannot carry a NUL back
        {
            var name = char.ToLowerInvariant(field[0]) + field[1..];
            Assert.Equal(ParseQuery(query).Single(q => q.Key == name).Value, page.InputValue(name));
        }
    }

    [Theory]
    [InlineData("from=0001-01-01&to=9999-12-31")]
    [InlineData("page=abc")]
    [InlineData("page=-1")]
    [InlineData("page=99999999999")]
    [InlineData("page=2147483647")]
    public async Task Extreme_but_valid_dates_and_odd_page_numbers_answer_200(string query)
    {
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);

        var page = await admin.GetAsync($"{Url}?{query}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Pages_hold_fifty_rows_and_cost_the_same_number_of_queries_however_big_the_table()
    {
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        await factory.AddAuditRowsAsync(Enumerable.Range(0, 60).Select(i => Row(At(2021, 6, 1, 0).AddMinutes(i), null, "system", "Goal", "paging-" + i)).ToArray());
        var query = $"{Url}?from=2021-06-01&to=2021-06-01&entity=Goal";

        var first = await factory.Counter.MeasureGetAsync(admin, query);
        var small = factory.Counter.FeatureCount;
        await factory.AddAuditRowsAsync(Enumerable.Range(0, 500).Select(i => Row(At(2021, 5, 1, 0).AddSeconds(i), null, "system", "Goal", "bulk-" + i)).ToArray());
        await factory.Counter.MeasureGetAsync(admin, query);
        var large = factory.Counter.FeatureCount;
        var second = await factory.Counter.MeasureGetAsync(admin, query + "&page=2");
        var deep = factory.Counter.FeatureCount;

        Assert.Equal(50, first.Document.QuerySelectorAll("tr[data-audit-id]").Length);
        Assert.Equal(Enumerable.Range(10, 50).Reverse().Select(i => "Goal #paging-" + i), first.Document.QuerySelectorAll("[data-entity]").Select(e => e.TextContent.Trim()));
        Assert.NotNull(first.Document.QuerySelector("a[rel='next']"));
        Assert.Equal(Enumerable.Range(0, 10).Reverse().Select(i => "Goal #paging-" + i), second.Document.QuerySelectorAll("[data-entity]").Select(e => e.TextContent.Trim()));
        Assert.Null(second.Document.QuerySelector("a[rel='next']"));
        Assert.Equal(small, large);
        Assert.Equal(small, deep);
        Assert.InRange(small, 1, 4);
    }

    [Fact]
    public async Task The_csv_download_holds_the_filtered_rows_formula_safe_and_is_itself_audited()
    {
        var id = UniqueId();
        var changes = JsonSerializer.Serialize(new Dictionary<string, object> { ["Title"] = new { before = "=HYPERLINK(\"http://evil.test\")", after = "Café, \"quoted\"\r\nsecond line" } });
        await factory.AddAuditRowsAsync(
            Row(At(2022, 2, 1, 9), null, "=cmd|' /C calc'!A0", "Goal", id, changes: changes),
            Row(At(2022, 2, 1, 10), null, "@SUM(1+1)", "Goal", id, action: "Created", changes: "{\"Title\":\"-2+3\"}"),
            Row(At(2022, 2, 1, 11), null, "system", "Goal", UniqueId()));
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var adminId = await factory.UserIdAsync(Demo.Admin);
        var page = await admin.GetAsync($"{Url}?entityId={id}");
        var (token, fields) = HtmlForms.FormOf(page, ExportUrl);
        Assert.Contains(fields, f => f.Key == "entityId" && f.Value == id);
        var before = await factory.MaxAuditIdAsync();

        var response = await admin.Http.PostAsync(ExportUrl, new FormUrlEncodedContent([.. fields, new(TestClient.TokenField, token)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var rows = Rfc4180Reader.ReadUtf8WithBom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["Id", "Time (UTC)", "Actor", "Action", "Entity type", "Entity id", "Changes (JSON)", "Correlation id"], rows[0]);
        Assert.Equal(3, rows.Count);
        Assert.Equal(("'@SUM(1+1)", "Created", "2022-02-01 10:00:00"), (rows[1][2], rows[1][3], rows[1][1]));
        Assert.Equal(("'=cmd|' /C calc'!A0", changes), (rows[2][2], rows[2][6]));
        Assert.All(rows.SelectMany(r => r), cell => Assert.False(cell.Length > 0 && "=+-@\t\r\0".Contains(cell[0], StringComparison.Ordinal), cell));

        var audit = Assert.Single(await factory.AuditAfterAsync(before));
        Assert.Equal((AuditExports.AuditLogType, AuditExports.ExportedAction, Demo.Admin, adminId), (audit.EntityType, audit.Action, audit.UserName, audit.UserId));
        Assert.False(string.IsNullOrEmpty(audit.CorrelationId));
        using var details = JsonDocument.Parse(audit.Changes);
        Assert.Equal(id, details.RootElement.GetProperty("entityId").GetString());
        Assert.Equal("csv", details.RootElement.GetProperty("format").GetString());
    }

    [Fact]
    public async Task The_download_needs_the_antiforgery_token()
    {
        using var admin = await TestClient.SignedInAsync(factory, Demo.Admin);
        var before = await factory.MaxAuditIdAsync();

        var response = await admin.PostRawAsync(ExportUrl, [new("entity", "Goal")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await factory.MaxAuditIdAsync());
    }

    [Fact]
    public void No_route_changes_or_removes_audit_rows()
    {
        var actions = factory.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items;
        var auditRoutes = actions.Where(a => a.AttributeRouteInfo?.Template?.Contains("audit", StringComparison.OrdinalIgnoreCase) == true)
            .Select(a => $"{string.Join(",", Methods(a))} {a.AttributeRouteInfo!.Template}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(["GET admin/audit", "POST admin/audit/export.csv"], auditRoutes);
    }

    private static IEnumerable<string> Methods(ActionDescriptor action) =>
        action.ActionConstraints?.OfType<Microsoft.AspNetCore.Mvc.ActionConstraints.HttpMethodActionConstraint>().SelectMany(c => c.HttpMethods) ?? ["ANY"];

    private static async Task<List<string>> ShownIdsAsync(TestClient client, string query)
    {
        var page = await client.GetAsync($"{Url}?{query}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return page.Document.QuerySelectorAll("[data-entity]").Select(e => e.TextContent.Trim().Split('#')[1]).ToList();
    }

    private static DateTimeOffset At(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    private static List<KeyValuePair<string, string>> ParseQuery(string query) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).Select(q => new KeyValuePair<string, string>(q.Key, q.Value.ToString())).ToList();
}
