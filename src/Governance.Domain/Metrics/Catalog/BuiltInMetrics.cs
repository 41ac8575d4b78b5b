using Governance.Domain.Metrics.Definitions;

namespace Governance.Domain.Metrics.Catalog;

/// <summary>
/// The built-in catalog (product §4, docs/metrics.md): every tenant gets version 1 of each, approved
/// by <c>system</c>, the first time the key is missing. A tenant changes one by proposing a new
/// version; changing an entry here never touches tenants that already have the key.
/// </summary>
public static class BuiltInMetrics
{
    /// <summary>The effective date of the built-ins: they govern every period a tenant may report on.</summary>
    public static readonly DateOnly EffectiveFrom = new(2000, 1, 1);

    public const string DataOwner = "Customer Success Operations";

    public const string Reason = "built-in catalog";

    public static IReadOnlyList<MetricDraft> All { get; } =
    [
        RetentionRatio(
            "net_revenue_retention", "Net revenue retention (NRR)",
            "Recurring revenue kept from the customers at the start of the period, with their expansion, after contraction and churn. May exceed 100 %.",
            "(mrr_start + mrr_expansion - mrr_contraction - mrr_churned) / mrr_start else null"),
        RetentionRatio(
            "gross_revenue_retention", "Gross revenue retention (GRR)",
            "Recurring revenue kept from the customers at the start of the period, without expansion: at most 100 % by construction.",
            "mrr_retained / mrr_start else null"),
    ];

    private static MetricDraft RetentionRatio(string key, string name, string description, string formula) => new()
    {
        Key = key,
        Name = name,
        Description = description,
        Kind = DefinitionKind.Formula,
        Formula = formula,
        Unit = Unit.Ratio,
        Direction = Direction.HigherIsBetter,
        FocusArea = FocusArea.RetentionAndChurn,
        JourneyStage = JourneyStage.ValueRealization,
        Indicator = Indicator.Lagging,
        DataOwner = DataOwner,
        EffectiveFrom = EffectiveFrom,
        Reason = Reason,
    };
}
