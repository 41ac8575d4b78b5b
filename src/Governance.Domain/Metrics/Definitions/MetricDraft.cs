namespace Governance.Domain.Metrics.Definitions;

/// <summary>
/// The content of one version of a metric definition (product §4), as proposed. Not sealed:
/// <see cref="MetricDefinition"/> is this content plus its version and lifecycle, so both are
/// validated and compared (<see cref="DefinitionDiff"/>) by the same code.
/// </summary>
public record MetricDraft
{
    /// <summary>Stable identity across versions, snake_case (<see cref="DefinitionValidator.KeyPattern"/>).</summary>
    public required string Key { get; init; }

    public required string Name { get; init; }

    public string Description { get; init; } = "";

    public required DefinitionKind Kind { get; init; }

    /// <summary>The formula text, for <see cref="DefinitionKind.Formula"/> only.</summary>
    public string? Formula { get; init; }

    /// <summary>The composite, for <see cref="DefinitionKind.HealthScore"/> only.</summary>
    public HealthSpec? Health { get; init; }

    public required Unit Unit { get; init; }

    public required Direction Direction { get; init; }

    public required FocusArea FocusArea { get; init; }

    public required JourneyStage JourneyStage { get; init; }

    public required Indicator Indicator { get; init; }

    /// <summary>Who is accountable for the metric's data: free text, a person or a team.</summary>
    public required string DataOwner { get; init; }

    /// <summary>The first day this version may govern; a period is governed by the version in force on its first day (<see cref="EffectiveVersion"/>).</summary>
    public required DateOnly EffectiveFrom { get; init; }

    /// <summary>Why this version exists: the reason for the change.</summary>
    public required string Reason { get; init; }
}
