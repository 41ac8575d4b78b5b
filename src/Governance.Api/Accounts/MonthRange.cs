using Governance.Api.GraphQL;
using Governance.Domain.Measures;

namespace Governance.Api.Accounts;

/// <summary>The from/to month arguments of measure queries.</summary>
public static class MonthRange
{
    public const int MaxMonths = 120;

    public static (int From, int To) Parse(string from, string to)
    {
        var first = Month(from, "from");
        var last = Month(to, "to");
        return last < first || last - first >= MaxMonths
            ? throw ErrorCodes.Invalid("to", $"must be the same as or after 'from', at most {MaxMonths} months later")
            : (first, last);
    }

    private static int Month(string value, string argument) =>
        DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", out var date)
            ? MonthKey.Of(date)
            : throw ErrorCodes.Invalid(argument, "must be a month as yyyy-MM");
}
