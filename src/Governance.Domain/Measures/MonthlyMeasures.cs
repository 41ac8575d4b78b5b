namespace Governance.Domain.Measures;

/// <summary>
/// Measures by month for one scope (an account, a portfolio, a tenant): a month's vector is indexed by
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

    /// <summary>MRR at the end of a month: the running sum of every MRR flow up to and including it.</summary>
    public long MrrAtEnd(int month) => Months.Where(m => m.Key <= month).Sum(m =>
        m.Value[(int)Measure.MrrNew] + m.Value[(int)Measure.MrrExpansion] + m.Value[(int)Measure.MrrReactivated]
        - m.Value[(int)Measure.MrrContraction] - m.Value[(int)Measure.MrrChurned]);

    public long MrrAtStart(int month) => MrrAtEnd(month - 1);

    /// <summary>Paying customers at the end of a month: acquired and reactivated minus churned, up to it.</summary>
    public long CustomersAtEnd(int month) => Months.Where(m => m.Key <= month).Sum(m =>
        m.Value[(int)Measure.CustomersNew] + m.Value[(int)Measure.CustomersReactivated] - m.Value[(int)Measure.CustomersChurned]);

    public long CustomersAtStart(int month) => CustomersAtEnd(month - 1);
}
