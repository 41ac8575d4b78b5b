namespace Governance.Domain.Findings;

/// <summary>What the detector said about one point.</summary>
public enum AnomalyVerdict
{
    /// <summary>Not judged: no value, or too little usable history before it.</summary>
    NotJudged,
    Normal,
    Anomalous,
}

/// <summary>How a judged point was scored.</summary>
public enum AnomalyMethod
{
    /// <summary>Robust modified z-score 0.6745·(x − median)/MAD against the window.</summary>
    ZScore,

    /// <summary>The window had no spread (MAD 0): the relative change from the expected value decided.</summary>
    PercentChange,
}

/// <summary>
/// The evidence of a judgement. <see cref="Window"/> holds the indices and values the median and MAD
/// were taken of; with <see cref="Seasonal"/> those values are residuals (value minus the median of its
/// position in the cycle) and <see cref="Baseline"/> is the tested position's seasonal median, else 0.
/// <see cref="Expected"/> = Baseline + Median is what the point was compared with, in the series' unit.
/// </summary>
public sealed record AnomalyEvidence(
    AnomalyMethod Method,
    bool Seasonal,
    IReadOnlyList<int> WindowIndices,
    IReadOnlyList<decimal> Window,
    decimal Baseline,
    decimal Median,
    decimal Mad,
    decimal? Score,
    decimal? Change)
{
    public decimal Expected => Baseline + Median;
}

/// <summary>One point of a series, judged: <see cref="Evidence"/> is null exactly when it was not judged, and <see cref="Reason"/> then says why.</summary>
public sealed record AnomalyJudgement(int Index, decimal? Value, AnomalyVerdict Verdict, AnomalyEvidence? Evidence, string? Reason)
{
    public bool IsAnomalous => Verdict == AnomalyVerdict.Anomalous;
}
