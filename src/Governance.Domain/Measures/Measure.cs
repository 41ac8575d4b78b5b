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
}

public static class Measures
{
    public static readonly int Count = Enum.GetValues<Measure>().Length;

    public static bool IsMoney(Measure measure) => measure is Measure.MrrNew or Measure.MrrExpansion or Measure.MrrContraction
        or Measure.MrrChurned or Measure.MrrReactivated or Measure.RenewalMrrDue or Measure.RenewalMrrRenewed;
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
