using System.Globalization;
using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Definitions;

namespace Governance.Api.Reports;

/// <summary>
/// Numbers as a report shows them: ratios as percentages with changes in percentage points, money with
/// two decimals (in the tenant's currency units), durations in hours, scores with one decimal; a
/// missing value is "no data", never 0. Invariant culture, so a file reads the same on every host.
/// </summary>
public static class ReportFormat
{
    public const string NoData = "no data";

    public static string Value(Unit unit, decimal? value) => value is not { } v ? NoData : unit switch
    {
        Unit.Ratio => Invariant($"{v * 100:0.0} %"),
        Unit.Money => Invariant($"{v:N2}"),
        Unit.Duration => Invariant($"{v:0.0} h"),
        Unit.Count => Invariant($"{v:0.##}"),
        _ => Invariant($"{v:0.0}"),
    };

    /// <summary>A signed change: "+2.0 pp" for ratios, "+120.00" for money.</summary>
    public static string Change(Unit unit, decimal? change) => change is not { } c ? NoData : unit switch
    {
        Unit.Ratio => Invariant($"{Sign(c)}{Math.Abs(c) * 100:0.0} pp"),
        Unit.Money => Invariant($"{Sign(c)}{Math.Abs(c):N2}"),
        Unit.Duration => Invariant($"{Sign(c)}{Math.Abs(c):0.0} h"),
        Unit.Count => Invariant($"{Sign(c)}{Math.Abs(c):0.##}"),
        _ => Invariant($"{Sign(c)}{Math.Abs(c):0.0}"),
    };

    public static ReportVerdict Verdict(Direction direction, decimal? change) => change switch
    {
        null => ReportVerdict.NoData,
        0 => ReportVerdict.Unchanged,
        > 0 => direction == Direction.HigherIsBetter ? ReportVerdict.Improved : ReportVerdict.Worsened,
        _ => direction == Direction.LowerIsBetter ? ReportVerdict.Improved : ReportVerdict.Worsened,
    };

    public static string Words(ReportVerdict verdict) => verdict switch
    {
        ReportVerdict.Improved => "better",
        ReportVerdict.Worsened => "worse",
        ReportVerdict.Unchanged => "unchanged",
        _ => NoData,
    };

    public static string Count(int count, string one, string many) => Invariant($"{count} {(count == 1 ? one : many)}");

    private static string Sign(decimal value) => value > 0 ? "+" : value < 0 ? "-" : "±";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
