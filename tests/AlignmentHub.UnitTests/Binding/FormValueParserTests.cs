using AlignmentHub.Web.Infrastructure.Binding;

namespace AlignmentHub.UnitTests.Binding;

/// <summary>The strict reading of form numbers and options (checklist item 15): what is accepted, what is refused and why.</summary>
public sealed class FormValueParserTests
{
    public enum Status
    {
        Idea = 1,
        Planned = 2,
        Shipped = 4,
        Dropped = 5,
    }

    [Flags]
    private enum Days
    {
        None = 0,
        Monday = 1,
        Tuesday = 2,
    }

    [Theory]
    [InlineData("0.5", 0.5)]
    [InlineData(" 7 ", 7)]
    [InlineData("+1", 1)]
    [InlineData("-0.5", -0.5)]
    [InlineData("1e3", 1000)]
    [InlineData("1E-3", 0.001)]
    [InlineData(".5", 0.5)]
    [InlineData("1.", 1)]
    [InlineData("1e-400", 0)]
    public void Decimals_with_a_dot_are_read(string text, double expected)
    {
        Assert.Equal(FormValueProblem.None, FormValueParser.ParseNumber(text, typeof(decimal), out var value));
        Assert.Equal((decimal)expected, (decimal)value!);
    }

    [Theory]
    [InlineData("0,5")]
    [InlineData("12,75")]
    [InlineData("1,000")]
    [InlineData("1.000,5")]
    [InlineData("-0,5")]
    public void A_comma_is_refused_in_every_number_type_not_read_as_a_thousands_separator(string text)
    {
        foreach (var type in new[] { typeof(decimal), typeof(double), typeof(float) })
        {
            Assert.Equal(FormValueProblem.Comma, FormValueParser.ParseNumber(text, type, out var value));
            Assert.Null(value);
            Assert.Equal(FormValueParser.CommaMessage, FormValueParser.Message(FormValueProblem.Comma, type));
        }
    }

    [Theory]
    [InlineData("1,000", FormValueProblem.Comma)]
    [InlineData("0,5", FormValueProblem.Comma)]
    [InlineData("1.5", FormValueProblem.NotANumber)]
    [InlineData("1e3", FormValueProblem.NotANumber)]
    [InlineData("0x10", FormValueProblem.NotANumber)]
    [InlineData("2147483648", FormValueProblem.TooLarge)]
    [InlineData("-2147483649", FormValueProblem.TooLarge)]
    [InlineData("5\0", FormValueProblem.NotANumber)]
    [InlineData("abc", FormValueProblem.NotANumber)]
    public void Whole_numbers_refuse_separators_fractions_and_overflow(string text, FormValueProblem problem)
    {
        Assert.Equal(problem, FormValueParser.ParseNumber(text, typeof(int), out var value));
        Assert.Null(value);
    }

    [Theory]
    [InlineData("42", 42)]
    [InlineData(" -7 ", -7)]
    [InlineData("+3", 3)]
    [InlineData("2147483647", int.MaxValue)]
    public void Whole_numbers_are_read(string text, int expected)
    {
        Assert.Equal(FormValueProblem.None, FormValueParser.ParseNumber(text, typeof(int), out var value));
        Assert.Equal(expected, value);
        Assert.Equal(FormValueProblem.None, FormValueParser.ParseNumber(text, typeof(long), out var wide));
        Assert.Equal((long)expected, wide);
    }

    [Theory]
    [InlineData("NaN", FormValueProblem.NotANumber)]
    [InlineData("nan", FormValueProblem.NotANumber)]
    [InlineData("Infinity", FormValueProblem.NotANumber)]
    [InlineData("-Infinity", FormValueProblem.NotANumber)]
    [InlineData("∞", FormValueProblem.NotANumber)]
    [InlineData("1e309", FormValueProblem.TooLarge)]
    [InlineData("-1e309", FormValueProblem.TooLarge)]
    [InlineData("5\0", FormValueProblem.NotANumber)]
    [InlineData("1 000", FormValueProblem.NotANumber)]
    [InlineData("€5", FormValueProblem.NotANumber)]
    [InlineData("\u22121", FormValueProblem.NotANumber)]
    public void Nothing_but_finite_numbers_in_digits_is_read(string text, FormValueProblem problem)
    {
        foreach (var type in new[] { typeof(decimal), typeof(double), typeof(float) })
        {
            Assert.Equal(problem, FormValueParser.ParseNumber(text, type, out var value));
            Assert.Null(value);
        }
    }

    [Fact]
    public void A_number_beyond_the_decimal_range_is_too_large_not_malformed()
    {
        Assert.Equal(FormValueProblem.None, FormValueParser.ParseNumber("79228162514264337593543950335", typeof(decimal), out var max));
        Assert.Equal(decimal.MaxValue, max);
        Assert.Equal(FormValueProblem.TooLarge, FormValueParser.ParseNumber("79228162514264337593543950336", typeof(decimal), out _));
        Assert.Equal(FormValueProblem.TooLarge, FormValueParser.ParseNumber("1e39", typeof(float), out _));
        Assert.Equal(FormValueProblem.None, FormValueParser.ParseNumber("1e39", typeof(double), out _));
    }

    [Theory]
    [InlineData("Planned", Status.Planned)]
    [InlineData("planned", Status.Planned)]
    [InlineData("SHIPPED", Status.Shipped)]
    [InlineData(" Dropped ", Status.Dropped)]
    [InlineData("1", Status.Idea)]
    [InlineData("5", Status.Dropped)]
    public void An_option_is_its_name_in_any_case_or_its_plain_number(string text, Status expected)
    {
        Assert.Equal(FormValueProblem.None, FormValueParser.ParseChoice(text, typeof(Status), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("0,5")] // the framework reads 0|5 = Dropped
    [InlineData("1,2")] // 1|2 = 3: not even an option
    [InlineData("Idea,Planned")]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData("-0")]
    [InlineData("1.0")]
    [InlineData("0")]
    [InlineData("3")] // between defined values
    [InlineData("99")]
    [InlineData("-1")]
    [InlineData("Someday")]
    [InlineData("Idea\0")]
    [InlineData("１")]
    public void Anything_else_is_not_an_option(string text)
    {
        Assert.Equal(FormValueProblem.NotAnOption, FormValueParser.ParseChoice(text, typeof(Status), out var value));
        Assert.Null(value);
        Assert.Equal(FormValueParser.NotAnOptionMessage, FormValueParser.Message(FormValueProblem.NotAnOption, typeof(Status)));
    }

    [Fact]
    public void Flags_enums_and_other_types_are_left_to_the_framework()
    {
        Assert.True(FormValueParser.IsChoice(typeof(Status)));
        Assert.False(FormValueParser.IsChoice(typeof(Days)));
        Assert.False(FormValueParser.IsChoice(typeof(int)));
        Assert.All(new[] { typeof(decimal), typeof(double), typeof(float), typeof(int), typeof(long) }, t => Assert.True(FormValueParser.IsNumber(t)));
        Assert.All(new[] { typeof(short), typeof(string), typeof(DateOnly), typeof(Status) }, t => Assert.False(FormValueParser.IsNumber(t)));
    }

    [Fact]
    public void Whole_number_messages_suit_ids_and_counts()
    {
        Assert.Equal(FormValueParser.WholeNumberCommaMessage, FormValueParser.Message(FormValueProblem.Comma, typeof(int)));
        Assert.Null(FormValueParser.Message(FormValueProblem.NotANumber, typeof(long))); // the framework's generic "“abc” is not a valid value here."
        Assert.Equal(FormValueParser.NotANumberMessage, FormValueParser.Message(FormValueProblem.NotANumber, typeof(decimal)));
    }
}
