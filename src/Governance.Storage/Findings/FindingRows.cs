namespace Governance.Storage.Findings;

/// <summary>
/// A finding a job raises. <see cref="DedupeKey"/> says which findings are the same (e.g.
/// <c>anomaly:net_revenue_retention:executive:cro-1:2026-03</c>): a tenant holds one finding per key, so
/// running a job twice raises it once. Scope, metric and period say what it touches (null: everything).
/// </summary>
public sealed record NewFinding(string Kind, string DedupeKey, string? Scope, string? MetricKey, string? Period, string? Source, string Summary, string EvidenceJson);

/// <summary>A stored finding and, once a data owner resolved it, who, when and why.</summary>
public sealed class FindingRow
{
    public Guid FindingId { get; set; }
    public string Kind { get; set; } = "";
    public string DedupeKey { get; set; } = "";
    public string? Scope { get; set; }
    public string? MetricKey { get; set; }
    public string? Period { get; set; }
    public string? Source { get; set; }
    public string Summary { get; set; } = "";
    public string Evidence { get; set; } = "";
    public string DetectedBy { get; set; } = "";
    public DateTime DetectedAt { get; set; }
    public string? ResolvedBy { get; set; }
    public string? ResolveReason { get; set; }
    public DateTime? ResolvedAt { get; set; }

    public bool Open => ResolvedAt is null;
}
