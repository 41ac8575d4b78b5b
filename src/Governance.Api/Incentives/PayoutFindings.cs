using Governance.Api.Metrics.Values;
using Governance.Domain.Measures;

namespace Governance.Api.Incentives;

/// <summary>An open data-quality finding that touches a payout's inputs.</summary>
public sealed record OpenFinding(string FindingId, string Kind, string Summary);

/// <summary>
/// Where the data gate asks for open findings on a payout's inputs (product §7: "no open anomalies on the
/// inputs"). The jobs that raise findings (anomalies, reconciliation, freshness) register their source here;
/// the gate asks every registered source.
/// </summary>
public interface IPayoutFindingSource
{
    Task<IReadOnlyList<OpenFinding>> OpenFindingsAsync(string tenantId, MetricScope scope, Period period, IReadOnlyCollection<string> metricKeys, CancellationToken cancellationToken);
}
