using System.Globalization;
using System.Text.RegularExpressions;

namespace Governance.Domain.Measures;

public enum PeriodGrain
{
    Month,
    Quarter,
    Year,
}

/// <summary>
/// A calendar month, quarter or year (UTC). Its <see cref="Key"/> is one integer: the month key
/// (<see cref="MonthKey"/>) for months, and disjoint ranges above it for quarters and years, so
/// measures of every grain live side by side in one dictionary.
/// </summary>
public readonly partial record struct Period(PeriodGrain Grain, int Year, int Index)
{
    private const int QuarterBase = 100_000;
    private const int YearBase = 200_000;

    public static Period Month(int year, int month) => new(PeriodGrain.Month, year, month);

    public static Period Quarter(int year, int quarter) => new(PeriodGrain.Quarter, year, quarter);

    public static Period OfYear(int year) => new(PeriodGrain.Year, year, 1);

    public int Key => Grain switch
    {
        PeriodGrain.Month => MonthKey.Of(Year, Index),
        PeriodGrain.Quarter => QuarterBase + (Year * 4) + Index - 1,
        _ => YearBase + Year,
    };

    /// <summary>Month key of the period's first month.</summary>
    public int FirstMonth => Grain switch
    {
        PeriodGrain.Month => MonthKey.Of(Year, Index),
        PeriodGrain.Quarter => MonthKey.Of(Year, ((Index - 1) * 3) + 1),
        _ => MonthKey.Of(Year, 1),
    };

    /// <summary>Month key of the period's last month.</summary>
    public int LastMonth => FirstMonth + MonthCount - 1;

    public int MonthCount => Grain switch { PeriodGrain.Month => 1, PeriodGrain.Quarter => 3, _ => 12 };

    public DateOnly Start => DateOnly.FromDateTime(MonthKey.Start(FirstMonth).UtcDateTime);

    /// <summary>The first day after the period.</summary>
    public DateOnly End => DateOnly.FromDateTime(MonthKey.Start(LastMonth + 1).UtcDateTime);

    public Period Previous => Shift(-1);

    public Period Shift(int periods) => Grain switch
    {
        PeriodGrain.Month => OfMonthKey(FirstMonth + periods),
        PeriodGrain.Quarter => FromQuarterIndex((Year * 4) + Index - 1 + periods),
        _ => OfYear(Year + periods),
    };

    public static Period OfMonthKey(int monthKey)
    {
        var (year, month) = MonthKey.Split(monthKey);
        return Month(year, month);
    }

    public static Period FromKey(int key) => key switch
    {
        >= YearBase => OfYear(key - YearBase),
        >= QuarterBase => FromQuarterIndex(key - QuarterBase),
        _ => OfMonthKey(key),
    };

    public static bool IsMonthKey(int key) => key < QuarterBase;

    /// <summary>The keys of the month, its quarter and its year: the periods a change in the month touches.</summary>
    public static IEnumerable<int> KeysContaining(int monthKey)
    {
        var month = OfMonthKey(monthKey);
        yield return monthKey;
        yield return Quarter(month.Year, ((month.Index - 1) / 3) + 1).Key;
        yield return OfYear(month.Year).Key;
    }

    public override string ToString() => Grain switch
    {
        PeriodGrain.Month => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Index:D2}"),
        PeriodGrain.Quarter => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-Q{Index}"),
        _ => Year.ToString("D4", CultureInfo.InvariantCulture),
    };

    /// <summary>Reads <c>2026</c>, <c>2026-Q1</c> or <c>2026-03</c>; years 2000 to 2999.</summary>
    public static bool TryParse(string? text, out Period period)
    {
        period = default;
        var match = text is null ? null : Pattern().Match(text);
        if (match is null || !match.Success)
        {
            return false;
        }

        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (match.Groups["quarter"].Success)
        {
            period = Quarter(year, int.Parse(match.Groups["quarter"].Value, CultureInfo.InvariantCulture));
        }
        else if (match.Groups["month"].Success)
        {
            var month = int.Parse(match.Groups["month"].Value, CultureInfo.InvariantCulture);
            if (month is < 1 or > 12)
            {
                return false;
            }

            period = Month(year, month);
        }
        else
        {
            period = OfYear(year);
        }

        return true;
    }

    private static Period FromQuarterIndex(int index) => Quarter(index / 4, (index % 4) + 1);

    [GeneratedRegex(@"^(?<year>2\d{3})(-Q(?<quarter>[1-4])|-(?<month>\d{2}))?$")]
    private static partial Regex Pattern();
}
