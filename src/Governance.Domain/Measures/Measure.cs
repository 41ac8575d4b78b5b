namespace Governance.Domain.Measures;

/// <summary>
/// The additive measures kept per account and calendar month (docs/metrics.md defines each). Every one
/// adds across accounts, so a portfolio's month is the sum of its accounts' months. Money measures are
/// in ten-thousandths of the currency unit (<see cref="Facts.Money"/>). Levels such as MRR at the start
/// or end of a month are not stored: they are running sums of the flows (<see cref="MonthlyMeasures"/>).
/// <para>Append only: account snapshots store these by position, so a new measure goes at the end.</para>
/// </summary>
public enum Measure
{
    MrrNew,
    MrrExpansion,
    MrrContraction,
    MrrChurned,
    MrrReactivated,
    CustomersNew,
    CustomersChurned,
    CustomersReactivated,
    CustomersDowngraded,
    CustomersExpanded,
    SeatsAdded,
    SeatsRemoved,
    UsageEvents,
    ActiveUsers,
    FeatureUsers,
    FeaturesUsed,
    MilestonesCompleted,
    ActivatedUsers,
    OnboardingsCompleted,
    TimeToValueDaysSum,
    TimeToValueCount,
    NpsResponses,
    NpsPromoters,
    NpsPassives,
    NpsDetractors,
    CsatResponses,
    CsatSatisfied,
    CsatScoreSum,
    CesResponses,
    CesScoreSum,
    TicketsOpened,
    TicketsFirstResponded,
    FirstResponseMinutesSum,
    TicketsResolved,
    TicketsResolvedFirstContact,
    ResolutionMinutesSum,
    TicketContactsSum,
    RenewalsDue,
    RenewalsRenewed,
    RenewalsLost,
    RenewalMrrDue,
    RenewalMrrRenewed,
    ReferralsMade,
    ReferralsConverted,
    QbrsHeld,

    /// <summary>Customers who churned in the month they were acquired: churn rates leave them out.</summary>
    CustomersChurnedNew,

    // Per account and period (month, quarter or year), computed over the whole period: they add
    // across accounts but not across the months of a quarter (docs/metrics.md, "Period measures").

    /// <summary>How far the account's MRR fell over the period, if it fell: max(0, −net MRR flow). Retained MRR is start minus this.</summary>
    MrrDecrease,

    /// <summary>Customers the account had at the start and not at the end: max(0, churned − new − reactivated).</summary>
    CustomersLost,

    /// <summary>1 in the period the account was created.</summary>
    AccountsCreated,

    /// <summary>1 when the account recorded any product usage in the period.</summary>
    AccountsActive,

    /// <summary>1 when the account used a named feature in the period.</summary>
    AccountsUsingFeatures,

    /// <summary>1 when a user of the account activated in the period.</summary>
    AccountsActivated,

    /// <summary>1 when the account both activated a user and expanded in the period.</summary>
    AccountsActivatedExpanded,

    /// <summary>1 when the account made a referral in the period.</summary>
    AccountsReferring,

    /// <summary>1 when the account held a QBR (check-in) in the period.</summary>
    AccountsWithQbr,

    /// <summary>1 when the account held a QBR and lost customers in the period.</summary>
    AccountsWithQbrLost,

    /// <summary>New MRR of accounts that came by referral (account.created referredByAccountId).</summary>
    MrrNewReferred,

    /// <summary>Expansion MRR of accounts that came by referral.</summary>
    MrrExpansionReferred,

    /// <summary>Support cost recorded for the account (support.cost facts), money.</summary>
    SupportCost,

    /// <summary>
    /// Portfolio roll-ups only: the MRR level an account brings into (positive) or takes out of
    /// (negative) a portfolio at the start of a period whose owner differs from the previous owner.
    /// </summary>
    MrrStartAdjust,

    /// <summary>Like <see cref="MrrStartAdjust"/>, for paying customers.</summary>
    CustomersStartAdjust,

    /// <summary>Time-to-value histogram: accounts whose days to first value fall in each bucket of <see cref="TimeToValueBuckets"/>.</summary>
    TtvBucket0,
    TtvBucket1,
    TtvBucket2,
    TtvBucket3,
    TtvBucket4,
    TtvBucket5,
    TtvBucket6,
    TtvBucket7,
    TtvBucket8,
    TtvBucket9,
    TtvBucket10,
    TtvBucket11,
    TtvBucket12,
    TtvBucket13,
    TtvBucket14,
    TtvBucket15,
    TtvBucket16,
    TtvBucket17,

    // Flows of the customers who were paying at the start of the period (the account's MRR then was
    // above zero): net revenue retention counts only them, so a customer acquired and lost within the
    // period, or one returning from an earlier churn, does not move it.

    /// <summary>Expansion MRR of accounts paying at the start of the period.</summary>
    MrrExpansionExisting,

    /// <summary>Contraction MRR of accounts paying at the start of the period.</summary>
    MrrContractionExisting,

    /// <summary>Churned MRR of accounts paying at the start of the period.</summary>
    MrrChurnedExisting,

    /// <summary>Reactivated MRR of accounts paying at the start of the period (they left and came back within it).</summary>
    MrrReactivatedExisting,
}

/// <summary>
/// The fixed buckets of the time-to-value histogram: inclusive upper bounds in days, the last bucket
/// open-ended. Exact to the day up to a week; a median read from them is off by at most one bucket.
/// </summary>
public static class TimeToValueBuckets
{
    public static readonly int[] UpperBoundsDays = [0, 1, 2, 3, 4, 5, 6, 7, 10, 14, 21, 30, 45, 60, 90, 180, 365];

    public static Measure BucketOf(long days)
    {
        var index = Array.FindIndex(UpperBoundsDays, bound => days <= bound);
        return Measure.TtvBucket0 + (index < 0 ? UpperBoundsDays.Length : index);
    }
}

public static class Measures
{
    public static readonly int Count = Enum.GetValues<Measure>().Length;

    public static bool IsMoney(Measure measure) => measure is Measure.MrrNew or Measure.MrrExpansion or Measure.MrrContraction
        or Measure.MrrChurned or Measure.MrrReactivated or Measure.RenewalMrrDue or Measure.RenewalMrrRenewed
        or Measure.MrrDecrease or Measure.MrrNewReferred or Measure.MrrExpansionReferred or Measure.SupportCost or Measure.MrrStartAdjust
        or Measure.MrrExpansionExisting or Measure.MrrContractionExisting or Measure.MrrChurnedExisting or Measure.MrrReactivatedExisting;

    /// <summary>Bookkeeping of roll-ups, not a measure of anything by itself.</summary>
    public static bool IsInternal(Measure measure) => measure is Measure.MrrStartAdjust or Measure.CustomersStartAdjust;
}

/// <summary>A calendar month as one integer (year × 12 + month − 1), so months sort and subtract.</summary>
public static class MonthKey
{
    public static int Of(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return (utc.Year * 12) + utc.Month - 1;
    }

    public static int Of(DateOnly date) => (date.Year * 12) + date.Month - 1;

    public static int Of(int year, int month) => (year * 12) + month - 1;

    public static (int Year, int Month) Split(int key) => (key / 12, (key % 12) + 1);

    public static string Format(int key)
    {
        var (year, month) = Split(key);
        return $"{year:D4}-{month:D2}";
    }

    public static DateTimeOffset Start(int key)
    {
        var (year, month) = Split(key);
        return new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
    }
}
