using System.Globalization;

namespace AlignmentHub.IntegrationTests.Support;

/// <summary>Text as tests write and compare it.</summary>
public static class TestText
{
    /// <summary>For URLs and form fields, whatever the machine's culture.</summary>
    public static string Invariant(this int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Invariant(this long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The text a reader gets: runs of white space (line breaks of the markup included) as one space.</summary>
    public static string Normalise(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
