namespace Governance.Benchmarks.Synthetic;

/// <summary>
/// SplitMix64: a tiny seeded generator. One is created per account and month, so any account's facts
/// can be regenerated on their own (the memory step) and come out exactly as in the stream.
/// </summary>
internal struct Rng
{
    private ulong _state;

    private Rng(ulong state) => _state = state;

    public static Rng For(int seed, int account, int stream)
    {
        var rng = new Rng(((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)account * 0xC2B2AE3D27D4EB4FUL) ^ ((ulong)(uint)(stream + 1) * 0x165667B19E3779F9UL));
        rng.NextUInt64();
        return rng;
    }

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public int Next(int maxExclusive) => (int)(NextDouble() * maxExclusive);

    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    public bool Chance(double probability) => NextDouble() < probability;

    public double Uniform(double low, double high) => low + (NextDouble() * (high - low));

    public double Normal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public int Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 30)
        {
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * Normal())));
        }

        var limit = Math.Exp(-mean);
        var k = 0;
        var p = 1.0;
        do
        {
            k++;
            p *= NextDouble();
        }
        while (p > limit);
        return k - 1;
    }
}
