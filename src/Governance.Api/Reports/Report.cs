using Governance.Api.Metrics.Values;
using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Definitions;
using Governance.Domain.Metrics.Values;

namespace Governance.Api.Reports;

/// <summary>The sections of the seed's standard report structure, in its order.</summary>
public enum ReportSectionKey
{
    ExecutiveSummary,
    KeyMetricsAndTrends,
    CustomerHealthHighlights,
    ChurnAndExpansionRisks,
    ActionsAndNextSteps,
    WinsAndLearnings,
}

/// <summary>What an item of a section is, so a client can lay items out without reading their text.</summary>
public enum ReportItemKind
{
    Sentence,
    Metric,
    HealthBand,
    Account,
    ChurnRisk,
    ExpansionOpportunity,
    Action,
    Finding,
    Win,
    Learning,
    Note,
}

/// <summary>How a metric moved against the previous period, read through its definition's direction.</summary>
public enum ReportVerdict
{
    Improved,
    Worsened,
    Unchanged,
    NoData,
}

/// <summary>
/// A report of one cadence for one scope and period, built from metric values when asked for (nothing
/// is stored). <see cref="Notes"/> say what the report could not cover, e.g. accounts beyond the cap.
/// </summary>
public sealed record Report(
    ReportCadence Cadence,
    MetricScope Scope,
    ReportPeriod Period,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<string> Notes,
    IReadOnlyList<ReportSection> Sections)
{
    public string Title => $"{ReportTitles.Of(Cadence)} — {Scope} — {Period.Label}";
}

/// <summary>One section of the standard structure with its items, in the order they read.</summary>
public sealed record ReportSection(ReportSectionKey Key, IReadOnlyList<ReportItem> Items)
{
    public string Title => ReportTitles.Of(Key);
}

/// <summary>
/// One line of a section: its text as rendered, and the numbers behind it. Values are null when there
/// is no data (never 0); a metric's values are in its unit (ratios as fractions).
/// </summary>
public sealed record ReportItem(ReportItemKind Kind, string Text)
{
    public string? MetricKey { get; init; }
    public string? MetricName { get; init; }
    public Unit? Unit { get; init; }
    public Direction? Direction { get; init; }
    public string? AccountId { get; init; }
    public decimal? Value { get; init; }
    public decimal? Previous { get; init; }
    public decimal? Change { get; init; }
    public decimal? YearAgo { get; init; }
    public decimal? ChangeFromYearAgo { get; init; }
    public ReportVerdict? Verdict { get; init; }
    public HealthBand? Band { get; init; }
    public string? NullReason { get; init; }
    public Guid? FindingId { get; init; }
}

/// <summary>The seed's names of cadences and sections.</summary>
public static class ReportTitles
{
    public static string Of(ReportCadence cadence) => cadence switch
    {
        ReportCadence.WeeklyTeam => "Weekly team report",
        ReportCadence.MonthlyLeadership => "Monthly leadership report",
        _ => "Quarterly executive review",
    };

    public static string Of(ReportSectionKey key) => key switch
    {
        ReportSectionKey.ExecutiveSummary => "Executive Summary",
        ReportSectionKey.KeyMetricsAndTrends => "Key Metrics & Trends",
        ReportSectionKey.CustomerHealthHighlights => "Customer Health Highlights",
        ReportSectionKey.ChurnAndExpansionRisks => "Churn & Expansion Risks",
        ReportSectionKey.ActionsAndNextSteps => "Actions & Next Steps",
        _ => "Wins & Learnings",
    };
}
