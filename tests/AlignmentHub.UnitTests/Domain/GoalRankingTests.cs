using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Strategy;

namespace AlignmentHub.UnitTests.Domain;

public class GoalRankingTests
{
    private static Product NewProduct() => new("Atlas", "Planning tool", TestTime.T0);

    private static string[] RankedTitles(Product product) => product.RankedGoals.Select(g => g.Title).ToArray();

    private static void AssertRanksContiguous(Product product)
    {
        var ranks = product.Goals.Where(g => g.Status == GoalStatus.Active).Select(g => g.Rank).ToList();
        Assert.All(ranks, r => Assert.NotNull(r));
        Assert.Equal(Enumerable.Range(1, ranks.Count), ranks.Select(r => r!.Value).Order());
        Assert.All(product.Goals.Where(g => g.Status != GoalStatus.Active), g => Assert.Null(g.Rank));
    }

    [Fact]
    public void AddGoal_without_rank_appends_last()
    {
        var product = NewProduct();
        var a = product.AddGoal("A", null, null, GoalHorizon.ShortTerm);
        var b = product.AddGoal("B", null, null, GoalHorizon.MidTerm);
        var c = product.AddGoal("C", null, null, GoalHorizon.LongTerm);

        Assert.Equal(1, a.Rank);
        Assert.Equal(2, b.Rank);
        Assert.Equal(3, c.Rank);
        Assert.Equal(["A", "B", "C"], RankedTitles(product));
        Assert.Equal(GoalStatus.Active, c.Status);
        AssertRanksContiguous(product);
    }

    [Theory]
    [InlineData(1, new[] { "New", "A", "B", "C" })]
    [InlineData(2, new[] { "A", "New", "B", "C" })]
    [InlineData(3, new[] { "A", "B", "New", "C" })]
    [InlineData(4, new[] { "A", "B", "C", "New" })]
    public void AddGoal_at_rank_inserts_and_shifts_the_others(int rank, string[] expected)
    {
        var product = NewProduct();
        product.AddGoal("A", null, null, GoalHorizon.ShortTerm);
        product.AddGoal("B", null, null, GoalHorizon.ShortTerm);
        product.AddGoal("C", null, null, GoalHorizon.ShortTerm);

        var added = product.AddGoal("New", null, null, GoalHorizon.ShortTerm, rank);

        Assert.Equal(rank, added.Rank);
        Assert.Equal(expected, RankedTitles(product));
        AssertRanksContiguous(product);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(4)] // 2 goals → valid ranks 1..3
    public void AddGoal_with_rank_out_of_range_is_rejected_and_changes_nothing(int rank)
    {
        var product = NewProduct();
        product.AddGoal("A", null, null, GoalHorizon.ShortTerm);
        product.AddGoal("B", null, null, GoalHorizon.ShortTerm);
        var revision = product.GoalRankingRevision;

        var ex = Assert.Throws<DomainException>(() => product.AddGoal("C", null, null, GoalHorizon.ShortTerm, rank));

        Assert.Equal("Rank", ex.Field);
        Assert.Equal(2, product.Goals.Count);
        Assert.Equal(revision, product.GoalRankingRevision);
        Assert.Equal(["A", "B"], RankedTitles(product));
    }

    [Fact]
    public void First_goal_may_only_take_rank_1()
    {
        var product = NewProduct();
        Assert.Throws<DomainException>(() => product.AddGoal("A", null, null, GoalHorizon.ShortTerm, 2));
        Assert.Equal(1, product.AddGoal("A", null, null, GoalHorizon.ShortTerm, 1).Rank);
    }

    [Theory]
    [InlineData("growth")]
    [InlineData("GROWTH")]
    [InlineData("  Growth  ")]
    public void Duplicate_title_is_rejected_case_insensitively(string title)
    {
        var product = NewProduct();
        product.AddGoal("Growth", null, null, GoalHorizon.ShortTerm);

        var ex = Assert.Throws<DomainException>(() => product.AddGoal(title, null, null, GoalHorizon.ShortTerm));

        Assert.Equal("Title", ex.Field);
        Assert.Single(product.Goals);
    }

    [Fact]
    public void Duplicate_title_is_rejected_also_against_a_retired_goal_and_on_edit()
    {
        var product = NewProduct();
        var growth = product.AddGoal("Growth", null, null, GoalHorizon.ShortTerm);
        var retention = product.AddGoal("Retention", null, null, GoalHorizon.ShortTerm);
        growth.Retire("done", TestTime.T0);

        Assert.Throws<DomainException>(() => product.AddGoal("growth", null, null, GoalHorizon.ShortTerm));
        Assert.Throws<DomainException>(() => retention.Edit("GROWTH", null, null, GoalHorizon.ShortTerm));
        Assert.Equal("Retention", retention.Title);

        // Editing a goal keeping its own title (different case) is allowed.
        retention.Edit("RETENTION", "d", "m", GoalHorizon.LongTerm);
        Assert.Equal("RETENTION", retention.Title);
        Assert.Equal(GoalHorizon.LongTerm, retention.Horizon);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\0b")]
    public void Invalid_title_is_rejected(string title)
    {
        var product = NewProduct();
        var ex = Assert.Throws<DomainException>(() => product.AddGoal(title, null, null, GoalHorizon.ShortTerm));
        Assert.Equal("Title", ex.Field);
        Assert.Empty(product.Goals);
    }

    [Fact]
    public void Title_over_the_limit_is_rejected_and_at_the_limit_accepted()
    {
        var product = NewProduct();
        var ex = Assert.Throws<DomainException>(() =>
            product.AddGoal(new string('x', Limits.Title + 1), null, null, GoalHorizon.ShortTerm));
        Assert.Equal("Title", ex.Field);

        var goal = product.AddGoal(new string('x', Limits.Title), null, null, GoalHorizon.ShortTerm);
        Assert.Equal(Limits.Title, goal.Title.Length);
    }

    [Fact]
    public void Title_is_trimmed()
    {
        var goal = NewProduct().AddGoal("  Growth  ", null, null, GoalHorizon.ShortTerm);
        Assert.Equal("Growth", goal.Title);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(99)]
    public void Undefined_horizon_is_rejected_and_ranking_untouched(int horizon)
    {
        var product = NewProduct();
        product.AddGoal("A", null, null, GoalHorizon.ShortTerm);
        var revision = product.GoalRankingRevision;

        var ex = Assert.Throws<DomainException>(() => product.AddGoal("B", null, null, (GoalHorizon)horizon));

        Assert.Equal("Horizon", ex.Field);
        Assert.Single(product.Goals);
        Assert.Equal(revision, product.GoalRankingRevision);
    }

    [Fact]
    public void Edit_with_undefined_horizon_is_rejected()
    {
        var goal = NewProduct().AddGoal("A", null, null, GoalHorizon.ShortTerm);
        Assert.Throws<DomainException>(() => goal.Edit("A", null, null, (GoalHorizon)42));
    }

    [Fact]
    public void MoveGoal_down_shifts_the_ones_in_between_up()
    {
        var product = NewProduct();
        var a = product.AddGoal("A", null, null, GoalHorizon.ShortTerm);
        product.AddGoal("B", null, null, GoalHorizon.ShortTerm);
        product.AddGoal("C", null, null, GoalHorizon.ShortTerm);
        product.AddGoal("D", null, null, GoalHorizon.ShortTerm);

        product.MoveGoal(a, 3);

        Assert.Equal(["B", "C", "A", "D"], RankedTitles(product));
        Assert.Equal(3, a.Rank);
        AssertRanksContiguous(product);
    }

    [Fact]
    public void MoveGoal_up_shifts_the_ones_in_between_down()
    {
        var product = NewProduct();
        product.AddGoal("A", null, null, GoalHorizon.ShortTerm);
        product.AddGoal("B", null, null, GoalHorizon.ShortTerm);
        product.AddGoal("C", null, null, GoalHorizon.ShortTerm);
        var d = product.AddGoal("D", null, null, GoalHorizon.ShortTerm);

        product.MoveGoal(d, 1);

        Assert.Equal(["D", "A", "B", "C"], RankedTitles(product));
        Assert.Equal(1, d.Rank);
        AssertRanksContiguous(product);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)] // 3 goals → valid ranks 1..3
    public void MoveGoal_to_rank_out_of_range_is_rejected(int rank)
    {
        var product = NewProduct();
        var a = product.AddGoal("A", null, null, GoalHorizon.ShortTerm);
        product.AddGoal("B", null, null, GoalHorizon.ShortTerm);
        product.AddGoal("C", null, null, GoalHorizon.ShortTerm);
        var revision = product.GoalRankingRevision;

        var ex = Assert.Throws<DomainException>(() => product.MoveGoal(a, rank));

        Assert.Equal("Rank", ex.Field);
        Assert.Equal(["A", "B", "C"], RankedTitles(product));
        Assert.Equal(revision, product.GoalRankingRevision);
    }

    [Fact]
    public void MoveGoal_rejects_an_inactive_goal_and_a_goal_of_another_product()
    {
        var product = NewProduct();
        var a = product.AddGoal("A", null, null, GoalHorizon.ShortTerm);
        product.AddGoal("B", null, null, GoalHorizon.ShortTerm);
        a.MarkAchieved();
        var foreign = NewProduct().AddGoal("X", null, null, GoalHorizon.ShortTerm);

        Assert.Throws<DomainException>(() => product.MoveGoal(a, 1));
        Assert.Throws<DomainException>(() => product.MoveGoal(foreign, 1));
    }

    private static (Product Product, Goal A, Goal B, Goal C) ProductWithIds()
    {
        var product = NewProduct();
        var a = TestIds.Set(product.AddGoal("A", null, null, GoalHorizon.ShortTerm), 10);
        var b = TestIds.Set(product.AddGoal("B", null, null, GoalHorizon.ShortTerm), 20);
        var c = TestIds.Set(product.AddGoal("C", null, null, GoalHorizon.ShortTerm), 30);
        return (product, a, b, c);
    }

    [Fact]
    public void ReorderGoals_applies_a_valid_permutation()
    {
        var (product, a, b, c) = ProductWithIds();
        var revision = product.GoalRankingRevision;

        product.ReorderGoals([30, 10, 20]);

        Assert.Equal(1, c.Rank);
        Assert.Equal(2, a.Rank);
        Assert.Equal(3, b.Rank);
        Assert.Equal(["C", "A", "B"], RankedTitles(product));
        Assert.Equal(revision + 1, product.GoalRankingRevision);
    }

    [Theory]
    [InlineData(new[] { 10, 20 })] // missing 30
    [InlineData(new[] { 10, 20, 20 })] // duplicate, 30 missing
    [InlineData(new[] { 10, 20, 30, 30 })] // duplicate, right ids
    [InlineData(new[] { 10, 20, 99 })] // unknown id
    [InlineData(new[] { 10, 20, 30, 99 })] // unknown extra id
    [InlineData(new int[0])]
    public void ReorderGoals_rejects_lists_that_are_not_a_permutation(int[] order)
    {
        var (product, _, _, _) = ProductWithIds();
        var revision = product.GoalRankingRevision;

        var ex = Assert.Throws<DomainException>(() => product.ReorderGoals(order));

        Assert.Equal("Order", ex.Field);
        Assert.Equal(["A", "B", "C"], RankedTitles(product));
        Assert.Equal(revision, product.GoalRankingRevision);
    }

    [Fact]
    public void ReorderGoals_rejects_the_id_of_an_inactive_goal()
    {
        var (product, a, _, _) = ProductWithIds();
        a.Retire(null, TestTime.T0);

        Assert.Throws<DomainException>(() => product.ReorderGoals([10, 20, 30]));
        product.ReorderGoals([30, 20]);
        Assert.Equal(["C", "B"], RankedTitles(product));
    }

    [Fact]
    public void MarkAchieved_removes_the_rank_and_closes_the_gap()
    {
        var product = NewProduct();
        var a = product.AddGoal("A", null, null, GoalHorizon.ShortTerm);
        var b = product.AddGoal("B", null, null, GoalHorizon.ShortTerm);
        var c = product.AddGoal("C", null, null, GoalHorizon.ShortTerm);

        b.MarkAchieved();

        Assert.Equal(GoalStatus.Achieved, b.Status);
        Assert.Null(b.Rank);
        Assert.Equal(1, a.Rank);
        Assert.Equal(2, c.Rank);
        AssertRanksContiguous(product);
        Assert.Throws<DomainException>(b.MarkAchieved);
    }

    [Fact]
    public void Retire_removes_the_rank_closes_the_gap_and_records_reason_and_time()
    {
        var product = NewProduct();
        var a = product.AddGoal("A", null, null, GoalHorizon.ShortTerm);
        var b = product.AddGoal("B", null, null, GoalHorizon.ShortTerm);
        var c = product.AddGoal("C", null, null, GoalHorizon.ShortTerm);
        var at = TestTime.T0.AddDays(3);

        a.Retire("  no longer relevant ", at);

        Assert.Equal(GoalStatus.Retired, a.Status);
        Assert.Null(a.Rank);
        Assert.Equal(at, a.RetiredAt);
        Assert.Equal("no longer relevant", a.RetirementReason);
        Assert.Equal(1, b.Rank);
        Assert.Equal(2, c.Rank);
        AssertRanksContiguous(product);
        Assert.Throws<DomainException>(() => a.Retire(null, at));
    }

    [Fact]
    public void Retiring_an_achieved_goal_keeps_the_others_ranks()
    {
        var product = NewProduct();
        var a = product.AddGoal("A", null, null, GoalHorizon.ShortTerm);
        var b = product.AddGoal("B", null, null, GoalHorizon.ShortTerm);
        a.MarkAchieved();
        var revision = product.GoalRankingRevision;

        a.Retire(null, TestTime.T0);

        Assert.Equal(GoalStatus.Retired, a.Status);
        Assert.Equal(1, b.Rank);
        Assert.Equal(revision, product.GoalRankingRevision);
    }

    [Fact]
    public void Reactivate_appends_the_goal_last_and_clears_retirement()
    {
        var product = NewProduct();
        var a = product.AddGoal("A", null, null, GoalHorizon.ShortTerm);
        product.AddGoal("B", null, null, GoalHorizon.ShortTerm);
        product.AddGoal("C", null, null, GoalHorizon.ShortTerm);
        a.Retire("pause", TestTime.T0);

        a.Reactivate();

        Assert.Equal(GoalStatus.Active, a.Status);
        Assert.Equal(3, a.Rank);
        Assert.Null(a.RetiredAt);
        Assert.Null(a.RetirementReason);
        Assert.Equal(["B", "C", "A"], RankedTitles(product));
        AssertRanksContiguous(product);
        Assert.Throws<DomainException>(a.Reactivate);
    }

    [Fact]
    public void GoalRankingRevision_changes_on_every_ranking_change()
    {
        var product = NewProduct();
        Assert.Equal(0, product.GoalRankingRevision);
        var seen = new List<int> { product.GoalRankingRevision };

        void Step(Action action)
        {
            action();
            Assert.DoesNotContain(product.GoalRankingRevision, seen);
            seen.Add(product.GoalRankingRevision);
        }

        Goal a = null!, b = null!, c = null!;
        Step(() => a = TestIds.Set(product.AddGoal("A", null, null, GoalHorizon.ShortTerm), 1));
        Step(() => b = TestIds.Set(product.AddGoal("B", null, null, GoalHorizon.ShortTerm), 2));
        Step(() => c = TestIds.Set(product.AddGoal("C", null, null, GoalHorizon.ShortTerm, 1), 3));
        Step(() => product.MoveGoal(a, 3));
        Step(() => product.ReorderGoals([1, 2, 3]));
        Step(b.MarkAchieved);
        Step(() => c.Retire(null, TestTime.T0));
        Step(b.Reactivate);
        Assert.Equal(8, product.GoalRankingRevision);
    }

    [Fact]
    public void Ranks_stay_contiguous_and_unique_through_a_mixed_sequence()
    {
        var product = NewProduct();
        var goals = Enumerable.Range(1, 6)
            .Select(i => TestIds.Set(product.AddGoal($"G{i}", null, null, GoalHorizon.MidTerm, i == 1 ? null : 1), i))
            .ToList();
        AssertRanksContiguous(product);
        Assert.Equal(["G6", "G5", "G4", "G3", "G2", "G1"], RankedTitles(product));

        goals[2].MarkAchieved(); // G3
        AssertRanksContiguous(product);
        product.MoveGoal(goals[0], 1); // G1 first
        AssertRanksContiguous(product);
        goals[4].Retire(null, TestTime.T0); // G5
        AssertRanksContiguous(product);
        goals[2].Reactivate(); // G3 last
        AssertRanksContiguous(product);

        Assert.Equal(["G1", "G6", "G4", "G2", "G3"], RankedTitles(product));
        var ranks = product.RankedGoals.Select(g => g.Rank!.Value).ToList();
        Assert.Equal(ranks.Count, ranks.Distinct().Count());
    }

    [Fact]
    public void Product_name_is_required_and_description_optional()
    {
        Assert.Throws<DomainException>(() => new Product(" ", null, TestTime.T0));
        var product = new Product(" Atlas ", "  ", TestTime.T0);
        Assert.Equal("Atlas", product.Name);
        Assert.Null(product.Description);
    }
}
