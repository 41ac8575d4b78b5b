namespace Governance.Domain.Incentives;

/// <summary>
/// A metric's target from <see cref="From"/> on: progressive targets are several steps, the one in force
/// for a period being the latest that starts on or before the period's first day. Threshold and target are
/// in the metric's own unit (an NRR of 0.95, a churn rate of 0.02).
/// </summary>
public sealed record TargetStep(DateOnly From, decimal Threshold, decimal Target);
