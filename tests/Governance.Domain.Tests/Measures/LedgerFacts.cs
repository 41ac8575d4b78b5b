using Governance.Domain.Facts;

namespace Governance.Domain.Tests.Measures;

/// <summary>Builds stored facts the way the store hands them to the ledger: ids ascending, one account.</summary>
internal sealed class LedgerFacts
{
    private long _lastId;

    public StoredFact Of(FactKind kind, FactPayload payload, DateTimeOffset occurredAt, StoredFact? supersedes = null)
    {
        var id = ++_lastId;
        return new StoredFact(id, "billing", $"ext-{id}", "acc-1", occurredAt, kind, payload, Late: false, "integration-1", supersedes);
    }

    public StoredFact Created(DateTimeOffset at, string? owner = null) =>
        Of(FactKind.AccountCreated, new AccountCreatedPayload("Acme Corp", "enterprise", owner), at);

    public StoredFact Assigned(string executiveId, DateOnly effectiveFrom, DateTimeOffset at) =>
        Of(FactKind.AccountAssigned, new AccountAssignedPayload(executiveId, effectiveFrom), at);

    public StoredFact Mrr(MrrMovement movement, decimal amount, DateTimeOffset at) =>
        Of(FactKind.MrrChanged, new MrrChangedPayload(movement, amount, "USD"), at);

    public StoredFact Seats(int delta, DateTimeOffset at, string? plan = null) =>
        Of(FactKind.SeatsChanged, new SeatsChangedPayload(delta, plan), at);

    public StoredFact Usage(string userId, DateTimeOffset at, string? feature = null, int count = 1) =>
        Of(FactKind.UsageRecorded, new UsageRecordedPayload(userId, "event", feature, count), at);

    public StoredFact Milestone(string milestone, DateTimeOffset at, string? userId = null) =>
        Of(FactKind.OnboardingMilestone, new OnboardingMilestonePayload(milestone, userId), at);

    public StoredFact Survey(SurveyType survey, int score, DateTimeOffset at) =>
        Of(FactKind.SurveyResponded, new SurveyRespondedPayload(survey, score, null), at);

    public StoredFact TicketOpened(string ticketId, DateTimeOffset at) =>
        Of(FactKind.TicketOpened, new TicketOpenedPayload(ticketId), at);

    public StoredFact FirstResponse(string ticketId, DateTimeOffset openedAt, DateTimeOffset at) =>
        Of(FactKind.TicketFirstResponse, new TicketFirstResponsePayload(ticketId, openedAt), at);

    public StoredFact Resolved(string ticketId, DateTimeOffset openedAt, DateTimeOffset at, int contacts) =>
        Of(FactKind.TicketResolved, new TicketResolvedPayload(ticketId, openedAt, contacts), at);
}
