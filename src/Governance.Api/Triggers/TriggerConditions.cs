using Governance.Domain.Metrics.Values;
using Governance.Domain.Triggers;
using Governance.Storage.Triggers;

namespace Governance.Api.Triggers;

/// <summary>The stored spelling of conditions and bands (lower case, migration 0019) and the domain's.</summary>
public static class TriggerConditions
{
    public static TriggerCondition Of(TriggerRuleRow rule) =>
        new(ConditionOf(rule.Condition), rule.Band is null ? null : Enum.Parse<HealthBand>(rule.Band, ignoreCase: true), rule.Threshold);

    public static string Stored(TriggerConditionKind kind) => kind switch
    {
        TriggerConditionKind.EntersBand => "enters_band",
        TriggerConditionKind.RisesAbove => "rises_above",
        _ => "falls_below",
    };

    public static TriggerConditionKind ConditionOf(string stored) => stored switch
    {
        "enters_band" => TriggerConditionKind.EntersBand,
        "rises_above" => TriggerConditionKind.RisesAbove,
        "falls_below" => TriggerConditionKind.FallsBelow,
        _ => throw new FormatException($"'{stored}' is not a trigger condition."),
    };
}
