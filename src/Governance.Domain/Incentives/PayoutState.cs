namespace Governance.Domain.Incentives;

public enum PayoutStatus
{
    Proposed,
    Verified,
    Approved,
    Rejected,
}

public enum TrancheStatus
{
    Scheduled,
    Held,
    Released,
}

public enum ClawbackStatus
{
    None,
    Open,
    Recovered,
    Dismissed,
}

/// <summary>A refusal of a payout action: a GraphQL error code and what to tell the caller.</summary>
public sealed record PayoutRefusal(string Code, string Message)
{
    public const string Forbidden = "FORBIDDEN";
    public const string Conflict = "CONFLICT";
    public const string Invalid = "INVALID_INPUT";
}

/// <summary>
/// A payout's state, derived from its events only (nothing about it is updated in place), and the rules of
/// its lifecycle (docs/incentives.md): proposed → verified by the data gate → approved by a quorum of
/// committee members, none the payee → tranches released when due, or held; a clawback case opened by the
/// check is recovered or dismissed by the committee. A rejection ends it.
/// </summary>
public sealed class PayoutState
{
    private readonly IReadOnlyList<PayoutEvent> _events;

    public PayoutState(IReadOnlyList<PayoutEvent> events, int trancheCount)
    {
        _events = events;
        Status = events.Any(e => e.Kind == PayoutEventKind.Rejected) ? PayoutStatus.Rejected
            : events.Any(e => e.Kind == PayoutEventKind.Approved) ? PayoutStatus.Approved
            : events.Any(e => e.Kind == PayoutEventKind.Verified) ? PayoutStatus.Verified
            : PayoutStatus.Proposed;
        Tranches = Enumerable.Range(0, trancheCount).Select(i =>
            events.LastOrDefault(e => e.Tranche == i && e.Kind is PayoutEventKind.TrancheReleased or PayoutEventKind.TrancheHeld) switch
            {
                { Kind: PayoutEventKind.TrancheReleased } => TrancheStatus.Released,
                { Kind: PayoutEventKind.TrancheHeld } => TrancheStatus.Held,
                _ => TrancheStatus.Scheduled,
            }).ToList();
        Clawback = events.LastOrDefault(e => e.Kind is PayoutEventKind.ClawbackOpened or PayoutEventKind.ClawbackRecovered or PayoutEventKind.ClawbackDismissed)?.Kind switch
        {
            PayoutEventKind.ClawbackOpened => ClawbackStatus.Open,
            PayoutEventKind.ClawbackRecovered => ClawbackStatus.Recovered,
            PayoutEventKind.ClawbackDismissed => ClawbackStatus.Dismissed,
            _ => ClawbackStatus.None,
        };
    }

    public PayoutStatus Status { get; }

    public IReadOnlyList<TrancheStatus> Tranches { get; }

    public ClawbackStatus Clawback { get; }

    /// <summary>Who approved since the payout was last verified, in order.</summary>
    public IReadOnlyList<string> Approvers => _events.Where(e => e.Kind == PayoutEventKind.Approval).Select(e => e.Actor).ToList();

    /// <summary>
    /// Whether <paramref name="member"/> may vote to approve; <paramref name="payee"/> is the user the plan pays.
    /// The caller's committee role is checked by the API before this.
    /// </summary>
    public PayoutRefusal? CanApprove(string member, string payee)
    {
        if (member == payee)
        {
            return new(PayoutRefusal.Forbidden, "the payee cannot decide on their own payout");
        }

        return Status switch
        {
            PayoutStatus.Proposed => new(PayoutRefusal.Conflict, "the payout is not verified: run verifyPayout first"),
            PayoutStatus.Approved => new(PayoutRefusal.Conflict, "the payout is approved already"),
            PayoutStatus.Rejected => new(PayoutRefusal.Conflict, "the payout was rejected"),
            _ when Approvers.Contains(member) => new(PayoutRefusal.Conflict, "this member has approved the payout already"),
            _ => null,
        };
    }

    public PayoutRefusal? CanReject(string member, string payee) =>
        member == payee ? new(PayoutRefusal.Forbidden, "the payee cannot decide on their own payout")
        : Status is PayoutStatus.Approved or PayoutStatus.Rejected ? new(PayoutRefusal.Conflict, $"the payout is {Status.ToString().ToLowerInvariant()} already")
        : null;

    public PayoutRefusal? CanVerify() =>
        Status == PayoutStatus.Proposed ? null : new(PayoutRefusal.Conflict, $"the payout is {Status.ToString().ToLowerInvariant()}, not waiting for verification");

    /// <summary>A tranche is released once the payout is approved and it is due; a held one can be released later.</summary>
    public PayoutRefusal? CanRelease(string member, string payee, TrancheAmount tranche, DateOnly today) =>
        member == payee ? new(PayoutRefusal.Forbidden, "the payee cannot decide on their own payout")
        : Status != PayoutStatus.Approved ? new(PayoutRefusal.Conflict, "the payout is not approved")
        : Tranches[tranche.Index] == TrancheStatus.Released ? new(PayoutRefusal.Conflict, $"tranche {tranche.Index} was released already")
        : tranche.DueOn > today ? new(PayoutRefusal.Conflict, $"tranche {tranche.Index} is not due until {tranche.DueOn:yyyy-MM-dd}")
        : null;

    public PayoutRefusal? CanHold(string member, string payee, TrancheAmount tranche) =>
        member == payee ? new(PayoutRefusal.Forbidden, "the payee cannot decide on their own payout")
        : Status != PayoutStatus.Approved ? new(PayoutRefusal.Conflict, "the payout is not approved")
        : Tranches[tranche.Index] != TrancheStatus.Scheduled ? new(PayoutRefusal.Conflict, $"tranche {tranche.Index} is {Tranches[tranche.Index].ToString().ToLowerInvariant()}, not scheduled")
        : null;

    /// <summary>A clawback case can be opened while none is open, for a payout with released tranches.</summary>
    public PayoutRefusal? CanOpenClawback() =>
        Clawback == ClawbackStatus.Open ? new(PayoutRefusal.Conflict, "a clawback case is open already")
        : !Tranches.Contains(TrancheStatus.Released) ? new(PayoutRefusal.Conflict, "no tranche has been released")
        : null;

    public PayoutRefusal? CanDecideClawback(string member, string payee) =>
        member == payee ? new(PayoutRefusal.Forbidden, "the payee cannot decide on their own payout")
        : Clawback != ClawbackStatus.Open ? new(PayoutRefusal.Conflict, "no clawback case is open")
        : null;
}
