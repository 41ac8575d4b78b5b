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
/// Turns an account's months before and after a change into what each roll-up must add: the tenant
/// roll-up gets every change; a month whose owner changed leaves the old owner's portfolio whole and
/// enters the new owner's whole.
/// </summary>
public static class ContributionChanges
{
    /// <summary>The tenant roll-up's target id; portfolio targets are executive ids.</summary>
    public const string Tenant = "";

    public static Dictionary<string, Dictionary<int, long[]>> Compute(
        IReadOnlyDictionary<int, (string? Owner, long[] Values)> before,
        IReadOnlyDictionary<int, (string? Owner, long[] Values)> after)
    {
        var changes = new Dictionary<string, Dictionary<int, long[]>>(StringComparer.Ordinal);
        void Add(string target, int month, long[] values, int sign)
        {
            if (values.All(v => v == 0))
            {
                return;
            }

            if (!changes.TryGetValue(target, out var months))
            {
                months = [];
                changes[target] = months;
            }

            if (!months.TryGetValue(month, out var sum))
            {
                sum = new long[values.Length];
                months[month] = sum;
            }

            for (var i = 0; i < values.Length; i++)
            {
                sum[i] += sign * values[i];
            }
        }

        var empty = new long[Measures.Count];
        foreach (var month in before.Keys.Union(after.Keys))
        {
            var (oldOwner, oldValues) = before.TryGetValue(month, out var b) ? b : (null, empty);
            var (newOwner, newValues) = after.TryGetValue(month, out var a) ? a : (null, empty);
            Add(Tenant, month, newValues, 1);
            Add(Tenant, month, oldValues, -1);
            if (oldOwner is not null)
            {
                Add(oldOwner, month, oldValues, -1);
            }

            if (newOwner is not null)
            {
                Add(newOwner, month, newValues, 1);
            }
        }

        // Drop months that net to nothing (e.g. an owner that lost and regained the same values).
        foreach (var months in changes.Values)
        {
            foreach (var month in months.Where(m => m.Value.All(v => v == 0)).Select(m => m.Key).ToList())
            {
                months.Remove(month);
            }
        }

        foreach (var target in changes.Where(c => c.Value.Count == 0).Select(c => c.Key).ToList())
        {
            changes.Remove(target);
        }

        return changes;
    }
}
