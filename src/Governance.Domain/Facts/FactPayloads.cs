namespace Governance.Domain.Facts;

/// <summary>
/// The kind-specific content of a fact. Each kind has one payload type; the facts table stores it as
/// JSON (camelCase, nulls omitted), and the content hash that detects conflicting repeats is taken over that JSON.
/// </summary>
public abstract record FactPayload;

// ReferredByAccountId: the account whose referral brought this one, if any (referral KPIs).
public sealed record AccountCreatedPayload(string Name, string? Segment, string? OwnerExecutiveId, string? ReferredByAccountId = null) : FactPayload;

public sealed record AccountClosedPayload(string? Reason) : FactPayload;

/// <summary>The account's portfolio owner from the month of <paramref name="EffectiveFrom"/> on.</summary>
public sealed record AccountAssignedPayload(string ExecutiveId, DateOnly EffectiveFrom) : FactPayload;

public enum MrrMovement
{
    New,
    Expansion,
    Contraction,
    Churn,
    Reactivation,
}

/// <summary>A change of monthly recurring revenue. <paramref name="Amount"/> is the size of the change, never negative.</summary>
public sealed record MrrChangedPayload(MrrMovement Movement, decimal Amount, string Currency) : FactPayload;

/// <summary>Seats added (positive) or removed (negative), and the plan after the change if it changed.</summary>
public sealed record SeatsChangedPayload(int SeatsDelta, string? Plan) : FactPayload;

public sealed record UsageRecordedPayload(string UserId, string Event, string? Feature, int Count) : FactPayload;

/// <summary>
/// An onboarding milestone. Milestone <c>activated</c> (with a user) marks an activated user;
/// <c>onboarding_completed</c> the account's onboarding; <c>first_value</c> the account's time to value.
/// </summary>
public sealed record OnboardingMilestonePayload(string Milestone, string? UserId) : FactPayload;

public enum SurveyType
{
    Nps,
    Csat,
    Ces,
}

public sealed record SurveyRespondedPayload(SurveyType Survey, int Score, string? RespondentId) : FactPayload;

public sealed record TicketOpenedPayload(string TicketId) : FactPayload;

public sealed record TicketFirstResponsePayload(string TicketId, DateTimeOffset OpenedAt) : FactPayload;

public sealed record TicketResolvedPayload(string TicketId, DateTimeOffset OpenedAt, int Contacts) : FactPayload;

/// <summary>A renewal event; <paramref name="Amount"/> is the MRR up for renewal, if known.</summary>
public sealed record RenewalPayload(decimal? Amount, string? Currency) : FactPayload;

public sealed record ReferralPayload(string? ReferralId) : FactPayload;

public sealed record QbrHeldPayload(string? Notes) : FactPayload;

/// <summary>Support cost the tenant allocates to the account (cost per ticket needs it).</summary>
public sealed record SupportCostPayload(decimal Amount, string Currency, string? Category) : FactPayload;
