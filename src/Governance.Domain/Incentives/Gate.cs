namespace Governance.Domain.Incentives;

/// <summary>Which side of a bound a value must be on.</summary>
public enum Comparison
{
    AtLeast,
    AtMost,
}

/// <summary>
/// A condition on a metric of the payee's scope for the period (e.g. GRR at least 0.85): when it does
/// not hold, or the metric has no value, the plan pays nothing for the period.
/// </summary>
public sealed record Gate(string MetricKey, Comparison Comparison, decimal Bound)
{
    public bool Holds(decimal? value) => value is { } v && (Comparison == Comparison.AtLeast ? v >= Bound : v <= Bound);
}
