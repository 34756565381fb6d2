using System.Text;

namespace AlignmentHub.IntegrationTests.Security.Audit;

/// <summary>
/// A minimal, strict RFC 4180 reader for the tests: records end with CRLF, a quoted field may hold commas, CR, LF and
/// doubled quotes, and anything else (a bare quote inside an unquoted field, text after a closing quote, a lone CR or
/// LF outside quotes) is an error, so that a writer producing sloppy CSV fails the tests.
/// </summary>
internal static class Rfc4180Reader
{
    public static List<List<string>> Read(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        if (text.Length == 0)
        {
            return records;
        }

        while (true)
        {
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException("Unterminated quoted field.");
                    }

                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(text[i++]);
                }
            }
            else
            {
                while (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    if (text[i] == '"')
                    {
                        throw new FormatException($"A quote inside an unquoted field at {i}.");
                    }

                    field.Append(text[i++]);
                }
            }

            record.Add(field.ToString());
            field.Clear();
            if (i >= text.Length)
            {
                throw new FormatException("The last record does not end with CRLF.");
            }

            if (text[i] == ',')
            {
                i++;
                continue;
            }

            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i += 2;
                records.Add(record);
                record = [];
                if (i == text.Length)
                {
                    return records;
                }

                continue;
            }

            throw new FormatException($"Unexpected character U+{(int)text[i]:X4} after a field at {i}.");
        }
    }

    /// <summary>Reads CSV bytes, requiring the UTF-8 byte-order mark exactly once at the start.</summary>
    public static List<List<string>> ReadUtf8WithBom(byte[] bytes)
    {
        Assert.True(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "The CSV does not start with the UTF-8 byte-order mark.");
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 3, bytes.Length - 3);
        Assert.False(text.StartsWith('\uFEFF'), "The byte-order mark is written twice.");
        return Read(text);
    }
}
