using AlignmentHub.Domain.Collaboration;
using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Reviews;
using AlignmentHub.Domain.Teams;

namespace AlignmentHub.UnitTests.Domain;

public class OtherEntitiesTests
{
    // ---- Team ----

    [Fact]
    public void Team_adds_and_removes_members()
    {
        var team = new Team(" Growth ", "Grow");
        var lead = team.AddMember("u1", isLead: true);
        team.AddMember("u2");

        Assert.Equal("Growth", team.Name);
        Assert.True(lead.IsLead);
        Assert.Equal(["u1", "u2"], team.Members.Select(m => m.UserId));

        team.RemoveMember("u1");
        Assert.Equal(["u2"], team.Members.Select(m => m.UserId));
    }

    [Fact]
    public void Team_rejects_a_duplicate_member()
    {
        var team = new Team("Growth", null);
        team.AddMember("u1");

        var ex = Assert.Throws<DomainException>(() => team.AddMember("u1", isLead: true));

        Assert.Equal("UserId", ex.Field);
        Assert.Single(team.Members);
        Assert.False(team.Members.Single().IsLead);
    }

    [Fact]
    public void Team_rejects_removing_a_non_member()
    {
        var team = new Team("Growth", null);
        team.AddMember("u1");

        var ex = Assert.Throws<DomainException>(() => team.RemoveMember("u2"));

        Assert.Equal("UserId", ex.Field);
        Assert.Single(team.Members);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Team_rejects_an_empty_user_id(string userId)
    {
        var team = new Team("Growth", null);
        Assert.Throws<DomainException>(() => team.AddMember(userId));
        Assert.Empty(team.Members);
    }

    [Fact]
    public void Team_name_is_required_and_limited()
    {
        Assert.Throws<DomainException>(() => new Team("", null));
        Assert.Throws<DomainException>(() => new Team(new string('n', Limits.Name + 1), null));
        var team = new Team("Growth", null);
        Assert.Throws<DomainException>(() => team.Edit(" ", null));
        Assert.Equal("Growth", team.Name);
    }

    // ---- Comment ----

    [Fact]
    public void Comment_can_be_edited_by_its_author()
    {
        var comment = new Comment(CommentTarget.Goal, 3, "First", "u1", "Ada", TestTime.T0);
        var at = TestTime.T0.AddHours(1);

        comment.Edit("  Better ", "u1", at);

        Assert.Equal("Better", comment.Body);
        Assert.Equal(at, comment.EditedAt);
    }

    [Theory]
    [InlineData("u2")]
    [InlineData("U1")]
    [InlineData("")]
    public void Comment_edit_by_another_user_is_rejected(string editorId)
    {
        var comment = new Comment(CommentTarget.RoadmapItem, 3, "First", "u1", "Ada", TestTime.T0);

        Assert.Throws<DomainException>(() => comment.Edit("Hijacked", editorId, TestTime.T0.AddHours(1)));

        Assert.Equal("First", comment.Body);
        Assert.Null(comment.EditedAt);
    }

    [Fact]
    public void Comment_validates_body_author_and_target()
    {
        Assert.Throws<DomainException>(() => new Comment(CommentTarget.Goal, 1, " ", "u1", "Ada", TestTime.T0));
        Assert.Throws<DomainException>(() => new Comment(CommentTarget.Goal, 1, new string('b', Limits.LongText + 1), "u1", "Ada", TestTime.T0));
        Assert.Throws<DomainException>(() => new Comment(CommentTarget.Goal, 1, "Body", "", "Ada", TestTime.T0));
        Assert.Throws<DomainException>(() => new Comment((CommentTarget)0, 1, "Body", "u1", "Ada", TestTime.T0));

        var comment = new Comment(CommentTarget.Vision, 1, "Body", "u1", "Ada", TestTime.T0);
        Assert.Throws<DomainException>(() => comment.Edit("", "u1", TestTime.T0));
        Assert.Equal("Body", comment.Body);
    }

    // ---- AlignmentReview ----

    private static AlignmentReview NewReview(decimal score = 72.5m) =>
        new(1, "Q1 review", "{\"goals\":[]}", score, "u1", TestTime.T0);

    [Fact]
    public void Review_records_decisions_while_open()
    {
        var review = NewReview();
        var at = TestTime.T0.AddHours(1);

        var decision = review.RecordDecision(" Drop item 4 ", "No goal behind it", "u2", at);

        Assert.Equal(ReviewStatus.Open, review.Status);
        Assert.Equal("Drop item 4", decision.Decision);
        Assert.Equal("No goal behind it", decision.Reason);
        Assert.Equal("u2", decision.AuthorId);
        Assert.Equal(at, decision.CreatedAt);
        Assert.Single(review.Decisions);
    }

    [Fact]
    public void Review_rejects_decisions_once_completed()
    {
        var review = NewReview();
        review.RecordDecision("Keep", "Fine", "u1", TestTime.T0);
        var done = TestTime.T0.AddDays(1);
        review.Complete(done);

        Assert.Equal(ReviewStatus.Completed, review.Status);
        Assert.Equal(done, review.CompletedAt);
        Assert.Throws<DomainException>(() => review.RecordDecision("Late", "Too late", "u1", done));
        Assert.Single(review.Decisions);
        Assert.Throws<DomainException>(() => review.Complete(done.AddDays(1)));
        Assert.Equal(done, review.CompletedAt);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(100.1)]
    [InlineData(-50)]
    public void Review_score_outside_0_to_100_is_rejected(double score)
    {
        Assert.Throws<DomainException>(() => NewReview((decimal)score));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(100.0)]
    public void Review_score_bounds_are_accepted(double score)
    {
        Assert.Equal((decimal)score, NewReview((decimal)score).AlignmentScore);
    }

    [Fact]
    public void Review_needs_snapshot_title_and_author_and_decisions_need_text()
    {
        Assert.Throws<DomainException>(() => new AlignmentReview(1, "R", " ", 50m, "u1", TestTime.T0));
        Assert.Throws<DomainException>(() => new AlignmentReview(1, " ", "{}", 50m, "u1", TestTime.T0));
        Assert.Throws<DomainException>(() => new AlignmentReview(1, "R", "{}", 50m, " ", TestTime.T0));

        var review = NewReview();
        Assert.Throws<DomainException>(() => review.RecordDecision(" ", "why", "u1", TestTime.T0));
        Assert.Throws<DomainException>(() => review.RecordDecision("what", " ", "u1", TestTime.T0));
        Assert.Throws<DomainException>(() => review.RecordDecision("what", "why", "", TestTime.T0));
        Assert.Empty(review.Decisions);
    }
}
