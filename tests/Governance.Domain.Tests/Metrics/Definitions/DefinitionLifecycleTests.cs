using Governance.Abstractions.Security;
using Governance.Domain.Metrics.Definitions;
using static Governance.Domain.Tests.Metrics.Definitions.DefinitionExamples;

namespace Governance.Domain.Tests.Metrics.Definitions;

public sealed class DefinitionLifecycleTests
{
    private static readonly DefinitionActor Author = new("ada", [Roles.DataOwner]);
    private static readonly DefinitionActor OtherOwner = new("grace", [Roles.DataOwner]);
    private static readonly DefinitionActor Admin = new("linus", [Roles.TenantAdmin]);
    private static readonly DefinitionActor Manager = new("margaret", [Roles.CsManager]);
    private static readonly DefinitionActor Auditor = new("alan", [Roles.Auditor]);

    private static MetricDefinition Draft() => Version(2, new DateOnly(2026, 4, 1));

    private static MetricDefinition Approved() => Version(2, new DateOnly(2026, 4, 1), approvedAt: At(2026, 3, 1));

    private static MetricDefinition Retired() => Version(2, new DateOnly(2026, 4, 1), approvedAt: At(2026, 3, 1), retiredAt: At(2026, 5, 1));

    [Fact]
    public void ShouldLetDataOwnersAdminsAndManagersProposeButNotAuditors()
    {
        Assert.Null(DefinitionLifecycle.Propose(Formula(), Author));
        Assert.Null(DefinitionLifecycle.Propose(Formula(), Admin));
        Assert.Null(DefinitionLifecycle.Propose(Formula(), Manager));
        Assert.Equal(RefusalKind.Forbidden, DefinitionLifecycle.Propose(Formula(), Auditor)!.Kind);
    }

    [Fact]
    public void ShouldRefuseAnInvalidProposalWithItsProblems()
    {
        var refusal = DefinitionLifecycle.Propose(Formula() with { Name = "", Reason = "" }, Author)!;

        Assert.Equal(RefusalKind.Invalid, refusal.Kind);
        Assert.Equal(["name", "reason"], refusal.Problems.Select(p => p.Field));
    }

    [Fact]
    public void ShouldLetAnotherDataOwnerOrAnAdminApproveADraft()
    {
        Assert.Null(DefinitionLifecycle.Approve(Draft(), OtherOwner, "looks right"));
        Assert.Null(DefinitionLifecycle.Approve(Draft(), Admin, null));
    }

    [Fact]
    public void ShouldNeverLetTheAuthorApproveTheirOwnVersion()
    {
        var refusal = DefinitionLifecycle.Approve(Draft(), Author with { Roles = [Roles.DataOwner, Roles.TenantAdmin] }, null)!;

        Assert.Equal(RefusalKind.Forbidden, refusal.Kind);
        Assert.Contains("Separation of duties", refusal.Message);
    }

    [Fact]
    public void ShouldRefuseApprovalByRolesThatMayNotApprove()
    {
        Assert.Equal(RefusalKind.Forbidden, DefinitionLifecycle.Approve(Draft(), Manager, null)!.Kind);
    }

    [Fact]
    public void ShouldRefuseToApproveAnApprovedOrRetiredVersion()
    {
        Assert.Equal(RefusalKind.Conflict, DefinitionLifecycle.Approve(Approved(), OtherOwner, null)!.Kind);
        Assert.Equal(RefusalKind.Conflict, DefinitionLifecycle.Approve(Retired(), OtherOwner, null)!.Kind);
        Assert.Equal(RefusalKind.NotFound, DefinitionLifecycle.Approve(null, OtherOwner, null)!.Kind);
    }

    [Fact]
    public void ShouldRetireADraftOrAnApprovedVersionWithAReason()
    {
        Assert.Null(DefinitionLifecycle.Retire(Draft(), OtherOwner, "withdrawn"));
        Assert.Null(DefinitionLifecycle.Retire(Approved(), Admin, "superseded by v3"));
    }

    [Fact]
    public void ShouldRefuseRetirementWithoutAReasonTwiceOrByOtherRoles()
    {
        var noReason = DefinitionLifecycle.Retire(Approved(), Admin, "  ")!;
        Assert.Equal(RefusalKind.Invalid, noReason.Kind);
        Assert.Equal("reason", Assert.Single(noReason.Problems).Field);

        Assert.Equal(RefusalKind.Conflict, DefinitionLifecycle.Retire(Retired(), Admin, "again")!.Kind);
        Assert.Equal(RefusalKind.Forbidden, DefinitionLifecycle.Retire(Approved(), Manager, "mine")!.Kind);
        Assert.Equal(RefusalKind.NotFound, DefinitionLifecycle.Retire(null, Admin, "gone")!.Kind);
    }
}
