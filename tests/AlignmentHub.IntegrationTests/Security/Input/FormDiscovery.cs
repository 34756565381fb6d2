using System.Text.RegularExpressions;
using AlignmentHub.IntegrationTests.Support;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace AlignmentHub.IntegrationTests.Security.Input;

/// <summary>The kind of control a field is, as far as what it can hold goes.</summary>
public enum FieldKind
{
    Text,
    TextArea,
    Select,
    Hidden,
    Choice,
    Button,
}

/// <summary>A field of a form: its name, control and the value a browser would submit.</summary>
public sealed record FormField(string Name, FieldKind Kind, string? InputType, IReadOnlyList<string> Options);

/// <summary>
/// A kind of form, found on a page: where it was found (<see cref="PageTemplate"/>, e.g. "/okrs/objectives/{n}/edit"),
/// where it posts and its fields. One form per action template and field set, however many pages show it.
/// </summary>
public sealed record FormKind(string PageTemplate, string ActionTemplate, IReadOnlyList<FormField> Fields)
{
    public string Key => ActionTemplate + " (" + string.Join(",", Fields.Select(f => f.Name)) + ")";

    public override string ToString() => ActionTemplate + " on " + PageTemplate;
}

/// <summary>A form as it stands on a page: its action, fields a browser would submit and antiforgery token.</summary>
public sealed record FormInstance(string PageUrl, string Action, string Token, List<KeyValuePair<string, string>> Values);

/// <summary>
/// Finds every form of the app the way a user does: signs in, starts at the home page and follows links (one page
/// per address template, so the 40 objective pages count once), reading each page's POST forms.
/// </summary>
public static partial class FormDiscovery
{
    /// <summary>Pages the crawl starts from besides the home page (the menus link the rest).</summary>
    private static readonly string[] Seeds = ["/", "/okrs", "/roadmap", "/roadmap/list", "/alignment", "/dashboards", "/products/1/goals", "/products/1/vision"];

    public sealed record Result(IReadOnlyList<FormKind> Forms, IReadOnlyDictionary<string, List<string>> PagesByTemplate);

    public static async Task<Result> CrawlAsync(TestClient client, int maxPages = 120)
    {
        var pagesByTemplate = new Dictionary<string, List<string>>();
        var queue = new Queue<string>();
        var visitedTemplates = new Dictionary<string, int>();
        var forms = new Dictionary<string, FormKind>();
        void Enqueue(string url)
        {
            var template = Template(url);
            if (!pagesByTemplate.TryGetValue(template, out var list))
            {
                pagesByTemplate[template] = list = [];
            }

            if (!list.Contains(url))
            {
                list.Add(url);
            }

            // A user's page differs by who it is (one's own page has no "disable"): a few of them, one of anything else.
            if (visitedTemplates.GetValueOrDefault(template) < (template.Contains("{id}", StringComparison.Ordinal) ? 3 : 1))
            {
                visitedTemplates[template] = visitedTemplates.GetValueOrDefault(template) + 1;
                queue.Enqueue(url);
            }
        }

        foreach (var seed in Seeds)
        {
            Enqueue(seed);
        }

        var visited = 0;
        while (queue.Count > 0 && visited++ < maxPages)
        {
            var url = queue.Dequeue();
            var page = await client.GetAsync(url);
            if ((int)page.StatusCode != 200)
            {
                continue;
            }

            foreach (var href in page.Document.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!))
            {
                if (Crawlable(href))
                {
                    Enqueue(href.Split('#')[0]);
                }
            }

            foreach (var form in PostForms(page.Document))
            {
                var kind = KindOf(Template(url), form);
                if (kind.Fields.Count > 0)
                {
                    forms.TryAdd(kind.Key, kind);
                }
            }
        }

        // A save can end an object's life (closed, retired, archived): the form is then looked for on the same page of
        // the other objects of that kind whose ids the crawl saw ("/okrs/objectives/7/close" from "/okrs/objectives/7").
        var ids = pagesByTemplate.Values.SelectMany(l => l).Select(u => u.Split('?')[0]).ToList();
        foreach (var form in forms.Values)
        {
            var template = form.PageTemplate;
            var at = template.IndexOf("{n}", StringComparison.Ordinal);
            if (at < 0 || template.IndexOf("{n}", at + 3, StringComparison.Ordinal) >= 0 || !pagesByTemplate.TryGetValue(template, out var list))
            {
                continue;
            }

            var prefix = template[..at];
            foreach (var id in ids.Where(u => u.StartsWith(prefix, StringComparison.Ordinal)).Select(u => u[prefix.Length..].Split('/')[0]).Where(i => i.All(char.IsDigit) && i.Length > 0).Distinct())
            {
                var url = prefix + id + template[(at + 3)..];
                if (!list.Contains(url))
                {
                    list.Add(url);
                }
            }
        }

        return new Result(forms.Values.OrderBy(f => f.ActionTemplate, StringComparer.Ordinal).ToList(), pagesByTemplate);
    }

    /// <summary>
    /// The address with every number replaced by {n} and every GUID (user ids) by {id}, the query left out:
    /// "/okrs/objectives/{n}/edit", "/admin/users/{id}/roles".
    /// </summary>
    public static string Template(string url) => GuidSegment().Replace(NumberSegment().Replace(url.Split('?', '#')[0], "/{n}"), "/{id}");

    private static bool Crawlable(string href) =>
        href.StartsWith('/') && !href.StartsWith("//", StringComparison.Ordinal)
        && !href.StartsWith("/account/", StringComparison.Ordinal)
        && !href.StartsWith("/error", StringComparison.Ordinal)
        && !href.StartsWith("/health", StringComparison.Ordinal)
        && !href.StartsWith("/bench", StringComparison.Ordinal)
        && !Path.HasExtension(href.Split('?')[0]);

    public static IEnumerable<IHtmlFormElement> PostForms(IDocument document) =>
        document.QuerySelectorAll<IHtmlFormElement>("form")
            .Where(f => string.Equals(f.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase))
            .Where(f => !(f.GetAttribute("action") ?? string.Empty).Contains("logout", StringComparison.OrdinalIgnoreCase));

    private static FormKind KindOf(string pageTemplate, IHtmlFormElement form)
    {
        var fields = new List<FormField>();
        foreach (var element in form.QuerySelectorAll("input[name], textarea[name], select[name], button[name]"))
        {
            var name = element.GetAttribute("name")!;
            // Key-result rows repeat one template: the first row's fields stand for all rows.
            // __Invariant is ASP.NET Core's own marker for number inputs, no field of the app.
            if (name is TestClient.TokenField or "__Invariant" || fields.Any(f => f.Name == name) || RowIndex().Replace(name, "[0]") != name || name.Contains("__index__", StringComparison.Ordinal) || IsTemplateRow(element))
            {
                continue;
            }

            fields.Add(element switch
            {
                IHtmlTextAreaElement => new FormField(name, FieldKind.TextArea, null, []),
                IHtmlSelectElement select => new FormField(name, FieldKind.Select, null, select.Options.Select(o => o.Value).ToList()),
                IHtmlButtonElement => new FormField(name, FieldKind.Button, null, []),
                IHtmlInputElement { Type: "hidden" } => new FormField(name, FieldKind.Hidden, "hidden", []),
                IHtmlInputElement { Type: "checkbox" or "radio" } => new FormField(name, FieldKind.Choice, null,
                    form.QuerySelectorAll<IHtmlInputElement>("input").Where(i => i.GetAttribute("name") == name).Select(i => i.Value).ToList()),
                IHtmlInputElement { Type: "submit" or "button" } => new FormField(name, FieldKind.Button, null, []),
                IHtmlInputElement input => new FormField(name, FieldKind.Text, input.Type, []),
                _ => new FormField(name, FieldKind.Text, null, []),
            });
        }

        return new FormKind(pageTemplate, Template(form.GetAttribute("action") ?? string.Empty), fields);
    }

    /// <summary>The hidden row the objective form's script clones is no field of its own.</summary>
    private static bool IsTemplateRow(IElement element) => element.Closest("template") is not null;

    /// <summary>The form of this kind on <paramref name="page"/>, as a browser would submit it (its default button included).</summary>
    public static FormInstance? Find(Page page, FormKind kind)
    {
        foreach (var form in PostForms(page.Document))
        {
            var buttons = form.QuerySelectorAll<IHtmlButtonElement>("button").Where(b => b.Type == "submit").ToList();
            if (Template(form.GetAttribute("action") ?? string.Empty) != kind.ActionTemplate || KindOf(kind.PageTemplate, form).Key != kind.Key
                || (buttons.Count > 0 && buttons.All(b => b.IsDisabled)))
            {
                continue;
            }

            var values = HtmlForms.FieldsOf(form).Where(f => f.Key != TestClient.TokenField && !f.Key.Contains("__index__", StringComparison.Ordinal)).ToList();
            var button = form.QuerySelectorAll<IHtmlButtonElement>("button[name]").FirstOrDefault(b => b.Type == "submit" && !b.IsDisabled);
            if (button is not null)
            {
                values.Add(new(button.Name!, button.Value));
            }

            var token = form.QuerySelector<IHtmlInputElement>($"input[name='{TestClient.TokenField}']")?.Value ?? string.Empty;
            return new FormInstance(page.Response.RequestMessage!.RequestUri!.PathAndQuery, form.GetAttribute("action")!, token, values);
        }

        return null;
    }

    [GeneratedRegex(@"\[[1-9]\d*\]")]
    private static partial Regex RowIndex();

    [GeneratedRegex(@"/-?\d+(?=/|$)")]
    private static partial Regex NumberSegment();

    [GeneratedRegex(@"/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?=/|$)")]
    private static partial Regex GuidSegment();
}
