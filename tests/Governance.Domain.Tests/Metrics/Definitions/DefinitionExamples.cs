using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Definitions;

namespace Governance.Domain.Tests.Metrics.Definitions;

/// <summary>A valid draft of each kind and versions of one key, so each test changes only what it is about.</summary>
internal static class DefinitionExamples
{
    public static MetricDraft Formula(string key = "logo_retention") => new()
    {
        Key = key,
        Name = "Logo retention",
        Description = "Customers kept.",
        Kind = DefinitionKind.Formula,
        Formula = "customers_retained / customers_start else null",
        Unit = Unit.Ratio,
        Direction = Direction.HigherIsBetter,
        FocusArea = FocusArea.RetentionAndChurn,
        JourneyStage = JourneyStage.ValueRealization,
        Indicator = Indicator.Lagging,
        DataOwner = "CS Ops",
        EffectiveFrom = new DateOnly(2026, 1, 1),
        Reason = "first version",
    };

    public static HealthProfile Profile(string? segment = null, params string[] keys) => new()
    {
        Segment = segment,
        Components = (keys.Length == 0 ? ["net_revenue_retention", "logo_retention"] : keys)
            .Select(k => new HealthComponent { MetricKey = k, Weight = 1m, Worst = 0.5m, Best = 1.1m })
            .ToList(),
        RedBelow = 40m,
        GreenFrom = 70m,
        Missing = MissingInputRule.Renormalize,
        MinCoverage = 0.5m,
    };

    public static MetricDraft HealthScore(params HealthProfile[] profiles) => new()
    {
        Key = "customer_health",
        Name = "Customer health",
        Kind = DefinitionKind.HealthScore,
        Health = new HealthSpec { Profiles = profiles.Length == 0 ? [Profile()] : profiles },
        Unit = Unit.Score,
        Direction = Direction.HigherIsBetter,
        FocusArea = FocusArea.HealthAndEngagement,
        JourneyStage = JourneyStage.Adoption,
        Indicator = Indicator.Leading,
        DataOwner = "CS Ops",
        EffectiveFrom = new DateOnly(2026, 1, 1),
        Reason = "first version",
    };

    private static readonly DateTimeOffset Proposed = new(2025, 12, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A stored version; approved and retired when those instants are given.</summary>
    public static MetricDefinition Version(int version, DateOnly effectiveFrom, DateTimeOffset? approvedAt = null, DateTimeOffset? retiredAt = null) => new()
    {
        Key = "logo_retention",
        Name = "Logo retention",
        Kind = DefinitionKind.Formula,
        Formula = "customers_retained / customers_start else null",
        Unit = Unit.Ratio,
        Direction = Direction.HigherIsBetter,
        FocusArea = FocusArea.RetentionAndChurn,
        JourneyStage = JourneyStage.ValueRealization,
        Indicator = Indicator.Lagging,
        DataOwner = "CS Ops",
        EffectiveFrom = effectiveFrom,
        Reason = $"version {version}",
        Version = version,
        Status = retiredAt is not null ? DefinitionStatus.Retired : approvedAt is not null ? DefinitionStatus.Approved : DefinitionStatus.Draft,
        Author = "ada",
        ProposedAt = Proposed,
        ApprovedBy = approvedAt is null ? null : "grace",
        ApprovedAt = approvedAt,
        RetiredBy = retiredAt is null ? null : "grace",
        RetiredAt = retiredAt,
        RetireReason = retiredAt is null ? null : "replaced",
    };

    public static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 12, 0, 0, TimeSpan.Zero);
}
