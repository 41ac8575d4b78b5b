using Governance.Domain.Incentives;

namespace Governance.Api.Incentives;

/// <summary>A metric value a payout read: under which definition version, and the pin that froze it with its facts.</summary>
public sealed record StatementValue(string MetricKey, int DefinitionVersion, Guid PinId, decimal? Value, string? NullReason);

/// <summary>
/// What a payout is, as stored when it was proposed: the computation (segments, attainments, gates,
/// multipliers, total, tranches) and the pinned values behind every number of it.
/// </summary>
public sealed record PayoutStatement(PayoutComputation Computation, IReadOnlyList<StatementValue> Values);
