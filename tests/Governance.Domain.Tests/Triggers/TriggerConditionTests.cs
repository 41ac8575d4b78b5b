using Governance.Domain.Metrics.Values;
using Governance.Domain.Triggers;

namespace Governance.Domain.Tests.Triggers;

public sealed class TriggerConditionTests
{
    private static readonly TriggerCondition Above = new(TriggerConditionKind.RisesAbove, null, 15_000m);
    private static readonly TriggerCondition Below = new(TriggerConditionKind.FallsBelow, null, 0.9m);
    private static readonly TriggerCondition Red = new(TriggerConditionKind.EntersBand, HealthBand.Red, null);

    private static Observation V(decimal? value) => new(value, null);

    private static Observation B(HealthBand? band) => new(null, band);

    [Theory]
    [InlineData(12_000, 18_000, true)]
    [InlineData(15_000, 15_000.01, true)] // at the line the month before counts as below it
    [InlineData(12_000, 15_000, false)] // reaching the line is not rising above it
    [InlineData(16_000, 18_000, false)] // above already: it fired the month it got there
    [InlineData(18_000, 12_000, false)]
    public void ShouldFireARiseOnlyWhenTheValueCrossesTheThreshold(double previous, double current, bool fires) =>
        Assert.Equal(fires, Above.Fires(V((decimal)previous), V((decimal)current)));

    [Theory]
    [InlineData(0.95, 0.85, true)]
    [InlineData(0.9, 0.89, true)]
    [InlineData(0.85, 0.80, false)]
    [InlineData(0.85, 0.95, false)]
    public void ShouldFireAFallOnlyWhenTheValueCrossesTheThreshold(double previous, double current, bool fires) =>
        Assert.Equal(fires, Below.Fires(V((decimal)previous), V((decimal)current)));

    [Fact]
    public void ShouldFireNothingWithoutAValueOnBothSides()
    {
        Assert.False(Above.Fires(V(null), V(20_000m)));
        Assert.False(Above.Fires(V(10_000m), V(null)));
        Assert.False(Red.Fires(B(null), B(HealthBand.Red)));
    }

    [Theory]
    [InlineData(HealthBand.Yellow, HealthBand.Red, true)]
    [InlineData(HealthBand.Green, HealthBand.Red, true)]
    [InlineData(HealthBand.Red, HealthBand.Red, false)]
    [InlineData(HealthBand.Red, HealthBand.Yellow, false)]
    public void ShouldFireWhenTheBandIsEnteredFromAnother(HealthBand previous, HealthBand current, bool fires) =>
        Assert.Equal(fires, Red.Fires(B(previous), B(current)));

    [Fact]
    public void ShouldNameTheFieldAConditionLacksOrShouldNotHave()
    {
        Assert.Equal("band", new TriggerCondition(TriggerConditionKind.EntersBand, null, null).Validate()?.Field);
        Assert.Equal("threshold", new TriggerCondition(TriggerConditionKind.EntersBand, HealthBand.Red, 1m).Validate()?.Field);
        Assert.Equal("threshold", new TriggerCondition(TriggerConditionKind.RisesAbove, null, null).Validate()?.Field);
        Assert.Equal("band", new TriggerCondition(TriggerConditionKind.FallsBelow, HealthBand.Red, 1m).Validate()?.Field);
        Assert.Null(Above.Validate());
        Assert.Null(Red.Validate());
    }
}
