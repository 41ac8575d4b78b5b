using Governance.Domain.Facts;
using GraphQL.Types;

namespace Governance.Api.Facts;

/// <summary>
/// One fact as a caller sends it: the common fields, and exactly one kind field carrying that kind's
/// typed payload (<c>mrrChanged</c>, <c>surveyResponded</c> …). The kind is whichever field is set.
/// </summary>
public sealed class FactInput
{
    public string Source { get; set; } = "";
    public string ExternalId { get; set; } = "";
    public string AccountId { get; set; } = "";
    public DateTimeOffset OccurredAt { get; set; }
    public string? Supersedes { get; set; }
    public AccountCreatedPayload? AccountCreated { get; set; }
    public AccountClosedPayload? AccountClosed { get; set; }
    public AccountAssignedPayload? AccountAssigned { get; set; }
    public MrrChangedPayload? MrrChanged { get; set; }
    public SeatsChangedPayload? SeatsChanged { get; set; }
    public UsageRecordedPayload? UsageRecorded { get; set; }
    public OnboardingMilestonePayload? OnboardingMilestone { get; set; }
    public SurveyRespondedPayload? SurveyResponded { get; set; }
    public TicketOpenedPayload? TicketOpened { get; set; }
    public TicketFirstResponsePayload? TicketFirstResponse { get; set; }
    public TicketResolvedPayload? TicketResolved { get; set; }
    public RenewalPayload? RenewalDue { get; set; }
    public RenewalPayload? RenewalRenewed { get; set; }
    public RenewalPayload? RenewalLost { get; set; }
    public ReferralPayload? ReferralMade { get; set; }
    public ReferralPayload? ReferralConverted { get; set; }
    public QbrHeldPayload? QbrHeld { get; set; }
    public SupportCostPayload? SupportCost { get; set; }

    /// <summary>The payloads that are set, with their kinds: exactly one is a valid fact.</summary>
    public IEnumerable<(FactKind Kind, FactPayload Payload)> Payloads()
    {
        (FactKind, FactPayload?)[] all =
        [
            (FactKind.AccountCreated, AccountCreated), (FactKind.AccountClosed, AccountClosed), (FactKind.AccountAssigned, AccountAssigned),
            (FactKind.MrrChanged, MrrChanged), (FactKind.SeatsChanged, SeatsChanged), (FactKind.UsageRecorded, UsageRecorded),
            (FactKind.OnboardingMilestone, OnboardingMilestone), (FactKind.SurveyResponded, SurveyResponded),
            (FactKind.TicketOpened, TicketOpened), (FactKind.TicketFirstResponse, TicketFirstResponse), (FactKind.TicketResolved, TicketResolved),
            (FactKind.RenewalDue, RenewalDue), (FactKind.RenewalRenewed, RenewalRenewed), (FactKind.RenewalLost, RenewalLost),
            (FactKind.ReferralMade, ReferralMade), (FactKind.ReferralConverted, ReferralConverted), (FactKind.QbrHeld, QbrHeld),
            (FactKind.SupportCost, SupportCost),
        ];
        return all.Where(p => p.Item2 is not null).Select(p => (p.Item1, p.Item2!));
    }
}

public sealed class FactInputType : InputObjectGraphType<FactInput>
{
    public FactInputType()
    {
        Name = "FactInput";
        Description = "One fact. Set the common fields and exactly one kind field; the kind is the field that is set.";
        Field(f => f.Source).Description("The system the fact comes from (e.g. billing, crm, helpdesk). With externalId, the idempotency key.");
        Field(f => f.ExternalId).Description("The source's own id for the fact. Sending it again with the same content is a duplicate; with other content, a conflict.");
        Field(f => f.AccountId, type: typeof(NonNullGraphType<IdGraphType>)).Description("The account the fact is about; it must have been created by an account.created fact.");
        Field(f => f.OccurredAt).Description("When it happened; not in the future.");
        Field(f => f.Supersedes, nullable: true).Description("For a correction: the externalId (same source) of the fact this one replaces.");
        Field(f => f.AccountCreated, type: typeof(AccountCreatedInputType));
        Field(f => f.AccountClosed, type: typeof(AccountClosedInputType));
        Field(f => f.AccountAssigned, type: typeof(AccountAssignedInputType));
        Field(f => f.MrrChanged, type: typeof(MrrChangedInputType));
        Field(f => f.SeatsChanged, type: typeof(SeatsChangedInputType));
        Field(f => f.UsageRecorded, type: typeof(UsageRecordedInputType));
        Field(f => f.OnboardingMilestone, type: typeof(OnboardingMilestoneInputType));
        Field(f => f.SurveyResponded, type: typeof(SurveyRespondedInputType));
        Field(f => f.TicketOpened, type: typeof(TicketOpenedInputType));
        Field(f => f.TicketFirstResponse, type: typeof(TicketFirstResponseInputType));
        Field(f => f.TicketResolved, type: typeof(TicketResolvedInputType));
        Field(f => f.RenewalDue, type: typeof(RenewalInputType));
        Field(f => f.RenewalRenewed, type: typeof(RenewalInputType));
        Field(f => f.RenewalLost, type: typeof(RenewalInputType));
        Field(f => f.ReferralMade, type: typeof(ReferralInputType));
        Field(f => f.ReferralConverted, type: typeof(ReferralInputType));
        Field(f => f.QbrHeld, type: typeof(QbrHeldInputType));
        Field(f => f.SupportCost, type: typeof(SupportCostInputType));
    }
}

public sealed class AccountCreatedInputType : InputObjectGraphType<AccountCreatedPayload>
{
    public AccountCreatedInputType()
    {
        Name = "AccountCreatedInput";
        Field(p => p.Name).Description("Display name, 1 to 200 characters.");
        Field(p => p.Segment, nullable: true);
        Field(p => p.OwnerExecutiveId, nullable: true).Description("The executive whose portfolio holds the account from its creation month.");
        Field(p => p.ReferredByAccountId, nullable: true).Description("The account whose referral brought this one (referral KPIs).");
    }
}

public sealed class AccountClosedInputType : InputObjectGraphType<AccountClosedPayload>
{
    public AccountClosedInputType()
    {
        Name = "AccountClosedInput";
        Field(p => p.Reason, nullable: true);
    }
}

public sealed class AccountAssignedInputType : InputObjectGraphType<AccountAssignedPayload>
{
    public AccountAssignedInputType()
    {
        Name = "AccountAssignedInput";
        Description = "Moves the account into an executive's portfolio from the month of effectiveFrom on.";
        Field(p => p.ExecutiveId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(p => p.EffectiveFrom);
    }
}

public sealed class MrrMovementType : EnumerationGraphType<MrrMovement>
{
    public MrrMovementType() => Name = "MrrMovement";
}

public sealed class MrrChangedInputType : InputObjectGraphType<MrrChangedPayload>
{
    public MrrChangedInputType()
    {
        Name = "MrrChangedInput";
        Field(p => p.Movement, type: typeof(NonNullGraphType<MrrMovementType>));
        Field(p => p.Amount).Description("Size of the change in MRR, greater than zero, at most 4 decimal places.");
        Field(p => p.Currency).Description("ISO 4217 code, e.g. USD.");
    }
}

public sealed class SeatsChangedInputType : InputObjectGraphType<SeatsChangedPayload>
{
    public SeatsChangedInputType()
    {
        Name = "SeatsChangedInput";
        Field(p => p.SeatsDelta).Description("Seats added (positive) or removed (negative).");
        Field(p => p.Plan, nullable: true).Description("The plan after the change, if it changed.");
    }
}

public sealed class UsageRecordedInputType : InputObjectGraphType<UsageRecordedPayload>
{
    public UsageRecordedInputType()
    {
        Name = "UsageRecordedInput";
        Field(p => p.UserId);
        Field(p => p.Event);
        Field(p => p.Feature, nullable: true);
        Field(p => p.Count).Description("How many times, 1 to 1,000,000.");
    }
}

public sealed class OnboardingMilestoneInputType : InputObjectGraphType<OnboardingMilestonePayload>
{
    public OnboardingMilestoneInputType()
    {
        Name = "OnboardingMilestoneInput";
        Field(p => p.Milestone).Description("Free name; 'activated' (needs userId), 'onboarding_completed' and 'first_value' count in the measures.");
        Field(p => p.UserId, nullable: true);
    }
}

public sealed class SurveyTypeType : EnumerationGraphType<SurveyType>
{
    public SurveyTypeType() => Name = "SurveyType";
}

public sealed class SurveyRespondedInputType : InputObjectGraphType<SurveyRespondedPayload>
{
    public SurveyRespondedInputType()
    {
        Name = "SurveyRespondedInput";
        Field(p => p.Survey, type: typeof(NonNullGraphType<SurveyTypeType>));
        Field(p => p.Score).Description("NPS 0–10, CSAT 1–5, CES 1–7.");
        Field(p => p.RespondentId, nullable: true);
    }
}

public sealed class TicketOpenedInputType : InputObjectGraphType<TicketOpenedPayload>
{
    public TicketOpenedInputType()
    {
        Name = "TicketOpenedInput";
        Field(p => p.TicketId);
    }
}

public sealed class TicketFirstResponseInputType : InputObjectGraphType<TicketFirstResponsePayload>
{
    public TicketFirstResponseInputType()
    {
        Name = "TicketFirstResponseInput";
        Field(p => p.TicketId);
        Field(p => p.OpenedAt).Description("When the ticket was opened; not after occurredAt.");
    }
}

public sealed class TicketResolvedInputType : InputObjectGraphType<TicketResolvedPayload>
{
    public TicketResolvedInputType()
    {
        Name = "TicketResolvedInput";
        Field(p => p.TicketId);
        Field(p => p.OpenedAt).Description("When the ticket was opened; not after occurredAt.");
        Field(p => p.Contacts).Description("Contacts it took to resolve; 1 is a first-contact resolution.");
    }
}

public sealed class RenewalInputType : InputObjectGraphType<RenewalPayload>
{
    public RenewalInputType()
    {
        Name = "RenewalInput";
        Field(p => p.Amount, nullable: true).Description("MRR up for renewal, if known.");
        Field(p => p.Currency, nullable: true);
    }
}

public sealed class ReferralInputType : InputObjectGraphType<ReferralPayload>
{
    public ReferralInputType()
    {
        Name = "ReferralInput";
        Field(p => p.ReferralId, nullable: true);
    }
}

public sealed class SupportCostInputType : InputObjectGraphType<SupportCostPayload>
{
    public SupportCostInputType()
    {
        Name = "SupportCostInput";
        Field(p => p.Amount).Description("Support cost allocated to the account, greater than zero, at most 4 decimal places.");
        Field(p => p.Currency).Description("ISO 4217 code, e.g. USD.");
        Field(p => p.Category, nullable: true).Description("e.g. staff, tooling.");
    }
}

public sealed class QbrHeldInputType : InputObjectGraphType<QbrHeldPayload>
{
    public QbrHeldInputType()
    {
        Name = "QbrHeldInput";
        Field(p => p.Notes, nullable: true);
    }
}
