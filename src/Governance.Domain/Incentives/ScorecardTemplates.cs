using Governance.Domain.Metrics.Definitions;

namespace Governance.Domain.Incentives;

/// <summary>A metric of a role template: where it sits, its weight, and a first threshold and target.</summary>
public sealed record TemplateMetric(Lens Lens, string MetricKey, decimal Weight, Direction Direction, decimal Cap, decimal Threshold, decimal Target);

/// <summary>A starting scorecard for an executive role, built on the built-in metrics.</summary>
public sealed record ScorecardTemplate(string Name, string Role, string Description, IReadOnlyList<TemplateMetric> Metrics)
{
    /// <summary>The template as a scorecard whose targets start on <paramref name="from"/>; a tenant admin changes it by proposing a new version.</summary>
    public Scorecard ToScorecard(DateOnly from) =>
        new(Metrics.Select(m => new ScorecardMetric(m.Lens, m.MetricKey, m.Weight, m.Direction, m.Cap, [new TargetStep(from, m.Threshold, m.Target)])).ToList());
}

/// <summary>
/// Role templates after the seed articles: the CRO answers for renewals and expansion, the CPO for
/// adoption and time-to-value, the CCO for health, churn and advocacy. Targets are starting points in
/// the metrics' units (ratios, 0–100 scores, hours), to be set per tenant.
/// </summary>
public static class ScorecardTemplates
{
    private const Direction Up = Direction.HigherIsBetter;
    private const Direction Down = Direction.LowerIsBetter;

    public static IReadOnlyList<ScorecardTemplate> All { get; } =
    [
        new("cro", "Chief Revenue Officer", "Renewals and expansion: revenue kept and grown from existing customers.",
        [
            new(Lens.Financial, "net_revenue_retention", 0.35m, Up, 1.5m, 0.95m, 1.05m),
            new(Lens.Financial, "gross_revenue_retention", 0.20m, Up, 1.2m, 0.85m, 0.92m),
            new(Lens.Customer, "contract_renewal_rate", 0.25m, Up, 1.2m, 0.80m, 0.90m),
            new(Lens.InternalProcess, "expansion_revenue_rate", 0.10m, Up, 2m, 0.01m, 0.03m),
            new(Lens.LearningAndGrowth, "qbr_engagement_rate", 0.10m, Up, 1.2m, 0.50m, 0.80m),
        ]),
        new("cpo", "Chief Product Officer", "Adoption and time-to-value: customers reaching value sooner and using more of the product.",
        [
            new(Lens.Customer, "feature_adoption_rate", 0.30m, Up, 1.5m, 0.30m, 0.50m),
            new(Lens.InternalProcess, "time_to_value", 0.25m, Down, 1.5m, 720m, 336m),
            new(Lens.InternalProcess, "activation_rate", 0.20m, Up, 1.2m, 0.50m, 0.75m),
            new(Lens.Financial, "net_revenue_retention", 0.15m, Up, 1.5m, 0.95m, 1.05m),
            new(Lens.LearningAndGrowth, "breadth_of_use", 0.10m, Up, 1.5m, 2m, 4m),
        ]),
        new("cco", "Chief Customer Officer", "Health, churn and advocacy across the customer base.",
        [
            new(Lens.Customer, "customer_health_score", 0.30m, Up, 1.3m, 50m, 70m),
            new(Lens.Financial, "customer_churn_rate", 0.25m, Down, 1.5m, 0.08m, 0.04m),
            new(Lens.Customer, "net_promoter_score", 0.15m, Up, 1.5m, 10m, 40m),
            new(Lens.InternalProcess, "first_contact_resolution", 0.20m, Up, 1.2m, 0.60m, 0.75m),
            new(Lens.LearningAndGrowth, "onboarding_completion_rate", 0.10m, Up, 1.2m, 0.60m, 0.85m),
        ]),
    ];

    public static ScorecardTemplate? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
