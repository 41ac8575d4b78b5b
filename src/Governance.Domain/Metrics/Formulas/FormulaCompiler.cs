using System.Globalization;

namespace Governance.Domain.Metrics.Formulas;

/// <summary>Turns formula text into a <see cref="CompiledFormula"/>, or says everything wrong with it.</summary>
public static class FormulaCompiler
{
    /// <summary>Longest formula text accepted, in characters; KPI formulas are a line or two.</summary>
    public const int MaxLength = 2_000;

    /// <summary>Deepest nesting of parentheses, function calls, <c>-</c> and <c>not</c> accepted.</summary>
    public const int MaxDepth = 64;

    /// <summary>Parses and type-checks <paramref name="text"/>; the value must have <paramref name="declaredUnit"/>.</summary>
    public static FormulaResult Compile(string text, Unit declaredUnit, IMeasureCatalog measures)
    {
        ArgumentNullException.ThrowIfNull(measures);
        var source = new SourceText(text ?? "");
        if (source.Text.Length > MaxLength)
        {
            return Failure(source.Error(
                FormulaErrorCodes.TooLong,
                string.Create(CultureInfo.InvariantCulture, $"the formula is {source.Text.Length:N0} characters long; the limit is {MaxLength:N0}"),
                new TextSpan(MaxLength, source.Text.Length - MaxLength)));
        }

        FormulaExpression expression;
        try
        {
            expression = Parser.Parse(source);
        }
        catch (FormulaSyntaxException e)
        {
            return Failure(e.Error);
        }

        var (errors, reads) = TypeChecker.Check(expression, declaredUnit, measures, source);
        if (errors.Count > 0)
        {
            return new FormulaResult(null, errors);
        }

        var formula = new CompiledFormula { Text = source.Text, Unit = declaredUnit, Reads = reads, Expression = expression };
        return new FormulaResult(formula, []);
    }

    private static FormulaResult Failure(FormulaError error) => new(null, [error]);
}
