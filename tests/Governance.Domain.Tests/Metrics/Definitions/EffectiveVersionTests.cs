using Governance.Domain.Metrics.Definitions;
using static Governance.Domain.Tests.Metrics.Definitions.DefinitionExamples;

namespace Governance.Domain.Tests.Metrics.Definitions;

public sealed class EffectiveVersionTests
{
    private static readonly DateOnly Q1 = new(2026, 1, 1);
    private static readonly DateOnly Q2 = new(2026, 4, 1);
    private static readonly DateOnly Q3 = new(2026, 7, 1);

    [Fact]
    public void ShouldGovernAPeriodByTheVersionInForceOnItsFirstDay()
    {
        var v1 = Version(1, new DateOnly(2025, 1, 1), approvedAt: At(2024, 12, 1));
        var v2 = Version(2, new DateOnly(2026, 2, 15), approvedAt: At(2026, 2, 1)); // effective mid-Q1

        Assert.Equal(1, EffectiveVersion.For([v1, v2], Q1)!.Version);
        Assert.Equal(2, EffectiveVersion.For([v1, v2], Q2)!.Version);
    }

    [Fact]
    public void ShouldLetAVersionEffectiveOnThePeriodsFirstDayGovernIt()
    {
        var v1 = Version(1, new DateOnly(2025, 1, 1), approvedAt: At(2024, 12, 1));
        var v2 = Version(2, Q2, approvedAt: At(2026, 3, 1));

        Assert.Equal(2, EffectiveVersion.For([v1, v2], Q2)!.Version);
    }

    [Fact]
    public void ShouldIgnoreDraftsAndWithdrawnDrafts()
    {
        var v1 = Version(1, new DateOnly(2025, 1, 1), approvedAt: At(2024, 12, 1));
        var draft = Version(2, Q1);
        var withdrawn = Version(3, Q1, retiredAt: At(2026, 1, 10));

        Assert.Equal(1, EffectiveVersion.For([v1, draft, withdrawn], Q2)!.Version);
    }

    [Fact]
    public void ShouldStopAVersionRetiredBeforeThePeriodFromGoverningIt()
    {
        var v1 = Version(1, new DateOnly(2025, 1, 1), approvedAt: At(2024, 12, 1));
        var v2 = Version(2, Q1, approvedAt: At(2025, 12, 1), retiredAt: At(2026, 5, 20));

        Assert.Equal(2, EffectiveVersion.For([v1, v2], Q2)!.Version); // retired mid-Q2: still governed Q2
        Assert.Equal(1, EffectiveVersion.For([v1, v2], Q3)!.Version); // from Q3 the older version is back in force
    }

    [Fact]
    public void ShouldTreatAVersionRetiredOnThePeriodsFirstDayAsRetiredForIt()
    {
        var v1 = Version(1, Q1, approvedAt: At(2025, 12, 1), retiredAt: new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Null(EffectiveVersion.For([v1], Q2));
        Assert.Equal(1, EffectiveVersion.For([v1], Q1)!.Version);
    }

    [Fact]
    public void ShouldPreferTheHigherVersionWhenTwoAreEffectiveTheSameDay()
    {
        var v1 = Version(1, Q1, approvedAt: At(2025, 12, 1));
        var v2 = Version(2, Q1, approvedAt: At(2025, 12, 2));

        Assert.Equal(2, EffectiveVersion.For([v2, v1], Q2)!.Version);
    }

    [Fact]
    public void ShouldPreferTheLaterEffectiveDateOverTheHigherVersion()
    {
        // v3 corrects history: approved last, but effective earlier than v2.
        var v2 = Version(2, new DateOnly(2026, 3, 1), approvedAt: At(2026, 2, 1));
        var v3 = Version(3, new DateOnly(2026, 1, 1), approvedAt: At(2026, 6, 1));

        Assert.Equal(2, EffectiveVersion.For([v2, v3], Q2)!.Version);
        Assert.Equal(3, EffectiveVersion.For([v2, v3], new DateOnly(2026, 2, 1))!.Version);
    }

    [Fact]
    public void ShouldGiveNoVersionBeforeTheFirstIsEffective()
    {
        var v1 = Version(1, Q2, approvedAt: At(2026, 1, 1));

        Assert.Null(EffectiveVersion.For([v1], Q1));
        Assert.Null(EffectiveVersion.For([], Q1));
    }
}
