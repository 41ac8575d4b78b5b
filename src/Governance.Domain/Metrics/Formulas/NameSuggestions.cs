namespace Governance.Domain.Metrics.Formulas;

/// <summary>Finds the name someone probably meant when they mistyped one.</summary>
internal static class NameSuggestions
{
    /// <summary>
    /// The candidate nearest to <paramref name="name"/> within <paramref name="maxDistance"/> edits. On a
    /// tie, the one that starts like it (people mistype the end of a name more than its start: `mean`
    /// is nearer `median` than `max`), then the first.
    /// </summary>
    public static string? Closest(string name, IEnumerable<string> candidates, int maxDistance)
    {
        string? best = null;
        var bestDistance = maxDistance + 1;
        var bestPrefix = -1;
        foreach (var candidate in candidates)
        {
            // A length gap alone needs that many edits: skip the table for hopeless candidates.
            if (Math.Abs(candidate.Length - name.Length) > Math.Min(bestDistance, maxDistance))
            {
                continue;
            }

            var distance = Levenshtein(name, candidate);
            var prefix = name.AsSpan().CommonPrefixLength(candidate);
            if (distance < bestDistance || distance == bestDistance && prefix > bestPrefix)
            {
                (best, bestDistance, bestPrefix) = (candidate, distance, prefix);
            }
        }

        return bestDistance <= maxDistance ? best : null;
    }

    /// <summary>Insertions, deletions and substitutions needed to turn <paramref name="a"/> into <paramref name="b"/>.</summary>
    public static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
