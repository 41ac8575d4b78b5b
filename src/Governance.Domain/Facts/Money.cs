using System.Globalization;

namespace Governance.Domain.Facts;

/// <summary>
/// Money inside measures is a <see cref="long"/> count of ten-thousandths of the currency unit: exact
/// for every ISO currency (none has more than 4 decimals), additive, and half the size of a decimal.
/// </summary>
public static class Money
{
    public const int Scale = 4;
    public const long UnitsPerCurrencyUnit = 10_000;

    /// <summary>The largest amount a single fact may carry (a trillion): far above any MRR, far below overflow.</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    public static long ToUnits(decimal amount) => decimal.ToInt64(amount * UnitsPerCurrencyUnit);

    public static decimal FromUnits(long units) => (decimal)units / UnitsPerCurrencyUnit;

    /// <summary>Returns why <paramref name="amount"/> is not a usable amount of money, or null.</summary>
    public static string? Validate(decimal amount, bool allowZero)
    {
        if (amount < 0)
        {
            return "must not be negative";
        }

        if (amount == 0 && !allowZero)
        {
            return "must be greater than zero";
        }

        if (amount > MaxAmount)
        {
            // Invariant: the message goes to API clients and must not follow the server's locale.
            return string.Create(CultureInfo.InvariantCulture, $"must be at most {MaxAmount:N0}");
        }

        return amount.Scale > Scale && decimal.Round(amount, Scale) != amount
            ? $"must have at most {Scale} decimal places"
            : null;
    }

    public static string? ValidateCurrency(string? currency) =>
        currency is { Length: 3 } && currency.All(c => c is >= 'A' and <= 'Z') ? null : "must be a three-letter ISO 4217 code in capitals, e.g. USD";
}
