using System.Text.RegularExpressions;
using AlignmentHub.Web.Infrastructure.Rendering;
using AngleSharp.Html.Parser;

namespace AlignmentHub.IntegrationTests.Security.Input;

/// <summary>
/// Checklist items 20 and 21: Razor encodes everything except what is written raw, so nothing under src/ may write
/// raw HTML but the one sanitising Markdown renderer; and that renderer keeps only allow-listed tags and
/// http/https/mailto links.
/// </summary>
public sealed partial class OutputEncodingTests
{
    /// <summary>The one place allowed to emit unencoded HTML: it sanitises what it emits.</summary>
    private const string SanitizerHelper = "src/AlignmentHub.Web/Infrastructure/Rendering/MarkdownRenderer.cs";

    private static readonly HashSet<string> AllowedTags =
    [
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "ins", "mark", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "input",
    ];

    [Fact]
    public void Nothing_under_src_writes_raw_html_except_the_sanitizer_helper()
    {
        var root = RepositoryRoot();
        var files = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 50, $"only {files.Count} source files found under {root}/src");
        Assert.Contains(files, f => Relative(root, f) == SanitizerHelper);

        var offences = files
            .Where(f => Relative(root, f) != SanitizerHelper)
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Relative(root, f), Line: i + 1, Text: line)))
            .Where(l => RawHtml().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(offences.Count == 0, "Raw HTML outside the sanitizer helper:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void The_ban_catches_each_way_of_writing_raw_html()
    {
        // The guard guards: each of these would bypass Razor's encoding.
        Assert.Matches(RawHtml(), "@Html.Raw(Model.Text)");
        Assert.Matches(RawHtml(), "return new HtmlString(text);");
        Assert.Matches(RawHtml(), "output.Content.SetHtmlContent(value);");
        Assert.Matches(RawHtml(), "builder.AppendHtml(value);");
        Assert.Matches(RawHtml(), "@(new Microsoft.AspNetCore.Html.HtmlString(x))");
        Assert.DoesNotMatch(RawHtml(), "@Model.Text");
        Assert.DoesNotMatch(RawHtml(), "return HtmlString.Empty;");
    }

    public static TheoryData<string> HostileMarkdown => new()
    {
        "[a](javascript:alert(1))",
        "[a](JaVaScRiPt:alert(1))",
        "[a](  javascript:alert(1))",
        "[a](java\tscript:alert(1))",
        "[a](&#106;avascript:alert(1))",
        "[a](&#x6A;avascript&#x3A;alert(1))",
        "[a](javascript&colon;alert(1))",
        "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[a](vbscript:msgbox(1))",
        "[a](file:///etc/passwd)",
        "[a][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "![i](javascript:alert(1))",
        "![i](x\" onerror=\"alert(1))",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "\"><img src=x onerror=alert(1)>",
        "</script><script>alert(1)</script>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<iframe src=\"https://evil.test\"></iframe>",
        "<svg onload=alert(1)></svg>",
        "<style>body{display:none}</style>",
        "<details open ontoggle=alert(1)>",
        "<form action=\"https://evil.test\"><button>x</button></form>",
        "[a](https://ok.test \"title\" onclick=alert(1))",
        "* [ ] task <b onmouseover=alert(1)>x</b>",
        "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
        "`<script>alert(1)</script>`",
        "```\n</code><script>alert(1)</script>\n```",
        "{{constructor.constructor('alert(1)')()}}",
    };

    [Theory]
    [MemberData(nameof(HostileMarkdown))]
    public void Rendered_markdown_keeps_only_allow_listed_tags_and_http_https_mailto_links(string markdown)
    {
        var html = new MarkdownRenderer().Render(markdown + "\n\n[fine](https://example.com/ok) [mail](mailto:team@example.com)").ToString()!;
        var document = new HtmlParser().ParseDocument("<body>" + html + "</body>");

        Assert.All(document.Body!.QuerySelectorAll("*"), e => Assert.Contains(e.LocalName, AllowedTags));
        Assert.All(document.Body.QuerySelectorAll("*"), e => Assert.DoesNotContain(e.Attributes, a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase) || a.Name is "src" or "style"));
        var links = document.Body.QuerySelectorAll("[href]").Select(a => a.GetAttribute("href")!).ToList();
        Assert.All(links, href => Assert.Matches("^(https?://|mailto:)", href));
        Assert.Contains("https://example.com/ok", links);
        Assert.Contains("mailto:team@example.com", links);
        Assert.All(document.Body.QuerySelectorAll("a"), a => Assert.Contains("noopener", a.GetAttribute("rel"), StringComparison.Ordinal));
    }

    [Fact]
    public void Ordinary_markdown_still_renders()
    {
        var html = new MarkdownRenderer().Render("# Vision\n\nWe **help** teams *align*.\n\n- one\n- two\n\n> quote\n\n[site](https://example.com)").ToString()!;
        var document = new HtmlParser().ParseDocument("<body>" + html + "</body>");

        Assert.Equal("Vision", document.QuerySelector("h1")?.TextContent);
        Assert.Equal("help", document.QuerySelector("strong")?.TextContent);
        Assert.Equal(2, document.QuerySelectorAll("ul > li").Length);
        Assert.NotNull(document.QuerySelector("blockquote"));
        Assert.Equal("https://example.com", document.QuerySelector("a")?.GetAttribute("href"));
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "src", "AlignmentHub.Web")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found above " + AppContext.BaseDirectory);
    }

    private static string Relative(string root, string file) => Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');

    [GeneratedRegex(@"Html\.Raw\s*\(|new\s+(Microsoft\.AspNetCore\.Html\.)?HtmlString\s*\(|SetHtmlContent\s*\(|AppendHtml\s*\(|new\s+HtmlContentBuilder\b")]
    private static partial Regex RawHtml();
}
