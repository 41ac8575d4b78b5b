namespace Governance.Api.Reports;

/// <summary>
/// The built-in metrics each cadence shows, after the seed's examples: weekly, churn risk trends, new
/// expansion opportunity and recent satisfaction; monthly, retention and NRR breakdowns and expansion
/// revenue growth; quarterly, retention, downgrades, check-in impact and QBR engagement. Each cadence
/// ends with the health score. The first <see cref="Headline"/> keys of a list make the summary.
/// </summary>
public static class ReportMetrics
{
    public const string Health = "customer_health_score";
    public const string ChurnRisk = "churn_risk_score";
    public const string ExpansionOpportunity = "expansion_opportunity_score";
    public const string NetRevenueRetention = "net_revenue_retention";
    public const string CheckInImpact = "check_in_impact_score";

    /// <summary>How many of a cadence's keys the executive summary states.</summary>
    public const int Headline = 3;

    public static IReadOnlyList<string> Of(ReportCadence cadence) => cadence switch
    {
        ReportCadence.WeeklyTeam =>
        [
            ChurnRisk, ExpansionOpportunity, "customer_satisfaction_score", "average_csat", "customer_effort_score", Health,
        ],
        ReportCadence.MonthlyLeadership =>
        [
            NetRevenueRetention, "gross_revenue_retention", "expansion_revenue_growth_rate", "customer_retention_rate",
            "customer_churn_rate", "net_revenue_churn", "expansion_revenue_rate", Health,
        ],
        _ =>
        [
            NetRevenueRetention, "gross_revenue_retention", "customer_retention_rate", "customer_churn_rate",
            "customer_downgrade_rate", CheckInImpact, "qbr_engagement_rate", "annual_recurring_revenue", Health,
        ],
    };
}
