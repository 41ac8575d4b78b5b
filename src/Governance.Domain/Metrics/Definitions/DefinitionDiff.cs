using System.Globalization;

namespace Governance.Domain.Metrics.Definitions;

/// <summary>One field that differs between two versions, each side as text (null when unset).</summary>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>
/// What changed between two versions of a definition, field by field, in a fixed order. Values are
/// text so every field compares the same way: enums by name, dates as yyyy-MM-dd, the health spec
/// as its stored JSON (<see cref="HealthSpecJson"/>).
/// </summary>
public static class DefinitionDiff
{
    private static readonly (string Field, Func<MetricDraft, string?> Read)[] Fields =
    [
        ("key", d => d.Key),
        ("name", d => d.Name),
        ("description", d => d.Description),
        ("kind", d => d.Kind.ToString()),
        ("formula", d => d.Formula),
        ("health", d => d.Health is null ? null : HealthSpecJson.Serialize(d.Health)),
        ("unit", d => d.Unit.ToString()),
        ("direction", d => d.Direction.ToString()),
        ("focusArea", d => d.FocusArea.ToString()),
        ("journeyStage", d => d.JourneyStage.ToString()),
        ("indicator", d => d.Indicator.ToString()),
        ("dataOwner", d => d.DataOwner),
        ("effectiveFrom", d => d.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("reason", d => d.Reason),
    ];

    /// <summary>The content fields that differ from <paramref name="before"/> to <paramref name="after"/>; empty when none do.</summary>
    public static IReadOnlyList<FieldChange> Between(MetricDraft before, MetricDraft after) =>
        Fields.Select(f => new FieldChange(f.Field, f.Read(before), f.Read(after)))
            .Where(c => !string.Equals(c.Before, c.After, StringComparison.Ordinal))
            .ToList();
}
