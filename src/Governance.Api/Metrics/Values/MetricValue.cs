using Governance.Domain.Measures;
using Governance.Domain.Metrics.Definitions;
using Governance.Domain.Metrics.Values;

namespace Governance.Api.Metrics.Values;

/// <summary>
/// A metric's value for a scope and period under one definition version, with the measure values it
/// was computed from. <see cref="InForceVersion"/> is the version that governs the period by default.
/// </summary>
public sealed record MetricValue(
    MetricDefinition Definition,
    MetricScope Scope,
    Period Period,
    decimal? Value,
    string? NullReason,
    int? InForceVersion,
    IReadOnlyList<MeasureReading> Measures,
    Restatement? Restatement,
    HealthResult? Health,
    HealthTrend? Trend)
{
    /// <summary>False for a period of a series that no approved version governs: no version produced it.</summary>
    public bool Computed { get; init; } = true;
}

/// <summary>
/// A closed period asked for under another version than the one that governed it: the value it had
/// under that version, beside the one asked for, and the difference (asked for minus original).
/// </summary>
public sealed record Restatement(int OriginalVersion, decimal? OriginalValue, string? OriginalNullReason, decimal? Difference);

/// <summary>A health score against the previous period, under the same version.</summary>
public sealed record HealthTrend(Period PreviousPeriod, decimal? PreviousScore, HealthBand? PreviousBand, decimal? Change, string Direction);
