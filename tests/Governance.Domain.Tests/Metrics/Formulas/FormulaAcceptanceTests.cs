using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Formulas;
using static Governance.Domain.Tests.Metrics.Formulas.FormulaTesting;

namespace Governance.Domain.Tests.Metrics.Formulas;

/// <summary>Formulas the compiler takes, with the unit it works out for them and what they read.</summary>
public sealed class FormulaAcceptanceTests
{
    [Theory]
    [InlineData("(mrr_start + mrr_expansion - mrr_contraction - mrr_churned) / mrr_start else null", Unit.Ratio)]
    [InlineData("100 * (nps_promoters - nps_detractors) / nps_responses else null", Unit.Score)]
    [InlineData("clamp(customers_lost / customers_start else 0, 0, 1)", Unit.Ratio)]
    [InlineData("median(time_to_value)", Unit.Duration)]
    [InlineData("(mrr_expansion - prev(mrr_expansion)) / prev(mrr_expansion) else null", Unit.Ratio)]
    [InlineData("resolution_time_sum / tickets_resolved else null", Unit.Duration)]
    [InlineData("(mrr_start - mrr_churned) / customers_start else null", Unit.Money)]
    [InlineData("1 - customers_lost / customers_start else 0", Unit.Ratio)]
    [InlineData("mrr_expansion - mrr_contraction - mrr_churned", Unit.Money)]
    [InlineData("if(customers_start > 0 and not customers_lost == 0 or mrr_churned >= 1000, 1, 0)", Unit.Ratio)]
    [InlineData("coalesce(prev(mrr_start), mrr_start, 0)", Unit.Money)]
    [InlineData("median(time_to_value) / 24", Unit.Duration)]
    [InlineData("median(time_to_value) - median(prev(time_to_value))", Unit.Duration)]
    [InlineData("max(0, min(100, 100 * health_score_sum / customers_start else null))", Unit.Score)]
    [InlineData("mrr_start / -4 + abs(-mrr_churned)", Unit.Money)]
    [InlineData("mrr_start / 2.5 else 0", Unit.Money)]
    public void ShouldAcceptTypicalKpiFormulas(string formula, Unit unit)
    {
        var compiled = Compiled(formula, unit);

        Assert.Equal(formula, compiled.Text);
        Assert.Equal(unit, compiled.Unit);
    }

    [Theory]
    [InlineData("mrr_start / customers_start else null", "money")]
    [InlineData("customers_lost / customers_start else null", "ratio")]
    [InlineData("mrr_churned / mrr_start else null", "ratio")]
    [InlineData("resolution_time_sum / tickets_resolved else null", "duration")]
    [InlineData("health_score_sum / customers_start else null", "score")]
    [InlineData("100 * customers_lost / customers_start else null", "ratio")]
    [InlineData("mrr_start * renewal_rate_target", "money")]
    [InlineData("renewal_rate_target * customers_start", "count")]
    [InlineData("mrr_start / renewal_rate_target else null", "money")]
    [InlineData("renewal_rate_target / renewal_rate_target else null", "ratio")]
    [InlineData("(customers_lost / customers_start else null) / 100", "ratio")]
    [InlineData("mrr_start / 2", "money")]
    [InlineData("mrr_start - 100", "money")]
    [InlineData("2 * 3 + customers_lost", "count")]
    [InlineData("-mrr_churned", "money")]
    [InlineData("abs(mrr_start - mrr_churned)", "money")]
    [InlineData("max(mrr_start, 0)", "money")]
    [InlineData("clamp(1, 0, tickets_resolved)", "count")]
    [InlineData("if(customers_lost > 0, 1, 0)", "a plain number")]
    [InlineData("if(customers_lost > 0, mrr_start, 0)", "money")]
    [InlineData("coalesce(0, prev(customers_start))", "count")]
    [InlineData("(1 + 2) / 3 * customers_start", "count")]
    [InlineData("mrr_start / customers_start else 0", "money")]
    [InlineData("median(time_to_value)", "duration")]
    public void ShouldInferTheUnitAndAcceptOnlyTheDeclaredUnitsItFits(string formula, string inferred)
    {
        // A ratio or a plain number may be declared score (scores are dimensionless), a plain number ratio.
        Unit[] fits = inferred switch
        {
            "ratio" => [Unit.Ratio, Unit.Score],
            "a plain number" => [Unit.Ratio, Unit.Score],
            _ => [Enum.Parse<Unit>(inferred, ignoreCase: true)],
        };

        foreach (var unit in Enum.GetValues<Unit>())
        {
            var result = Compile(formula, unit);
            if (fits.Contains(unit))
            {
                Assert.True(result.IsValid, $"declared {unit}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
            }
            else
            {
                var error = Assert.Single(result.Errors);
                Assert.Equal("RESULT_UNIT", error.Code);
                Assert.StartsWith($"the formula gives {inferred}, but", error.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void ShouldListWhatItReadsOnceEachInOrderOfFirstAppearance()
    {
        var compiled = Compiled("(mrr_start + mrr_expansion - mrr_contraction - mrr_churned) / mrr_start else null", Unit.Ratio);

        Assert.Equal([("mrr_start", 0), ("mrr_expansion", 0), ("mrr_contraction", 0), ("mrr_churned", 0)], compiled.Reads);
    }

    [Fact]
    public void ShouldListWhatPrevReadsAtOffsetMinusOne()
    {
        var growth = Compiled("(mrr_expansion - prev(mrr_expansion)) / prev(mrr_expansion) else null", Unit.Ratio);
        var median = Compiled("median(prev(time_to_value)) - median(time_to_value)", Unit.Duration);

        Assert.Equal([("mrr_expansion", 0), ("mrr_expansion", -1)], growth.Reads);
        Assert.Equal([("time_to_value", -1), ("time_to_value", 0)], median.Reads);
    }

    [Fact]
    public void ShouldKeepTheTextAsWrittenAndGiveTheDeclaredUnit()
    {
        const string formula = "  100 * customers_lost / customers_start else null  # churn, in points\n";

        var compiled = Compiled(formula, Unit.Score);

        Assert.Equal(formula, compiled.Text);
        Assert.Equal(Unit.Score, compiled.Unit);
    }

    [Fact]
    public void ShouldExposeTheParsedTreeWithSpansOfTheText()
    {
        var compiled = Compiled("mrr_start - (mrr_churned) * 2", Unit.Money);

        var subtract = Assert.IsType<BinaryExpression>(compiled.Expression);
        Assert.Equal(BinaryOperator.Subtract, subtract.Operator);
        var multiply = Assert.IsType<BinaryExpression>(subtract.Right);
        Assert.Equal(BinaryOperator.Multiply, multiply.Operator);
        Assert.Equal(new TextSpan(12, 13), multiply.Left.Span);
        Assert.Equal("(mrr_churned)", compiled.Text.Substring(multiply.Left.Span.Start, multiply.Left.Span.Length));
    }
}
