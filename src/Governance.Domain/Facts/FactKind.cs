namespace Governance.Domain.Facts;

/// <summary>What a fact says happened. The wire name (<see cref="FactKinds.WireName"/>) is what the facts table stores.</summary>
public enum FactKind
{
    AccountCreated,
    AccountClosed,
    AccountAssigned,
    MrrChanged,
    SeatsChanged,
    UsageRecorded,
    OnboardingMilestone,
    SurveyResponded,
    TicketOpened,
    TicketFirstResponse,
    TicketResolved,
    RenewalDue,
    RenewalRenewed,
    RenewalLost,
    ReferralMade,
    ReferralConverted,
    QbrHeld,
    SupportCost,
}

public static class FactKinds
{
    private static readonly Dictionary<FactKind, string> Names = new()
    {
        [FactKind.AccountCreated] = "account.created",
        [FactKind.AccountClosed] = "account.closed",
        [FactKind.AccountAssigned] = "account.assigned",
        [FactKind.MrrChanged] = "mrr.changed",
        [FactKind.SeatsChanged] = "seats.changed",
        [FactKind.UsageRecorded] = "usage.recorded",
        [FactKind.OnboardingMilestone] = "onboarding.milestone",
        [FactKind.SurveyResponded] = "survey.responded",
        [FactKind.TicketOpened] = "ticket.opened",
        [FactKind.TicketFirstResponse] = "ticket.first_response",
        [FactKind.TicketResolved] = "ticket.resolved",
        [FactKind.RenewalDue] = "renewal.due",
        [FactKind.RenewalRenewed] = "renewal.renewed",
        [FactKind.RenewalLost] = "renewal.lost",
        [FactKind.ReferralMade] = "referral.made",
        [FactKind.ReferralConverted] = "referral.converted",
        [FactKind.QbrHeld] = "qbr.held",
        [FactKind.SupportCost] = "support.cost",
    };

    private static readonly Dictionary<string, FactKind> ByName = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string WireName(this FactKind kind) => Names[kind];

    public static bool TryParse(string name, out FactKind kind) => ByName.TryGetValue(name, out kind);

    public static FactKind Parse(string name) =>
        TryParse(name, out var kind) ? kind : throw new ArgumentException($"Unknown fact kind '{name}'.", nameof(name));

    public static IReadOnlyCollection<FactKind> All => Names.Keys;
}
