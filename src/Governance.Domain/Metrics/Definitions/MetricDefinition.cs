namespace Governance.Domain.Metrics.Definitions;

/// <summary>
/// A stored version of a metric definition: its content (never changed once stored) and its
/// lifecycle, read from append-only events. A change of content is always a new version.
/// </summary>
public sealed record MetricDefinition : MetricDraft
{
    /// <summary>1 for the first version of a key, then one more for each proposal.</summary>
    public required int Version { get; init; }

    public required DefinitionStatus Status { get; init; }

    /// <summary>Subject of the token that proposed this version (<c>system</c> for built-ins).</summary>
    public required string Author { get; init; }

    public required DateTimeOffset ProposedAt { get; init; }

    public string? ApprovedBy { get; init; }

    public DateTimeOffset? ApprovedAt { get; init; }

    public string? ApproveReason { get; init; }

    public string? RetiredBy { get; init; }

    public DateTimeOffset? RetiredAt { get; init; }

    public string? RetireReason { get; init; }
}
