using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using AlignmentHub.IntegrationTests.Support;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace AlignmentHub.IntegrationTests.Security.Input;

/// <summary>
/// Checklist item 15 (and 16: raw HTTP, no script involved): every corpus value in every field of every form the
/// app has. Each answer must be a 400/413, or a 422 with a message beside that field and the typed text still in
/// it, or a save that stored what was typed (trimmed). A refused post changes nothing in the database.
/// </summary>
/// <remarks>
/// To keep the run short the forms run in two lanes of one app (and database) each, and the form is read again only after a
/// save: refused posts reuse the antiforgery token and version they were given. "Nothing changed" is checked on every
/// post by the change counter (one step per committed business transaction) and, after each field, by a fingerprint
/// of every domain row.
/// </remarks>
public sealed class FormCorpusTests(ITestOutputHelper output)
{
    /// <summary>Forms the crawl must find; a form missing here means discovery broke, not that the app is safe.</summary>
    private static readonly string[] ExpectedActions =
    [
        "/products/{n}/vision/edit",
        "/products/{n}/goals/new",
        "/products/{n}/goals/{n}/edit",
        "/products/{n}/goals/{n}/move",
        "/products/{n}/goals/{n}/retire",
        "/okrs/objectives/{n}/delete",
        "/roadmap/items/{n}/delete",
        "/okrs/objectives/new",
        "/okrs/objectives/{n}/edit",
        "/okrs/objectives/{n}/close",
        "/okrs/key-results/{n}/check-ins",
        "/roadmap/items/new",
        "/roadmap/items/{n}/edit",
        "/roadmap/items/{n}/status",
        "/roadmap/items/{n}/evidence",
        "/alignment/relink",
        "/admin/users/{id}/roles",
        "/admin/users/{id}/disable",
        "/admin/audit/export.csv",
        "/teams/{n}/export.csv",
    ];

    /// <summary>
    /// Forms that upload a file. The corpus posts text, URL-encoded, which a file field cannot hold, so these forms are
    /// left out of the run, by name: their bad input is files, tested by TeamImportTests (empty, not JSON, wrong format,
    /// versions, too deep, too large, and rows that break a rule, each refused beside the file field or listed by row).
    /// </summary>
    private static readonly string[] FileForms = ["/admin/import"];

    /// <summary>
    /// Forms whose save ends the object's life (retired, achieved, closed, relinked away). The form as shown is not valid
    /// (a choice for the items that lose their link must be made), so the run finds the valid form by saving it, and
    /// the crawl offers one page (or a few) of each: the run stops when no page shows the form any more. Reported in the
    /// summary and in docs/security/input.md, not hidden: these forms get the valid save, not the whole corpus.
    /// </summary>
    private static readonly string[] Destructive = ["/retire", "/achieve", "/close", "/alignment/relink", "/delete"];

    /// <summary>
    /// Fields the app reads only in some states of the form. In the state the run posts them in, they do not apply and a
    /// save that ignores them is right. Each rule is the app's own rule (ObjectiveFormCommand.Alignment, KeyResult.Define).
    /// </summary>
    private static bool IgnoredWhenNotApplicable(FormKind kind, string field, IReadOnlyList<KeyValuePair<string, string>> valid)
    {
        string? Valid(string name) => valid.FirstOrDefault(v => v.Key == name).Value;
        var objective = kind.ActionTemplate.StartsWith("/okrs/objectives/", StringComparison.Ordinal);
        var row = field.StartsWith("KeyResults[", StringComparison.Ordinal) ? field[..(field.IndexOf(']', StringComparison.Ordinal) + 2)] : string.Empty;
        var name = field[row.Length..];
        return objective && (row, name) switch
        {
            // The goal or the parent, as AlignTo says: the other select is ignored.
            ("", "ParentObjectiveId") => Valid("AlignTo") == "Goal",
            ("", "GoalId") => Valid("AlignTo") == "Parent",

            // A currency code only for a currency key result; a percentage's unit is always "%"; a band only for "stay within".
            (_, "CurrencyCode") => Valid(row + "MetricType") != "Currency",
            (_, "Unit") => Valid(row + "MetricType") == "Percent",
            (_, "BandLow" or "BandHigh") => Valid(row + "Direction") != "StayWithin",

            // A new objective's rows are new key results: a posted id or version has nothing to refer to.
            (not "", "KeyResultId" or "Version") => kind.ActionTemplate.EndsWith("/new", StringComparison.Ordinal),
            _ => false,
        };
    }

    /// <summary>
    /// Rules on a pair of fields: the message stands beside the field the rule is about, which may be the partner of
    /// the one the run changed (baseline too large ⇒ "the target must be above the baseline", beside the target).
    /// </summary>
    private static IEnumerable<string> Partners(string field)
    {
        var row = field.StartsWith("KeyResults[", StringComparison.Ordinal) ? field[..(field.IndexOf(']', StringComparison.Ordinal) + 2)] : string.Empty;
        return field[row.Length..] switch
        {
            "Baseline" => [row + "Target"],
            "Direction" => [row + "Target", row + "BandLow", row + "BandHigh"], // a direction changes what the target and band must be
            "StartDate" => ["EndDate", "TargetPeriodKey"], // both dates or neither; dates or a quarter, not both
            "EndDate" => ["StartDate", "TargetPeriodKey"],
            _ => [],
        };
    }

    /// <summary>Which fields belong to a repeated row (a key result of the objective form): sampled more thinly.</summary>
    private static List<bool> RowFields(FormKind kind) => kind.Fields.Select(f => f.Name.StartsWith("KeyResults[", StringComparison.Ordinal)).ToList();

    /// <summary>The board's move form answers in a flash message above the board (the columns have no field to put it beside).</summary>
    private static bool AnswersWithFlash(FormKind kind, FormField field) =>
        kind.ActionTemplate == "/roadmap/items/{n}/move" && field.Name == "Horizon" && kind.Fields.Any(f => f.Name == "returnQuery");

    [Fact]
    public async Task Every_corpus_value_in_every_field_of_every_form_is_refused_beside_the_field_with_the_input_kept_or_saved_as_typed()
    {
        Assert.True(BadInputCorpus.All.Count >= 200, $"the corpus has {BadInputCorpus.All.Count} values");
        var clock = Stopwatch.StartNew();
        FormDiscovery.Result discovered;
        using (var factory = new AlignmentHubFactory())
        using (var client = await TestClient.SignedInAsync(factory, Demo.Admin))
        {
            discovered = await FormDiscovery.CrawlAsync(client);
        }

        var actions = discovered.Forms.Select(f => f.ActionTemplate).ToHashSet();
        Assert.All(ExpectedActions, a => Assert.Contains(a, actions));
        output.WriteLine($"{discovered.Forms.Count} forms, {discovered.Forms.Sum(f => f.Fields.Count)} fields, {BadInputCorpus.All.Count} values, discovered in {clock.Elapsed.TotalSeconds:F1} s");

        var only = Environment.GetEnvironmentVariable("CORPUS_FORMS");
        var fileForms = discovered.Forms.Where(f => f.Fields.Any(x => x.InputType == "file")).Select(f => f.ActionTemplate).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(FileForms, fileForms);
        var forms = discovered.Forms.Where(f => !fileForms.Contains(f.ActionTemplate) && (only is null || f.ActionTemplate.Contains(only, StringComparison.Ordinal))).ToList();
        var unreached = BadInputCorpus.All.Except(discovered.Forms.SelectMany(f => BadInputCorpus.Plan(RowFields(f), Full).SelectMany(p => p))).ToList();
        Assert.True(unreached.Count == 0, "values no field of the run receives: " + string.Join(", ", unreached));
        var failures = new List<string>();
        var outcomes = new List<string>();
        await Task.WhenAll(Lanes(forms).Select(async lane =>
        {
            using var factory = new AlignmentHubFactory();
            using var client = await TestClient.SignedInAsync(factory, Demo.Admin);
            foreach (var form in lane)
            {
                var run = new FormRun(form, discovered.PagesByTemplate.GetValueOrDefault(form.PageTemplate) ?? []);
                try
                {
                    if (IsDestructive(form))
                    {
                        // Two of them may end the same goal or objective (achieve and retire): each gets a database of its own.
                        using var own = new AlignmentHubFactory();
                        using var ownClient = await TestClient.SignedInAsync(own, Demo.Admin);
                        await run.RunAsync(own, ownClient);
                    }
                    else
                    {
                        await run.RunAsync(factory, client);
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    run.Crashed(ex); // one broken form must not hide the results of the others
                }

                lock (failures)
                {
                    failures.AddRange(run.Failures.Select(f => $"{form.ActionTemplate}: {f}"));
                    outcomes.Add(run.Summary);
                }
            }
        }));

        foreach (var line in outcomes.Order(StringComparer.Ordinal))
        {
            output.WriteLine(line);
        }

        output.WriteLine($"total {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(80)));
    }

    /// <summary>
    /// The forms in two lanes (two cores), each lane one app and database run form after form: an app per form spent more
    /// time starting apps than posting on a loaded machine. Each form's run starts from a fresh fingerprint, so what the
    /// forms before it saved does not matter; exports go first (the audit log they read is still short). Destructive forms
    /// (few posts) get an app of their own. Lanes are balanced by the number of posts.
    /// </summary>
    private static List<List<FormKind>> Lanes(IEnumerable<FormKind> forms)
    {
        var lanes = new List<(List<FormKind> Forms, int Posts)> { ([], 0), ([], 0) };
        foreach (var form in forms.OrderByDescending(f => BadInputCorpus.Plan(RowFields(f), Full).Sum(p => p.Count)))
        {
            var lightest = lanes.MinBy(l => l.Posts);
            var index = lanes.IndexOf(lightest);
            lightest.Forms.Add(form);
            lanes[index] = (lightest.Forms, lightest.Posts + BadInputCorpus.Plan(RowFields(form), Full).Sum(p => p.Count));
        }

        return lanes.Select(l => l.Forms
            .OrderBy(f => f.ActionTemplate.Contains("export", StringComparison.Ordinal) ? 0 : IsDestructive(f) ? 2 : 1)
            .ThenBy(f => f.ActionTemplate, StringComparer.Ordinal).ToList()).ToList();
    }

    private static bool IsDestructive(FormKind kind) => Destructive.Any(d => kind.ActionTemplate.EndsWith(d, StringComparison.Ordinal));

    /// <summary>The corpus run over one form.</summary>
    private sealed class FormRun(FormKind kind, List<string> pages)
    {
        private readonly List<string> failures = [];
        private readonly Dictionary<string, int> statuses = [];
        private int posts;
        private string note = string.Empty;
        private int saves;
        private int downloads;
        private int instance;
        private long titleCounter;

        public IReadOnlyList<string> Failures => failures;

        public void Crashed(Exception ex)
        {
            failures.Add("the test itself failed: " + ex.GetType().Name + ": " + ex.Message + " " + ex.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("FormCorpusTests", StringComparison.Ordinal))?.Trim());
            Summary = $"{kind.ActionTemplate}: crashed after {posts} posts";
        }

        public string Summary { get; private set; } = string.Empty;

        public async Task<FormRun> RunAsync(AlignmentHubFactory factory, TestClient client)
        {
            var clock = Stopwatch.StartNew();
            if (kind.PageTemplate.Contains("{id}", StringComparison.Ordinal))
            {
                pages = await OwnPagesAsync(client);
            }

            var form = await OpenAsync(client);
            if (form is null)
            {
                failures.Add($"the form is on none of {pages.Count} pages");
                return this;
            }

            // The values a user would post: what the form shows. Hidden fields (versions, ids) follow the form after each save.
            var valid = form.Values.ToList();
            var snapshot = await FingerprintAsync(factory);
            var counter = await CounterAsync(factory);
            var destructive = IsDestructive(kind);
            var repaired = await RepairAsync(client, form, valid, destructive);
            if (repaired is null)
            {
                Summary = Describe(clock);
                return this;
            }

            (form, valid) = repaired.Value;
            snapshot = await FingerprintAsync(factory);
            counter = await CounterAsync(factory);
            var plan = BadInputCorpus.Plan(RowFields(kind), Full);
            foreach (var (field, fieldIndex) in kind.Fields.Select((f, i) => (f, i)))
            {
                foreach (var value in plan[fieldIndex])
                {
                    var validValue = valid.FirstOrDefault(v => v.Key == field.Name).Value;
                    var body = Body(form, valid, field, value, validValue);
                    using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
                    using var response = await client.Http.PostAsync(form.Action, content);
                    var status = (int)response.StatusCode;
                    posts++;
                    statuses[status.ToString(CultureInfo.InvariantCulture)] = statuses.GetValueOrDefault(status.ToString(CultureInfo.InvariantCulture)) + 1;
                    var where = $"{field.Name} ← {value.Name}";
                    if (status >= 500)
                    {
                        failures.Add($"{where}: {status}");
                        continue;
                    }

                    if (status == 413 != (Encoding.UTF8.GetByteCount(body) > RequestLimitTests.BodyLimit))
                    {
                        failures.Add($"{where}: {status} for a body of {body.Length} bytes");
                    }

                    if (status == 200 && IsDownload(response))
                    {
                        // A read-only form (an export) answered with its file: the filter was read. Only the export's own
                        // audit row may have been written.
                        downloads++;
                        var after = await FingerprintAsync(factory);
                        var changed = after.ChangedKeys(snapshot).Where(k => !k.StartsWith(nameof(AlignmentHub.Domain.Auditing.AuditEntry) + "#", StringComparison.Ordinal) && !k.StartsWith("ChangeCounter#", StringComparison.Ordinal)).ToList();
                        if (changed.Count > 0)
                        {
                            failures.Add($"{where}: a download changed {string.Join(", ", changed.Take(5))}");
                        }

                        snapshot = after;
                        counter = await CounterAsync(factory);
                        continue;
                    }

                    if (status is 302 or 303 && field.Name == "returnQuery")
                    {
                        // Never stored: it only picks the board the move returns to, which must stay on the board.
                        var location = response.Headers.Location?.OriginalString ?? string.Empty;
                        if (!location.StartsWith("/roadmap", StringComparison.Ordinal))
                        {
                            failures.Add($"{where}: the move returned to “{Short(location)}”, not to the board");
                        }
                    }

                    if (status is 302 or 303)
                    {
                        saves++;
                        var after = await FingerprintAsync(factory);
                        var typed = Typed(value, validValue);
                        if (field.Name == "TargetPeriodKey")
                        {
                            typed = typed.ToUpperInvariant(); // quarters are stored as the app writes them: "2027-q2" is "2027-Q2"
                        }
                        var stored = after.ChangedSince(snapshot).ToList();
                        form = await OpenAsync(client);
                        var noChange = stored.Count == 0;
                        var shownAfter = form?.Values.FirstOrDefault(v => v.Key == field.Name).Value;
                        if (field.Kind is FieldKind.Button || (field.Kind is FieldKind.Hidden && (noChange || Same(typed, validValue) || SameNumber(typed, validValue)))
                            || field.Name == "returnQuery" || IgnoredWhenNotApplicable(kind, field.Name, valid))
                        {
                            // A button's value or an unchanged hidden version is not stored: the save only has to be harmless.
                        }
                        else if (noChange
                            ? !(shownAfter is not null && (Same(typed, shownAfter) || (field.InputType == "number" && SameNumber(typed, shownAfter)))) && !Same(typed, validValue)
                            : !Matches(typed, stored) && !Same(typed, validValue))
                        {
                            failures.Add($"{where}: saved, but no changed row holds the typed value (changed: {after.DescribeDifference(snapshot)})");
                        }

                        if (form is null && destructive)
                        {
                            Summary = Describe(clock) + $" (destructive: no page left after {saves} saves, stopped at {where})";
                            return this;
                        }

                        if (form is null)
                        {
                            failures.Add($"no page left to show the form after {saves} saves; stopped at {where}");
                            Summary = Describe(clock);
                            return this;
                        }

                        valid = Refresh(valid, form);
                        snapshot = after; // reading the form again changes nothing
                        counter = await CounterAsync(factory);
                        continue;
                    }

                    var now = await CounterAsync(factory);
                    if (now != counter)
                    {
                        failures.Add($"{where}: refused with {status} but the database changed");
                        counter = now;
                        snapshot = await FingerprintAsync(factory);
                    }

                    if (status == 422)
                    {
                        var html = await response.Content.ReadAsStringAsync();
                        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
                        CheckRefusal(page, field, value, validValue, where);
                    }
                    else if (status is not (400 or 404 or 409 or 413))
                    {
                        failures.Add($"{where}: unexpected {status}");
                    }
                }

                var check = await FingerprintAsync(factory);
                if (check.Hash != snapshot.Hash)
                {
                    failures.Add($"{field.Name}: refused posts changed rows {check.DescribeDifference(snapshot)}");
                    snapshot = check;
                }
            }

            Summary = Describe(clock);
            return this;
        }

        /// <summary>
        /// A form as a browser shows it is not always valid as it stands (a check-in starts empty, the orphan queue with
        /// nothing ticked): posts it, and for each field that gets a message tries the field's options or a few ordinary
        /// values until the form is accepted. Every corpus value is then posted against that valid form.
        /// </summary>
        private async Task<(FormInstance Form, List<KeyValuePair<string, string>> Valid)?> RepairAsync(TestClient client, FormInstance form, List<KeyValuePair<string, string>> valid, bool destructive)
        {
            var tried = new Dictionary<string, int>();
            string[] ordinary = ["7", "42", "Valid text", "https://example.com/evidence", "2027-03-01", "true"];
            for (var attempt = 0; attempt < 12; attempt++)
            {
                var body = Body(form, valid, kind.Fields[0], new CorpusValue("baseline", BadInputCorpus.SameAsValid), valid.FirstOrDefault(v => v.Key == kind.Fields[0].Name).Value);
                using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
                using var response = await client.Http.PostAsync(form.Action, content);
                if (response.StatusCode == HttpStatusCode.OK && IsDownload(response))
                {
                    downloads++;
                    return (form, valid); // an export: the form stays as it is
                }

                if ((int)response.StatusCode is 302 or 303)
                {
                    saves++;
                    var again = await OpenAsync(client);
                    if (again is null && destructive)
                    {
                        note = " (destructive: the valid save ended the only target)";
                        return null;
                    }

                    if (again is null)
                    {
                        failures.Add($"after the first save no page of {pages.Count} shows the form any more");
                        return null;
                    }

                    return (again, Refresh(valid, again));
                }

                if (response.StatusCode != HttpStatusCode.UnprocessableEntity)
                {
                    failures.Add($"the form as shown, made valid, answers {(int)response.StatusCode}");
                    return null;
                }

                var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
                var complaints = kind.Fields.Where(f => page.QuerySelectorAll($"[data-valmsg-for='{f.Name}']").Any(e => e.TextContent.Trim().Length > 0)).ToList();
                if (complaints.Count == 0)
                {
                    var message = page.QuerySelectorAll(".alert-danger, .field-validation-error").Select(e => e.TextContent.Trim()).FirstOrDefault(t => t.Length > 0);
                    failures.Add($"the form as shown cannot be saved: “{Short(message)}”");
                    return null;
                }

                foreach (var field in complaints)
                {
                    var candidates = field.Kind is FieldKind.Select or FieldKind.Choice ? field.Options.Where(o => o.Length > 0).ToArray() : ordinary;
                    var next = tried.GetValueOrDefault(field.Name);
                    if (next >= candidates.Length)
                    {
                        failures.Add($"no valid value found for {field.Name}");
                        return null;
                    }

                    tried[field.Name] = next + 1;
                    var index = valid.FindIndex(v => v.Key == field.Name);
                    if (index < 0)
                    {
                        valid.Add(new(field.Name, candidates[next]));
                    }
                    else
                    {
                        valid[index] = new(field.Name, candidates[next]);
                    }
                }
            }

            failures.Add("the form could not be made valid");
            return null;
        }

        private string Describe(Stopwatch clock) =>
            $"{kind.ActionTemplate}: {kind.Fields.Count} fields, {posts} posts, {saves} saves, " + (downloads > 0 ? $"{downloads} downloads, " : string.Empty) +
            string.Join(" ", statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}×{s.Value}")) +
            $", {failures.Count} failures, {clock.Elapsed.TotalSeconds:F1} s (fingerprints {fingerprinting.Elapsed.TotalSeconds:F1} s, form reads {opening.Elapsed.TotalSeconds:F1} s){note}";

        private void CheckRefusal(IDocument page, FormField field, CorpusValue value, string? validValue, string where)
        {
            var form = FormDiscovery.PostForms(page).FirstOrDefault(f =>
                FormDiscovery.Template(f.GetAttribute("action") ?? string.Empty) == kind.ActionTemplate
                && f.QuerySelector(".field-validation-error:not(:empty), .alert-danger, .validation-summary-errors") is not null);
            IParentNode scope = (IParentNode?)form ?? page;
            var beside = scope.QuerySelector($"[data-valmsg-for='{field.Name}']")?.TextContent.Trim();
            if (field.Kind is FieldKind.Hidden or FieldKind.Button)
            {
                // No place beside a hidden field: the message stands at the top of the form or beside the field it feeds.
                if (string.IsNullOrEmpty(beside) && scope.QuerySelectorAll(".field-validation-error, .alert, .validation-summary-errors").All(e => e.TextContent.Trim().Length == 0) && page.QuerySelectorAll(".alert").All(e => e.TextContent.Trim().Length == 0))
                {
                    failures.Add($"{where}: 422 without any message");
                }

                return;
            }

            if (string.IsNullOrEmpty(beside))
            {
                beside = Partners(field.Name).Select(p => scope.QuerySelector($"[data-valmsg-for='{p}']")?.TextContent.Trim()).FirstOrDefault(t => !string.IsNullOrEmpty(t));
            }

            if (string.IsNullOrEmpty(beside) && AnswersWithFlash(kind, field))
            {
                beside = page.QuerySelectorAll(".alert").Select(e => e.TextContent.Trim()).FirstOrDefault(t => t.Length > 0);
            }

            if (string.IsNullOrEmpty(beside))
            {
                var elsewhere = scope.QuerySelectorAll(".field-validation-error, .alert-danger").Select(e => e.TextContent.Trim()).FirstOrDefault(t => t.Length > 0);
                failures.Add($"{where}: 422 without a message beside the field (elsewhere: “{Short(elsewhere)}”)");
            }

            if (value.Encoded is not null || value.Duplicate)
            {
                return; // bytes no form field can hold, or two values at once: nothing single to keep
            }

            var typed = value.Value;
            var shown = scope.QuerySelector($"[name='{field.Name}']") switch
            {
                IHtmlTextAreaElement area => area.Value,
                IHtmlSelectElement select => field.Options.Contains(typed) ? select.SelectedOptions.FirstOrDefault()?.Value : null,
                IHtmlInputElement { Type: "checkbox" or "radio" } => null,
                IHtmlInputElement input => input.GetAttribute("value") ?? string.Empty,
                _ => null,
            };
            if (field.Kind == FieldKind.Select && !field.Options.Contains(typed))
            {
                return; // a select can only hold its options
            }

            if (typed.Any(c => c is >= '\u0080' and <= '\u009F'))
            {
                return; // Razor writes C1 controls as &#x85; and the like, which HTML reads as windows-1252 ("…"): see docs/security/input.md
            }

            if (shown is not null && !string.Equals(HtmlHoldable(typed).Trim(), HtmlHoldable(shown).Trim(), StringComparison.Ordinal))
            {
                failures.Add($"{where}: the field shows “{Short(shown)}” instead of what was typed");
            }
        }

        private readonly Stopwatch fingerprinting = new();
        private readonly Stopwatch opening = new();

        private async Task<DbFingerprint> FingerprintAsync(AlignmentHubFactory factory)
        {
            fingerprinting.Start();
            try
            {
                return await DbFingerprint.TakeAsync(factory);
            }
            finally
            {
                fingerprinting.Stop();
            }
        }

        private static bool IsDownload(HttpResponseMessage response) =>
            response.Content.Headers.ContentDisposition?.DispositionType == "attachment";

        /// <summary>
        /// Pages addressed by a GUID (a user's page) differ from one app to the next: found again in this run's app, as
        /// the links of the page above them ("/admin/users" for "/admin/users/{id}").
        /// </summary>
        private async Task<List<string>> OwnPagesAsync(TestClient client)
        {
            var parent = kind.PageTemplate[..kind.PageTemplate.IndexOf("/{id}", StringComparison.Ordinal)];
            var listing = await client.GetAsync(parent);
            return listing.Document.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!.Split('?', '#')[0])
                .Where(h => FormDiscovery.Template(h) == kind.PageTemplate).Distinct().ToList();
        }

        private async Task<FormInstance?> OpenAsync(TestClient client)
        {
            using var timing = new Timing(opening);
            for (; instance < pages.Count; instance++)
            {
                var page = await client.GetAsync(pages[instance]);
                if (page.StatusCode == HttpStatusCode.OK && FormDiscovery.Find(page, kind) is { } form)
                {
                    return form;
                }
            }

            return null;
        }

        /// <summary>After a save: the visible fields keep the values the run started from, hidden ones (versions, ids) follow the form.</summary>
        private static List<KeyValuePair<string, string>> Refresh(List<KeyValuePair<string, string>> valid, FormInstance form)
        {
            var hidden = form.Values.GroupBy(v => v.Key).ToDictionary(g => g.Key, g => g.First().Value);
            return valid.Select(v => v.Key.EndsWith("Version", StringComparison.Ordinal) || v.Key.EndsWith("Id", StringComparison.Ordinal) && v.Key.Contains('.', StringComparison.Ordinal) || v.Key is "SeenItems" or "SeenObjectives" or "ShownIds"
                    ? new KeyValuePair<string, string>(v.Key, hidden.GetValueOrDefault(v.Key, v.Value))
                    : v)
                .ToList();
        }

        private string Body(FormInstance form, List<KeyValuePair<string, string>> valid, FormField field, CorpusValue value, string? validValue)
        {
            var pairs = new List<string>();
            var placed = false;
            foreach (var (name, current) in valid)
            {
                var text = current;
                if (name == "Title" && field.Name != "Title" && kind.ActionTemplate.EndsWith("/new", StringComparison.Ordinal))
                {
                    text = $"{current} {Interlocked.Increment(ref titleCounter)}"; // create forms refuse a second goal of the same title
                }

                if (name == "Text" && field.Name != "Text" && kind.ActionTemplate.EndsWith("/vision/edit", StringComparison.Ordinal))
                {
                    text = $"{current} {Interlocked.Increment(ref titleCounter)}"; // an unchanged vision is refused ("no new version"), beside Text
                }

                if (name == field.Name && !placed)
                {
                    placed = true;
                    if (value.Duplicate)
                    {
                        pairs.Add(BadInputCorpus.Encode(name) + "=" + BadInputCorpus.Encode(text));
                    }
                    else
                    {
                        pairs.Add(BadInputCorpus.Encode(name) + "=" + EncodedValue(value, validValue));
                        continue;
                    }
                }

                if (name == field.Name && placed && value.Duplicate)
                {
                    pairs.Add(BadInputCorpus.Encode(name) + "=" + EncodedValue(value, validValue));
                    continue;
                }

                pairs.Add(BadInputCorpus.Encode(name) + "=" + BadInputCorpus.Encode(text));
            }

            if (!placed)
            {
                pairs.Add(BadInputCorpus.Encode(field.Name) + "=" + EncodedValue(value, validValue));
            }

            pairs.Add(TestClient.TokenField + "=" + BadInputCorpus.Encode(form.Token));
            return string.Join("&", pairs);
        }

        private static string EncodedValue(CorpusValue value, string? validValue) =>
            value.Encoded ?? BadInputCorpus.Encode(value.Value == BadInputCorpus.SameAsValid ? validValue ?? string.Empty : value.Value);

        /// <summary>What the server reads from the value.</summary>
        private static string Typed(CorpusValue value, string? validValue) =>
            value.Duplicate ? validValue ?? string.Empty // model binding takes the first of two values
            : value.Encoded is { } encoded ? Uri.UnescapeDataString(encoded.Replace('+', ' ')) // as ASP.NET Core's form reader: invalid escapes stay as they are
            : ReplaceLoneSurrogates(value.Value);
    }

    private sealed class Timing : IDisposable
    {
        private readonly Stopwatch watch;

        public Timing(Stopwatch watch)
        {
            this.watch = watch;
            watch.Start();
        }

        public void Dispose() => watch.Stop();
    }

    /// <summary>
    /// Every value in every field when <c>ALIGNMENTHUB_CORPUS_FULL</c> is set (about 25,000 posts, half an hour on a
    /// loaded 2-core machine); otherwise a sample per field that still posts each value into some field of each form.
    /// </summary>
    private static bool Full => Environment.GetEnvironmentVariable("ALIGNMENTHUB_CORPUS_FULL") is "1" or "true";

    private static Task<long> CounterAsync(AlignmentHubFactory factory) =>
        factory.QueryAsync(db => db.ChangeCounters.Select(c => c.Value).SingleAsync());

    private static string Short(string? text) => text is null ? "∅" : text.Length > 60 ? text[..60] + "…" : text;

    /// <summary>What an HTML document can carry of a text: the parser turns CR LF and CR into LF and NUL into U+FFFD.</summary>
    private static string HtmlHoldable(string text) =>
        ReplaceLoneSurrogates(text).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace('\0', '\uFFFD');

    private static string ReplaceLoneSurrogates(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>Whether some changed row stores <paramref name="typed"/>, allowing for the documented trimming and for numbers, dates and enums.</summary>
    public static bool Matches(string typed, IReadOnlyList<RowState> rows)
    {
        if (rows.Any(r => r.Values.Values.Any(v => Same(typed, v))))
        {
            return true;
        }

        // Link targets are posted as "Goal:5" and stored as a type and an id.
        var parts = typed.Trim().Split(':');
        return parts.Length == 2 && rows.Any(r => r.Values.Values.Any(v => v is Enum && Same(parts[0], v)) && r.Values.Values.Any(v => v is not Enum && Same(parts[1], v)));
    }

    /// <summary>Numbers as numbers ("-0" and "0", "00" and "0.0000"), for hidden versions and number inputs.</summary>
    public static bool SameNumber(string typed, string? shown) =>
        decimal.TryParse(HtmlHoldable(typed).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
        && decimal.TryParse(shown?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var b) && a == b;

    public static bool Same(string typed, object? stored)
    {
        if (typed is null)
        {
            return stored is null;
        }

        var text = HtmlHoldable(typed).Trim();

        // Strict on purpose: no thousands separators ("1,000" saved as 1000 is a bug, as is "0,5" saved as 5), and an
        // option is its name or its plain number ("0,5", "1,2" or "+1" saved as some option is a bug).
        var number = NumberStyles.Float;
        return stored switch
        {
            null => text.Length == 0,
            string s => HtmlHoldable(s).Trim() == text,
            Enum e => string.Equals(e.ToString(), text, StringComparison.OrdinalIgnoreCase)
                || (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && Convert.ToInt64(e, CultureInfo.InvariantCulture) == n),
            bool b => bool.TryParse(text, out var t) && t == b,
            DateOnly d => DateOnly.TryParse(text, CultureInfo.InvariantCulture, out var t) && t == d,
            DateTime d => DateTime.TryParse(text, CultureInfo.InvariantCulture, out var t) && t == d,
            DateTimeOffset d => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, out var t) && t == d,
            int or long or short or decimal or double or float => decimal.TryParse(text, number, CultureInfo.InvariantCulture, out var t)
                && t == Convert.ToDecimal(stored, CultureInfo.InvariantCulture),
            _ => DbFingerprint.Format(stored) == text,
        };
    }
}
