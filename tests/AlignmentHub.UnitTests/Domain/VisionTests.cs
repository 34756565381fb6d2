using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Strategy;

namespace AlignmentHub.UnitTests.Domain;

public class VisionTests
{
    [Fact]
    public void New_vision_has_no_version()
    {
        var vision = new Vision(7);
        Assert.Equal(7, vision.ProductId);
        Assert.Equal(0, vision.CurrentVersionNumber);
        Assert.Empty(vision.Versions);
    }

    [Fact]
    public void Revise_appends_numbered_versions_with_author_time_and_reason()
    {
        var vision = new Vision(1);
        var t1 = TestTime.T0;
        var t2 = t1.AddHours(5);
        var t3 = t1.AddDays(2);

        var v1 = vision.Revise("First", "u1", "Ada", t1, null, null);
        var v2 = vision.Revise("Second", "u2", "Bob", t2, "  market shift  ", v1.Text);
        var v3 = vision.Revise("Third", "u1", "Ada", t3, "typo", v2.Text);

        Assert.Equal([1, 2, 3], vision.Versions.Select(v => v.Number));
        Assert.Equal(["First", "Second", "Third"], vision.Versions.Select(v => v.Text));
        Assert.Equal(3, vision.CurrentVersionNumber);

        Assert.Equal("u1", v1.AuthorId);
        Assert.Equal("Ada", v1.AuthorName);
        Assert.Equal(t1, v1.CreatedAt);
        Assert.Null(v1.Reason);

        Assert.Equal("u2", v2.AuthorId);
        Assert.Equal("Bob", v2.AuthorName);
        Assert.Equal(t2, v2.CreatedAt);
        Assert.Equal("market shift", v2.Reason);

        Assert.Equal(t3, v3.CreatedAt);
        Assert.Equal("typo", v3.Reason);
    }

    [Fact]
    public void Earlier_versions_are_never_overwritten()
    {
        var vision = new Vision(1);
        var v1 = vision.Revise("Original", "u1", "Ada", TestTime.T0, null, null);
        vision.Revise("Changed", "u1", "Ada", TestTime.T0.AddDays(1), null, v1.Text);

        Assert.Equal("Original", vision.Versions.Single(v => v.Number == 1).Text);
        Assert.Equal("Changed", vision.Versions.Single(v => v.Number == 2).Text);
    }

    [Theory]
    [InlineData("Line one\nLine two")]
    [InlineData("Line one\r\nLine two")]
    [InlineData("  Line one\r\nLine two  \r\n")]
    [InlineData("\nLine one\nLine two\n\n")]
    public void Unchanged_text_is_rejected_ignoring_line_endings_and_surrounding_whitespace(string newText)
    {
        var vision = new Vision(1);
        var v1 = vision.Revise("Line one\nLine two", "u1", "Ada", TestTime.T0, null, null);

        var ex = Assert.Throws<DomainException>(() =>
            vision.Revise(newText, "u1", "Ada", TestTime.T0.AddDays(1), null, v1.Text));

        Assert.Equal("Text", ex.Field);
        Assert.Single(vision.Versions);
        Assert.Equal(1, vision.CurrentVersionNumber);
    }

    [Fact]
    public void Unchanged_check_compares_against_crlf_stored_text_too()
    {
        var vision = new Vision(1);
        vision.Revise("A\r\nB", "u1", "Ada", TestTime.T0, null, null);

        Assert.Throws<DomainException>(() => vision.Revise("A\nB", "u1", "Ada", TestTime.T0, null, "A\r\nB"));
    }

    [Fact]
    public void Changed_inner_whitespace_or_case_is_a_real_change()
    {
        var vision = new Vision(1);
        vision.Revise("Line one\nLine two", "u1", "Ada", TestTime.T0, null, null);

        var v2 = vision.Revise("Line one\n\nLine two", "u1", "Ada", TestTime.T0, null, "Line one\nLine two");
        var v3 = vision.Revise("line one\n\nline two", "u1", "Ada", TestTime.T0, null, v2.Text);

        Assert.Equal(3, v3.Number);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t")]
    public void Empty_text_is_rejected(string text)
    {
        var vision = new Vision(1);
        var ex = Assert.Throws<DomainException>(() => vision.Revise(text, "u1", "Ada", TestTime.T0, null, null));
        Assert.Equal("Text", ex.Field);
        Assert.Empty(vision.Versions);
    }

    [Fact]
    public void Text_over_the_limit_is_rejected_and_at_the_limit_accepted()
    {
        var vision = new Vision(1);
        Assert.Throws<DomainException>(() =>
            vision.Revise(new string('v', Limits.VisionText + 1), "u1", "Ada", TestTime.T0, null, null));
        Assert.Empty(vision.Versions);

        var v = vision.Revise(new string('v', Limits.VisionText), "u1", "Ada", TestTime.T0, null, null);
        Assert.Equal(Limits.VisionText, v.Text.Length);
    }

    [Fact]
    public void Text_with_NUL_is_rejected()
    {
        var vision = new Vision(1);
        Assert.Throws<DomainException>(() => vision.Revise("a\0b", "u1", "Ada", TestTime.T0, null, null));
    }

    [Theory]
    [InlineData("", "Ada")]
    [InlineData("  ", "Ada")]
    [InlineData("u1", "")]
    public void Author_is_required(string authorId, string authorName)
    {
        var vision = new Vision(1);
        Assert.Throws<DomainException>(() => vision.Revise("Text", authorId, authorName, TestTime.T0, null, null));
        Assert.Empty(vision.Versions);
    }

    [Fact]
    public void Reason_over_the_limit_is_rejected()
    {
        var vision = new Vision(1);
        Assert.Throws<DomainException>(() =>
            vision.Revise("Text", "u1", "Ada", TestTime.T0, new string('r', Limits.Reason + 1), null));
        Assert.Empty(vision.Versions);
    }

    [Fact]
    public void A_rejected_revision_does_not_consume_a_version_number()
    {
        var vision = new Vision(1);
        Assert.Throws<DomainException>(() => vision.Revise("Text", "", "Ada", TestTime.T0, null, null));

        Assert.Equal(0, vision.CurrentVersionNumber);
        var v = vision.Revise("Text", "u1", "Ada", TestTime.T0, null, null);
        Assert.Equal(1, v.Number);
    }
}
