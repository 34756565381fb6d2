using System.Globalization;
using System.Numerics;

namespace AlignmentHub.Web.Infrastructure.Binding;

/// <summary>Why a typed value could not be read; <see cref="None"/> when it could.</summary>
public enum FormValueProblem
{
    None,

    /// <summary>A comma, as a decimal or thousands separator ("0,5", "1,000"): which one is meant cannot be known.</summary>
    Comma,

    /// <summary>Not a number of the field's kind ("abc", "NaN", "1.5" for a whole number).</summary>
    NotANumber,

    /// <summary>A number, but beyond what the field's type holds ("1e309", "2147483648" for an int).</summary>
    TooLarge,

    /// <summary>Neither the name nor the number of a defined option ("Someday", "99", "0,5", "+1").</summary>
    NotAnOption,
}

/// <summary>
/// The strict reading of form values behind <see cref="StrictValueModelBinder"/>, kept free of ASP.NET Core so it can be
/// tested on its own. The framework's own reading is lenient in ways that save the wrong thing: numbers accept thousands
/// separators ("0,5" is 5, "1,000" is 1000) and enums read "0,5" or "A,B" as the bitwise OR of the parts and "+1" as 1.
/// </summary>
public static class FormValueParser
{
    public const string CommaMessage = "Use a dot for decimals, such as 0.5, and no thousands separators.";
    public const string WholeNumberCommaMessage = "Enter a whole number without separators, such as 1000.";
    public const string NotANumberMessage = "Enter a number, such as 42 or 3.5.";
    public const string TooLargeMessage = "This number is too large.";
    public const string NotAnOptionMessage = "Choose one of the listed options.";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Whether <paramref name="type"/> (not nullable) is a number this parser reads.</summary>
    public static bool IsNumber(Type type) =>
        type == typeof(decimal) || type == typeof(double) || type == typeof(float) || type == typeof(int) || type == typeof(long);

    public static bool IsWholeNumber(Type type) => type == typeof(int) || type == typeof(long);

    /// <summary>Whether <paramref name="type"/> (not nullable) is an enum of single choices, not a [Flags] set.</summary>
    public static bool IsChoice(Type type) => type.IsEnum && !type.IsDefined(typeof(FlagsAttribute), inherit: false);

    /// <summary>
    /// Reads a number the way the app writes them: invariant culture, a dot for decimals, an optional sign and exponent
    /// (whole numbers: sign only), surrounding spaces allowed, no thousands separators, nothing but finite values.
    /// </summary>
    public static FormValueProblem ParseNumber(string text, Type type, out object? value)
    {
        value = null;
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return FormValueProblem.NotANumber; // .NET's parsers stop at a NUL: "5\0" would read as 5
        }

        if (IsWholeNumber(type))
        {
            if (type == typeof(int) ? int.TryParse(text, NumberStyles.Integer, Invariant, out var i) && Keep(i, out value)
                : long.TryParse(text, NumberStyles.Integer, Invariant, out var l) && Keep(l, out value))
            {
                return FormValueProblem.None;
            }

            return BigInteger.TryParse(text, NumberStyles.Integer, Invariant, out _) ? FormValueProblem.TooLarge
                : CommaSeparated(text, NumberStyles.Integer) ? FormValueProblem.Comma
                : FormValueProblem.NotANumber;
        }

        var parsed = type == typeof(decimal) ? decimal.TryParse(text, NumberStyles.Float, Invariant, out var m) && Keep(m, out value)
            : type == typeof(double) ? double.TryParse(text, NumberStyles.Float, Invariant, out var d) && double.IsFinite(d) && Keep(d, out value)
            : type == typeof(float) ? float.TryParse(text, NumberStyles.Float, Invariant, out var f) && float.IsFinite(f) && Keep(f, out value)
            : throw new ArgumentException($"{type} is not a number type.", nameof(type));
        if (parsed)
        {
            return FormValueProblem.None;
        }

        // A number in digits that the type cannot hold is too large; the words "NaN" and "Infinity" are no numbers.
        return double.TryParse(text, NumberStyles.Float, Invariant, out var wide) && !double.IsNaN(wide) && text.Any(char.IsAsciiDigit)
            ? FormValueProblem.TooLarge
            : CommaSeparated(text, NumberStyles.Float) ? FormValueProblem.Comma
            : FormValueProblem.NotANumber;
    }

    /// <summary>
    /// Reads one option of an enum: a defined member's name (any case, surrounding spaces ignored) or its value as a
    /// plain decimal integer ("2", "-1"; not "+2", "02", "2.0" or "0,2").
    /// </summary>
    public static FormValueProblem ParseChoice(string text, Type enumType, out object? value)
    {
        value = null;
        var trimmed = text.Trim();
        foreach (var name in Enum.GetNames(enumType))
        {
            if (string.Equals(name, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                value = Enum.Parse(enumType, name);
                return FormValueProblem.None;
            }
        }

        if (IsPlainInteger(trimmed) && long.TryParse(trimmed, NumberStyles.AllowLeadingSign, Invariant, out var number))
        {
            foreach (var member in Enum.GetValues(enumType))
            {
                if (Convert.ToInt64(member, Invariant) == number)
                {
                    value = member;
                    return FormValueProblem.None;
                }
            }
        }

        return FormValueProblem.NotAnOption;
    }

    /// <summary>The message a user sees beside the field for <paramref name="problem"/>; null where the caller keeps its own.</summary>
    public static string? Message(FormValueProblem problem, Type type) => problem switch
    {
        FormValueProblem.Comma => IsWholeNumber(type) ? WholeNumberCommaMessage : CommaMessage,
        FormValueProblem.NotANumber => IsWholeNumber(type) ? null : NotANumberMessage, // whole numbers are mostly ids: the generic message
        FormValueProblem.TooLarge => TooLargeMessage,
        FormValueProblem.NotAnOption => NotAnOptionMessage,
        _ => null,
    };

    /// <summary>"0,5", "12,75", "1,000", "1.000,5": would be a number if the commas were separators of some kind.</summary>
    private static bool CommaSeparated(string text, NumberStyles styles) =>
        text.Contains(',', StringComparison.Ordinal)
        && (double.TryParse(text.Replace(",", string.Empty, StringComparison.Ordinal), styles, Invariant, out _)
            || double.TryParse(text.Replace(".", string.Empty, StringComparison.Ordinal).Replace(',', '.'), styles, Invariant, out _));

    /// <summary>"0", "7", "-3": no sign other than a leading minus, no leading zeros, nothing else.</summary>
    private static bool IsPlainInteger(string text)
    {
        var digits = text.StartsWith('-') ? text[1..] : text;
        return digits.Length > 0 && digits.All(char.IsAsciiDigit) && (digits == "0" ? text == "0" : digits[0] != '0');
    }

    private static bool Keep<T>(T parsed, out object? value)
    {
        value = parsed;
        return true;
    }
}
