using System.Text;

namespace AlignmentHub.IntegrationTests.Security.Input;

/// <summary>One value of the bad-input corpus.</summary>
/// <param name="Name">A short readable name for failure messages.</param>
/// <param name="Value">The text typed into the field (unused when <see cref="Encoded"/> is set).</param>
/// <param name="Encoded">A value already URL-encoded for the body, for byte sequences no .NET string can hold (invalid UTF-8, a stray %).</param>
/// <param name="Duplicate">Posted twice: the field's valid value first, then <see cref="Value"/> (the same key twice in one body).</param>
public sealed record CorpusValue(string Name, string Value, string? Encoded = null, bool Duplicate = false)
{
    public override string ToString() => Name;
}

/// <summary>
/// The bad-input corpus of checklist item 15: what users, browsers, copy-paste and attackers put into fields. Posted into
/// every field of every form by <see cref="FormCorpusTests"/>; values are grouped by kind so failures read clearly.
/// </summary>
public static class BadInputCorpus
{
    /// <summary>One mebibyte of text: larger than the request body limit, so it must be answered 413.</summary>
    /// <summary>Stands for the field's own valid value (a duplicate key holding the same value twice).</summary>
    public const string SameAsValid = "\u0001valid";

    public static readonly string OneMegabyte = new('m', 1024 * 1024);

    public static IReadOnlyList<CorpusValue> All { get; } = Build();

    private static IReadOnlyList<CorpusValue> Build()
    {
        var values = new List<CorpusValue>();
        void Add(string name, string value) => values.Add(new CorpusValue(name, value));

        // Empty and white space (the app trims; a required field must say so).
        Add("empty", string.Empty);
        Add("space", " ");
        Add("spaces", "     ");
        Add("tab", "\t");
        Add("newline", "\n");
        Add("crlf", "\r\n");
        Add("nbsp", "\u00A0");
        Add("em space", "\u2003");
        Add("ideographic space", "\u3000");
        Add("padded text", "  padded text  ");
        Add("tabbed text", "\ttabbed\t");
        Add("line separator", "a\u2028b");
        Add("paragraph separator", "a\u2029b");
        Add("next line", "a\u0085b");
        Add("two lines", "line one\nline two");
        Add("two lines crlf", "line one\r\nline two");
        Add("lone cr", "line one\rline two");

        // Length.
        Add("1 char", "x");
        Add("7 chars", "abcdefg");
        Add("51 chars", new string('k', 51));
        Add("201 chars", new string('t', 201));
        Add("501 chars", new string('m', 501));
        Add("4001 chars", new string('d', 4001));
        Add("10k chars", new string('a', 10_000));
        Add("10k accented", new string('é', 10_000));
        Add("10k emoji", string.Concat(Enumerable.Repeat("🚀", 5_000)));
        Add("20001 chars", new string('v', 20_001));
        Add("10k one token", "https://x.test/" + new string('p', 9_985));
        Add("1 MB", OneMegabyte);

        // Control characters.
        Add("NUL", "\0");
        Add("NUL inside", "a\0b");
        Add("SOH", "\u0001");
        Add("BEL", "bell\u0007");
        Add("backspace", "back\bspace");
        Add("form feed", "form\ffeed");
        Add("vertical tab", "v\vtab");
        Add("ANSI escape", "\u001B[31mred\u001B[0m");
        Add("DEL", "del\u007F");
        Add("C1 control", "c1\u0091");

        // Unicode that looks harmless or is not what it seems.
        Add("RTL override", "\u202Eevil.exe");
        Add("LTR override", "\u202Dtext\u202C");
        Add("RTL isolate", "\u2067abc\u2069");
        Add("zero-width space", "zero\u200Bwidth");
        Add("only zero-width", "\u200B\u200C\u200D");
        Add("ZWJ", "a\u200Db");
        Add("BOM", "\uFEFFbom");
        Add("word joiner", "a\u2060b");
        Add("soft hyphen", "soft\u00ADhyphen");
        Add("emoji", "Ship it 🚀");
        Add("family emoji", "👩‍👩‍👧‍👦");
        Add("flag", "🇩🇪🇫🇷");
        Add("skin tone", "👍🏽");
        Add("combining mark", "e\u0301te\u0301");
        Add("zalgo", "Z\u0351\u0346\u0353\u032Ba\u0356\u0317lgo\u0315\u0347");
        Add("only combining", "\u0301\u0301");
        Add("replacement char", "\uFFFD");
        Add("noncharacters", "\uFFFF\uFFFE");
        Add("lone high surrogate", "a\uD800b");
        Add("lone low surrogate", "a\uDC00b");
        Add("astral", "𝕳𝖊𝖑𝖑𝖔");
        Add("CJK", "目标与关键成果");
        Add("Arabic", "مرحبا بالعالم");
        Add("Hebrew", "שלום");
        Add("Hindi", "नमस्ते");
        Add("Turkish I", "İıIi");
        Add("German sharp s", "Straße ẞ");
        Add("ligature", "ﬁﬂ");
        Add("fullwidth", "ＡＢＣ");
        Add("homoglyph", "аdmin");
        Add("private use", "\uE000");

        // HTML, script and template injection.
        Add("bold tag", "<b>bold</b>");
        Add("script", "<script>alert(1)</script>");
        Add("img onerror", "\"><img src=x onerror=alert(1)>");
        Add("close script", "</script><script>alert(1)</script>");
        Add("close textarea", "</textarea><script>alert(1)</script>");
        Add("close title", "</title><script>alert(1)</script>");
        Add("svg onload", "'\"><svg onload=alert(1)>");
        Add("javascript url", "javascript:alert(1)");
        Add("javascript url mixed case", "JaVaScRiPt:alert(1)");
        Add("javascript url with tab", "java\tscript:alert(1)");
        Add("data url", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==");
        Add("vbscript url", "vbscript:msgbox(1)");
        Add("anchor javascript", "<a href=\"javascript:alert(1)\">x</a>");
        Add("iframe", "<iframe src=\"//evil.test\"></iframe>");
        Add("style tag", "<style>body{display:none}</style>");
        Add("html comment", "<!-- comment");
        Add("cdata end", "]]>");
        Add("entities", "&lt;script&gt;&amp;&#x3C;");
        Add("markdown js link", "[click](javascript:alert(1))");
        Add("markdown image", "![x](x\" onerror=\"alert(1))");
        Add("angular template", "{{constructor.constructor('alert(1)')()}}");
        Add("constructor", "{{constructor}}");
        Add("template literal", "${7*7}");
        Add("razor", "@(1+1) @DateTime.Now");
        Add("json break", "\"}];alert(1);//");
        Add("attribute break", "' autofocus onfocus='alert(1)");
        Add("backticks", "`whoami`");
        Add("xml entity", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>&e;");

        // SQL and other injections.
        Add("sql quote", "'");
        Add("sql double quote", "\"");
        Add("sql or", "' OR '1'='1");
        Add("sql drop", "'; DROP TABLE Goals;--");
        Add("sql union", "1' UNION SELECT Email, PasswordHash FROM AspNetUsers--");
        Add("sql comment", "x'/*");
        Add("sql sleep", "1; SELECT pg_sleep(5)--");
        Add("sql like", "%_%");
        Add("backslash", "\\");
        Add("path traversal", "../../etc/passwd");
        Add("windows path", "C:\\Windows\\win.ini");
        Add("format string", "%s%s%s%n");
        Add("composite format", "{0} {1:N}");
        Add("braces", "{{ }}");
        Add("header injection", "x\r\nSet-Cookie: evil=1");
        Add("encoded crlf text", "%0d%0aSet-Cookie:%20evil=1");
        Add("formula", "=cmd|' /C calc'!A0");
        Add("formula plus", "+1+1");
        Add("formula at", "@SUM(1+1)");
        Add("ldap", "*)(uid=*))(|(uid=*");
        Add("null word", "null");
        Add("undefined", "undefined");
        Add("NULL", "NULL");
        Add("object", "[object Object]");
        Add("json array", "[]");
        Add("json object", "{}");

        // Numbers, good and bad.
        Add("zero", "0");
        Add("minus zero", "-0");
        Add("plus zero", "+0");
        Add("double zero", "00");
        Add("one", "1");
        Add("minus one", "-1");
        Add("plus one", "+1");
        Add("half", "0.5");
        Add("minus half", "-0.5");
        Add("one and a half", "1.5");
        Add("comma decimal", "0,5");
        Add("comma decimal 2", "12,75");
        Add("thousands comma", "1,000");
        Add("german number", "1.000,5");
        Add("space thousands", "1 000");
        Add("underscore thousands", "1_000");
        Add("exponent", "1e3");
        Add("small exponent", "1E-3");
        Add("1e309", "1e309");
        Add("-1e309", "-1e309");
        Add("1e-400", "1e-400");
        Add("NaN", "NaN");
        Add("nan", "nan");
        Add("Infinity", "Infinity");
        Add("-Infinity", "-Infinity");
        Add("infinity sign", "∞");
        Add("hex", "0x10");
        Add("fraction", "1/2");
        Add("vulgar fraction", "½");
        Add("arabic digits", "١٢٣");
        Add("fullwidth digits", "１２３");
        Add("int max", "2147483647");
        Add("int overflow", "2147483648");
        Add("int min", "-2147483648");
        Add("int underflow", "-2147483649");
        Add("long max", "9223372036854775807");
        Add("long overflow", "9223372036854775808");
        Add("long underflow", "-9223372036854775809");
        Add("decimal max", "79228162514264337593543950335");
        Add("decimal overflow", "79228162514264337593543950336");
        Add("many digits", "0.1234567890123456789012345678901234567890");
        Add("huge integer", new string('9', 400));
        Add("trailing dot", "1.");
        Add("leading dot", ".5");
        Add("minus sign only", "-");
        Add("plus sign only", "+");
        Add("exponent only", "e");
        Add("dangling exponent", "1e");
        Add("double minus", "--1");
        Add("trailing minus", "1-");
        Add("unicode minus", "\u22121");
        Add("number with unit", "5 %");
        Add("number with currency", "€5");
        Add("padded number", " 7 ");
        Add("100", "100");
        Add("101", "101");
        Add("365", "365");
        Add("366", "366");
        Add("10000", "10000");
        Add("10001", "10001");
        Add("100000001", "100000001");
        Add("0.001", "0.001");

        // Booleans.
        Add("true", "true");
        Add("false", "false");
        Add("True", "True");
        Add("on", "on");
        Add("yes", "yes");
        Add("list", "1,2");

        // Dates and periods.
        Add("date min", "0001-01-01");
        Add("date max", "9999-12-31");
        Add("date 1970", "1970-01-01");
        Add("date 2100", "2100-12-31");
        Add("date 2101", "2101-01-01");
        Add("feb 30", "2027-02-30");
        Add("month 13", "2027-13-01");
        Add("month 0", "2027-00-10");
        Add("short date", "2027-1-1");
        Add("two-digit year", "27-01-01");
        Add("us date", "01/02/2027");
        Add("german date", "31.12.2027");
        Add("iso datetime", "2027-01-01T00:00:00Z");
        Add("hour 25", "2027-01-01 25:00");
        Add("iso week", "2027-W05");
        Add("zero date", "0000-00-00");
        Add("negative year", "-2027-01-01");
        Add("year 10000", "10000-01-01");
        Add("today", "today");
        Add("quarter", "2027-Q1");
        Add("quarter 5", "2027-Q5");
        Add("quarter 0", "2027-Q0");
        Add("old quarter", "1999-Q4");
        Add("far quarter", "9999-Q4");
        Add("lower quarter", "2027-q2");

        // Enum names and numbers.
        Add("enum Now", "Now");
        Add("enum lower", "now");
        Add("enum upper", "NOW");
        Add("enum padded", " Later ");
        Add("enum unknown", "Someday");
        Add("enum None", "None");
        Add("enum flags", "Now,Next");
        Add("enum int 99", "99");
        Add("enum int -1", "-1 ");
        Add("enum int 1.0", "1.0");
        Add("enum Shipped", "Shipped");
        Add("enum High", "High");

        // Ids, known and unknown, well- and ill-formed.
        Add("id abc", "abc");
        Add("id 99999999999", "99999999999");
        Add("id sql", "1 OR 1=1");
        Add("id 1e1", "1e1");
        Add("id guid empty", "00000000-0000-0000-0000-000000000000");
        Add("id guid", "6f9619ff-8b86-d011-b42d-00cf4fc964ff");
        Add("id admin", "admin");
        Add("link target unknown", "Goal:99999");
        Add("link target malformed", "Goal:");
        Add("link target bad type", "Planet:1");
        Add("link target negative", "KeyResult:-1");

        // URLs (evidence links and the like).
        Add("https url", "https://example.com/path?q=1#x");
        Add("http url", "http://example.com");
        Add("protocol-relative", "//evil.test");
        Add("ftp url", "ftp://example.com/file");
        Add("mailto", "mailto:someone@example.com");
        Add("idn url", "https://例え.テスト/");
        Add("url no host", "http://");
        Add("url with creds", "https://user:pass@example.com");
        Add("file url", "file:///etc/passwd");

        // Bytes no .NET string can hold, and broken encodings.
        values.Add(new CorpusValue("invalid utf-8", string.Empty, Encoded: "%FF%FE"));
        values.Add(new CorpusValue("overlong utf-8", string.Empty, Encoded: "%C0%AF"));
        values.Add(new CorpusValue("truncated utf-8", string.Empty, Encoded: "abc%E2%82"));
        values.Add(new CorpusValue("stray percent", string.Empty, Encoded: "100%"));
        values.Add(new CorpusValue("bad escape", string.Empty, Encoded: "%zz"));
        values.Add(new CorpusValue("encoded NUL", string.Empty, Encoded: "a%00b"));

        // The same key posted twice.
        values.Add(new CorpusValue("duplicate same", SameAsValid, Duplicate: true));
        values.Add(new CorpusValue("duplicate other", "other value", Duplicate: true));
        values.Add(new CorpusValue("duplicate empty", string.Empty, Duplicate: true));
        values.Add(new CorpusValue("duplicate number", "42", Duplicate: true));

        return values;
    }

    /// <summary>Values every field gets even in a sampled run: the classic failures of each kind.</summary>
    private static readonly string[] Core =
    [
        "empty", "spaces", "padded text", "10k chars", "1 MB", "NUL inside", "RTL override", "zero-width space", "emoji",
        "combining mark", "script", "img onerror", "sql drop", "minus zero", "comma decimal", "1e309", "NaN",
        "int overflow", "long overflow", "date min", "date max", "feb 30", "enum unknown", "enum int 99", "id abc",
        "id 99999999999", "invalid utf-8", "duplicate other",
    ];

    /// <summary>
    /// The values for each field of a form: all of them when <paramref name="full"/>; otherwise the core values and every
    /// sixteenth of the others, shifted by the field's position. Fields of a repeated row (a key result of the objective
    /// form: 14 of its 24 fields, more than half its posts) get every other core value and every 32nd other value, each
    /// shifted by the field's position. A form of sixteen fields or more is then topped up so that every value still
    /// goes into some field of it; smaller forms get their share, and every value goes into some field of the run.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<CorpusValue>> Plan(IReadOnlyList<bool> isRowField, bool full)
    {
        if (full)
        {
            return isRowField.Select(_ => All).ToList();
        }

        var plan = isRowField.Select((row, field) => All.Where((v, i) => Core.Contains(v.Name)
            ? !row || (Array.IndexOf(Core, v.Name) + field) % 2 == 0
            : (i + field) % (row ? 2 * Stride : Stride) == 0).ToList()).ToList();
        if (plan.Count >= Stride)
        {
            var missing = All.Where(v => !plan.Any(p => p.Contains(v))).ToList();
            for (var m = 0; m < missing.Count; m++)
            {
                plan[m % plan.Count].Add(missing[m]); // spread over the form, in corpus order within each field
            }
        }

        return plan;
    }

    private const int Stride = 16;

    /// <summary>The value as it goes into an application/x-www-form-urlencoded body.</summary>
    public static string Encode(string value) => System.Web.HttpUtility.UrlEncode(value, Encoding.UTF8);
}
