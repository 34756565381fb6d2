namespace AlignmentHub.Domain.Okrs;

/// <summary>The editable definition of a key result, validated as a whole by <see cref="KeyResult"/>.</summary>
public sealed record KeyResultDefinition(
    string Title,
    MetricType MetricType,
    MetricDirection Direction,
    decimal Baseline,
    decimal Target,
    decimal? BandLow = null,
    decimal? BandHigh = null,
    string? Unit = null,
    string? CurrencyCode = null,
    decimal Weight = 1m,
    int CadenceDays = KeyResult.DefaultCadenceDays,
    string? MetricName = null);
