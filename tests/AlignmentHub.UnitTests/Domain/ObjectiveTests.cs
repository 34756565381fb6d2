using AlignmentHub.Domain.Common;
using AlignmentHub.Domain.Okrs;

namespace AlignmentHub.UnitTests.Domain;

public class ObjectiveTests
{
    private static KeyResultDefinition[] Definitions(int count) =>
        Enumerable.Range(1, count).Select(i => OkrBuilder.Increase($"KR {i}")).ToArray();

    private static Objective NewObjective(int? goalId, int? parentId, IReadOnlyCollection<KeyResultDefinition> definitions) =>
        new(3, 4, "Delight users", "desc", goalId, parentId, "owner", definitions, TestTime.T0);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void Objective_accepts_one_to_five_key_results(int count)
    {
        var objective = NewObjective(1, null, Definitions(count));

        Assert.Equal(count, objective.KeyResults.Count);
        Assert.All(objective.KeyResults, k => Assert.Same(objective, k.Objective));
        Assert.All(objective.KeyResults, k => Assert.Equal(KeyResultStatus.Active, k.Status));
        Assert.All(objective.KeyResults, k => Assert.Equal(TestTime.T0, k.CreatedAt));
        Assert.Equal(3, objective.TeamId);
        Assert.Equal(4, objective.PeriodId);
        Assert.Equal(ObjectiveStatus.Active, objective.Status);
        Assert.Equal("owner", objective.OwnerId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(10)]
    public void Objective_rejects_zero_or_more_than_five_key_results(int count)
    {
        var ex = Assert.Throws<DomainException>(() => NewObjective(1, null, Definitions(count)));
        Assert.Equal("KeyResults", ex.Field);
    }

    [Fact]
    public void Invalid_key_result_definition_rejects_the_objective()
    {
        Assert.Throws<DomainException>(() => NewObjective(1, null, [OkrBuilder.Increase(), OkrBuilder.Increase(baseline: 5m, target: 5m)]));
    }

    [Theory]
    [InlineData(7, null)]
    [InlineData(null, 8)]
    public void Objective_aligns_to_exactly_one_goal_or_parent(int? goalId, int? parentId)
    {
        var objective = NewObjective(goalId, parentId, Definitions(1));
        Assert.Equal(goalId, objective.GoalId);
        Assert.Equal(parentId, objective.ParentObjectiveId);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(7, 8)]
    public void Objective_aligned_to_both_or_neither_is_rejected(int? goalId, int? parentId)
    {
        var ex = Assert.Throws<DomainException>(() => NewObjective(goalId, parentId, Definitions(1)));
        Assert.Equal("GoalId", ex.Field);
    }

    [Fact]
    public void Edit_keeps_the_alignment_rule_and_rejects_self_parent()
    {
        var objective = TestIds.Set(NewObjective(1, null, Definitions(1)), 42);

        Assert.Throws<DomainException>(() => objective.Edit("T", null, null, null, null));
        Assert.Throws<DomainException>(() => objective.Edit("T", null, 1, 2, null));
        var ex = Assert.Throws<DomainException>(() => objective.Edit("T", null, null, 42, null));
        Assert.Equal("ParentObjectiveId", ex.Field);
        Assert.Equal(1, objective.GoalId);

        objective.Edit(" New title ", null, null, 41, "  ");
        Assert.Equal("New title", objective.Title);
        Assert.Null(objective.GoalId);
        Assert.Equal(41, objective.ParentObjectiveId);
        Assert.Null(objective.OwnerId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Objective_title_is_required(string title)
    {
        Assert.Throws<DomainException>(() =>
            new Objective(1, 1, title, null, 1, null, null, Definitions(1), TestTime.T0));
    }

    [Fact]
    public void AddKeyResult_up_to_five_then_rejects()
    {
        var objective = NewObjective(1, null, Definitions(4));
        var fifth = objective.AddKeyResult(OkrBuilder.Increase("KR 5"), TestTime.T0.AddDays(1));
        Assert.Equal(5, objective.KeyResults.Count);
        Assert.Same(objective, fifth.Objective);
        Assert.Equal(TestTime.T0.AddDays(1), fifth.CreatedAt);

        var ex = Assert.Throws<DomainException>(() => objective.AddKeyResult(OkrBuilder.Increase("KR 6"), TestTime.T0));
        Assert.Equal("KeyResults", ex.Field);
        Assert.Equal(5, objective.KeyResults.Count);
    }

    [Fact]
    public void Retired_key_results_free_a_slot()
    {
        var objective = NewObjective(1, null, Definitions(5));
        objective.KeyResults.First().Retire();

        objective.AddKeyResult(OkrBuilder.Increase("KR 6"), TestTime.T0);

        Assert.Equal(5, objective.ActiveKeyResults.Count());
        Assert.Equal(6, objective.KeyResults.Count);
    }

    [Fact]
    public void Weighted_roll_up_of_key_results()
    {
        var objective = NewObjective(1, null,
        [
            OkrBuilder.Increase("Half way", 0m, 100m, weight: 1m),
            OkrBuilder.Increase("Done", 0m, 100m, weight: 3m),
        ]);
        var krs = objective.KeyResults.ToList();
        krs[0].CheckIn(50m); // 50 %
        krs[1].CheckIn(100m); // 100 %

        var progress = objective.Progress();

        // (50 × 1 + 100 × 3) ÷ (1 + 3) = 350 ÷ 4 = 87.5 %
        Assert.Equal(87.5m, progress.Shown);
        Assert.Equal(87.5m, progress.RolledUp);
        Assert.Contains("50 % × 1", progress.Formula, StringComparison.Ordinal);
        Assert.Contains("100 % × 3", progress.Formula, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_weights_give_the_plain_mean()
    {
        var objective = NewObjective(1, null, [OkrBuilder.Increase("A", 0m, 10m), OkrBuilder.Increase("B", 0m, 10m), OkrBuilder.Increase("C", 0m, 10m)]);
        var krs = objective.KeyResults.ToList();
        krs[0].CheckIn(2m); // 20 %
        krs[1].CheckIn(3m); // 30 %
        krs[2].CheckIn(5m); // 50 %

        // (20 + 30 + 50) ÷ 3 = 33.33… → 33.3 %
        Assert.Equal(33.3m, objective.Progress().Shown);
    }

    [Fact]
    public void Mixing_increasing_and_decreasing_key_results()
    {
        var objective = NewObjective(1, null,
        [
            OkrBuilder.Increase("Active users", baseline: 50m, target: 90m, weight: 1m),
            OkrBuilder.Decrease("Churn", baseline: 40m, target: 20m, weight: 2m),
        ]);
        var users = objective.KeyResults.Single(k => k.Title == "Active users");
        var churn = objective.KeyResults.Single(k => k.Title == "Churn");
        users.CheckIn(80m); // (80 − 50) ÷ (90 − 50) = 30 ÷ 40 = 75 %
        churn.CheckIn(35m); // (35 − 40) ÷ (20 − 40) = −5 ÷ −20 = 25 %

        Assert.Equal(75m, users.Progress().Shown);
        Assert.Equal(25m, churn.Progress().Shown);
        // (75 × 1 + 25 × 2) ÷ 3 = 125 ÷ 3 = 41.67 → 41.7 %
        Assert.Equal(41.7m, objective.Progress().Shown);
    }

    [Fact]
    public void Over_achieving_key_result_counts_as_100_in_the_roll_up()
    {
        var objective = NewObjective(1, null, [OkrBuilder.Increase("Over", 0m, 100m), OkrBuilder.Increase("Zero", 0m, 100m)]);
        var krs = objective.KeyResults.ToList();
        krs[0].CheckIn(300m); // 300 % shown, 100 rolled up
        krs[1].CheckIn(0m); // 0 %

        Assert.Equal(300m, krs[0].Progress().Shown);
        // (100 + 0) ÷ 2 = 50 %  (not (300 + 0) ÷ 2 = 150 %)
        Assert.Equal(50m, objective.Progress().Shown);
    }

    [Fact]
    public void Worse_than_baseline_key_result_counts_as_0_in_the_roll_up()
    {
        var objective = NewObjective(1, null, [OkrBuilder.Increase("Worse", 50m, 100m), OkrBuilder.Increase("Half", 0m, 100m)]);
        var krs = objective.KeyResults.ToList();
        krs[0].CheckIn(0m); // (0 − 50) ÷ 50 = −100 % → 0
        krs[1].CheckIn(50m); // 50 %

        // (0 + 50) ÷ 2 = 25 %  (not (−100 + 50) ÷ 2 = −25 %)
        Assert.Equal(25m, objective.Progress().Shown);
    }

    [Fact]
    public void Retired_key_results_are_excluded_from_the_roll_up()
    {
        var objective = NewObjective(1, null, [OkrBuilder.Increase("Kept", 0m, 100m), OkrBuilder.Increase("Dropped", 0m, 100m, weight: 5m)]);
        var kept = objective.KeyResults.Single(k => k.Title == "Kept");
        var dropped = objective.KeyResults.Single(k => k.Title == "Dropped");
        kept.CheckIn(80m);
        dropped.CheckIn(0m);
        // Before: (80 × 1 + 0 × 5) ÷ 6 = 13.33 → 13.3 %
        Assert.Equal(13.3m, objective.Progress().Shown);

        dropped.Retire();

        // After: 80 × 1 ÷ 1 = 80 %
        Assert.Equal(80m, objective.Progress().Shown);
        Assert.Equal(KeyResultStatus.Retired, dropped.Status);
        Assert.DoesNotContain(dropped, objective.ActiveKeyResults);
        Assert.Contains(dropped, objective.KeyResults); // history kept
    }

    [Fact]
    public void Cannot_retire_the_last_active_key_result()
    {
        var objective = NewObjective(1, null, Definitions(2));
        var krs = objective.KeyResults.ToList();
        krs[0].Retire();

        var ex = Assert.Throws<DomainException>(krs[1].Retire);
        Assert.Equal("KeyResults", ex.Field);
        Assert.Equal(KeyResultStatus.Active, krs[1].Status);
        Assert.Throws<DomainException>(krs[0].Retire); // already retired
    }

    [Fact]
    public void Cannot_retire_the_only_key_result()
    {
        var keyResult = OkrBuilder.KeyResult(OkrBuilder.Increase());
        Assert.Throws<DomainException>(keyResult.Retire);
        Assert.Equal(KeyResultStatus.Active, keyResult.Status);
    }

    [Fact]
    public void Retired_key_result_rejects_check_ins_and_is_neither_stale_nor_behind()
    {
        var objective = NewObjective(1, null, Definitions(2));
        var kr = objective.KeyResults.First();
        kr.Retire();

        Assert.Throws<DomainException>(() => kr.CheckIn(60m));
        Assert.False(kr.IsStale(TestTime.T0.AddYears(1)));
        Assert.False(kr.IsBehind(Period.ForQuarter(2027, 1), new DateOnly(2027, 3, 31)));
    }

    [Fact]
    public void MoveKeyResultTo_moves_between_objectives()
    {
        var source = NewObjective(1, null, Definitions(2));
        var target = NewObjective(1, null, Definitions(1));
        var moving = source.KeyResults.First();

        source.MoveKeyResultTo(moving, target);

        Assert.Single(source.KeyResults);
        Assert.Equal(2, target.KeyResults.Count);
        Assert.Contains(moving, target.KeyResults);
        Assert.DoesNotContain(moving, source.KeyResults);
        Assert.Same(target, moving.Objective);
    }

    [Fact]
    public void MoveKeyResultTo_rejects_leaving_the_source_without_an_active_key_result()
    {
        var source = NewObjective(1, null, Definitions(1));
        var target = NewObjective(1, null, Definitions(1));
        var moving = source.KeyResults.Single();

        var ex = Assert.Throws<DomainException>(() => source.MoveKeyResultTo(moving, target));

        Assert.Equal("KeyResults", ex.Field);
        Assert.Single(source.KeyResults);
        Assert.Single(target.KeyResults);
        Assert.Same(source, moving.Objective);
    }

    [Fact]
    public void MoveKeyResultTo_rejects_a_full_target()
    {
        var source = NewObjective(1, null, Definitions(2));
        var target = NewObjective(1, null, Definitions(5));
        var moving = source.KeyResults.First();

        var ex = Assert.Throws<DomainException>(() => source.MoveKeyResultTo(moving, target));

        Assert.Equal("TargetObjectiveId", ex.Field);
        Assert.Equal(2, source.KeyResults.Count);
        Assert.Equal(5, target.KeyResults.Count);
    }

    [Fact]
    public void MoveKeyResultTo_rejects_same_objective_foreign_key_result_and_inactive_target()
    {
        var source = NewObjective(1, null, Definitions(2));
        var other = NewObjective(1, null, Definitions(2));
        var closed = NewObjective(1, null, Definitions(1));
        closed.Close(0.5m, null);

        Assert.Throws<DomainException>(() => source.MoveKeyResultTo(source.KeyResults.First(), source));
        Assert.Throws<DomainException>(() => source.MoveKeyResultTo(other.KeyResults.First(), other));
        Assert.Throws<DomainException>(() => source.MoveKeyResultTo(source.KeyResults.First(), closed));
        Assert.Equal(2, source.KeyResults.Count);
        Assert.Single(closed.KeyResults);
    }

    [Fact]
    public void After_a_move_the_objectives_keep_1_to_5_and_progress_follows()
    {
        var source = NewObjective(1, null, [OkrBuilder.Increase("A", 0m, 100m), OkrBuilder.Increase("B", 0m, 100m)]);
        var target = NewObjective(1, null, [OkrBuilder.Increase("C", 0m, 100m)]);
        var a = source.KeyResults.Single(k => k.Title == "A");
        a.CheckIn(100m);

        source.MoveKeyResultTo(a, target);

        Assert.Equal(0m, source.Progress().Shown); // B only: 0 %
        Assert.Equal(50m, target.Progress().Shown); // (100 + 0) ÷ 2 = 50 %
        Assert.InRange(source.ActiveKeyResults.Count(), 1, Objective.MaxKeyResults);
        Assert.InRange(target.ActiveKeyResults.Count(), 1, Objective.MaxKeyResults);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.7)]
    [InlineData(1.0)]
    public void Close_with_score_in_range(double score)
    {
        var objective = NewObjective(1, null, Definitions(1));
        objective.Close((decimal)score, "  went well ");

        Assert.Equal(ObjectiveStatus.Closed, objective.Status);
        Assert.Equal((decimal)score, objective.Score);
        Assert.Equal("went well", objective.Retrospective);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.01)]
    [InlineData(70)]
    public void Close_with_score_outside_0_to_1_is_rejected(double score)
    {
        var objective = NewObjective(1, null, Definitions(1));

        var ex = Assert.Throws<DomainException>(() => objective.Close((decimal)score, null));

        Assert.Equal("Score", ex.Field);
        Assert.Equal(ObjectiveStatus.Active, objective.Status);
        Assert.Null(objective.Score);
    }

    [Fact]
    public void Closed_objective_rejects_check_ins_new_key_results_and_closing_again()
    {
        var objective = NewObjective(1, null, Definitions(1));
        var kr = objective.KeyResults.Single();
        objective.Close(0.6m, null);

        Assert.Throws<DomainException>(() => kr.CheckIn(60m));
        Assert.Empty(kr.CheckIns);
        Assert.Throws<DomainException>(() => objective.AddKeyResult(OkrBuilder.Increase("New"), TestTime.T0));
        Assert.Single(objective.KeyResults);
        Assert.Throws<DomainException>(() => objective.Close(0.5m, null));
    }

    [Fact]
    public void Retired_objective_rejects_check_ins_and_retiring_twice()
    {
        var objective = NewObjective(1, null, Definitions(1));
        objective.Retire();

        Assert.Equal(ObjectiveStatus.Retired, objective.Status);
        Assert.Throws<DomainException>(() => objective.KeyResults.Single().CheckIn(60m));
        Assert.Throws<DomainException>(objective.Retire);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(100.5)]
    public void SetWeight_rejects_out_of_range(double weight)
    {
        var objective = NewObjective(1, null, Definitions(1));
        var ex = Assert.Throws<DomainException>(() => objective.SetWeight((decimal)weight));
        Assert.Equal("Weight", ex.Field);
        Assert.Equal(1m, objective.Weight);
    }

    [Fact]
    public void SetWeight_accepts_in_range()
    {
        var objective = NewObjective(1, null, Definitions(1));
        objective.SetWeight(100m);
        Assert.Equal(100m, objective.Weight);
    }

    // ---- Alignment loops (Edit with parentOf) ----

    [Fact]
    public void Edit_rejects_a_parent_that_already_contributes_to_the_objective()
    {
        // 10 ← 11 ← 12 (12 contributes to 11, which contributes to 10): 10 cannot take 12 or 11 as its parent.
        var parents = new Dictionary<int, int?> { [10] = null, [11] = 10, [12] = 11, [20] = null };
        var objective = TestIds.Set(NewObjective(1, null, Definitions(1)), 10);

        var deep = Assert.Throws<DomainException>(() => objective.Edit("T", null, null, 12, null, id => parents.GetValueOrDefault(id)));
        var direct = Assert.Throws<DomainException>(() => objective.Edit("T", null, null, 11, null, id => parents.GetValueOrDefault(id)));

        Assert.Equal("ParentObjectiveId", deep.Field);
        Assert.Equal("ParentObjectiveId", direct.Field);
        Assert.Contains("already contributes to this one", deep.Message, StringComparison.Ordinal);
        Assert.Equal(1, objective.GoalId);
        Assert.Null(objective.ParentObjectiveId);

        objective.Edit("T", null, null, 20, null, id => parents.GetValueOrDefault(id)); // outside the branch
        Assert.Equal(20, objective.ParentObjectiveId);
    }

    [Fact]
    public void Edit_stops_on_a_loop_elsewhere_in_the_data()
    {
        // 30 ↔ 31 already point at each other (bad data): walking up from 30 must end, and 10 is not in that loop.
        var parents = new Dictionary<int, int?> { [30] = 31, [31] = 30 };
        var objective = TestIds.Set(NewObjective(1, null, Definitions(1)), 10);

        objective.Edit("T", null, null, 30, null, id => parents.GetValueOrDefault(id));

        Assert.Equal(30, objective.ParentObjectiveId);
    }

    // ---- Closed objectives are history ----

    [Fact]
    public void A_closed_objective_cannot_be_edited_nor_its_key_results_redefined()
    {
        var objective = NewObjective(1, null, Definitions(2));
        var kr = objective.KeyResults.First();
        objective.Close(0.5m, null);

        Assert.Throws<DomainException>(() => objective.Edit("New title", null, 1, null, null));
        Assert.Throws<DomainException>(() => kr.Redefine(OkrBuilder.Increase("New KR title")));
        Assert.Equal("Delight users", objective.Title);
        Assert.Equal("KR 1", kr.Title);
    }

    // ---- Moving key results: more rules ----

    [Fact]
    public void MoveKeyResultTo_rejects_another_period_a_closed_source_and_a_retired_key_result()
    {
        var source = NewObjective(1, null, Definitions(3));
        var nextQuarter = new Objective(3, 5, "Next quarter", null, 1, null, null, Definitions(1), TestTime.T0);
        var target = NewObjective(1, null, Definitions(1));

        var period = Assert.Throws<DomainException>(() => source.MoveKeyResultTo(source.KeyResults.First(), nextQuarter));
        Assert.Equal("TargetObjectiveId", period.Field);

        var retired = source.KeyResults.Last();
        retired.Retire();
        Assert.Throws<DomainException>(() => source.MoveKeyResultTo(retired, target));

        source.Close(0.4m, null);
        Assert.Throws<DomainException>(() => source.MoveKeyResultTo(source.KeyResults.First(), target));

        Assert.Equal(3, source.KeyResults.Count);
        Assert.Single(target.KeyResults);
        Assert.Single(nextQuarter.KeyResults);
    }

    // ---- Carrying an objective into the next period ----

    private static Period PeriodWithId(int year, int quarter, int id)
    {
        var period = Period.ForQuarter(year, quarter);
        typeof(Period).GetProperty(nameof(Period.Id))!.SetValue(period, id);
        return period;
    }

    [Fact]
    public void CarryInto_takes_the_unfinished_key_results_from_where_they_stand_and_closes_the_original_with_its_progress()
    {
        var q1 = PeriodWithId(2027, 1, 4);
        var q2 = PeriodWithId(2027, 2, 5);
        var objective = new Objective(3, 4, "Delight users", "desc", null, 8, "owner",
        [
            OkrBuilder.Increase("Active users", baseline: 50m, target: 90m, weight: 2m),
            OkrBuilder.Decrease("Churn", baseline: 40m, target: 20m),
            new("Uptime", MetricType.Percent, MetricDirection.StayAbove, 99m, 99.9m),
            new("Launched", MetricType.Milestone, MetricDirection.Increase, 0m, 1m),
            new("Revenue", MetricType.Currency, MetricDirection.Increase, 100m, 200m, CurrencyCode: "EUR", CadenceDays: 7, MetricName: "Revenue"),
        ], TestTime.T0);
        objective.SetWeight(3m);
        var krs = objective.KeyResults.ToDictionary(k => k.Title);
        krs["Active users"].CheckIn(70m); // (70 − 50) ÷ 40 = 50 %
        krs["Churn"].CheckIn(35m);        // (35 − 40) ÷ (20 − 40) = 25 %
        krs["Uptime"].CheckIn(99.95m);    // holds → 100 %: complete, stays behind
        krs["Launched"].CheckIn(0m);      // not yet → 0 %
        // Revenue: no check-in → 0 %, baseline unchanged
        var at = TestTime.T0.AddDays(90);

        var copy = objective.CarryInto(q2, q1, at);

        // Original: (50 × 2 + 25 + 100 + 0 + 0) ÷ 6 = 225 ÷ 6 = 37.5 % → score 0.38 (rounded half away from zero)
        Assert.Equal(ObjectiveStatus.Closed, objective.Status);
        Assert.Equal(0.38m, objective.Score);
        Assert.Equal("Carried over to 2027-Q2 with 4 unfinished key results.", objective.Retrospective);

        Assert.Equal(ObjectiveStatus.Active, copy.Status);
        Assert.Equal((3, 5, "Delight users", "desc", (int?)null, (int?)8, "owner", 3m, at),
            (copy.TeamId, copy.PeriodId, copy.Title, copy.Description, copy.GoalId, copy.ParentObjectiveId, copy.OwnerId, copy.Weight, copy.CreatedAt));
        var carried = copy.KeyResults.ToDictionary(k => k.Title);
        Assert.Equal(["Active users", "Churn", "Launched", "Revenue"], carried.Keys.Order());
        Assert.Equal((70m, 90m, 2m), (carried["Active users"].Baseline, carried["Active users"].Target, carried["Active users"].Weight));
        Assert.Equal((35m, 20m, MetricDirection.Decrease), (carried["Churn"].Baseline, carried["Churn"].Target, carried["Churn"].Direction));
        Assert.Equal((0m, 1m, MetricType.Milestone), (carried["Launched"].Baseline, carried["Launched"].Target, carried["Launched"].MetricType));
        Assert.Equal((100m, 200m, "EUR", 7, "Revenue"), (carried["Revenue"].Baseline, carried["Revenue"].Target, carried["Revenue"].CurrencyCode, carried["Revenue"].CadenceDays, carried["Revenue"].MetricName));
        Assert.All(copy.KeyResults, k => Assert.Null(k.Current));
        Assert.All(copy.KeyResults, k => Assert.Empty(k.CheckIns));
        Assert.All(copy.KeyResults, k => Assert.Equal(0m, k.Progress().Shown)); // a fresh start in the new period
        Assert.Equal(5, objective.KeyResults.Count); // the original keeps its key results and their history
        Assert.Single(krs["Active users"].CheckIns);
    }

    [Fact]
    public void CarryInto_keeps_the_baseline_of_a_key_result_that_is_worse_than_it_was()
    {
        var objective = NewObjective(1, null, [OkrBuilder.Increase("Active users", baseline: 50m, target: 90m), OkrBuilder.Decrease("Churn", baseline: 40m, target: 20m)]);
        var krs = objective.KeyResults.ToDictionary(k => k.Title);
        krs["Active users"].CheckIn(45m); // worse than baseline: starts the new period from 45
        krs["Churn"].CheckIn(44m);        // worse than baseline: starts from 44

        var copy = objective.CarryInto(PeriodWithId(2027, 2, 5), PeriodWithId(2027, 1, 4), TestTime.T0);

        var carried = copy.KeyResults.ToDictionary(k => k.Title);
        Assert.Equal(45m, carried["Active users"].Baseline);
        Assert.Equal(44m, carried["Churn"].Baseline);
        Assert.Equal(0m, objective.Score);
    }

    [Fact]
    public void CarryInto_leaves_over_achieved_and_retired_key_results_behind()
    {
        var objective = NewObjective(1, null, [OkrBuilder.Increase("Over", 0m, 100m), OkrBuilder.Increase("Half", 0m, 100m), OkrBuilder.Increase("Dropped", 0m, 100m)]);
        var krs = objective.KeyResults.ToDictionary(k => k.Title);
        krs["Over"].CheckIn(150m);  // 150 % shown, 100 rolled up
        krs["Half"].CheckIn(50m);
        krs["Dropped"].Retire();

        var copy = objective.CarryInto(PeriodWithId(2027, 4, 9), PeriodWithId(2027, 1, 4), TestTime.T0);

        Assert.Equal(["Half"], copy.KeyResults.Select(k => k.Title));
        Assert.Equal(50m, copy.KeyResults.Single().Baseline);
        Assert.Equal(9, copy.PeriodId);
        Assert.Equal(0.75m, objective.Score); // (100 + 50) ÷ 2 = 75 %
        Assert.Equal("Carried over to 2027-Q4 with 1 unfinished key result.", objective.Retrospective);
    }

    [Theory]
    [InlineData(2027, 1, 4)] // the same period
    [InlineData(2026, 4, 3)] // an earlier one
    public void CarryInto_rejects_a_period_that_is_not_later(int year, int quarter, int id)
    {
        var objective = NewObjective(1, null, Definitions(2));

        var ex = Assert.Throws<DomainException>(() => objective.CarryInto(PeriodWithId(year, quarter, id), PeriodWithId(2027, 1, 4), TestTime.T0));

        Assert.Equal("PeriodId", ex.Field);
        Assert.Equal(ObjectiveStatus.Active, objective.Status);
        Assert.Null(objective.Score);
    }

    [Fact]
    public void CarryInto_rejects_a_complete_or_closed_objective()
    {
        var complete = NewObjective(1, null, [OkrBuilder.Increase("Done", 0m, 10m)]);
        complete.KeyResults.Single().CheckIn(10m);
        var closed = NewObjective(1, null, Definitions(1));
        closed.Close(0.2m, "Stopped.");

        Assert.Throws<DomainException>(() => complete.CarryInto(PeriodWithId(2027, 2, 5), PeriodWithId(2027, 1, 4), TestTime.T0));
        Assert.Throws<DomainException>(() => closed.CarryInto(PeriodWithId(2027, 2, 5), PeriodWithId(2027, 1, 4), TestTime.T0));
        Assert.Equal(ObjectiveStatus.Active, complete.Status);
        Assert.Equal((0.2m, "Stopped."), (closed.Score, closed.Retrospective));
    }
}
