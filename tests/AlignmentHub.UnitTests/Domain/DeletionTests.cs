using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;
using AlignmentHub.Domain.Roadmap;

namespace AlignmentHub.UnitTests.Domain;

/// <summary>"Recently deleted" (checklist item 39): delete once, restore only while deleted and within 30 days.</summary>
public class DeletionTests
{
    private static readonly DateTimeOffset At = TestTime.T0.AddDays(10);

    [Fact]
    public void Deleting_an_objective_records_when_and_who_and_a_second_delete_is_refused()
    {
        var objective = OkrBuilder.Objective();

        objective.Delete(At, "u1");

        Assert.Equal((At, "u1"), (objective.DeletedAt, objective.DeletedById));
        var again = Assert.Throws<DomainException>(() => objective.Delete(At.AddHours(1), "u2"));
        Assert.Equal("The objective is already deleted.", again.Message);
        Assert.Equal((At, "u1"), (objective.DeletedAt, objective.DeletedById));
    }

    [Fact]
    public void A_retired_or_closed_objective_can_be_deleted_and_comes_back_as_it_was()
    {
        var objective = OkrBuilder.Objective();
        objective.Retire();

        objective.Delete(At, "u1");
        objective.RestoreDeleted(At.AddDays(3));

        Assert.Equal((ObjectiveStatus.Retired, (DateTimeOffset?)null, (string?)null), (objective.Status, objective.DeletedAt, objective.DeletedById));
    }

    [Fact]
    public void Restore_is_refused_when_not_deleted()
    {
        var objective = OkrBuilder.Objective();
        var item = NewItem();

        Assert.Equal("The objective is not deleted, so there is nothing to restore.", Assert.Throws<DomainException>(() => objective.RestoreDeleted(At)).Message);
        Assert.Equal("The roadmap item is not deleted, so there is nothing to restore.", Assert.Throws<DomainException>(() => item.RestoreDeleted(At)).Message);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(29, true)]
    [InlineData(30, true)] // the 30th day itself, to the minute
    [InlineData(31, false)]
    public void Restore_works_for_30_days_and_is_refused_after(int days, bool restorable)
    {
        var objective = OkrBuilder.Objective();
        var item = NewItem();
        objective.Delete(At, "u1");
        item.Delete(At, "u1");

        if (restorable)
        {
            objective.RestoreDeleted(At.AddDays(days));
            item.RestoreDeleted(At.AddDays(days));
            Assert.Null(objective.DeletedAt);
            Assert.Null(item.DeletedAt);
        }
        else
        {
            var refused = Assert.Throws<DomainException>(() => objective.RestoreDeleted(At.AddDays(days)));
            Assert.Equal("The objective was deleted more than 30 days ago and can no longer be restored.", refused.Message);
            Assert.Throws<DomainException>(() => item.RestoreDeleted(At.AddDays(days)));
            Assert.Equal(At, objective.DeletedAt);
            Assert.Equal(At, item.DeletedAt);
        }
    }

    [Fact]
    public void Deleting_an_item_keeps_its_archive_state_and_a_second_delete_is_refused()
    {
        var item = NewItem();
        item.Archive(At);

        item.Delete(At.AddDays(1), "u1");

        Assert.Throws<DomainException>(() => item.Delete(At.AddDays(2), "u2"));
        item.RestoreDeleted(At.AddDays(5));
        Assert.Equal(((DateTimeOffset?)At, (DateTimeOffset?)null), (item.ArchivedAt, item.DeletedAt));
    }

    [Theory]
    [InlineData(0, 30)]
    [InlineData(12, 18)]
    [InlineData(29.5, 1)]
    [InlineData(30.5, 0)]
    public void Days_left_count_a_started_day(double elapsed, int left) =>
        Assert.Equal(left, Deletion.DaysLeft(At, At.AddDays(elapsed)));

    [Fact]
    public void A_child_takes_over_its_purged_parents_alignment()
    {
        var child = new Objective(1, 1, "Child", null, null, 7, null, [OkrBuilder.Increase()], TestTime.T0);

        Assert.Throws<DomainException>(() => child.ReplaceParent(8, 3, null)); // not its parent
        Assert.Throws<DomainException>(() => child.ReplaceParent(7, null, null)); // no alignment left
        child.ReplaceParent(7, 3, null);

        Assert.Equal(((int?)3, (int?)null), (child.GoalId, child.ParentObjectiveId));
    }

    private static RoadmapItem NewItem() => new(1, 2, "SSO login", RoadmapItemKind.Feature, RoadmapHorizon.Now, TestTime.T0);
}
