using Governance.Domain.Findings;

namespace Governance.Domain.Tests.Findings;

public sealed class AnomalyDetectorTests
{
    // 10, 12, 11, 13 repeated: every full window of 12 sorts to 10,10,10,11,11,11,12,12,12,13,13,13 → median 11.5;
    // deviations 1.5 ×6 and 0.5 ×6 → MAD 1.
    private static readonly int[] Pattern = [10, 12, 11, 13];

    private static decimal?[] Series(params decimal?[] values) => values;

    private static decimal?[] Repeat(int count, int add = 0) => [.. Enumerable.Range(0, count).Select(i => (decimal?)(Pattern[i % 4] + add))];

    [Fact]
    public void ShouldFlagASpikeWithItsEvidence()
    {
        var judged = AnomalyDetector.Judge([.. Repeat(12), 30m, 12m], new AnomalyOptions());

        // M = 0.6745 · (30 − 11.5) / 1 = 12.47825.
        var spike = judged[12];
        Assert.Equal(AnomalyVerdict.Anomalous, spike.Verdict);
        var evidence = spike.Evidence!;
        Assert.Equal(AnomalyMethod.ZScore, evidence.Method);
        Assert.False(evidence.Seasonal);
        Assert.Equal(Enumerable.Range(0, 12), evidence.WindowIndices);
        Assert.Equal([10m, 12m, 11m, 13m, 10m, 12m, 11m, 13m, 10m, 12m, 11m, 13m], evidence.Window);
        Assert.Equal(11.5m, evidence.Median);
        Assert.Equal(1m, evidence.Mad);
        Assert.Equal(12.47825m, evidence.Score);
        Assert.Equal(11.5m, evidence.Expected);
        Assert.All(judged.Take(12), j => Assert.False(j.IsAnomalous));
    }

    [Fact]
    public void ShouldLeaveThePastAnomalyOutOfTheNextWindow()
    {
        var judged = AnomalyDetector.Judge([.. Repeat(12), 30m, 12m], new AnomalyOptions());

        // 13's window is 1..12 without the spike: 12,11,13,10,12,11,13,10,12,11,13 → median 12, deviations
        // 0,0,0,1 ×6,2,2 → MAD 1; M = 0. With the spike in, the median would be 12 and MAD 1 as well, but the
        // spike would stand in the evidence: it must not.
        var next = judged[13];
        Assert.Equal(AnomalyVerdict.Normal, next.Verdict);
        Assert.Equal(Enumerable.Range(1, 11), next.Evidence!.WindowIndices);
        Assert.DoesNotContain(30m, next.Evidence.Window);
        Assert.Equal(12m, next.Evidence.Median);
        Assert.Equal(1m, next.Evidence.Mad);
        Assert.Equal(0m, next.Evidence.Score);
    }

    [Fact]
    public void ShouldLeaveGivenPastAnomaliesOutOfEveryWindow()
    {
        var judged = AnomalyDetector.Judge(Repeat(8), new AnomalyOptions(), pastAnomalies: new HashSet<int> { 3 });

        // Without point 3, point 6 has five usable points; point 7 judges 10,12,11,10,12,11 → median 11, MAD 1,
        // M = 0.6745 · (13 − 11) / 1 = 1.349.
        Assert.Equal(AnomalyVerdict.NotJudged, judged[6].Verdict);
        Assert.Equal([0, 1, 2, 4, 5, 6], judged[7].Evidence!.WindowIndices);
        Assert.Equal(11m, judged[7].Evidence!.Median);
        Assert.Equal(1.349m, judged[7].Evidence!.Score);
    }

    [Fact]
    public void ShouldNotJudgeWithTooLittleHistoryOrWithoutAValue()
    {
        var judged = AnomalyDetector.Judge(Series(10m, null, 12m, 11m, null, 13m, 10m, 500m, 12m), new AnomalyOptions());

        Assert.Equal("no value", judged[1].Reason);
        Assert.Null(judged[1].Evidence);
        // 7 (500, a wild value) has 5 usable points before it (two nulls): not judged, so not flagged either.
        Assert.Equal(AnomalyVerdict.NotJudged, judged[7].Verdict);
        Assert.Equal("5 usable points in the window, 6 needed", judged[7].Reason);
        // 8 has six (10, 12, 11, 13, 10, 500): median 11.5, deviations 1.5, .5, .5, 1.5, 1.5, 488.5 → MAD 1.5;
        // M = 0.6745 · 0.5 / 1.5 = 0.2248333….
        Assert.Equal(AnomalyVerdict.Normal, judged[8].Verdict);
        Assert.Equal(11.5m, judged[8].Evidence!.Median);
        Assert.Equal(1.5m, judged[8].Evidence!.Mad);
        Assert.Equal(0.2248m, decimal.Round(judged[8].Evidence!.Score!.Value, 4));
        Assert.All(judged.Take(7), j => Assert.Equal(AnomalyVerdict.NotJudged, j.Verdict));
    }

    [Fact]
    public void ShouldFlagALevelShiftUntilTheWindowHasMovedPastIt()
    {
        // Twelve points around 11.5, then the same pattern 10 higher from point 12 on.
        var judged = AnomalyDetector.Judge([.. Repeat(12), .. Repeat(24, add: 10)], new AnomalyOptions());
        var verdicts = judged.Select(j => j.Verdict).ToList();

        // 12..18: the window still holds ≥ 6 old points (12 − k for the k-th new point), each new point scores
        // 0.6745 · (≈21.5 − 11.5) / 1 and is flagged, so left out. 19..24: the old points have dropped below six and
        // the new ones in the window are the five unflagged ones from 19: not judged (so not excluded). From 25 the
        // window holds six points of the new level and judges it normal (25: 20,20,21,22,23,23 → median 21.5, MAD 1.5,
        // M = 0.6745 · 0.5 / 1.5).
        Assert.All(verdicts.Take(6), v => Assert.Equal(AnomalyVerdict.NotJudged, v));
        Assert.All(verdicts.Skip(6).Take(6), v => Assert.Equal(AnomalyVerdict.Normal, v));
        Assert.All(verdicts.Skip(12).Take(7), v => Assert.Equal(AnomalyVerdict.Anomalous, v));
        Assert.All(verdicts.Skip(19).Take(6), v => Assert.Equal(AnomalyVerdict.NotJudged, v));
        Assert.All(verdicts.Skip(25), v => Assert.Equal(AnomalyVerdict.Normal, v));
        Assert.Equal(5.73325m, judged[12].Evidence!.Score); // 0.6745 · (20 − 11.5) / 1
        Assert.Equal(21.5m, judged[25].Evidence!.Median);
        Assert.Equal(1.5m, judged[25].Evidence!.Mad);
    }

    [Fact]
    public void ShouldUseThePercentChangeWhenTheWindowIsFlat()
    {
        var judged = AnomalyDetector.Judge(Series(100m, 100m, 100m, 100m, 100m, 100m, 100m, 100m, 140m, 160m), new AnomalyOptions());

        // 8: MAD 0; |140 − 100| / 100 = 0.4, not above 0.5. 9: the window 100 ×7 and 140 still has MAD 0; 0.6 > 0.5.
        Assert.Equal(AnomalyVerdict.Normal, judged[8].Verdict);
        Assert.Equal(AnomalyMethod.PercentChange, judged[8].Evidence!.Method);
        Assert.Equal(0.4m, judged[8].Evidence!.Change);
        Assert.Null(judged[8].Evidence!.Score);
        Assert.Equal(AnomalyVerdict.Anomalous, judged[9].Verdict);
        Assert.Equal(0m, judged[9].Evidence!.Mad);
        Assert.Equal(0.6m, judged[9].Evidence!.Change);
    }

    [Fact]
    public void ShouldFlagAnyChangeFromAFlatZero()
    {
        var judged = AnomalyDetector.Judge(Series(0m, 0m, 0m, 0m, 0m, 0m, 0m, 0.01m), new AnomalyOptions());

        Assert.Equal(AnomalyVerdict.Normal, judged[6].Verdict);
        Assert.Equal(AnomalyVerdict.Anomalous, judged[7].Verdict);
        Assert.Null(judged[7].Evidence!.Change);
        Assert.Equal(AnomalyMethod.PercentChange, judged[7].Evidence!.Method);
    }

    // Three years of months: January–November around 100, December around 200.
    private static readonly decimal[] Base = [100, 102, 98, 101, 99, 100, 103, 97, 101, 99, 100];
    private static readonly decimal[] Year2 = [2, -2, 1, 3, -1, 0, -3, 2, 1, -2, 0];
    private static readonly decimal[] Year3 = [1, -1, 2, -2, 0, 0, 2, -1, -3, 1, 1];

    private static decimal?[] ThreeYears(decimal? june3 = null, decimal? june2 = null) =>
    [
        .. Base.Select(v => (decimal?)v), 200m,
        .. Base.Zip(Year2, (v, d) => (decimal?)(v + d)).Select((v, i) => i == 5 && june2 is not null ? june2 : v), 204m,
        .. Base.Zip(Year3, (v, d) => (decimal?)(v + d)).Select((v, i) => i == 5 && june3 is not null ? june3 : v), 202m,
    ];

    [Fact]
    public void ShouldExpectAPeakThatRepeatsOnceTwoCyclesExist()
    {
        var judged = AnomalyDetector.Judge(ThreeYears(), AnomalyOptions.Monthly);

        // The first two Decembers come before two full cycles: plain z-score against ~100, flagged.
        Assert.True(judged[11].IsAnomalous);
        Assert.True(judged[23].IsAnomalous);
        Assert.False(judged[23].Evidence!.Seasonal);
        // The third: its position median is median(200, 204) = 202, so the residual is 0; nothing of year 3 is flagged.
        var december = judged[35];
        Assert.Equal(AnomalyVerdict.Normal, december.Verdict);
        Assert.True(december.Evidence!.Seasonal);
        Assert.Equal(202m, december.Evidence.Baseline);
        Assert.Equal(0m, december.Evidence.Score);
        Assert.All(judged.Skip(24), j => Assert.False(j.IsAnomalous));
    }

    [Fact]
    public void ShouldFlagAPeakInAnotherMonthOfTheSeasonalSeries()
    {
        var judged = AnomalyDetector.Judge(ThreeYears(june3: 130m), AnomalyOptions.Monthly);

        // June of year 3 (29) against its position median(June 1, June 2) = median(100, 100) = 100. The window is
        // 17..28 without December 2 (23, flagged); each residual is the value minus the median of the other values
        // of its month before 29: June 2 − June 1 = 0, July 2 − July 1 = 100 − 103 = −3, …, January 3 − median(100, 102) = 0,
        // …, April 3 − median(101, 104) = −3.5, May 3 − median(99, 98) = 0.5.
        var june = judged[29];
        Assert.Equal(AnomalyVerdict.Anomalous, june.Verdict);
        var evidence = june.Evidence!;
        Assert.True(evidence.Seasonal);
        Assert.Equal([17, 18, 19, 20, 21, 22, 24, 25, 26, 27, 28], evidence.WindowIndices);
        Assert.Equal([0m, -3m, 2m, 1m, -2m, 0m, 0m, 0m, 1.5m, -3.5m, 0.5m], evidence.Window);
        Assert.Equal(100m, evidence.Baseline);
        Assert.Equal(0m, evidence.Median);
        Assert.Equal(1m, evidence.Mad);
        Assert.Equal(20.235m, evidence.Score); // 0.6745 · (130 − 100 − 0) / 1
        Assert.False(judged[35].IsAnomalous);
    }

    [Fact]
    public void ShouldNotTakeAOneOffSpikeOfAnEarlierCycleForTheSeason()
    {
        var judged = AnomalyDetector.Judge(ThreeYears(june2: 130m), AnomalyOptions.Monthly);

        // June 2 (17) is flagged against the plain window. June 3 (29, 100) is then compared with June 1 alone (100),
        // not with median(100, 130) = 115, which would make an ordinary June look 15 too low.
        Assert.True(judged[17].IsAnomalous);
        Assert.Equal(AnomalyVerdict.Normal, judged[29].Verdict);
        Assert.Equal(100m, judged[29].Evidence!.Baseline);
        Assert.DoesNotContain(17, judged[29].Evidence!.WindowIndices);
        Assert.All(judged.Skip(24), j => Assert.False(j.IsAnomalous));
    }

    [Fact]
    public void ShouldNotUseSeasonalityBeforeTwoFullCycles()
    {
        // Only 23 points: the second December is judged without seasons and flagged.
        var judged = AnomalyDetector.Judge(ThreeYears().Take(24).ToArray(), AnomalyOptions.Monthly);

        Assert.All(judged, j => Assert.False(j.Evidence?.Seasonal ?? false));
        Assert.True(judged[23].IsAnomalous);
    }

    [Fact]
    public void ShouldRefuseOptionsThatCannotWork()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AnomalyDetector.Judge(Repeat(3), new AnomalyOptions { Window = 4, MinHistory = 5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => AnomalyDetector.Judge(Repeat(3), new AnomalyOptions { Cycle = 1 }));
    }
}
