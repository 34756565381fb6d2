using System.Text;

namespace AlignmentHub.Web.Infrastructure.Export;

/// <summary>
/// Writes RFC 4180 CSV that spreadsheets open safely (checklist item 22): rows end with CRLF, a field holding a comma,
/// a quote, CR or LF is quoted with its quotes doubled, and a cell that starts with a formula trigger
/// (<c>= + - @</c>, TAB, CR, NUL) gets a leading <c>'</c> so Excel and LibreOffice show it as text instead of running it.
/// The encoding is UTF-8 with a byte-order mark, without which Excel reads accents as Latin-1.
/// </summary>
public sealed class CsvWriter : IAsyncDisposable
{
    /// <summary>UTF-8 that writes its byte-order mark at the start of the stream.</summary>
    public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: false);

    public const string ContentType = "text/csv; charset=utf-8";

    private static readonly char[] FormulaTriggers = ['=', '+', '-', '@', '\t', '\r', '\0'];
    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    private readonly TextWriter writer;
    private readonly bool ownsWriter;

    public CsvWriter(TextWriter writer)
    {
        this.writer = writer;
        ownsWriter = false;
    }

    private CsvWriter(StreamWriter writer, bool ownsWriter)
    {
        this.writer = writer;
        this.ownsWriter = ownsWriter;
    }

    /// <summary>A writer onto <paramref name="stream"/> (left open), BOM first. Flushes only when asked or disposed, so it streams.</summary>
    public static CsvWriter Create(Stream stream) =>
        new(new StreamWriter(stream, Encoding, bufferSize: 16 * 1024, leaveOpen: true) { NewLine = "\r\n" }, ownsWriter: true);

    public Task WriteRowAsync(params IEnumerable<string?> cells) => writer.WriteAsync(FormatRow(cells));

    public Task FlushAsync() => writer.FlushAsync();

    public async ValueTask DisposeAsync()
    {
        await writer.FlushAsync();
        if (ownsWriter)
        {
            await writer.DisposeAsync();
        }
    }

    /// <summary>One row, CRLF included.</summary>
    public static string FormatRow(IEnumerable<string?> cells) => string.Join(",", cells.Select(Escape)) + "\r\n";

    /// <summary>One field: neutralised (a leading <c>'</c> before a formula trigger), then quoted if it must be.</summary>
    public static string Escape(string? value)
    {
        var text = Neutralise(value ?? string.Empty);
        return text.IndexOfAny(NeedsQuotes) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    /// <summary>The cell text a spreadsheet will treat as text: <paramref name="value"/>, prefixed with <c>'</c> when it starts with a formula trigger.</summary>
    public static string Neutralise(string value) =>
        value.Length > 0 && Array.IndexOf(FormulaTriggers, value[0]) >= 0 ? "'" + value : value;
}
