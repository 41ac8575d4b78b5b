namespace Governance.Domain.Metrics.Formulas;

/// <summary>
/// The median of a <see cref="Distribution"/>, estimated from its buckets: the values of a bucket are
/// taken as spread evenly between its lower edge (exclusive: the previous bound, 0 for the first
/// bucket) and its upper bound (inclusive). The median is the value at rank (N + 1) / 2 of the N values
/// in ascending order, i.e. the mean of the values at ranks N / 2 and N / 2 + 1 when N is even.
/// </summary>
/// <remarks>
/// Error bound: each middle value is estimated inside the bucket that really holds it, so the estimate
/// is off by at most that bucket's width (upper bound − lower edge); for an even N whose two middle
/// values fall in different buckets, by at most the wider one's width. A middle value in the open-ended
/// last bucket is taken as the last bound: there the result is a lower bound of the true median, with
/// no limit on the error above it.
/// </remarks>
internal static class DistributionMedian
{
    public static FormulaValue Of(Distribution distribution)
    {
        var bounds = distribution.UpperBounds;
        var counts = distribution.Counts;
        if (counts.Count != bounds.Count + 1)
        {
            return Null($"invalid distribution: {counts.Count} counts for {bounds.Count} bounds (there must be one more count than bounds)");
        }

        for (var i = 0; i < bounds.Count; i++)
        {
            if (bounds[i] < 0 || i > 0 && bounds[i] <= bounds[i - 1])
            {
                return Null("invalid distribution: the upper bounds must be ascending and not negative");
            }
        }

        decimal total = 0;
        foreach (var count in counts)
        {
            if (count < 0)
            {
                return Null("invalid distribution: a bucket has a negative count");
            }

            total += count;
        }

        if (total == 0)
        {
            return Null("no values");
        }

        if (bounds.Count == 0)
        {
            return Null("the distribution has no bucket bounds: its median is somewhere above 0");
        }

        try
        {
            // For an odd count both middle ranks are one: averaging a value with itself could round its last digit.
            var low = ValueAt(decimal.Floor((total + 1) / 2), bounds, counts);
            return new FormulaValue(total % 2 == 1 ? low : (low + ValueAt(total / 2 + 1, bounds, counts)) / 2, null);
        }
        catch (OverflowException)
        {
            return Null("overflow");
        }
    }

    /// <summary>The estimated value at 1-based <paramref name="rank"/> in ascending order.</summary>
    private static decimal ValueAt(decimal rank, IReadOnlyList<decimal> bounds, IReadOnlyList<long> counts)
    {
        decimal before = 0;
        for (var i = 0; i < bounds.Count; i++)
        {
            if (rank <= before + counts[i])
            {
                var lower = i == 0 ? 0 : bounds[i - 1];
                return lower + (bounds[i] - lower) * (rank - before) / counts[i];
            }

            before += counts[i];
        }

        return bounds[^1];
    }

    private static FormulaValue Null(string reason) => new(null, reason);
}
