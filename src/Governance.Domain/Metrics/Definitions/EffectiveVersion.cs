namespace Governance.Domain.Metrics.Definitions;

/// <summary>
/// Which version of a metric governs a period. A period is governed by the version in force on its
/// first day, so a version effective mid-period governs from the next period on and a period's
/// numbers never mix two definitions.
/// </summary>
public static class EffectiveVersion
{
    /// <summary>
    /// Among the versions of one key that were ever approved, those effective on or before
    /// <paramref name="periodStart"/> and not retired by then (retired on a later day, or never), the
    /// one with the latest effective date; on equal dates the higher version. Null when none qualifies.
    /// Drafts never govern, nor do drafts withdrawn (retired without approval).
    /// </summary>
    public static MetricDefinition? For(IEnumerable<MetricDefinition> versionsOfOneKey, DateOnly periodStart) =>
        versionsOfOneKey
            .Where(v => v.ApprovedAt is not null
                && v.EffectiveFrom <= periodStart
                && (v.RetiredAt is not { } retired || DateOnly.FromDateTime(retired.UtcDateTime) > periodStart))
            .OrderByDescending(v => v.EffectiveFrom)
            .ThenByDescending(v => v.Version)
            .FirstOrDefault();
}
