namespace Governance.Domain.Incentives;

/// <summary>How attainment becomes a payout multiplier between the curve's points.</summary>
public enum CurveKind
{
    /// <summary>Straight lines between points.</summary>
    Linear,

    /// <summary>Steps: the multiplier of the highest point reached.</summary>
    Tiers,
}

/// <summary>At <see cref="Attainment"/> (1 = on target) the plan pays <see cref="Multiplier"/> × the pay at target.</summary>
public sealed record CurvePoint(decimal Attainment, decimal Multiplier);

/// <summary>
/// Attainment → payout multiplier. Below the first point nothing is paid; above the last the last
/// multiplier holds (the curve's own cap).
/// </summary>
public sealed record PayoutCurve(CurveKind Kind, IReadOnlyList<CurvePoint> Points)
{
    public decimal MultiplierAt(decimal attainment)
    {
        if (Points.Count == 0 || attainment < Points[0].Attainment)
        {
            return 0m;
        }

        var below = Points.Last(p => p.Attainment <= attainment);
        var index = IndexOf(below);
        if (Kind == CurveKind.Tiers || index == Points.Count - 1)
        {
            return below.Multiplier;
        }

        var above = Points[index + 1];
        return below.Multiplier + ((attainment - below.Attainment) * (above.Multiplier - below.Multiplier) / (above.Attainment - below.Attainment));
    }

    private int IndexOf(CurvePoint point)
    {
        for (var i = 0; i < Points.Count; i++)
        {
            if (ReferenceEquals(Points[i], point))
            {
                return i;
            }
        }

        return -1;
    }

    public IEnumerable<IncentiveProblem> Validate(string at)
    {
        if (Points.Count == 0)
        {
            yield return new($"{at}.points", "must hold at least one point");
        }

        for (var i = 0; i < Points.Count; i++)
        {
            if (Points[i].Attainment < 0)
            {
                yield return new($"{at}.points[{i}].attainment", "must not be negative");
            }

            if (Points[i].Multiplier < 0)
            {
                yield return new($"{at}.points[{i}].multiplier", "must not be negative");
            }

            if (i > 0 && Points[i].Attainment <= Points[i - 1].Attainment)
            {
                yield return new($"{at}.points[{i}].attainment", "must be above the point before it");
            }
        }
    }
}
