using Governance.Domain.Metrics.Formulas;

namespace Governance.Domain.Metrics.Definitions;

/// <summary>
/// One thing wrong with a proposed definition. <see cref="Field"/> is a camelCase path into the
/// draft (<c>name</c>, <c>health.profiles[0].components[1].weight</c>), so the API can name the
/// input field; formula problems carry the compiler's code and position.
/// </summary>
public sealed record DefinitionProblem(string Field, string Message)
{
    /// <summary>The code of every problem that is not the formula compiler's.</summary>
    public const string InvalidCode = "INVALID";

    /// <summary><see cref="InvalidCode"/>, or a <see cref="FormulaError.Code"/> (SYNTAX, UNKNOWN_MEASURE, …).</summary>
    public string Code { get; init; } = InvalidCode;

    /// <summary>1-based line of a formula problem.</summary>
    public int? Line { get; init; }

    /// <summary>1-based column of a formula problem.</summary>
    public int? Column { get; init; }

    /// <summary>0-based offset of a formula problem in the formula text.</summary>
    public int? Offset { get; init; }

    /// <summary>How many characters of the formula the problem spans.</summary>
    public int? Length { get; init; }

    public static DefinitionProblem FromFormula(FormulaError error) => new("formula", error.Message)
    {
        Code = error.Code,
        Line = error.Line,
        Column = error.Column,
        Offset = error.Offset,
        Length = error.Length,
    };
}
