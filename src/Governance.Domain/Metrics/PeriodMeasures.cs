using Governance.Domain.Measures;

namespace Governance.Domain.Metrics;

/// <summary>
/// A scope's measures for one period: the summed per-period values, and the levels at its start and
/// end (running sums of the monthly flows, with what accounts brought into or took out of a portfolio).
/// </summary>
public sealed record PeriodMeasures(Period Period, long[] Values, long MrrStart, long MrrEnd, long CustomersStart, long CustomersEnd)
{
    public long this[Measure measure] => Values[(int)measure];

    public static PeriodMeasures Empty(Period period) => new(period, new long[Measures.Measures.Count], 0, 0, 0, 0);
}
