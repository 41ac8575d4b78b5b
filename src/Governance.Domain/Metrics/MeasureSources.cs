namespace Governance.Domain.Metrics;

/// <summary>
/// Which fact kinds feed each formula measure (docs/metrics.md, the measures table), and whether the
/// measure is a level that also reads every earlier <c>mrr.changed</c> fact (the running sums before
/// the period). The one place lineage (upstream and downstream) takes this mapping from.
/// </summary>
public static class MeasureSources
{
    private const string Created = "account.created";
    private const string Mrr = "mrr.changed";
    private const string Usage = "usage.recorded";
    private const string Milestone = "onboarding.milestone";
    private const string Survey = "survey.responded";

    private static readonly Dictionary<string, (string[] Kinds, bool History)> Sources = new(StringComparer.Ordinal)
    {
        ["mrr_start"] = ([Mrr], true),
        ["mrr_end"] = ([Mrr], true),
        ["mrr_retained"] = ([Mrr], true),
        ["customers_start"] = ([Mrr], true),
        ["customers_end"] = ([Mrr], true),
        ["customers_retained"] = ([Mrr], true),
        ["mrr_new"] = ([Mrr], false),
        ["mrr_expansion"] = ([Mrr], false),
        ["mrr_contraction"] = ([Mrr], false),
        ["mrr_churned"] = ([Mrr], false),
        ["mrr_reactivated"] = ([Mrr], false),
        ["mrr_expansion_existing"] = ([Mrr], true),
        ["mrr_contraction_existing"] = ([Mrr], true),
        ["mrr_churned_existing"] = ([Mrr], true),
        ["mrr_reactivated_existing"] = ([Mrr], true),
        ["mrr_net_decrease"] = ([Mrr], false),
        ["mrr_new_referred"] = ([Mrr, Created], false),
        ["mrr_expansion_referred"] = ([Mrr, Created], false),
        ["customers_new"] = ([Mrr], false),
        ["customers_churned"] = ([Mrr], false),
        ["customers_reactivated"] = ([Mrr], false),
        ["customers_churned_new"] = ([Mrr], false),
        ["customers_lost"] = ([Mrr], false),
        ["customers_downgraded"] = ([Mrr], false),
        ["customers_expanded"] = ([Mrr], false),
        ["accounts_created"] = ([Created], false),
        ["accounts_active"] = ([Usage], false),
        ["accounts_using_features"] = ([Usage], false),
        ["accounts_activated"] = ([Milestone], false),
        ["accounts_activated_expanded"] = ([Milestone, Mrr], false),
        ["accounts_referring"] = (["referral.made"], false),
        ["accounts_with_qbr"] = (["qbr.held"], false),
        ["accounts_with_qbr_lost"] = (["qbr.held", Mrr], false),
        ["seats_added"] = (["seats.changed"], false),
        ["seats_removed"] = (["seats.changed"], false),
        ["usage_events"] = ([Usage], false),
        ["active_users"] = ([Usage], false),
        ["feature_users"] = ([Usage], false),
        ["features_used"] = ([Usage], false),
        ["milestones_completed"] = ([Milestone], false),
        ["activated_users"] = ([Milestone], false),
        ["onboardings_completed"] = ([Milestone], false),
        ["time_to_value_count"] = ([Milestone, Created], false),
        ["time_to_value_sum"] = ([Milestone, Created], false),
        ["time_to_value"] = ([Milestone, Created], false),
        ["nps_responses"] = ([Survey], false),
        ["nps_promoters"] = ([Survey], false),
        ["nps_passives"] = ([Survey], false),
        ["nps_detractors"] = ([Survey], false),
        ["csat_responses"] = ([Survey], false),
        ["csat_satisfied"] = ([Survey], false),
        ["csat_score_sum"] = ([Survey], false),
        ["ces_responses"] = ([Survey], false),
        ["ces_score_sum"] = ([Survey], false),
        ["tickets_opened"] = (["ticket.opened"], false),
        ["tickets_first_responded"] = (["ticket.first_response"], false),
        ["first_response_time_sum"] = (["ticket.first_response"], false),
        ["tickets_resolved"] = (["ticket.resolved"], false),
        ["tickets_resolved_first_contact"] = (["ticket.resolved"], false),
        ["resolution_time_sum"] = (["ticket.resolved"], false),
        ["ticket_contacts_sum"] = (["ticket.resolved"], false),
        ["support_cost"] = (["support.cost"], false),
        ["renewals_due"] = (["renewal.due"], false),
        ["renewals_renewed"] = (["renewal.renewed"], false),
        ["renewals_lost"] = (["renewal.lost"], false),
        ["renewal_mrr_due"] = (["renewal.due"], false),
        ["renewal_mrr_renewed"] = (["renewal.renewed"], false),
        ["referrals_made"] = (["referral.made"], false),
        ["referrals_converted"] = (["referral.converted"], false),
        ["qbrs_held"] = (["qbr.held"], false),
    };

    /// <summary>The measures that have a source: every formula measure of <see cref="MetricMeasures"/>.</summary>
    public static IEnumerable<string> Measures => Sources.Keys;

    /// <summary>The fact kinds (wire names) that feed <paramref name="measure"/>; empty for an unknown name.</summary>
    public static IReadOnlyList<string> KindsOf(string measure) => Sources.TryGetValue(measure, out var s) ? s.Kinds : [];

    /// <summary>Whether <paramref name="measure"/> is a level: it also reads every <c>mrr.changed</c> fact before the period.</summary>
    public static bool ReadsHistory(string measure) => Sources.TryGetValue(measure, out var s) && s.History;

    /// <summary>The fact kind a level's history is made of.</summary>
    public const string HistoryKind = Mrr;

    /// <summary>Whether facts of <paramref name="kind"/> feed <paramref name="measure"/>, in the period or (levels) before it.</summary>
    public static bool Feeds(string kind, string measure) => KindsOf(measure).Contains(kind, StringComparer.Ordinal);
}
