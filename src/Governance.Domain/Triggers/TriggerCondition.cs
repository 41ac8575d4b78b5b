using Governance.Domain.Metrics.Values;

namespace Governance.Domain.Triggers;

public enum TriggerConditionKind
{
    /// <summary>A health score's band becomes the rule's band: known and another band the month before.</summary>
    EntersBand,

    /// <summary>The value crosses above the threshold: at or below it the month before, above it now.</summary>
    RisesAbove,

    /// <summary>The value crosses below the threshold: at or above it the month before, below it now.</summary>
    FallsBelow,
}

/// <summary>What a rule watches for. Exactly one of <see cref="Band"/> (entering a band) or <see cref="Threshold"/> (crossing) is set.</summary>
public sealed record TriggerCondition(TriggerConditionKind Kind, HealthBand? Band, decimal? Threshold)
{
    /// <summary>The problem with the condition, or null; <c>field</c> is the input that is wrong.</summary>
    public (string Field, string Problem)? Validate() => Kind switch
    {
        TriggerConditionKind.EntersBand when Band is null => ("band", "is required for ENTERS_BAND"),
        TriggerConditionKind.EntersBand when Threshold is not null => ("threshold", "must be left out for ENTERS_BAND"),
        not TriggerConditionKind.EntersBand when Threshold is null => ("threshold", $"is required for {Kind}"),
        not TriggerConditionKind.EntersBand when Band is not null => ("band", "is only for ENTERS_BAND"),
        _ => null,
    };

    /// <summary>
    /// Whether the rule fires going from <paramref name="previous"/> to <paramref name="current"/>. It fires
    /// on the crossing only: a value that stays across the line fires once, the month it got there, so a
    /// month without a value on either side fires nothing (no evidence of a crossing).
    /// </summary>
    public bool Fires(Observation previous, Observation current) => Kind switch
    {
        TriggerConditionKind.EntersBand => previous.Band is { } before && current.Band is { } now && now == Band && before != Band,
        TriggerConditionKind.RisesAbove => previous.Value is { } before && current.Value is { } now && before <= Threshold && now > Threshold,
        TriggerConditionKind.FallsBelow => previous.Value is { } before && current.Value is { } now && before >= Threshold && now < Threshold,
        _ => false,
    };
}

/// <summary>A metric's value (and a health score's band) for one scope and month, or none.</summary>
public sealed record Observation(decimal? Value, HealthBand? Band);
