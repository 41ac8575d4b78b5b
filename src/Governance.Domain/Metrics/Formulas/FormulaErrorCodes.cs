namespace Governance.Domain.Metrics.Formulas;

/// <summary>The values of <see cref="FormulaError.Code"/>: stable, so clients may branch on them.</summary>
public static class FormulaErrorCodes
{
    /// <summary>The text does not follow the grammar; only the first such problem is reported.</summary>
    public const string Syntax = "SYNTAX";

    public const string UnknownMeasure = "UNKNOWN_MEASURE";

    public const string UnknownFunction = "UNKNOWN_FUNCTION";

    /// <summary>A function was given too few or too many arguments.</summary>
    public const string Arity = "ARITY";

    /// <summary>Operands whose units (or number/true-false kinds) do not go together.</summary>
    public const string UnitMismatch = "UNIT_MISMATCH";

    /// <summary>A division by something that may be zero, without <c>else</c> saying what it gives then.</summary>
    public const string UnguardedDivision = "UNGUARDED_DIVISION";

    /// <summary>A division by the literal 0.</summary>
    public const string DivisionByZero = "DIVISION_BY_ZERO";

    /// <summary><c>median(…)</c> of something that is not a distribution measure.</summary>
    public const string NotADistribution = "NOT_A_DISTRIBUTION";

    /// <summary>A distribution measure used anywhere but inside <c>median(…)</c>.</summary>
    public const string DistributionMisuse = "DISTRIBUTION_MISUSE";

    /// <summary>The formula's value does not have the unit the metric is declared with.</summary>
    public const string ResultUnit = "RESULT_UNIT";

    /// <summary>The formula reads no measure: it would be the same constant for every account and period.</summary>
    public const string NoMeasure = "NO_MEASURE";

    public const string TooLong = "TOO_LONG";

    public const string TooDeep = "TOO_DEEP";
}
