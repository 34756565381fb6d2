using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Roadmap;

namespace AlignmentHub.UnitTests.Domain;

public class RoadmapItemTests
{
    private static RoadmapItem NewItem(string title = "Item", int id = 0)
    {
        var item = new RoadmapItem(1, 2, title, RoadmapItemKind.Feature, RoadmapHorizon.Now, TestTime.T0);
        return id == 0 ? item : TestIds.Set(item, id);
    }

    [Fact]
    public void New_item_is_an_active_idea()
    {
        var item = new RoadmapItem(1, 2, "  SSO login ", RoadmapItemKind.Initiative, RoadmapHorizon.Later, TestTime.T0);

        Assert.Equal("SSO login", item.Title);
        Assert.Equal(RoadmapItemStatus.Idea, item.Status);
        Assert.Equal(RoadmapItemKind.Initiative, item.Kind);
        Assert.Equal(RoadmapHorizon.Later, item.Horizon);
        Assert.True(item.IsActive);
        Assert.Null(item.RiceScore);
    }

    [Fact]
    public void Constructor_rejects_bad_title_kind_and_horizon()
    {
        Assert.Throws<DomainException>(() => new RoadmapItem(1, 2, " ", RoadmapItemKind.Feature, RoadmapHorizon.Now, TestTime.T0));
        Assert.Throws<DomainException>(() => new RoadmapItem(1, 2, "T", (RoadmapItemKind)9, RoadmapHorizon.Now, TestTime.T0));
        Assert.Throws<DomainException>(() => new RoadmapItem(1, 2, "T", RoadmapItemKind.Feature, (RoadmapHorizon)0, TestTime.T0));
    }

    // ---- RICE ----

    [Theory]
    [InlineData(1000, 2.0, 80, 4.0, 400.0)] // 1000 × 2 × 80 % ÷ 4 = 400
    [InlineData(500, 0.5, 100, 2.0, 125.0)] // 500 × 0.5 × 100 % ÷ 2 = 125
    [InlineData(300, 3.0, 50, 10.0, 45.0)] // 300 × 3 × 50 % ÷ 10 = 45
    [InlineData(100, 0.25, 50, 3.0, 4.2)] // 100 × 0.25 × 50 % ÷ 3 = 4.1666… → 4.2
    [InlineData(10, 1.0, 0, 1.0, 0.0)] // confidence 0 % → 0 (known, not missing)
    [InlineData(0, 2.0, 80, 1.0, 0.0)] // reach 0 → 0
    public void Rice_score_is_reach_times_impact_times_confidence_over_effort(int reach, double impact, int confidence, double effort, double expected)
    {
        var item = NewItem();
        item.Estimate((decimal)effort, reach, (decimal)impact, confidence);

        Assert.Equal((decimal)expected, item.RiceScore);
    }

    [Theory]
    [InlineData(null, 1000, 2.0, 80)]
    [InlineData(4.0, null, 2.0, 80)]
    [InlineData(4.0, 1000, null, 80)]
    [InlineData(4.0, 1000, 2.0, null)]
    [InlineData(null, null, null, null)]
    public void Rice_score_is_null_when_any_input_is_missing(double? effort, int? reach, double? impact, int? confidence)
    {
        var item = NewItem();
        item.Estimate((decimal?)effort, reach, (decimal?)impact, confidence);

        Assert.Null(item.RiceScore);
    }

    [Fact]
    public void Re_estimating_replaces_the_inputs()
    {
        var item = NewItem();
        item.Estimate(4m, 1000, 2m, 80);
        Assert.Equal(400m, item.RiceScore);

        item.Estimate(8m, 1000, 2m, 80); // 1000 × 2 × 0.8 ÷ 8 = 200
        Assert.Equal(200m, item.RiceScore);

        item.Estimate(null, 1000, 2m, 80);
        Assert.Null(item.RiceScore);
        Assert.Null(item.Effort);
    }

    [Theory]
    [InlineData(0.0, "Effort")]
    [InlineData(-1.0, "Effort")]
    [InlineData(10_000.5, "Effort")]
    public void Estimate_rejects_bad_effort(double effort, string field)
    {
        var item = NewItem();
        item.Estimate(4m, 1000, 2m, 80);

        var ex = Assert.Throws<DomainException>(() => item.Estimate((decimal)effort, 1000, 2m, 80));

        Assert.Equal(field, ex.Field);
        Assert.Equal(400m, item.RiceScore); // unchanged
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.75)]
    [InlineData(1.5)]
    [InlineData(4.0)]
    [InlineData(-1.0)]
    public void Estimate_rejects_impact_off_the_rice_scale(double impact)
    {
        var ex = Assert.Throws<DomainException>(() => NewItem().Estimate(4m, 1000, (decimal)impact, 80));
        Assert.Equal("RiceImpact", ex.Field);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    public void Estimate_accepts_the_rice_impact_scale(double impact)
    {
        var item = NewItem();
        item.Estimate(1m, 100, (decimal)impact, 100);
        Assert.Equal((decimal)impact, item.RiceImpact);
    }

    [Theory]
    [InlineData(101)]
    [InlineData(-1)]
    public void Estimate_rejects_confidence_outside_0_to_100(int confidence)
    {
        var ex = Assert.Throws<DomainException>(() => NewItem().Estimate(4m, 1000, 2m, confidence));
        Assert.Equal("RiceConfidence", ex.Field);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100_000_001)]
    public void Estimate_rejects_reach_out_of_range(int reach)
    {
        var ex = Assert.Throws<DomainException>(() => NewItem().Estimate(4m, reach, 2m, 80));
        Assert.Equal("RiceReach", ex.Field);
    }

    // ---- scheduling ----

    [Fact]
    public void Schedule_with_quarter_and_dates()
    {
        var item = NewItem();
        item.Schedule(RoadmapHorizon.Next, "2027-Q2", new DateOnly(2027, 4, 1), new DateOnly(2027, 5, 15));

        Assert.Equal(RoadmapHorizon.Next, item.Horizon);
        Assert.Equal("2027-Q2", item.TargetPeriodKey);
        Assert.Equal(new DateOnly(2027, 4, 1), item.StartDate);
        Assert.Equal(new DateOnly(2027, 5, 15), item.EndDate);

        item.Schedule(RoadmapHorizon.Later, null, new DateOnly(2027, 6, 1), new DateOnly(2027, 6, 1)); // one-day item
        Assert.Null(item.TargetPeriodKey);
        Assert.Equal(item.StartDate, item.EndDate);

        item.Schedule(RoadmapHorizon.Later, null, null, null);
        Assert.Null(item.StartDate);
        Assert.Null(item.EndDate);
    }

    [Fact]
    public void Schedule_rejects_only_one_date()
    {
        var item = NewItem();

        var onlyStart = Assert.Throws<DomainException>(() => item.Schedule(RoadmapHorizon.Now, null, new DateOnly(2027, 1, 1), null));
        var onlyEnd = Assert.Throws<DomainException>(() => item.Schedule(RoadmapHorizon.Now, null, null, new DateOnly(2027, 1, 1)));

        Assert.Equal("EndDate", onlyStart.Field);
        Assert.Equal("StartDate", onlyEnd.Field);
        Assert.Null(item.StartDate);
        Assert.Null(item.EndDate);
    }

    [Fact]
    public void Schedule_rejects_end_before_start()
    {
        var item = NewItem();
        var ex = Assert.Throws<DomainException>(() =>
            item.Schedule(RoadmapHorizon.Now, null, new DateOnly(2027, 3, 2), new DateOnly(2027, 3, 1)));
        Assert.Equal("EndDate", ex.Field);
        Assert.Null(item.StartDate);
    }

    [Theory]
    [InlineData("2027-Q5")]
    [InlineData("2027-Q0")]
    [InlineData("Q1-2027")]
    [InlineData("2027Q1")]
    [InlineData("")]
    [InlineData("next quarter")]
    public void Schedule_rejects_a_bad_quarter_key(string key)
    {
        var item = NewItem();
        var ex = Assert.Throws<DomainException>(() => item.Schedule(RoadmapHorizon.Next, key, null, null));
        Assert.Equal("TargetPeriodKey", ex.Field);
        Assert.Equal(RoadmapHorizon.Now, item.Horizon); // unchanged
        Assert.Null(item.TargetPeriodKey);
    }

    [Fact]
    public void Schedule_rejects_undefined_horizon()
    {
        Assert.Throws<DomainException>(() => NewItem().Schedule((RoadmapHorizon)7, null, null, null));
    }

    // ---- status ----

    [Fact]
    public void Shipping_sets_ShippedAt_once_and_other_statuses_clear_it()
    {
        var item = NewItem();
        var shipped = TestTime.T0.AddDays(30);

        item.ChangeStatus(RoadmapItemStatus.InProgress, TestTime.T0.AddDays(1));
        Assert.Null(item.ShippedAt);

        item.ChangeStatus(RoadmapItemStatus.Shipped, shipped);
        Assert.Equal(RoadmapItemStatus.Shipped, item.Status);
        Assert.Equal(shipped, item.ShippedAt);

        item.ChangeStatus(RoadmapItemStatus.Shipped, shipped.AddDays(5)); // saving again keeps the first ship date
        Assert.Equal(shipped, item.ShippedAt);

        item.ChangeStatus(RoadmapItemStatus.InProgress, shipped.AddDays(6)); // reopened
        Assert.Null(item.ShippedAt);
    }

    [Theory]
    [InlineData(RoadmapItemStatus.Idea)]
    [InlineData(RoadmapItemStatus.Planned)]
    [InlineData(RoadmapItemStatus.InProgress)]
    [InlineData(RoadmapItemStatus.Dropped)]
    public void Non_shipped_status_clears_ShippedAt(RoadmapItemStatus status)
    {
        var item = NewItem();
        item.ChangeStatus(RoadmapItemStatus.Shipped, TestTime.T0);
        item.ChangeStatus(status, TestTime.T0.AddDays(1));
        Assert.Null(item.ShippedAt);
    }

    [Fact]
    public void ChangeStatus_rejects_undefined_status()
    {
        var item = NewItem();
        var ex = Assert.Throws<DomainException>(() => item.ChangeStatus((RoadmapItemStatus)0, TestTime.T0));
        Assert.Equal("Status", ex.Field);
        Assert.Equal(RoadmapItemStatus.Idea, item.Status);
    }

    [Theory]
    [InlineData(RoadmapItemStatus.Idea, true)]
    [InlineData(RoadmapItemStatus.Planned, true)]
    [InlineData(RoadmapItemStatus.InProgress, true)]
    [InlineData(RoadmapItemStatus.Shipped, true)]
    [InlineData(RoadmapItemStatus.Dropped, false)]
    public void IsActive_is_false_only_when_dropped(RoadmapItemStatus status, bool active)
    {
        var item = NewItem();
        item.ChangeStatus(status, TestTime.T0);
        Assert.Equal(active, item.IsActive);
    }

    [Fact]
    public void Archived_item_is_inactive_until_restored()
    {
        var item = NewItem();
        var first = TestTime.T0.AddDays(1);

        item.Archive(first);
        Assert.False(item.IsActive);
        Assert.Equal(first, item.ArchivedAt);

        item.Archive(first.AddDays(1)); // keeps the first archive time
        Assert.Equal(first, item.ArchivedAt);

        item.Restore();
        Assert.True(item.IsActive);
        Assert.Null(item.ArchivedAt);
    }

    // ---- links ----

    [Fact]
    public void LinkTo_records_the_target_in_the_matching_column()
    {
        var item = NewItem();
        var kr = item.LinkTo(LinkTargetType.KeyResult, 5);
        var objective = item.LinkTo(LinkTargetType.Objective, 5); // same id, other type: allowed
        var goal = item.LinkTo(LinkTargetType.Goal, 9);

        Assert.Equal((5, (int?)null, (int?)null), (kr.KeyResultId!.Value, kr.ObjectiveId, kr.GoalId));
        Assert.Equal(((int?)null, 5, (int?)null), (objective.KeyResultId, objective.ObjectiveId!.Value, objective.GoalId));
        Assert.Equal(((int?)null, (int?)null, 9), (goal.KeyResultId, goal.ObjectiveId, goal.GoalId!.Value));
        Assert.Equal(3, item.Links.Count);
    }

    [Fact]
    public void LinkTo_the_same_target_twice_is_rejected()
    {
        var item = NewItem();
        item.LinkTo(LinkTargetType.KeyResult, 5);

        var ex = Assert.Throws<DomainException>(() => item.LinkTo(LinkTargetType.KeyResult, 5));

        Assert.Equal("TargetId", ex.Field);
        Assert.Single(item.Links);
    }

    [Fact]
    public void LinkTo_rejects_undefined_target_type_and_unlink_rejects_foreign_link()
    {
        var item = NewItem();
        Assert.Throws<DomainException>(() => item.LinkTo((LinkTargetType)4, 1));

        var foreign = NewItem("Other").LinkTo(LinkTargetType.Goal, 1);
        Assert.Throws<DomainException>(() => item.Unlink(foreign));

        var own = item.LinkTo(LinkTargetType.Goal, 1);
        item.Unlink(own);
        Assert.Empty(item.Links);
    }

    // ---- dependencies ----

    private static Func<int, IEnumerable<int>> Graph(Dictionary<int, int[]> dependsOn) =>
        id => dependsOn.TryGetValue(id, out var blockers) ? blockers : [];

    [Fact]
    public void DependOn_records_the_blocker()
    {
        var a = NewItem("A", 1);
        var b = NewItem("B", 2);

        var dependency = a.DependOn(b, Graph([]));

        Assert.Equal(2, dependency.BlockerId);
        Assert.Equal(1, dependency.RoadmapItemId);
        Assert.Single(a.Dependencies);
    }

    [Fact]
    public void DependOn_self_is_rejected()
    {
        var a = NewItem("A", 1);
        var ex = Assert.Throws<DomainException>(() => a.DependOn(a, Graph([])));
        Assert.Equal("BlockerId", ex.Field);
        Assert.Empty(a.Dependencies);
    }

    [Fact]
    public void DependOn_the_same_blocker_twice_is_rejected()
    {
        var a = NewItem("A", 1);
        var b = NewItem("B", 2);
        a.DependOn(b, Graph([]));

        var ex = Assert.Throws<DomainException>(() => a.DependOn(b, Graph(new() { [1] = [2] })));

        Assert.Equal("BlockerId", ex.Field);
        Assert.Single(a.Dependencies);
    }

    [Fact]
    public void Direct_cycle_is_rejected()
    {
        var a = NewItem("A", 1);
        var b = NewItem("B", 2);
        var existing = new Dictionary<int, int[]> { [2] = [1] }; // B depends on A

        var ex = Assert.Throws<DomainException>(() => a.DependOn(b, Graph(existing))); // A depends on B → A→B→A

        Assert.Equal("BlockerId", ex.Field);
        Assert.Contains("cycle", ex.Message, StringComparison.Ordinal);
        Assert.Empty(a.Dependencies);
    }

    [Fact]
    public void Indirect_cycle_is_rejected()
    {
        var a = NewItem("A", 1);
        var c = NewItem("C", 3);
        var existing = new Dictionary<int, int[]> { [1] = [2], [2] = [3] }; // A → B → C

        var ex = Assert.Throws<DomainException>(() => c.DependOn(a, Graph(existing))); // C → A closes the loop

        Assert.Equal("BlockerId", ex.Field);
        Assert.Empty(c.Dependencies);
    }

    [Fact]
    public void Long_indirect_cycle_through_branches_is_rejected()
    {
        var e = NewItem("E", 5);
        var a = NewItem("A", 1);
        // A → B, A → C, C → D, D → E, B → D
        var existing = new Dictionary<int, int[]> { [1] = [2, 3], [2] = [4], [3] = [4], [4] = [5] };

        Assert.Throws<DomainException>(() => e.DependOn(a, Graph(existing)));
    }

    [Fact]
    public void Diamond_without_cycle_is_accepted()
    {
        var a = NewItem("A", 1);
        var d = NewItem("D", 4);
        // B → D, C → D, A depends on B and C already; now A also depends on D directly: no cycle.
        var existing = new Dictionary<int, int[]> { [1] = [2, 3], [2] = [4], [3] = [4] };

        a.DependOn(d, Graph(existing));

        Assert.Single(a.Dependencies);
    }

    [Fact]
    public void Existing_cycle_elsewhere_does_not_hang_the_check()
    {
        var a = NewItem("A", 1);
        var b = NewItem("B", 2);
        var existing = new Dictionary<int, int[]> { [2] = [3], [3] = [4], [4] = [3] }; // 3 ⇄ 4, unrelated to A

        a.DependOn(b, Graph(existing));

        Assert.Single(a.Dependencies);
    }

    [Fact]
    public void RemoveDependency_rejects_a_foreign_dependency()
    {
        var a = NewItem("A", 1);
        var b = NewItem("B", 2);
        var c = NewItem("C", 3);
        var own = a.DependOn(b, Graph([]));
        var foreign = c.DependOn(b, Graph([]));

        Assert.Throws<DomainException>(() => a.RemoveDependency(foreign));
        a.RemoveDependency(own);
        Assert.Empty(a.Dependencies);
    }

    // ---- customer evidence ----

    [Theory]
    [InlineData(1, "https://support.example.com/t/1")]
    [InlineData(3, "http://crm.example.com/deal?id=5")]
    [InlineData(2, null)]
    [InlineData(2, "  ")]
    public void Evidence_is_recorded(int importance, string? link)
    {
        var item = NewItem();
        var evidence = item.AddEvidence("  Customer asked twice ", link, importance, TestTime.T0);

        Assert.Equal("Customer asked twice", evidence.Text);
        Assert.Equal(importance, evidence.Importance);
        Assert.Equal(string.IsNullOrWhiteSpace(link) ? null : link, evidence.Link);
        Assert.Single(item.Evidence);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(-1)]
    public void Evidence_importance_outside_1_to_3_is_rejected(int importance)
    {
        var item = NewItem();
        var ex = Assert.Throws<DomainException>(() => item.AddEvidence("quote", null, importance, TestTime.T0));
        Assert.Equal("Importance", ex.Field);
        Assert.Empty(item.Evidence);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JavaScript:alert(document.cookie)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("ftp://example.com/file")]
    [InlineData("file:///etc/passwd")]
    [InlineData("example.com/page")]
    [InlineData("/relative/path")]
    public void Evidence_link_must_be_http_or_https(string link)
    {
        var item = NewItem();
        var ex = Assert.Throws<DomainException>(() => item.AddEvidence("quote", link, 2, TestTime.T0));
        Assert.Equal("Link", ex.Field);
        Assert.Empty(item.Evidence);
    }

    [Fact]
    public void Evidence_text_is_required()
    {
        Assert.Throws<DomainException>(() => NewItem().AddEvidence(" ", null, 2, TestTime.T0));
    }
}
