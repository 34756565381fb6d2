using System.Text;
using AlignmentHub.Web.Infrastructure.Export;

namespace AlignmentHub.IntegrationTests.Security.Audit;

/// <summary>Checklist item 22: the CSV writer neutralises formula triggers and its RFC 4180 output reads back exactly.</summary>
public sealed class CsvWriterTests
{
    /// <summary>Values a spreadsheet would run as a formula (or that hide one behind a control character).</summary>
    private static readonly string[] DangerousValues =
    [
        "=1+1", "=HYPERLINK(\"http://evil.test\",\"click\")", "+1", "-1", "-2+3", "@SUM(A1:A2)", "=cmd|' /C calc'!A0",
        "\t=1+1", "\r=1+1", "\0=1", "=", "+", "-", "@", "\t", "\r", "\0", "=\"quoted\",comma", "-\r\n2",
    ];

    /// <summary>Values that need quoting or special care but are no formula.</summary>
    private static readonly string[] TrickyValues =
    [
        "", " ", "plain", "a,b", "say \"hi\"", "\"", "\"\"", "line\r\nbreak", "lf\nonly", "cr\ronly", "trailing,", ",leading",
        "Zoë's café – naïve façade", "日本語", "emoji 🎯", "right-to-left \u202Etxt", "zero\u200Bwidth", " =1 (space first)", "'already quoted",
        "mid=1+1", "x@y.test", "100%", "a\tb", "nul\0inside",
    ];

    public static TheoryData<string> Dangerous => Data(DangerousValues);

    public static TheoryData<string> Tricky => Data(TrickyValues);

    [Theory]
    [MemberData(nameof(Dangerous))]
    public void A_cell_starting_with_a_formula_trigger_reads_back_with_a_leading_apostrophe(string value)
    {
        var rows = Rfc4180Reader.Read(CsvWriter.FormatRow(["before", value, "after"]));

        var row = Assert.Single(rows);
        Assert.Equal(["before", "'" + value, "after"], row);
        Assert.DoesNotContain(row, c => c.Length > 0 && "=+-@\t\r\0".Contains(c[0], StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Tricky))]
    public void Every_other_value_reads_back_unchanged(string value)
    {
        var rows = Rfc4180Reader.Read(CsvWriter.FormatRow([value, value]) + CsvWriter.FormatRow(["second", value]));

        Assert.Equal([[value, value], ["second", value]], rows);
    }

    [Fact]
    public void Quoting_follows_rfc_4180_exactly()
    {
        Assert.Equal("plain", CsvWriter.Escape("plain"));
        Assert.Equal("\"a,b\"", CsvWriter.Escape("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", CsvWriter.Escape("say \"hi\""));
        Assert.Equal("\"two\r\nlines\"", CsvWriter.Escape("two\r\nlines"));
        Assert.Equal("'=1+1", CsvWriter.Escape("=1+1"));
        Assert.Equal("\"'=1,2\"", CsvWriter.Escape("=1,2"));
        Assert.Equal("", CsvWriter.Escape(null));
        Assert.Equal("a,,\"\"\"\"\r\n", CsvWriter.FormatRow(["a", null, "\""]));
    }

    [Fact]
    public async Task A_stream_gets_the_byte_order_mark_once_utf8_and_crlf_rows()
    {
        var all = DangerousValues.Concat(TrickyValues).ToList();
        using var stream = new MemoryStream();
        await using (var csv = CsvWriter.Create(stream))
        {
            await csv.WriteRowAsync("header", "value");
            foreach (var value in all)
            {
                await csv.WriteRowAsync("row", value);
            }
        }

        var bytes = stream.ToArray();
        var rows = Rfc4180Reader.ReadUtf8WithBom(bytes);

        Assert.Equal(all.Count + 1, rows.Count);
        Assert.Equal(["header", "value"], rows[0]);
        Assert.Equal(all.Select(CsvWriter.Neutralise), rows.Skip(1).Select(r => r[1]));
        Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("Zoë's café")) > 0, "accents are not written as UTF-8");
    }

    private static TheoryData<string> Data(string[] values)
    {
        var data = new TheoryData<string>();
        foreach (var value in values)
        {
            data.Add(value);
        }

        return data;
    }
}
