namespace Governance.Domain.Measures;

/// <summary>
/// Measures by period for one scope (an account, a portfolio, a segment, a tenant): keyed by
/// <see cref="Period.Key"/> (months, quarters and years side by side), each vector indexed by
/// <see cref="Measure"/>. Sums of these are sums of scopes.
/// </summary>
public sealed class MonthlyMeasures
{
    public SortedDictionary<int, long[]> Months { get; set; } = [];

    public long Get(int month, Measure measure) => Months.TryGetValue(month, out var values) ? values[(int)measure] : 0;

    public void Add(int month, long[] delta, int sign = 1)
    {
        if (!Months.TryGetValue(month, out var values))
        {
            values = new long[Measures.Count];
            Months[month] = values;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] += sign * delta[i];
        }

        if (values.All(v => v == 0))
        {
            Months.Remove(month);
        }
    }

    /// <summary>
    /// MRR at the end of a month: the running sum of every monthly MRR flow up to and including it,
    /// with what accounts carried into or out of the scope when they changed portfolio.
    /// </summary>
    public long MrrAtEnd(int month) => MonthsUpTo(month).Sum(m =>
        m[(int)Measure.MrrNew] + m[(int)Measure.MrrExpansion] + m[(int)Measure.MrrReactivated]
        - m[(int)Measure.MrrContraction] - m[(int)Measure.MrrChurned] + m[(int)Measure.MrrStartAdjust]);

    public long MrrAtStart(int month) => MrrAtEnd(month - 1);

    /// <summary>Paying customers at the end of a month: acquired and reactivated minus churned, up to it.</summary>
    public long CustomersAtEnd(int month) => MonthsUpTo(month).Sum(m =>
        m[(int)Measure.CustomersNew] + m[(int)Measure.CustomersReactivated] - m[(int)Measure.CustomersChurned] + m[(int)Measure.CustomersStartAdjust]);

    public long CustomersAtStart(int month) => CustomersAtEnd(month - 1);

    /// <summary>
    /// A period's measures with its levels. The start level is the running sum before its first month
    /// plus what the period itself carries in: a quarter belongs to the portfolio holding the account
    /// at its end, which therefore also holds the account's level at its start.
    /// </summary>
    public Metrics.PeriodMeasures Read(Period period)
    {
        var values = Months.TryGetValue(period.Key, out var stored) ? (long[])stored.Clone() : new long[Measures.Count];
        return new Metrics.PeriodMeasures(period, values,
            MrrAtEnd(period.FirstMonth - 1) + values[(int)Measure.MrrStartAdjust],
            MrrAtEnd(period.LastMonth),
            CustomersAtEnd(period.FirstMonth - 1) + values[(int)Measure.CustomersStartAdjust],
            CustomersAtEnd(period.LastMonth));
    }

    private IEnumerable<long[]> MonthsUpTo(int month) => Months.TakeWhile(m => m.Key <= month).Select(m => m.Value);
}
