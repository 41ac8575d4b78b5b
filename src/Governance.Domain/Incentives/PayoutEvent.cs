namespace Governance.Domain.Incentives;

/// <summary>What happened to a payout; the stored name is the snake_case of the member (<see cref="PayoutEventKinds"/>).</summary>
public enum PayoutEventKind
{
    Verified,
    VerificationFailed,
    Approval,
    Approved,
    Rejected,
    TrancheReleased,
    TrancheHeld,
    ClawbackOpened,
    ClawbackRecovered,
    ClawbackDismissed,
}

/// <summary>One step of a payout's life, appended and never changed; <see cref="Tranche"/> for tranche events.</summary>
public sealed record PayoutEvent(int Seq, PayoutEventKind Kind, string Actor, string? Reason, int? Tranche, DateTimeOffset At, string? EvidenceJson = null);

public static class PayoutEventKinds
{
    public static string WireName(this PayoutEventKind kind) => kind switch
    {
        PayoutEventKind.VerificationFailed => "verification_failed",
        PayoutEventKind.TrancheReleased => "tranche_released",
        PayoutEventKind.TrancheHeld => "tranche_held",
        PayoutEventKind.ClawbackOpened => "clawback_opened",
        PayoutEventKind.ClawbackRecovered => "clawback_recovered",
        PayoutEventKind.ClawbackDismissed => "clawback_dismissed",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static PayoutEventKind Parse(string name) =>
        Enum.GetValues<PayoutEventKind>().Single(k => k.WireName() == name);
}
