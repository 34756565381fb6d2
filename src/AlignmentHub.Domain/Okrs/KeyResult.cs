using AlignmentHub.Domain.Common;

namespace AlignmentHub.Domain.Okrs;

/// <summary>A measurable key result of an objective, with its check-in history.</summary>
public sealed class KeyResult : Entity
{
    public const int DefaultCadenceDays = 14;
    public const decimal MaxMagnitude = 1_000_000_000_000m;

    /// <summary>Progress lagging the elapsed share of the period by more than this many points is "behind".</summary>
    public const decimal BehindThresholdPoints = 25m;

    private readonly List<CheckIn> checkIns = [];

    private KeyResult()
    {
        Title = string.Empty;
        Objective = null!;
    }

    internal KeyResult(Objective objective, KeyResultDefinition definition, DateTimeOffset createdAt)
    {
        Objective = objective;
        ObjectiveId = objective.Id;
        Title = string.Empty;
        Status = KeyResultStatus.Active;
        CreatedAt = createdAt;
        Redefine(definition);
    }

    public int ObjectiveId { get; private set; }

    public Objective Objective { get; private set; }

    public string Title { get; private set; }

    /// <summary>Name of the measured metric, used to find teams pulling one metric in opposite directions.</summary>
    public string? MetricName { get; private set; }

    public MetricType MetricType { get; private set; }

    public MetricDirection Direction { get; private set; }

    public decimal Baseline { get; private set; }

    public decimal Target { get; private set; }

    public decimal? BandLow { get; private set; }

    public decimal? BandHigh { get; private set; }

    public decimal? Current { get; private set; }

    public string? Unit { get; private set; }

    /// <summary>ISO 4217 code, for currency metrics.</summary>
    public string? CurrencyCode { get; private set; }

    public decimal Weight { get; private set; }

    public int CadenceDays { get; private set; }

    public KeyResultStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? LastCheckInAt { get; private set; }

    public IReadOnlyCollection<CheckIn> CheckIns => checkIns;

    public void Redefine(KeyResultDefinition d)
    {
        if (Objective.Status != ObjectiveStatus.Active)
        {
            throw new DomainException("The objective is no longer active: its key results cannot be changed.");
        }

        if (!Enum.IsDefined(d.MetricType))
        {
            throw new DomainException("Choose a metric type.", nameof(MetricType));
        }

        if (!Enum.IsDefined(d.Direction))
        {
            throw new DomainException("Choose a direction.", nameof(Direction));
        }

        foreach (var (value, field) in new[] { ((decimal?)d.Baseline, nameof(Baseline)), (d.Target, nameof(Target)), (d.BandLow, nameof(BandLow)), (d.BandHigh, nameof(BandHigh)) })
        {
            if (value is { } v && Math.Abs(v) > MaxMagnitude)
            {
                throw new DomainException("The value is too large.", field);
            }
        }

        var direction = d.Direction;
        var baseline = d.Baseline;
        var target = d.Target;
        decimal? bandLow = null;
        decimal? bandHigh = null;
        if (d.MetricType is MetricType.Boolean or MetricType.Milestone)
        {
            // Yes/no and milestone results are reached or not: 0 → 1, whatever was typed.
            direction = MetricDirection.Increase;
            baseline = 0m;
            target = 1m;
        }
        else
        {
            switch (direction)
            {
                case MetricDirection.Increase when target <= baseline:
                    throw new DomainException(target == baseline
                        ? "The target must differ from the baseline."
                        : "For an increasing key result the target must be above the baseline.", nameof(Target));
                case MetricDirection.Decrease when target >= baseline:
                    throw new DomainException(target == baseline
                        ? "The target must differ from the baseline."
                        : "For a decreasing key result the target must be below the baseline.", nameof(Target));
                case MetricDirection.StayWithin:
                    if (d.BandLow is null || d.BandHigh is null)
                    {
                        throw new DomainException("A band needs a lower and an upper bound.", d.BandLow is null ? nameof(BandLow) : nameof(BandHigh));
                    }

                    if (d.BandLow > d.BandHigh)
                    {
                        throw new DomainException("The lower bound must not be above the upper bound.", nameof(BandHigh));
                    }

                    bandLow = d.BandLow;
                    bandHigh = d.BandHigh;
                    break;
            }
        }

        string? currency = null;
        if (d.MetricType == MetricType.Currency)
        {
            currency = d.CurrencyCode?.Trim().ToUpperInvariant();
            if (currency is null || currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            {
                throw new DomainException("Enter a three-letter ISO currency code, such as EUR or USD.", nameof(CurrencyCode));
            }
        }

        if (d.Weight is <= 0m or > 100m)
        {
            throw new DomainException("Weight must be above 0 and at most 100.", nameof(Weight));
        }

        if (d.CadenceDays is < 1 or > 365)
        {
            throw new DomainException("Check-in cadence must be between 1 and 365 days.", nameof(CadenceDays));
        }

        Title = Guard.Text(d.Title, nameof(Title), Limits.Title);
        MetricName = Guard.OptionalText(d.MetricName, nameof(MetricName), Limits.Name);
        MetricType = d.MetricType;
        Direction = direction;
        Baseline = baseline;
        Target = target;
        BandLow = bandLow;
        BandHigh = bandHigh;
        Unit = d.MetricType == MetricType.Percent ? "%" : Guard.OptionalText(d.Unit, nameof(Unit), Limits.Unit);
        CurrencyCode = currency;
        Weight = d.Weight;
        CadenceDays = d.CadenceDays;
    }

    /// <summary>Records a check-in. The current value follows the latest check-in by time.</summary>
    public CheckIn RecordCheckIn(decimal value, int confidence, string? note, string authorId, string authorName, DateTimeOffset at)
    {
        if (Status != KeyResultStatus.Active || Objective.Status != ObjectiveStatus.Active)
        {
            throw new DomainException("Check-ins are only possible on active key results of active objectives.");
        }

        if (confidence is < 0 or > 10)
        {
            throw new DomainException("Confidence must be between 0 and 10.", "Confidence");
        }

        if (Math.Abs(value) > MaxMagnitude)
        {
            throw new DomainException("The value is too large.", "Value");
        }

        if (MetricType is MetricType.Boolean or MetricType.Milestone && value is not (0m or 1m))
        {
            throw new DomainException("Enter 1 when reached or 0 when not yet reached.", "Value");
        }

        var checkIn = new CheckIn(this, value, confidence, Guard.OptionalText(note, "Note", Limits.LongText),
            Guard.UserId(authorId), Guard.Text(authorName, "Author", Limits.UserName), at);
        checkIns.Add(checkIn);
        if (LastCheckInAt is null || at >= LastCheckInAt)
        {
            Current = value;
            LastCheckInAt = at;
        }

        return checkIn;
    }

    /// <summary>This key result's definition, re-based on where it stands now (for carrying it into a new period).</summary>
    public KeyResultDefinition DefinitionFromCurrent()
    {
        var start = Current ?? Baseline;
        var rebase = Direction is MetricDirection.Increase or MetricDirection.Decrease && MetricType is not (MetricType.Boolean or MetricType.Milestone)
            && (Direction == MetricDirection.Increase ? start < Target : start > Target);
        return new KeyResultDefinition(Title, MetricType, Direction, rebase ? start : Baseline, Target, BandLow, BandHigh, Unit,
            CurrencyCode, Weight, CadenceDays, MetricName);
    }

    public Progress Progress() =>
        ProgressCalculator.ForKeyResult(MetricType, Direction, Baseline, Target, BandLow, BandHigh, Current);

    /// <summary>No check-in for longer than the cadence (counted from creation when there is none).</summary>
    public bool IsStale(DateTimeOffset now) => Status == KeyResultStatus.Active
        && (now - (LastCheckInAt ?? CreatedAt)).TotalDays > CadenceDays;

    /// <summary>Progress lags the elapsed share of the period by more than 25 points.</summary>
    public bool IsBehind(Period period, DateOnly today) => Status == KeyResultStatus.Active
        && (period.ElapsedShare(today) * 100m) - Progress().RolledUp > BehindThresholdPoints;

    public void Retire()
    {
        if (Status == KeyResultStatus.Retired)
        {
            throw new DomainException("The key result is already retired.");
        }

        Objective.EnsureAnotherActiveKeyResult(this);
        Status = KeyResultStatus.Retired;
    }

    internal void MoveTo(Objective objective)
    {
        Objective = objective;
        ObjectiveId = objective.Id;
    }
}
