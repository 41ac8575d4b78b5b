using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Formulas;
using static Governance.Domain.Tests.Metrics.Formulas.FormulaTesting;

namespace Governance.Domain.Tests.Metrics.Formulas;

/// <summary>
/// <c>median(time_to_value)</c> over buckets (0, 10], (10, 20], (20, 50] and (50, ∞) hours, worked out by
/// hand: values spread evenly inside their bucket, the k-th of n in (lo, hi] at lo + (hi − lo) × k / n.
/// </summary>
public sealed class DistributionMedianTests
{
    private static readonly decimal[] Bounds = [10m, 20m, 50m];

    private static FormulaValue Median(params long[] counts) => Median(new Distribution(Bounds, counts));

    private static FormulaValue Median(Distribution distribution) =>
        Evaluate("median(time_to_value)", Unit.Duration, new TestValues().SetDistribution("time_to_value", distribution));

    [Fact]
    public void ShouldInterpolateTheMiddleValueOfAnOddCount()
    {
        // 5 values: rank 3 is the 2nd of the 4 in (10, 20]: 10 + 10 × 2 / 4 = 15.
        Assert.Equal(new FormulaValue(15m, null), Median(1, 4, 0, 0));
    }

    [Fact]
    public void ShouldAverageTheTwoMiddleValuesOfAnEvenCountAcrossBuckets()
    {
        // 4 values: rank 2 is the 2nd of 2 in (0, 10] = 10, rank 3 the 1st of 2 in (10, 20] = 15; (10 + 15) / 2 = 12.5.
        Assert.Equal(12.5m, Median(2, 2, 0, 0).Value);
    }

    [Fact]
    public void ShouldAverageTheTwoMiddleValuesOfAnEvenCountInOneBucket()
    {
        // 4 values in (10, 20]: ranks 2 and 3 at 15 and 17.5; the mean is 16.25.
        Assert.Equal(16.25m, Median(0, 4, 0, 0).Value);
    }

    [Fact]
    public void ShouldSkipEmptyBuckets()
    {
        // 3 values: rank 2 is the 1st of 2 in (20, 50]: 20 + 30 × 1 / 2 = 35.
        Assert.Equal(35m, Median(1, 0, 2, 0).Value);
    }

    [Fact]
    public void ShouldPutTheFirstBucketsLowerEdgeAtZero()
    {
        // One value in (0, 10]: 0 + 10 × 1 / 1 = 10. Three: rank 2 at 10 × 2 / 3.
        Assert.Equal(10m, Median(1, 0, 0, 0).Value);
        Assert.Equal(6.6666666666666666666666666667m, Median(3, 0, 0, 0).Value);
    }

    [Fact]
    public void ShouldGiveTheLastBoundForAMedianInTheOpenEndedBucket()
    {
        // 7 values: rank 4 is in (50, ∞); the estimate is its lower edge, 50.
        Assert.Equal(50m, Median(1, 0, 1, 5).Value);
    }

    [Fact]
    public void ShouldAverageAValueInTheOpenEndedBucketAsTheLastBound()
    {
        // 4 values: rank 2 is the 2nd of 2 in (10, 20] = 20, rank 3 in (50, ∞) = 50; (20 + 50) / 2 = 35.
        Assert.Equal(35m, Median(0, 2, 0, 2).Value);
    }

    [Fact]
    public void ShouldGiveNullForADistributionWithNoValues()
    {
        Assert.Equal(new FormulaValue(null, "no values"), Median(0, 0, 0, 0));
    }

    [Fact]
    public void ShouldGiveNullForAMissingDistribution()
    {
        var value = Evaluate("median(time_to_value)", Unit.Duration, new TestValues());

        Assert.Equal(new FormulaValue(null, "no value: time_to_value"), value);
    }

    [Theory]
    [InlineData(new[] { 10.0, 20.0 }, new long[] { 1, 1 }, "invalid distribution: 2 counts for 2 bounds")]
    [InlineData(new[] { 20.0, 10.0 }, new long[] { 1, 1, 1 }, "invalid distribution: the upper bounds must be ascending")]
    [InlineData(new[] { 10.0, 10.0 }, new long[] { 1, 1, 1 }, "invalid distribution: the upper bounds must be ascending")]
    [InlineData(new[] { -1.0, 10.0 }, new long[] { 1, 1, 1 }, "invalid distribution: the upper bounds must be ascending and not negative")]
    [InlineData(new[] { 10.0 }, new long[] { 1, -1 }, "invalid distribution: a bucket has a negative count")]
    [InlineData(new double[0], new long[] { 4 }, "no bucket bounds")]
    public void ShouldGiveNullWithTheReasonForAMalformedDistribution(double[] bounds, long[] counts, string reason)
    {
        var value = Median(new Distribution([.. bounds.Select(b => (decimal)b)], counts));

        Assert.Null(value.Value);
        Assert.Contains(reason, value.NullReason, StringComparison.Ordinal);
    }

    [Fact]
    public void ShouldHandleCountsTooLargeForAFewBuckets()
    {
        // 2 × 10^18 values split evenly: ranks 10^18 and 10^18 + 1 are the last of (0, 10] and the first of (10, 20].
        const long half = 1_000_000_000_000_000_000;
        var value = Median(half, half, 0, 0).Value;

        Assert.Equal((10m + 10m + 10m / half) / 2, value);
    }

    [Fact]
    public void ShouldReadThePreviousPeriodsDistributionForPrev()
    {
        var values = new TestValues()
            .SetDistribution("time_to_value", new Distribution(Bounds, [1, 4, 0, 0]))
            .SetDistribution("time_to_value", new Distribution(Bounds, [0, 0, 1, 0]), periodOffset: -1);

        // 15 now, 50 before: 15 − 50 = −35 hours.
        var value = Evaluate("median(time_to_value) - median(prev(time_to_value))", Unit.Duration, values);

        Assert.Equal(-35m, value.Value);
    }
}
