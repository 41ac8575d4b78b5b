using Governance.Domain.Metrics.Definitions;

namespace Governance.Domain.Metrics.Catalog;

/// <summary>
/// The catalog every tenant starts with, as version 1 of each key (docs/metrics.md explains each
/// formula, its convention and its source in the KPI handbook), the health score that combines them
/// last. A tenant changes one by proposing a new version; changing an entry here never touches tenants
/// that already have the key.
/// </summary>
public static class BuiltInMetrics
{
    public static readonly DateOnly EffectiveFrom = new(2000, 1, 1);

    public const string DataOwner = "Customer Success Operations";

    public const string Reason = "built-in catalog";

    public static IReadOnlyList<MetricDraft> All { get; } =
    [
        // Customer Retention & Churn Prevention
        Formula("customer_retention_rate", "Customer Retention Rate", FocusArea.RetentionAndChurn, JourneyStage.ValueRealization, Indicator.Lagging,
            Unit.Ratio, Direction.HigherIsBetter, "customers_retained / customers_start else null",
            "Share of the customers paying at the start of the period who still pay at its end. Customers acquired during the period are not counted; one who left and came back within it is retained."),
        Formula("net_revenue_churn", "Net Revenue Churn", FocusArea.RetentionAndChurn, JourneyStage.ValueRealization, Indicator.Lagging,
            Unit.Ratio, Direction.LowerIsBetter, "(mrr_contraction_existing + mrr_churned_existing - mrr_expansion_existing - mrr_reactivated_existing) / mrr_start else null",
            "MRR that the customers paying at the start of the period lost to contraction and churn, net of their expansion (and of their returning within the period), over the MRR at the start: 1 − net revenue retention. Negative when expansion outweighs losses."),
        Formula("customer_churn_rate", "Customer Churn Rate", FocusArea.RetentionAndChurn, JourneyStage.ValueRealization, Indicator.Lagging,
            Unit.Ratio, Direction.LowerIsBetter, "customers_lost / customers_start else null",
            "Share of the customers paying at the start of the period who no longer pay at its end. Customers acquired in the period are excluded, so one acquired and lost in the same period is not churn."),
        Formula("churn_risk_score", "Churn Risk Score", FocusArea.RetentionAndChurn, JourneyStage.Adoption, Indicator.Leading,
            Unit.Score, Direction.LowerIsBetter,
            "100 * clamp(0.4 * (customers_downgraded / customers_start else 0) + 0.3 * (nps_detractors / nps_responses else 0) + 0.3 * (1 - clamp(accounts_active / customers_start else 1, 0, 1)), 0, 1)",
            "0–100 risk from three warning signs, weighted 40/30/30: the share of customers who downgraded, the share of NPS detractors, and the share of customers with no product usage. A transparent rule, not a trained model."),
        Formula("customer_downgrade_rate", "Customer Downgrade Rate", FocusArea.RetentionAndChurn, JourneyStage.ValueRealization, Indicator.Leading,
            Unit.Ratio, Direction.LowerIsBetter, "customers_downgraded / customers_start else null",
            "Share of the customers at the start of the period whose subscription contracted during it."),
        Formula("net_revenue_retention", "Net Revenue Retention", FocusArea.RetentionAndChurn, JourneyStage.ValueRealization, Indicator.Lagging,
            Unit.Ratio, Direction.HigherIsBetter,
            "(mrr_start + mrr_expansion_existing + mrr_reactivated_existing - mrr_contraction_existing - mrr_churned_existing) / mrr_start else null",
            "The MRR at the start of the period, plus the expansion, minus the contraction and churn of the customers paying then (one who left and came back within the period counts as kept), over the MRR at the start. Customers acquired in the period and returns of earlier churn are left out. May exceed 100 %."),
        Formula("gross_revenue_retention", "Gross Revenue Retention", FocusArea.RetentionAndChurn, JourneyStage.ValueRealization, Indicator.Lagging,
            Unit.Ratio, Direction.HigherIsBetter, "mrr_retained / mrr_start else null",
            "MRR kept from the start of the period, counting each account at most at its starting MRR (min of start and end), over the MRR at the start. At most 100 % by construction."),
        Formula("gross_revenue_churn_rate", "Gross Revenue Churn Rate", FocusArea.RetentionAndChurn, JourneyStage.ValueRealization, Indicator.Lagging,
            Unit.Ratio, Direction.LowerIsBetter, "mrr_net_decrease / mrr_start else null",
            "MRR lost over the period, each account counted by how far it fell (never offset by another account's growth), over the MRR at the start: 1 − gross revenue retention."),
        Formula("contract_renewal_rate", "Contract Renewal Rate", FocusArea.RetentionAndChurn, JourneyStage.ValueRealization, Indicator.Lagging,
            Unit.Ratio, Direction.HigherIsBetter, "renewals_renewed / renewals_due else null",
            "Contracts renewed in the period over contracts that came due in it."),
        Formula("customer_renewal_rate", "Customer Renewal Rate", FocusArea.RetentionAndChurn, JourneyStage.ValueRealization, Indicator.Lagging,
            Unit.Ratio, Direction.HigherIsBetter, "renewals_renewed / (renewals_renewed + renewals_lost) else null",
            "Renewals won over renewals decided (won or lost) in the period."),
        Formula("annual_recurring_revenue", "Annual Recurring Revenue", FocusArea.RetentionAndChurn, JourneyStage.ValueRealization, Indicator.Lagging,
            Unit.Money, Direction.HigherIsBetter, "12 * mrr_end",
            "MRR at the end of the period, annualised."),

        // Customer Health & Engagement (the health score itself is a composite: BuiltInHealthScore)
        Formula("customer_engagement_score", "Customer Engagement Score", FocusArea.HealthAndEngagement, JourneyStage.Adoption, Indicator.Leading,
            Unit.Score, Direction.HigherIsBetter,
            "100 * (0.5 * clamp(accounts_active / customers_start else 0, 0, 1) + 0.5 * (feature_users / active_users else 0))",
            "0–100: half the share of customers with product usage in the period, half the share of active users who used a named feature."),
        Formula("onboarding_completion_rate", "Onboarding Completion Rate", FocusArea.HealthAndEngagement, JourneyStage.Onboarding, Indicator.Leading,
            Unit.Ratio, Direction.HigherIsBetter, "onboardings_completed / accounts_created else null",
            "Accounts that completed onboarding in the period over accounts created in it. Both are counts of the period, so onboarding that spans a period boundary can put a month above 100 %; quarters and years smooth it."),
        Formula("activation_rate", "Activation Rate", FocusArea.HealthAndEngagement, JourneyStage.Onboarding, Indicator.Leading,
            Unit.Ratio, Direction.HigherIsBetter, "activated_users / active_users else null",
            "Distinct users who reached the activation milestone in the period over distinct users active in it."),
        Formula("feature_adoption_rate", "Feature Adoption Rate (Ongoing)", FocusArea.HealthAndEngagement, JourneyStage.Adoption, Indicator.Leading,
            Unit.Ratio, Direction.HigherIsBetter, "feature_users / active_users else null",
            "Distinct users who used a named feature over distinct active users, in the period."),
        Formula("time_to_value", "Time to First Value", FocusArea.HealthAndEngagement, JourneyStage.Onboarding, Indicator.Leading,
            Unit.Duration, Direction.LowerIsBetter, "median(time_to_value)",
            "Median hours from account creation to its first_value milestone, over the accounts reaching first value in the period. Read from fixed day buckets: exact to the day up to a week, otherwise within one bucket."),
        Formula("breadth_of_use", "Breadth of Use", FocusArea.HealthAndEngagement, JourneyStage.Adoption, Indicator.Leading,
            Unit.Ratio, Direction.HigherIsBetter, "features_used / accounts_using_features else null",
            "Distinct features used per account that used any named feature in the period (a number of features, not a percentage)."),
        Formula("accounts_activated_rate", "Percent of Accounts Completing Key Activation Milestones", FocusArea.HealthAndEngagement, JourneyStage.Onboarding, Indicator.Leading,
            Unit.Ratio, Direction.HigherIsBetter, "accounts_activated / (customers_start + customers_new) else null",
            "Accounts with a user reaching activation in the period over the customers of the period (at its start plus acquired in it)."),

        // Expansion & Growth
        Formula("expansion_revenue_growth_rate", "Expansion Revenue Growth Rate", FocusArea.ExpansionAndGrowth, JourneyStage.ValueRealization, Indicator.Lagging,
            Unit.Ratio, Direction.HigherIsBetter, "(mrr_expansion - prev(mrr_expansion)) / prev(mrr_expansion) else null",
            "Growth of expansion MRR over the previous period of the same length."),
        Formula("expansion_opportunity_score", "Expansion Opportunity Score", FocusArea.ExpansionAndGrowth, JourneyStage.ValueRealization, Indicator.Leading,
            Unit.Score, Direction.HigherIsBetter,
            "100 * clamp(0.4 * (feature_users / active_users else 0) + 0.3 * (nps_promoters / nps_responses else 0) + 0.3 * (accounts_active / customers_start else 0), 0, 1)",
            "0–100 readiness to expand, weighted 40/30/30: feature adoption, share of NPS promoters, share of customers actively using the product."),
        Formula("activation_to_expansion_rate", "Activation-to-Expansion Rate", FocusArea.ExpansionAndGrowth, JourneyStage.ValueRealization, Indicator.Leading,
            Unit.Ratio, Direction.HigherIsBetter, "accounts_activated_expanded / accounts_activated else null",
            "Of the accounts that activated a user in the period, the share that also expanded in it."),
        Formula("expansion_revenue_rate", "Expansion Revenue Rate", FocusArea.ExpansionAndGrowth, JourneyStage.ValueRealization, Indicator.Lagging,
            Unit.Ratio, Direction.HigherIsBetter, "mrr_expansion / mrr_end else null",
            "Expansion MRR of the period as a share of the MRR at its end."),
        Formula("expansion_activation_rate", "Expansion Activation Rate", FocusArea.ExpansionAndGrowth, JourneyStage.Adoption, Indicator.Leading,
            Unit.Ratio, Direction.HigherIsBetter, "accounts_using_features / customers_start else null",
            "Share of existing customers that used a named feature in the period. Facts do not say which features are upsell features: a tenant that tracks them can re-version this."),
        Formula("average_revenue_per_expansion_account", "Average Revenue Per Expansion Account", FocusArea.ExpansionAndGrowth, JourneyStage.ValueRealization, Indicator.Lagging,
            Unit.Money, Direction.HigherIsBetter, "mrr_expansion / customers_expanded else null",
            "Expansion MRR per account that expanded in the period."),

        // Advocacy & Referrals
        Formula("net_promoter_score", "Net Promoter Score", FocusArea.AdvocacyAndReferrals, JourneyStage.Advocacy, Indicator.Leading,
            Unit.Score, Direction.HigherIsBetter, "100 * (nps_promoters - nps_detractors) / nps_responses else null",
            "Percentage of NPS answers scoring 9–10 minus percentage scoring 0–6, from −100 to 100."),
        Formula("referral_program_participation_rate", "Referral Program Participation Rate", FocusArea.AdvocacyAndReferrals, JourneyStage.Advocacy, Indicator.Leading,
            Unit.Ratio, Direction.HigherIsBetter, "accounts_referring / customers_start else null",
            "Share of existing customers that made a referral in the period."),
        Formula("referral_conversion_rate", "Referral Conversion Rate", FocusArea.AdvocacyAndReferrals, JourneyStage.Advocacy, Indicator.Lagging,
            Unit.Ratio, Direction.HigherIsBetter, "referrals_converted / referrals_made else null",
            "Referrals converted in the period over referrals made in it."),
        Formula("referral_driven_expansion_revenue", "Referral-Driven Expansion Revenue", FocusArea.AdvocacyAndReferrals, JourneyStage.Advocacy, Indicator.Lagging,
            Unit.Money, Direction.HigherIsBetter, "mrr_expansion_referred",
            "Expansion MRR of accounts that came by referral (account.created with referredByAccountId)."),
        Formula("referral_pipeline_contribution_rate", "Referral Opportunity Pipeline Contribution Rate", FocusArea.AdvocacyAndReferrals, JourneyStage.Advocacy, Indicator.Lagging,
            Unit.Ratio, Direction.HigherIsBetter, "mrr_new_referred / mrr_new else null",
            "Share of new MRR won from accounts that came by referral. Facts carry no sales pipeline, so won new business stands in for it."),

        // Operational Efficiency
        Formula("average_resolution_time", "Average Resolution Time", FocusArea.OperationalEfficiency, JourneyStage.Adoption, Indicator.Lagging,
            Unit.Duration, Direction.LowerIsBetter, "resolution_time_sum / tickets_resolved else null",
            "Mean hours from a ticket's opening to its resolution, over tickets resolved in the period."),
        Formula("cost_per_ticket", "Cost Per Ticket", FocusArea.OperationalEfficiency, JourneyStage.Adoption, Indicator.Lagging,
            Unit.Money, Direction.LowerIsBetter, "support_cost / tickets_resolved else null",
            "Support cost recorded in the period (support.cost facts) over tickets resolved in it."),
        Formula("check_in_impact_score", "Check-In Impact Score", FocusArea.OperationalEfficiency, JourneyStage.ValueRealization, Indicator.Lagging,
            Unit.Ratio, Direction.HigherIsBetter,
            "((customers_lost - accounts_with_qbr_lost) / (customers_start - accounts_with_qbr) else null) - (accounts_with_qbr_lost / accounts_with_qbr else null)",
            "Churn rate of customers without a QBR in the period minus that of accounts with one: positive when check-ins go with lower churn (percentage points). An association, not proof of cause."),
        Formula("first_contact_resolution", "First Contact Resolution", FocusArea.OperationalEfficiency, JourneyStage.Adoption, Indicator.Lagging,
            Unit.Ratio, Direction.HigherIsBetter, "tickets_resolved_first_contact / tickets_resolved else null",
            "Tickets resolved in one contact over tickets resolved, in the period."),
        Formula("customer_satisfaction_score", "Customer Satisfaction Score", FocusArea.OperationalEfficiency, JourneyStage.Adoption, Indicator.Lagging,
            Unit.Ratio, Direction.HigherIsBetter, "csat_satisfied / csat_responses else null",
            "Share of CSAT answers scoring 4 or 5 on the 1–5 scale."),
        Formula("average_csat", "Average CSAT", FocusArea.OperationalEfficiency, JourneyStage.Adoption, Indicator.Lagging,
            Unit.Score, Direction.HigherIsBetter, "csat_score_sum / csat_responses else null",
            "Mean CSAT score (1–5)."),
        Formula("customer_effort_score", "Customer Effort Score", FocusArea.OperationalEfficiency, JourneyStage.Adoption, Indicator.Leading,
            Unit.Score, Direction.LowerIsBetter, "ces_score_sum / ces_responses else null",
            "Mean CES answer on the 1–7 scale, 1 being the least effort."),
        Formula("average_first_response_time", "Time to First Contact", FocusArea.OperationalEfficiency, JourneyStage.Adoption, Indicator.Leading,
            Unit.Duration, Direction.LowerIsBetter, "first_response_time_sum / tickets_first_responded else null",
            "Mean hours from a ticket's opening to the first response, over tickets first answered in the period."),
        Formula("qbr_engagement_rate", "QBR Engagement Rate", FocusArea.OperationalEfficiency, JourneyStage.ValueRealization, Indicator.Leading,
            Unit.Ratio, Direction.HigherIsBetter, "accounts_with_qbr / customers_start else null",
            "Share of existing customers that held a QBR in the period."),

        HealthScore(),
    ];

    /// <summary>
    /// Customer Health Score: retention, engagement, sentiment, support and risk, each placed between a
    /// worst and a best value; enterprise accounts weigh revenue retention more.
    /// </summary>
    private static MetricDraft HealthScore() => new()
    {
        Key = "customer_health_score",
        Name = "Customer Health Score",
        Description = "0–100 weighted composite of the metrics in its profile, red below 40, green from 70; a missing input is left out and the rest reweighted while at least half the weight is present.",
        Kind = DefinitionKind.HealthScore,
        Health = new HealthSpec
        {
            Profiles =
            [
                new HealthProfile
                {
                    Segment = null,
                    Components =
                    [
                        Component("gross_revenue_retention", 30, 0.8m, 1m),
                        Component("customer_engagement_score", 25, 20, 80),
                        Component("net_promoter_score", 20, -20, 50),
                        Component("first_contact_resolution", 10, 0.5m, 0.9m),
                        Component("churn_risk_score", 15, 60, 10),
                    ],
                    RedBelow = 40,
                    GreenFrom = 70,
                    Missing = MissingInputRule.Renormalize,
                    MinCoverage = 0.5m,
                },
                new HealthProfile
                {
                    Segment = "enterprise",
                    Components =
                    [
                        Component("gross_revenue_retention", 40, 0.85m, 1m),
                        Component("net_revenue_retention", 20, 0.9m, 1.2m),
                        Component("net_promoter_score", 20, -20, 50),
                        Component("customer_engagement_score", 20, 20, 80),
                    ],
                    RedBelow = 40,
                    GreenFrom = 70,
                    Missing = MissingInputRule.Renormalize,
                    MinCoverage = 0.6m,
                },
            ],
        },
        Unit = Unit.Score,
        Direction = Direction.HigherIsBetter,
        FocusArea = FocusArea.HealthAndEngagement,
        JourneyStage = JourneyStage.Adoption,
        Indicator = Indicator.Leading,
        DataOwner = DataOwner,
        EffectiveFrom = EffectiveFrom,
        Reason = Reason,
    };

    private static HealthComponent Component(string key, decimal weight, decimal worst, decimal best) =>
        new() { MetricKey = key, Weight = weight, Worst = worst, Best = best };

    private static MetricDraft Formula(string key, string name, FocusArea area, JourneyStage stage, Indicator indicator, Unit unit, Direction direction, string formula, string description) => new()
    {
        Key = key,
        Name = name,
        Description = description,
        Kind = DefinitionKind.Formula,
        Formula = formula,
        Unit = unit,
        Direction = direction,
        FocusArea = area,
        JourneyStage = stage,
        Indicator = indicator,
        DataOwner = DataOwner,
        EffectiveFrom = EffectiveFrom,
        Reason = Reason,
    };
}
