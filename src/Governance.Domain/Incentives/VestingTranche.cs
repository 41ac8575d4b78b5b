namespace Governance.Domain.Incentives;

/// <summary>A share of a payout that vests <see cref="MonthsAfterPeriodEnd"/> months after the paid period ends (0: at once once approved).</summary>
public sealed record VestingTranche(int MonthsAfterPeriodEnd, decimal Share);
