using AlignmentHub.Domain.Okrs;

namespace AlignmentHub.UnitTests.Domain;

/// <summary>Builds objectives and key results for the OKR tests.</summary>
internal static class OkrBuilder
{
    public static KeyResultDefinition Increase(string title = "Active users", decimal baseline = 50m, decimal target = 90m, decimal weight = 1m) =>
        new(title, MetricType.Number, MetricDirection.Increase, baseline, target, Weight: weight);

    public static KeyResultDefinition Decrease(string title = "Churn", decimal baseline = 40m, decimal target = 20m, decimal weight = 1m) =>
        new(title, MetricType.Number, MetricDirection.Decrease, baseline, target, Weight: weight);

    public static Objective Objective(params KeyResultDefinition[] definitions) =>
        new(teamId: 1, periodId: 1, "Grow the product", null, goalId: 1, parentObjectiveId: null, ownerId: null,
            definitions.Length == 0 ? [Increase()] : definitions, TestTime.T0);

    public static KeyResult KeyResult(KeyResultDefinition definition) => Objective(definition).KeyResults.Single();

    public static CheckIn CheckIn(this KeyResult keyResult, decimal value, DateTimeOffset? at = null, int confidence = 7) =>
        keyResult.RecordCheckIn(value, confidence, null, "u1", "Ada", at ?? TestTime.T0.AddDays(1));
}
