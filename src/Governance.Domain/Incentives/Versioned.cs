namespace Governance.Domain.Incentives;

/// <summary>A version of a scorecard or plan, in force from <see cref="EffectiveFrom"/> until a later version's date.</summary>
public sealed record Versioned<T>(int Version, DateOnly EffectiveFrom, T Value)
{
    /// <summary>The version in force on <paramref name="day"/>: the latest effective by then (the higher version on a tie), or null.</summary>
    public static Versioned<T>? InForce(IEnumerable<Versioned<T>> versions, DateOnly day) =>
        versions.Where(v => v.EffectiveFrom <= day).OrderBy(v => v.EffectiveFrom).ThenBy(v => v.Version).LastOrDefault();
}
