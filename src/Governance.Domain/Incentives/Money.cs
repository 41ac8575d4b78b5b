namespace Governance.Domain.Incentives;

/// <summary>The one rounding of payout money: to cents, half away from zero, done once per amount at the end.</summary>
public static class PayMoney
{
    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}
