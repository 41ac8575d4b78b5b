namespace Governance.Domain.Findings;

/// <summary>
/// Parameters of <see cref="AnomalyDetector"/> (docs/metrics.md, "Anomaly detection"). The defaults are
/// the product's: a trailing window of 12 periods, 6 usable points before judging, |M| &gt; 3.5, a 50 %
/// change when the window has no spread, and no seasonality unless a cycle is given.
/// </summary>
public sealed record AnomalyOptions
{
    /// <summary>Periods before the tested one that form its window (nulls and past anomalies among them are left out).</summary>
    public int Window { get; init; } = 12;

    /// <summary>Usable points the window must hold before a point is judged.</summary>
    public int MinHistory { get; init; } = 6;

    /// <summary>A point is anomalous when its robust score's magnitude is above this.</summary>
    public decimal Threshold { get; init; } = 3.5m;

    /// <summary>When the window has no spread (MAD 0): anomalous when it differs from the expected value by more than this share of it.</summary>
    public decimal PercentChange { get; init; } = 0.5m;

    /// <summary>Periods per seasonal cycle (12 for months, 4 for quarters); null: no seasonality.</summary>
    public int? Cycle { get; init; }

    /// <summary>The product's defaults for a monthly series: seasonality over 12 months.</summary>
    public static AnomalyOptions Monthly { get; } = new() { Cycle = 12 };

    /// <summary>The product's defaults for a quarterly series: seasonality over 4 quarters.</summary>
    public static AnomalyOptions Quarterly { get; } = new() { Cycle = 4 };

    /// <summary>Throws when a parameter cannot work (e.g. a minimum history larger than the window).</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 1, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Window, 1_000, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinHistory, 1, nameof(MinHistory));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinHistory, Window, nameof(MinHistory));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Threshold, nameof(Threshold));
        ArgumentOutOfRangeException.ThrowIfNegative(PercentChange, nameof(PercentChange));
        if (Cycle is { } cycle)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(cycle, 2, nameof(Cycle));
        }
    }
}
