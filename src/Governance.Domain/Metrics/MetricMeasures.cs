using Governance.Domain.Facts;
using Governance.Domain.Measures;
using Governance.Domain.Metrics.Formulas;

namespace Governance.Domain.Metrics;

/// <summary>
/// The measures formulas name (docs/metrics.md lists them), each read from a scope's
/// <see cref="PeriodMeasures"/>: money in currency units, durations in hours.
/// </summary>
public sealed class MetricMeasures : IMeasureCatalog
{
    public static readonly MetricMeasures Catalog = new();

    private readonly Dictionary<string, (MeasureInfo Info, Func<PeriodMeasures, decimal>? Read)> _entries = new(StringComparer.Ordinal);

    private MetricMeasures()
    {
        Level("mrr_start", Unit.Money, "MRR at the start of the period", p => Money.FromUnits(p.MrrStart));
        Level("mrr_end", Unit.Money, "MRR at the end of the period", p => Money.FromUnits(p.MrrEnd));
        Level("mrr_retained", Unit.Money, "MRR at the start still there at the end, per account at most its start (min of start and end)",
            p => Money.FromUnits(p.MrrStart - p[Measure.MrrDecrease]));
        Level("customers_start", Unit.Count, "paying customers at the start of the period", p => p.CustomersStart);
        Level("customers_end", Unit.Count, "paying customers at the end of the period", p => p.CustomersEnd);
        Level("customers_retained", Unit.Count, "customers at the start still customers at the end", p => p.CustomersStart - p[Measure.CustomersLost]);

        Stored("mrr_new", Measure.MrrNew, Unit.Money, "MRR of customers acquired in the period");
        Stored("mrr_expansion", Measure.MrrExpansion, Unit.Money, "MRR added by existing customers");
        Stored("mrr_contraction", Measure.MrrContraction, Unit.Money, "MRR removed by customers who stay");
        Stored("mrr_churned", Measure.MrrChurned, Unit.Money, "MRR lost with customers who leave");
        Stored("mrr_reactivated", Measure.MrrReactivated, Unit.Money, "MRR of returning customers");
        Stored("mrr_expansion_existing", Measure.MrrExpansionExisting, Unit.Money, "expansion MRR of customers paying at the start of the period");
        Stored("mrr_contraction_existing", Measure.MrrContractionExisting, Unit.Money, "contraction MRR of customers paying at the start of the period");
        Stored("mrr_churned_existing", Measure.MrrChurnedExisting, Unit.Money, "churned MRR of customers paying at the start of the period");
        Stored("mrr_reactivated_existing", Measure.MrrReactivatedExisting, Unit.Money, "MRR of customers paying at the start who left and came back within the period");
        Stored("mrr_net_decrease", Measure.MrrDecrease, Unit.Money, "per account, how far MRR fell over the period (0 when it grew)");
        Stored("mrr_new_referred", Measure.MrrNewReferred, Unit.Money, "new MRR of accounts that came by referral");
        Stored("mrr_expansion_referred", Measure.MrrExpansionReferred, Unit.Money, "expansion MRR of accounts that came by referral");
        Stored("customers_new", Measure.CustomersNew, Unit.Count, "customers acquired");
        Stored("customers_churned", Measure.CustomersChurned, Unit.Count, "churn movements");
        Stored("customers_reactivated", Measure.CustomersReactivated, Unit.Count, "customers who came back");
        Stored("customers_churned_new", Measure.CustomersChurnedNew, Unit.Count, "customers acquired and lost within the period");
        Stored("customers_lost", Measure.CustomersLost, Unit.Count, "customers at the start who are gone at the end");
        Stored("customers_downgraded", Measure.CustomersDowngraded, Unit.Count, "accounts that contracted in the period");
        Stored("customers_expanded", Measure.CustomersExpanded, Unit.Count, "accounts that expanded in the period");
        Stored("accounts_created", Measure.AccountsCreated, Unit.Count, "accounts created in the period");
        Stored("accounts_active", Measure.AccountsActive, Unit.Count, "accounts with product usage in the period");
        Stored("accounts_using_features", Measure.AccountsUsingFeatures, Unit.Count, "accounts that used a named feature");
        Stored("accounts_activated", Measure.AccountsActivated, Unit.Count, "accounts with a user activated in the period");
        Stored("accounts_activated_expanded", Measure.AccountsActivatedExpanded, Unit.Count, "accounts that activated a user and expanded in the period");
        Stored("accounts_referring", Measure.AccountsReferring, Unit.Count, "accounts that made a referral");
        Stored("accounts_with_qbr", Measure.AccountsWithQbr, Unit.Count, "accounts that held a QBR");
        Stored("accounts_with_qbr_lost", Measure.AccountsWithQbrLost, Unit.Count, "accounts that held a QBR and lost customers");
        Stored("seats_added", Measure.SeatsAdded, Unit.Count, "seats added");
        Stored("seats_removed", Measure.SeatsRemoved, Unit.Count, "seats removed");
        Stored("usage_events", Measure.UsageEvents, Unit.Count, "product events");
        Stored("active_users", Measure.ActiveUsers, Unit.Count, "distinct users with an event in the period");
        Stored("feature_users", Measure.FeatureUsers, Unit.Count, "distinct users who used a named feature");
        Stored("features_used", Measure.FeaturesUsed, Unit.Count, "distinct features used, summed over accounts");
        Stored("milestones_completed", Measure.MilestonesCompleted, Unit.Count, "onboarding milestones reached");
        Stored("activated_users", Measure.ActivatedUsers, Unit.Count, "distinct users who activated in the period");
        Stored("onboardings_completed", Measure.OnboardingsCompleted, Unit.Count, "accounts that completed onboarding in the period");
        Stored("time_to_value_count", Measure.TimeToValueCount, Unit.Count, "accounts that reached first value in the period");
        Derived("time_to_value_sum", Unit.Duration, "hours from creation to first value, summed over those accounts", p => p[Measure.TimeToValueDaysSum] * 24m);
        Stored("nps_responses", Measure.NpsResponses, Unit.Count, "NPS answers");
        Stored("nps_promoters", Measure.NpsPromoters, Unit.Count, "NPS answers 9–10");
        Stored("nps_passives", Measure.NpsPassives, Unit.Count, "NPS answers 7–8");
        Stored("nps_detractors", Measure.NpsDetractors, Unit.Count, "NPS answers 0–6");
        Stored("csat_responses", Measure.CsatResponses, Unit.Count, "CSAT answers");
        Stored("csat_satisfied", Measure.CsatSatisfied, Unit.Count, "CSAT answers 4–5");
        Derived("csat_score_sum", Unit.Score, "sum of CSAT scores (1–5)", p => p[Measure.CsatScoreSum]);
        Stored("ces_responses", Measure.CesResponses, Unit.Count, "CES answers");
        Derived("ces_score_sum", Unit.Score, "sum of CES scores (1–7)", p => p[Measure.CesScoreSum]);
        Stored("tickets_opened", Measure.TicketsOpened, Unit.Count, "support tickets opened");
        Stored("tickets_first_responded", Measure.TicketsFirstResponded, Unit.Count, "tickets given a first response");
        Derived("first_response_time_sum", Unit.Duration, "hours from opening to first response, summed", p => p[Measure.FirstResponseMinutesSum] / 60m);
        Stored("tickets_resolved", Measure.TicketsResolved, Unit.Count, "tickets resolved");
        Stored("tickets_resolved_first_contact", Measure.TicketsResolvedFirstContact, Unit.Count, "tickets resolved in one contact");
        Derived("resolution_time_sum", Unit.Duration, "hours from opening to resolution, summed", p => p[Measure.ResolutionMinutesSum] / 60m);
        Stored("ticket_contacts_sum", Measure.TicketContactsSum, Unit.Count, "contacts needed to resolve, summed");
        Stored("support_cost", Measure.SupportCost, Unit.Money, "support cost recorded");
        Stored("renewals_due", Measure.RenewalsDue, Unit.Count, "renewals due");
        Stored("renewals_renewed", Measure.RenewalsRenewed, Unit.Count, "renewals renewed");
        Stored("renewals_lost", Measure.RenewalsLost, Unit.Count, "renewals lost");
        Stored("renewal_mrr_due", Measure.RenewalMrrDue, Unit.Money, "MRR up for renewal");
        Stored("renewal_mrr_renewed", Measure.RenewalMrrRenewed, Unit.Money, "MRR renewed");
        Stored("referrals_made", Measure.ReferralsMade, Unit.Count, "referrals made");
        Stored("referrals_converted", Measure.ReferralsConverted, Unit.Count, "referrals that converted");
        Stored("qbrs_held", Measure.QbrsHeld, Unit.Count, "QBRs (check-ins) held");
        _entries["time_to_value"] = (new MeasureInfo("time_to_value", Unit.Duration,
            "distribution of hours from creation to first value, of accounts reaching it in the period (read with median)", IsDistribution: true), null);
    }

    public IEnumerable<MeasureInfo> All => _entries.Values.Select(e => e.Info);

    public MeasureInfo? Find(string name) => _entries.TryGetValue(name, out var entry) ? entry.Info : null;

    /// <summary>The value of a number measure.</summary>
    public decimal Read(string name, PeriodMeasures measures) =>
        _entries[name].Read is { } read ? read(measures) : throw new ArgumentException($"{name} is a distribution.", nameof(name));

    /// <summary>The time-to-value histogram, bounds in hours.</summary>
    public static Distribution TimeToValue(PeriodMeasures measures) => new(
        TimeToValueBuckets.UpperBoundsDays.Select(d => d * 24m).ToList(),
        Enumerable.Range(0, TimeToValueBuckets.UpperBoundsDays.Length + 1).Select(i => measures[Measure.TtvBucket0 + i]).ToList());

    private void Stored(string name, Measure measure, Unit unit, string description) =>
        _entries[name] = (new MeasureInfo(name, unit, description), Measures.Measures.IsMoney(measure) ? p => Money.FromUnits(p[measure]) : p => p[measure]);

    private void Level(string name, Unit unit, string description, Func<PeriodMeasures, decimal> read) => Derived(name, unit, description, read);

    private void Derived(string name, Unit unit, string description, Func<PeriodMeasures, decimal> read) =>
        _entries[name] = (new MeasureInfo(name, unit, description), read);
}
