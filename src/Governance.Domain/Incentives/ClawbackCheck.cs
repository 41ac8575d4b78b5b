using Governance.Domain.Measures;

namespace Governance.Domain.Incentives;

/// <summary>A released tranche as the clawback check sees it.</summary>
public sealed record ReleasedTranche(int Index, DateOnly ReleasedOn, decimal Amount);

/// <summary>A month whose value breached the provision, within the window of a tranche.</summary>
public sealed record ClawbackBreach(int TrancheIndex, Period Month, decimal Value);

/// <summary>What the check found: the breaches, and what a case would ask the committee to recover per tranche.</summary>
public sealed record ClawbackFinding(IReadOnlyList<ClawbackBreach> Breaches, IReadOnlyDictionary<int, decimal> Recover)
{
    public bool Holds => Breaches.Count > 0;

    public decimal Total => Recover.Values.Sum();
}

/// <summary>
/// Re-evaluates a plan's clawback condition for released tranches. The window of a tranche is the
/// <see cref="ClawbackProvision.WithinMonths"/> whole months after the month it was released in; only
/// months that have ended by <c>today</c> are read, and a month without a value breaches nothing.
/// It only finds: recovering is the committee's decision.
/// </summary>
public static class ClawbackCheck
{
    public static ClawbackFinding Evaluate(ClawbackProvision provision, IReadOnlyList<ReleasedTranche> released, Func<Period, decimal?> monthlyValue, DateOnly today)
    {
        var breaches = new List<ClawbackBreach>();
        var recover = new SortedDictionary<int, decimal>();
        foreach (var tranche in released)
        {
            var first = Period.Month(tranche.ReleasedOn.Year, tranche.ReleasedOn.Month).Shift(1);
            var found = false;
            for (var i = 0; i < provision.WithinMonths; i++)
            {
                var month = first.Shift(i);
                if (month.End > today)
                {
                    break;
                }

                if (monthlyValue(month) is { } value && provision.IsBreachedBy(value))
                {
                    breaches.Add(new(tranche.Index, month, value));
                    found = true;
                }
            }

            if (found)
            {
                recover[tranche.Index] = PayMoney.Round(tranche.Amount * provision.ShareRecovered);
            }
        }

        return new ClawbackFinding(breaches, recover);
    }
}
