using Governance.Abstractions;

namespace Governance.Domain.Measures;

/// <summary>How a roll-up took a delta.</summary>
public enum DeltaOutcome
{
    /// <summary>It continued the account's version and was added.</summary>
    Applied,

    /// <summary>It was already included (its target version is not newer than the one held).</summary>
    Stale,

    /// <summary>It neither continues nor repeats what is held: the roll-up must rebuild.</summary>
    Mismatch,
}

/// <summary>
/// Summed measures of many accounts, with the version each account's contribution is at. Deltas apply
/// only in version order, each exactly once; anything else is reported so the owner can rebuild.
/// </summary>
public sealed class Rollup
{
    public MonthlyMeasures Sums { get; } = new();

    public Dictionary<string, long> Versions { get; } = new(StringComparer.Ordinal);

    public DeltaOutcome Apply(string accountId, long fromVersion, long toVersion, IEnumerable<(int Month, long[] Values)> months)
    {
        var held = Versions.GetValueOrDefault(accountId);
        if (toVersion <= held)
        {
            return DeltaOutcome.Stale;
        }

        if (fromVersion != held)
        {
            return DeltaOutcome.Mismatch;
        }

        foreach (var (month, values) in months)
        {
            Sums.Add(month, values);
        }

        Versions[accountId] = toVersion;
        return DeltaOutcome.Applied;
    }

    /// <summary>Starts over from whole contributions.</summary>
    public void Reset(IEnumerable<(string AccountId, long Version, IEnumerable<(int Month, long[] Values)> Months)> contributions)
    {
        Sums.Months.Clear();
        Versions.Clear();
        foreach (var (accountId, version, months) in contributions)
        {
            foreach (var (month, values) in months)
            {
                Sums.Add(month, values);
            }

            Versions[accountId] = version;
        }
    }
}

/// <summary>
/// Turns an account's contributions before and after a change into what each roll-up must add. Targets
/// are roll-up local ids (<see cref="GrainKeys"/>): <c>all</c> gets every change, a portfolio the periods
/// it owns, a segment those of its accounts.
/// </summary>
public static class ContributionChanges
{
    /// <summary>The tenant roll-up's target.</summary>
    public const string Tenant = GrainKeys.TenantRollupLocalId;

    public static string Portfolio(string executiveId) => GrainKeys.PortfolioPrefix + executiveId;

    public static string Segment(string segment) => GrainKeys.SegmentPrefix + segment;

    /// <summary>Per target, per period: after minus before (periods and targets that net to nothing left out).</summary>
    public static Dictionary<string, Dictionary<int, long[]>> Compute(
        IReadOnlyDictionary<int, Dictionary<string, long[]>> before,
        IReadOnlyDictionary<int, Dictionary<string, long[]>> after)
    {
        var changes = new Dictionary<string, Dictionary<int, long[]>>(StringComparer.Ordinal);
        void Add(string target, int period, long[] values, int sign)
        {
            if (!changes.TryGetValue(target, out var periods))
            {
                periods = [];
                changes[target] = periods;
            }

            if (!periods.TryGetValue(period, out var sum))
            {
                sum = new long[values.Length];
                periods[period] = sum;
            }

            for (var i = 0; i < values.Length; i++)
            {
                sum[i] += sign * values[i];
            }
        }

        foreach (var (period, targets) in after)
        {
            foreach (var (target, values) in targets)
            {
                Add(target, period, values, 1);
            }
        }

        foreach (var (period, targets) in before)
        {
            foreach (var (target, values) in targets)
            {
                Add(target, period, values, -1);
            }
        }

        foreach (var periods in changes.Values)
        {
            foreach (var period in periods.Where(m => m.Value.All(v => v == 0)).Select(m => m.Key).ToList())
            {
                periods.Remove(period);
            }
        }

        foreach (var target in changes.Where(c => c.Value.Count == 0).Select(c => c.Key).ToList())
        {
            changes.Remove(target);
        }

        return changes;
    }
}
