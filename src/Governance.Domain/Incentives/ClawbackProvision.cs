namespace Governance.Domain.Incentives;

/// <summary>Which side of the bound breaches a clawback condition (strictly).</summary>
public enum Breach
{
    Below,
    Above,
}

/// <summary>
/// When a released tranche can be recovered: the metric, for the payee's scope, is <see cref="Breach"/>
/// <see cref="Bound"/> in a month that starts within <see cref="WithinMonths"/> months after the tranche's
/// release; a clawback case then asks the committee to recover <see cref="ShareRecovered"/> of the tranche.
/// E.g. NRR below 0.9 within 12 months, half recovered.
/// </summary>
public sealed record ClawbackProvision(string MetricKey, Breach Breach, decimal Bound, int WithinMonths, decimal ShareRecovered)
{
    public bool IsBreachedBy(decimal value) => Breach == Breach.Below ? value < Bound : value > Bound;
}
