using Governance.Domain.Facts;

namespace Governance.Domain.Tests;

/// <summary>Fixed instants and one valid payload per kind, shared so every test starts from a fact the rules accept.</summary>
internal static class Examples
{
    /// <summary>Validation compares with "now": a fixed one keeps the future/skew tests exact.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);

    /// <summary>When the example facts happened: an hour before <see cref="Now"/>.</summary>
    public static readonly DateTimeOffset OccurredAt = Now.AddHours(-1);

    public static DateTimeOffset At(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    public static FactPayload ValidPayload(FactKind kind) => kind switch
    {
        FactKind.AccountCreated => new AccountCreatedPayload("Acme Corp", "enterprise", "exec-1"),
        FactKind.AccountClosed => new AccountClosedPayload("moved to a competitor"),
        FactKind.AccountAssigned => new AccountAssignedPayload("exec-2", new DateOnly(2025, 3, 15)),
        FactKind.MrrChanged => new MrrChangedPayload(MrrMovement.New, 1_000.50m, "USD"),
        FactKind.SeatsChanged => new SeatsChangedPayload(5, "pro"),
        FactKind.UsageRecorded => new UsageRecordedPayload("user-1", "report.viewed", "reports", 3),
        FactKind.OnboardingMilestone => new OnboardingMilestonePayload(Milestones.Activated, "user-1"),
        FactKind.SurveyResponded => new SurveyRespondedPayload(SurveyType.Nps, 9, "resp-1"),
        FactKind.TicketOpened => new TicketOpenedPayload("T-1"),
        FactKind.TicketFirstResponse => new TicketFirstResponsePayload("T-1", OccurredAt.AddMinutes(-30)),
        FactKind.TicketResolved => new TicketResolvedPayload("T-1", OccurredAt.AddHours(-2), 2),
        FactKind.RenewalDue or FactKind.RenewalRenewed or FactKind.RenewalLost => new RenewalPayload(1_200m, "USD"),
        FactKind.ReferralMade or FactKind.ReferralConverted => new ReferralPayload("ref-1"),
        FactKind.QbrHeld => new QbrHeldPayload("Reviewed adoption and the renewal plan."),
        FactKind.SupportCost => new SupportCostPayload(35.5m, "USD", "staff"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no example payload"),
    };

    public static FactDraft Draft(FactKind kind, FactPayload? payload = null) =>
        new("billing", "ext-1", "acc-1", OccurredAt, Supersedes: null, kind, payload ?? ValidPayload(kind));

    /// <summary>Every kind, as theory data: enums serialize, so each kind shows as its own test case.</summary>
    public static TheoryData<FactKind> AllKinds()
    {
        var data = new TheoryData<FactKind>();
        foreach (var kind in Enum.GetValues<FactKind>())
        {
            data.Add(kind);
        }

        return data;
    }
}
