using Governance.Domain.Incentives;

namespace Governance.Domain.Tests.Incentives;

public sealed class PayoutStateTests
{
    private const string Payee = "payee";
    private static readonly DateTimeOffset At = new(2026, 4, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly TrancheAmount Now = new(0, new DateOnly(2026, 4, 1), 0.5m, 100m);
    private static readonly TrancheAmount Later = new(1, new DateOnly(2027, 4, 1), 0.5m, 100m);

    private static PayoutState State(params (PayoutEventKind Kind, string Actor, int? Tranche)[] events) =>
        new(events.Select((e, i) => new PayoutEvent(i, e.Kind, e.Actor, null, e.Tranche, At)).ToList(), 2);

    [Fact]
    public void ShouldDeriveStatusFromEventsOnly()
    {
        Assert.Equal(PayoutStatus.Proposed, State().Status);
        Assert.Equal(PayoutStatus.Proposed, State((PayoutEventKind.VerificationFailed, "a", null)).Status);
        Assert.Equal(PayoutStatus.Verified, State((PayoutEventKind.Verified, "a", null), (PayoutEventKind.Approval, "m1", null)).Status);
        Assert.Equal(PayoutStatus.Approved, State((PayoutEventKind.Verified, "a", null), (PayoutEventKind.Approved, "m1", null)).Status);
        Assert.Equal(PayoutStatus.Rejected, State((PayoutEventKind.Verified, "a", null), (PayoutEventKind.Rejected, "m1", null)).Status);
    }

    [Fact]
    public void ShouldKeepThePayeeAndRepeatVotersOut()
    {
        var verified = State((PayoutEventKind.Verified, "a", null), (PayoutEventKind.Approval, "m1", null));

        Assert.Equal(PayoutRefusal.Forbidden, verified.CanApprove(Payee, Payee)!.Code);
        Assert.Equal(PayoutRefusal.Forbidden, verified.CanReject(Payee, Payee)!.Code);
        Assert.Equal(PayoutRefusal.Conflict, verified.CanApprove("m1", Payee)!.Code);
        Assert.Null(verified.CanApprove("m2", Payee));
        Assert.Equal(PayoutRefusal.Conflict, State().CanApprove("m2", Payee)!.Code); // not verified yet
    }

    [Fact]
    public void ShouldReleaseOnlyDueTranchesOfAnApprovedPayout()
    {
        var approved = State((PayoutEventKind.Verified, "a", null), (PayoutEventKind.Approved, "m2", null));
        var today = new DateOnly(2026, 4, 2);

        Assert.Null(approved.CanRelease("m1", Payee, Now, today));
        Assert.Contains("not due until 2027-04-01", approved.CanRelease("m1", Payee, Later, today)!.Message);
        Assert.Equal(PayoutRefusal.Conflict, State((PayoutEventKind.Verified, "a", null)).CanRelease("m1", Payee, Now, today)!.Code);
        Assert.Null(approved.CanHold("m1", Payee, Later));

        var held = State((PayoutEventKind.Verified, "a", null), (PayoutEventKind.Approved, "m2", null), (PayoutEventKind.TrancheHeld, "m1", 0));
        Assert.Equal([TrancheStatus.Held, TrancheStatus.Scheduled], held.Tranches);
        Assert.Null(held.CanRelease("m1", Payee, Now, today)); // a hold is lifted by releasing

        var released = State((PayoutEventKind.Verified, "a", null), (PayoutEventKind.Approved, "m2", null), (PayoutEventKind.TrancheReleased, "m1", 0));
        Assert.Equal(PayoutRefusal.Conflict, released.CanRelease("m1", Payee, Now, today)!.Code);
        Assert.Null(released.CanOpenClawback());
    }

    [Fact]
    public void ShouldOpenOneClawbackCaseAtATime()
    {
        var open = State((PayoutEventKind.Approved, "m2", null), (PayoutEventKind.TrancheReleased, "m1", 0), (PayoutEventKind.ClawbackOpened, "system", null));

        Assert.Equal(ClawbackStatus.Open, open.Clawback);
        Assert.NotNull(open.CanOpenClawback());
        Assert.Null(open.CanDecideClawback("m1", Payee));
        Assert.Equal(PayoutRefusal.Forbidden, open.CanDecideClawback(Payee, Payee)!.Code);
        Assert.NotNull(State((PayoutEventKind.Approved, "m2", null)).CanOpenClawback()); // nothing released
    }

    [Fact]
    public void ShouldRoundTripEventNames()
    {
        foreach (var kind in Enum.GetValues<PayoutEventKind>())
        {
            Assert.Equal(kind, PayoutEventKinds.Parse(kind.WireName()));
        }

        Assert.Equal("verification_failed", PayoutEventKind.VerificationFailed.WireName());
    }
}
