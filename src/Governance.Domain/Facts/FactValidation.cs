using Governance.Abstractions;

namespace Governance.Domain.Facts;

/// <summary>One reason a fact is refused: which fact of the batch, which field, why; <see cref="Code"/> says what sort of reason.</summary>
public sealed record FactError(int Index, string Field, string Message, string Code = FactError.InvalidInput)
{
    public const string InvalidInput = "INVALID_INPUT";

    /// <summary>The fact contradicts what is stored (same id, other content; an account created twice; a fact corrected twice).</summary>
    public const string Conflict = "CONFLICT";

    public override string ToString() => $"facts[{Index}].{Field}: {Message}";
}

/// <summary>
/// The rules a fact must meet before anything is stored. Pure: the checks that need the database
/// (unknown account, conflicting repeats, what a correction supersedes) run in the store.
/// </summary>
public static class FactValidation
{
    public const int MaxSourceLength = 100;
    public const int MaxExternalIdLength = 200;
    public const int MaxTextLength = 200;

    /// <summary>Clocks of senders drift; a fact a few minutes ahead of ours is not "in the future".</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEnumerable<FactError> Validate(FactDraft fact, int index, DateTimeOffset now)
    {
        var errors = new List<FactError>();
        void Check(string field, string? problem)
        {
            if (problem is not null)
            {
                errors.Add(new FactError(index, field, problem));
            }
        }

        Check("source", Text(fact.Source, MaxSourceLength, required: true));
        Check("externalId", Text(fact.ExternalId, MaxExternalIdLength, required: true));
        Check("accountId", GrainKeys.ValidateLocalId(fact.AccountId));
        Check("occurredAt", fact.OccurredAt > now + ClockSkew ? "must not be in the future"
            : fact.OccurredAt < Earliest ? "must not be before 2000-01-01" : null);
        if (fact.Supersedes is not null)
        {
            Check("supersedes", Text(fact.Supersedes, MaxExternalIdLength, required: true)
                ?? (fact.Supersedes == fact.ExternalId ? "must name another fact than this one" : null));
        }

        var prefix = PayloadField(fact.Kind);
        foreach (var (field, problem) in ValidatePayload(fact))
        {
            // A problem with the payload as a whole (its type) has no field of its own: it names the payload field.
            errors.Add(new FactError(index, field.Length == 0 ? prefix : $"{prefix}.{field}", problem));
        }

        return errors;
    }

    /// <summary>The name of the input field that carries a kind's payload (e.g. <c>mrrChanged</c>).</summary>
    public static string PayloadField(FactKind kind)
    {
        var name = kind.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static IEnumerable<(string Field, string Problem)> ValidatePayload(FactDraft fact)
    {
        if (FactPayloads.TypeOf(fact.Kind) != fact.Payload.GetType())
        {
            // Another kind's rules would only add noise under this kind's field name.
            return [("", $"a {fact.Kind.WireName()} fact cannot carry a {fact.Payload.GetType().Name}")];
        }

        var problems = new List<(string, string?)>();
        switch (fact.Payload)
        {
            case AccountCreatedPayload p:
                problems.Add(("name", Text(p.Name, MaxTextLength, required: true)));
                problems.Add(("segment", Text(p.Segment, 100, required: false)));
                problems.Add(("ownerExecutiveId", p.OwnerExecutiveId is null ? null : GrainKeys.ValidateLocalId(p.OwnerExecutiveId)));
                problems.Add(("referredByAccountId", p.ReferredByAccountId is null ? null : GrainKeys.ValidateLocalId(p.ReferredByAccountId)));
                break;
            case AccountClosedPayload p:
                problems.Add(("reason", Text(p.Reason, 500, required: false)));
                break;
            case AccountAssignedPayload p:
                problems.Add(("executiveId", GrainKeys.ValidateLocalId(p.ExecutiveId)));
                problems.Add(("effectiveFrom", p.EffectiveFrom.Year < 2000 ? "must not be before 2000-01-01" : null));
                break;
            case MrrChangedPayload p:
                problems.Add(("amount", Money.Validate(p.Amount, allowZero: false)));
                problems.Add(("currency", Money.ValidateCurrency(p.Currency)));
                break;
            case SeatsChangedPayload p:
                problems.Add(("seatsDelta", p.SeatsDelta == 0 && p.Plan is null ? "must not be 0 unless the plan changes"
                    : Math.Abs((long)p.SeatsDelta) > 1_000_000 ? "must be between -1,000,000 and 1,000,000" : null));
                problems.Add(("plan", Text(p.Plan, 100, required: false)));
                break;
            case UsageRecordedPayload p:
                problems.Add(("userId", Text(p.UserId, MaxTextLength, required: true)));
                problems.Add(("event", Text(p.Event, 100, required: true)));
                problems.Add(("feature", Text(p.Feature, 100, required: false)));
                problems.Add(("count", p.Count is < 1 or > 1_000_000 ? "must be 1 to 1,000,000" : null));
                break;
            case OnboardingMilestonePayload p:
                problems.Add(("milestone", Text(p.Milestone, 100, required: true)));
                problems.Add(("userId", Text(p.UserId, MaxTextLength, required: p.Milestone == Milestones.Activated)
                    is { } userProblem ? (p.UserId is null ? "is required for the activated milestone" : userProblem) : null));
                break;
            case SurveyRespondedPayload p:
                var (low, high) = SurveyScale(p.Survey);
                problems.Add(("score", p.Score < low || p.Score > high ? $"{p.Survey.ToString().ToUpperInvariant()} must be {low} to {high}" : null));
                problems.Add(("respondentId", Text(p.RespondentId, MaxTextLength, required: false)));
                break;
            case TicketOpenedPayload p:
                problems.Add(("ticketId", Text(p.TicketId, MaxTextLength, required: true)));
                break;
            case TicketFirstResponsePayload p:
                problems.Add(("ticketId", Text(p.TicketId, MaxTextLength, required: true)));
                problems.Add(("openedAt", p.OpenedAt > fact.OccurredAt ? "must not be after the first response (occurredAt)" : null));
                break;
            case TicketResolvedPayload p:
                problems.Add(("ticketId", Text(p.TicketId, MaxTextLength, required: true)));
                problems.Add(("openedAt", p.OpenedAt > fact.OccurredAt ? "must not be after the resolution (occurredAt)" : null));
                problems.Add(("contacts", p.Contacts is < 1 or > 10_000 ? "must be 1 to 10,000" : null));
                break;
            case RenewalPayload p:
                problems.Add(("amount", p.Amount is { } amount ? Money.Validate(amount, allowZero: true) : null));
                problems.Add(("currency", p.Amount is null && p.Currency is null ? null : Money.ValidateCurrency(p.Currency)));
                break;
            case ReferralPayload p:
                problems.Add(("referralId", Text(p.ReferralId, MaxTextLength, required: false)));
                break;
            case QbrHeldPayload p:
                problems.Add(("notes", Text(p.Notes, 2_000, required: false)));
                break;
            case SupportCostPayload p:
                problems.Add(("amount", Money.Validate(p.Amount, allowZero: false)));
                problems.Add(("currency", Money.ValidateCurrency(p.Currency)));
                problems.Add(("category", Text(p.Category, 100, required: false)));
                break;
            default:
                problems.Add(("", $"no payload rules for {fact.Payload.GetType().Name}"));
                break;
        }

        return problems.Where(p => p.Item2 is not null).Select(p => (p.Item1, p.Item2!));
    }

    public static (int Low, int High) SurveyScale(SurveyType survey) => survey switch
    {
        SurveyType.Nps => (0, 10),
        SurveyType.Csat => (1, 5),
        SurveyType.Ces => (1, 7),
        _ => throw new ArgumentOutOfRangeException(nameof(survey)),
    };

    private static string? Text(string? value, int maxLength, bool required)
    {
        if (value is null)
        {
            return required ? "is required" : null;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return "must not be blank";
        }

        if (value.Length > maxLength)
        {
            return $"must be at most {maxLength} characters long";
        }

        return value.Any(char.IsControl) ? "must not contain control characters" : null;
    }
}

/// <summary>Milestone names with a meaning of their own in the measures.</summary>
public static class Milestones
{
    public const string Activated = "activated";
    public const string OnboardingCompleted = "onboarding_completed";
    public const string FirstValue = "first_value";
}
