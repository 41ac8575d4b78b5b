using Governance.Api.Incentives;
using Governance.Api.Metrics.Values;
using Governance.Domain.Measures;
using Governance.Storage.Facts;
using Governance.Storage.Findings;

namespace Governance.Api.Findings;

/// <summary>
/// The data gate's view of the jobs' findings: an open finding touches a payout when its scope is the
/// executive, one of the accounts of the portfolio, the tenant or none; its metric is one the payout read
/// or none; and its period overlaps the payout's (a month, quarter or year in or around it) or is none.
/// </summary>
public sealed class StoredFindingSource(FindingStore findings, FactStore facts) : IPayoutFindingSource
{
    public async Task<IReadOnlyList<OpenFinding>> OpenFindingsAsync(string tenantId, MetricScope scope, Period period, IReadOnlyCollection<string> metricKeys, CancellationToken cancellationToken)
    {
        var scopes = new List<string> { scope.ToString(), new MetricScope(ScopeKind.Tenant, null).ToString() };
        if (scope.Kind == ScopeKind.Executive)
        {
            scopes.AddRange((await facts.AccountsOfPortfolioAsync(tenantId, scope.Id!, cancellationToken)).Select(a => new MetricScope(ScopeKind.Account, a).ToString()));
        }

        var open = await findings.OpenTouchingAsync(tenantId, [.. scopes], [.. metricKeys], [.. Overlapping(period).Select(p => p.ToString())], cancellationToken);
        return open.Select(f => new OpenFinding(f.FindingId.ToString(), f.Kind, f.Summary)).ToList();
    }

    /// <summary>Every month, quarter and year that shares a day with <paramref name="period"/>.</summary>
    public static IEnumerable<Period> Overlapping(Period period)
    {
        var months = Enumerable.Range(0, period.MonthCount).Select(i => Period.Month(period.Start.Year, period.Start.Month).Shift(i)).ToList();
        return months
            .Concat(months.Select(m => Period.Quarter(m.Year, ((m.Index - 1) / 3) + 1)))
            .Concat(months.Select(m => Period.OfYear(m.Year)))
            .Distinct();
    }
}
