using System.Globalization;
using System.Text.RegularExpressions;
using Governance.Api.GraphQL;
using Governance.Domain.Measures;

namespace Governance.Api.Reports;

/// <summary>The seed's reporting cadence: weekly for the CS team, monthly for leadership, quarterly for the executive review.</summary>
public enum ReportCadence
{
    WeeklyTeam,
    MonthlyLeadership,
    QuarterlyExecutive,
}

/// <summary>
/// What a report covers. Measures are kept per month, so a weekly report reads the month its week ends
/// in (the month to date when built during that week) against the month before; a monthly report a
/// month against the one before; a quarterly report a quarter against the one before and the same
/// quarter a year earlier.
/// </summary>
public sealed partial record ReportPeriod(ReportCadence Cadence, string Label, Period Current, Period Previous, Period? YearAgo)
{
    /// <summary>One sentence saying what is compared with what.</summary>
    public string Covers => Cadence switch
    {
        ReportCadence.WeeklyTeam => $"week {Label}: {Current} to date against {Previous} (measures are monthly; the week reads the month it ends in)",
        ReportCadence.MonthlyLeadership => $"{Current} against {Previous}",
        _ => $"{Current} against {Previous} and against {YearAgo} (the same quarter a year before)",
    };

    /// <summary>
    /// Reads the period of a cadence: an ISO week (2025-W11) for weekly, a month (2025-03) for monthly,
    /// a quarter (2025-Q1) for quarterly. Anything else is INVALID_INPUT naming <paramref name="field"/>.
    /// </summary>
    public static ReportPeriod Parse(ReportCadence cadence, string? text, string field)
    {
        switch (cadence)
        {
            case ReportCadence.WeeklyTeam:
                if (!TryParseWeek(text, out var year, out var number))
                {
                    throw ErrorCodes.Invalid(field, "a weekly team report takes an ISO week such as 2025-W11 (years 2000–2999)");
                }

                var sunday = ISOWeek.ToDateTime(year, number, DayOfWeek.Sunday);
                var month = Period.Month(sunday.Year, sunday.Month);
                return new ReportPeriod(cadence, string.Create(CultureInfo.InvariantCulture, $"{year:D4}-W{number:D2}"), month, month.Previous, null);
            case ReportCadence.MonthlyLeadership:
                return Period.TryParse(text, out var m) && m.Grain == PeriodGrain.Month
                    ? new ReportPeriod(cadence, m.ToString(), m, m.Previous, null)
                    : throw ErrorCodes.Invalid(field, "a monthly leadership report takes a month such as 2025-03");
            default:
                return Period.TryParse(text, out var q) && q.Grain == PeriodGrain.Quarter
                    ? new ReportPeriod(cadence, q.ToString(), q, q.Previous, q.Shift(-4))
                    : throw ErrorCodes.Invalid(field, "a quarterly executive report takes a quarter such as 2025-Q1");
        }
    }

    /// <summary>The period of a cadence that contains <paramref name="day"/> (for a weekly report, the ISO week).</summary>
    public static string LabelFor(ReportCadence cadence, DateOnly day) => cadence switch
    {
        ReportCadence.WeeklyTeam => string.Create(CultureInfo.InvariantCulture,
            $"{ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue)):D4}-W{ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)):D2}"),
        ReportCadence.MonthlyLeadership => Period.Month(day.Year, day.Month).ToString(),
        _ => Period.Quarter(day.Year, ((day.Month - 1) / 3) + 1).ToString(),
    };

    private static bool TryParseWeek(string? text, out int year, out int week)
    {
        year = week = 0;
        var match = text is null ? null : WeekPattern().Match(text);
        if (match is not { Success: true })
        {
            return false;
        }

        year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        week = int.Parse(match.Groups["week"].Value, CultureInfo.InvariantCulture);
        return year is >= 2000 and <= 2999 && week >= 1 && week <= ISOWeek.GetWeeksInYear(year);
    }

    [GeneratedRegex(@"^(?<year>\d{4})-W(?<week>\d{2})$")]
    private static partial Regex WeekPattern();
}
