using Governance.Domain.Metrics;
using static Governance.Domain.Tests.Metrics.Formulas.FormulaSyntaxErrorTests;
using static Governance.Domain.Tests.Metrics.Formulas.FormulaTesting;

namespace Governance.Domain.Tests.Metrics.Formulas;

/// <summary>Formulas that parse but do not make sense: every problem is reported, each once.</summary>
public sealed class FormulaTypeErrorTests
{
    [Fact]
    public void ShouldSuggestTheClosestMeasureForAnUnknownOne()
    {
        var error = Error("mrr_strat / customers_start else null", Unit.Money);

        AssertError(error, "UNKNOWN_MEASURE", offset: 0, line: 1, column: 1, length: 9, "unknown measure `mrr_strat`: did you mean `mrr_start`?");
    }

    [Fact]
    public void ShouldNotSuggestAMeasureMoreThanThreeEditsAway()
    {
        var error = Error("mrr_start + arr_total", Unit.Money);

        AssertError(error, "UNKNOWN_MEASURE", offset: 12, line: 1, column: 13, length: 9, "unknown measure `arr_total`");
        Assert.DoesNotContain("did you mean", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShouldSayAFunctionNameWithoutParenthesesIsAFunction()
    {
        var error = Error("median / 24", Unit.Duration);

        AssertError(error, "UNKNOWN_MEASURE", offset: 0, line: 1, column: 1, length: 6, "`median` is a function, called as `median(distribution)`");
    }

    [Fact]
    public void ShouldListTheFunctionsForAnUnknownOne()
    {
        var error = Error("mean(time_to_value)", Unit.Duration);

        AssertError(error, "UNKNOWN_FUNCTION", offset: 0, line: 1, column: 1, length: 4,
            "unknown function `mean` (did you mean `median`?); the functions are abs, clamp, coalesce, if, max, median, min, prev");
    }

    [Theory]
    [InlineData("clamp(customers_lost / customers_start else 0, 0)", "`clamp` takes 3 arguments, as in `clamp(x, lo, hi)`, but was given 2")]
    [InlineData("min(customers_lost)", "`min` takes at least 2 arguments, as in `min(a, b, …)`, but was given 1")]
    [InlineData("abs(customers_lost, customers_start)", "`abs` takes 1 argument, as in `abs(x)`, but was given 2")]
    [InlineData("prev()", "`prev` takes 1 argument")]
    [InlineData("if(customers_lost > 0, customers_lost)", "`if` takes 3 arguments")]
    [InlineData("coalesce(customers_lost)", "`coalesce` takes at least 2 arguments")]
    public void ShouldRefuseAWrongNumberOfArgumentsPointingAtTheCall(string formula, string fragment)
    {
        var error = Error(formula, Unit.Count);

        AssertError(error, "ARITY", offset: 0, line: 1, column: 1, length: formula.Length, fragment);
    }

    [Fact]
    public void ShouldNameBothUnitsOfAMismatchedSum()
    {
        var error = Error("mrr_start + customers_start", Unit.Money);

        AssertError(error, "UNIT_MISMATCH", offset: 10, line: 1, column: 11, length: 1,
            "unit mismatch: money + count (`mrr_start` is money, `customers_start` is count)");
    }

    [Fact]
    public void ShouldReportEveryMismatchOnceWithoutCascading()
    {
        // Both sums are wrong; the division of two wrong sums and the result unit are not reported again.
        const string formula = "(mrr_start + customers_start)\n  / (nps_responses - resolution_time_sum) else null";

        var result = Compile(formula, Unit.Ratio);

        Assert.Collection(
            result.Errors,
            e => AssertError(e, "UNIT_MISMATCH", offset: 11, line: 1, column: 12, length: 1, "money + count"),
            e => AssertError(e, "UNIT_MISMATCH", offset: 49, line: 2, column: 20, length: 1, "count - duration"));
    }

    [Fact]
    public void ShouldReportErrorsOfDifferentKindsTogetherInTextOrder()
    {
        const string formula = "max(mrr_strat,\n    median(mrr_start),\n    mrr_expansion / customers_lost,\n    foo(1))";

        var result = Compile(formula, Unit.Money);

        Assert.Collection(
            result.Errors,
            e => AssertError(e, "UNKNOWN_MEASURE", offset: 4, line: 1, column: 5, length: 9, "`mrr_strat`"),
            e => AssertError(e, "NOT_A_DISTRIBUTION", offset: 26, line: 2, column: 12, length: 9, "`mrr_start` is money"),
            e => AssertError(e, "UNGUARDED_DIVISION", offset: 58, line: 3, column: 21, length: 14, "`customers_lost`"),
            e => AssertError(e, "UNKNOWN_FUNCTION", offset: 78, line: 4, column: 5, length: 3, "`foo`"));
    }

    [Theory]
    [InlineData("mrr_start * mrr_expansion", Unit.Money, 10, "cannot multiply money by money")]
    [InlineData("customers_lost * resolution_time_sum", Unit.Duration, 15, "cannot multiply count by duration")]
    [InlineData("mrr_start / resolution_time_sum else null", Unit.Money, 10, "cannot divide money by duration")]
    [InlineData("customers_lost / mrr_start else null", Unit.Count, 15, "cannot divide count by money")]
    [InlineData("1 / customers_start else null", Unit.Ratio, 2, "cannot divide a plain number by count")]
    [InlineData("100 / renewal_rate_target else null", Unit.Ratio, 4, "cannot divide a plain number by ratio")]
    [InlineData("if(mrr_start > customers_start, 1, 0)", Unit.Ratio, 13, "cannot compare money with count")]
    public void ShouldRefuseOperatorsOnUnitsThatDoNotGoTogether(string formula, Unit unit, int offset, string fragment)
    {
        var error = Error(formula, unit);

        AssertError(error, "UNIT_MISMATCH", offset, line: 1, column: offset + 1, length: 1, fragment);
    }

    [Theory]
    [InlineData("customers_lost / customers_start else mrr_start", 38, 9, "the fallback after `else` must be ratio like the division it stands in for, but `mrr_start` is money")]
    [InlineData("if(customers_lost > 0, mrr_start, customers_lost)", 34, 14, "must have the same unit, but `mrr_start` is money and `customers_lost` is count")]
    [InlineData("min(mrr_start, 0, customers_lost)", 18, 14, "the arguments of min(…) must have the same unit")]
    [InlineData("if(mrr_start, 1, 0)", 3, 9, "the condition of if(…) needs true/false, such as `a > b`, but `mrr_start` is money")]
    [InlineData("if(mrr_start > 0 and customers_lost, 1, 0)", 21, 14, "`and` needs true/false, such as `a > b`, but `customers_lost` is count")]
    [InlineData("if(not customers_lost, 1, 0)", 7, 14, "`not` needs true/false")]
    [InlineData("if(-(mrr_start > 0), 1, 0)", 3, 16, "cannot negate true/false")]
    [InlineData("(mrr_start > 0) + 1", 0, 15, "`+` needs a number, but `(mrr_start > 0)` is true/false")]
    [InlineData("if((mrr_start > 0) < 1, 1, 0)", 3, 15, "`<` needs a number")]
    [InlineData("abs(mrr_start > 0)", 4, 13, "abs(…) needs a number")]
    public void ShouldRefuseArgumentsAndOperandsOfTheWrongKind(string formula, int offset, int length, string fragment)
    {
        var error = Error(formula, Unit.Ratio);

        AssertError(error, "UNIT_MISMATCH", offset, line: 1, column: offset + 1, length, fragment);
    }

    [Fact]
    public void ShouldRequireElseOnADivisionByAMeasureAndQuoteTheDenominator()
    {
        var error = Error("mrr_expansion\n  / mrr_start", Unit.Ratio);

        AssertError(error, "UNGUARDED_DIVISION", offset: 18, line: 2, column: 5, length: 9,
            "division by `mrr_start` may be zero: say what it gives then, e.g. `… / mrr_start else null` or `else 0`");
    }

    [Fact]
    public void ShouldQuoteAParenthesizedDenominatorAsWritten()
    {
        var error = Error("mrr_churned / (mrr_start +\n   mrr_expansion)", Unit.Ratio);

        AssertError(error, "UNGUARDED_DIVISION", offset: 14, line: 1, column: 15, length: 30, "division by `(mrr_start + mrr_expansion)` may be zero");
    }

    [Theory]
    [InlineData("mrr_start / customers_start * 2")]
    [InlineData("mrr_start / (2 - 2)")]
    [InlineData("mrr_start / abs(2)")]
    public void ShouldRequireElseOnADivisionByAnythingButANumber(string formula)
    {
        Assert.Equal("UNGUARDED_DIVISION", Error(formula, Unit.Money).Code);
    }

    [Theory]
    [InlineData("mrr_start / 0", 12, 1)]
    [InlineData("mrr_start / 0.00 else null", 12, 4)]
    [InlineData("mrr_start / -0", 12, 2)]
    public void ShouldRefuseADivisionByZero(string formula, int offset, int length)
    {
        var error = Error(formula, Unit.Money);

        AssertError(error, "DIVISION_BY_ZERO", offset, line: 1, column: offset + 1, length, "division by zero");
    }

    [Fact]
    public void ShouldRefuseTheMedianOfSomethingThatIsNoDistribution()
    {
        var error = Error("median(resolution_time_sum)", Unit.Duration);

        AssertError(error, "NOT_A_DISTRIBUTION", offset: 7, line: 1, column: 8, length: 19,
            "median(…) takes a distribution measure (`time_to_value`), but `resolution_time_sum` is duration");
    }

    [Fact]
    public void ShouldRefuseTheMedianOfAnExpression()
    {
        var error = Error("median(resolution_time_sum / tickets_resolved else null)", Unit.Duration);

        Assert.Equal("NOT_A_DISTRIBUTION", error.Code);
        Assert.Equal(7, error.Offset);
    }

    [Theory]
    [InlineData("time_to_value / tickets_resolved else null", 0)]
    [InlineData("median(time_to_value) - time_to_value", 24)]
    [InlineData("prev(time_to_value)", 5)]
    [InlineData("median(time_to_value + 1)", 7)]
    public void ShouldRefuseADistributionOutsideMedian(string formula, int offset)
    {
        var error = Error(formula, Unit.Duration);

        AssertError(error, "DISTRIBUTION_MISUSE", offset, line: 1, column: offset + 1, length: 13,
            "`time_to_value` is a distribution, not a number: use its median, `median(time_to_value)`");
    }

    [Fact]
    public void ShouldRefusePrevOfAnythingButAMeasureName()
    {
        var error = Error("prev(mrr_start + mrr_expansion)", Unit.Money);

        AssertError(error, "SYNTAX", offset: 5, line: 1, column: 6, length: 25, "prev(…) takes a measure name, as in `prev(mrr_expansion)`");
    }

    [Theory]
    [InlineData("mrr_start / customers_start else null", Unit.Ratio, "the formula gives money, but the metric is declared ratio")]
    [InlineData("customers_lost / customers_start else null", Unit.Count, "the formula gives ratio, but the metric is declared count")]
    [InlineData("customers_lost", Unit.Score, "the formula gives count, but the metric is declared score")]
    [InlineData("if(customers_lost > 0, 1, 0)", Unit.Count, "the formula gives a plain number, but the metric is declared count")]
    [InlineData("mrr_start > mrr_churned", Unit.Ratio, "the formula gives true/false, but the metric is declared ratio")]
    [InlineData("health_score_sum / customers_start else null", Unit.Ratio, "the formula gives score, but the metric is declared ratio")]
    public void ShouldRefuseAResultInAnotherUnitThanDeclared(string formula, Unit unit, string fragment)
    {
        var error = Error(formula, unit);

        AssertError(error, "RESULT_UNIT", offset: 0, line: 1, column: 1, length: formula.Length, fragment);
    }

    [Theory]
    [InlineData("1 + 2")]
    [InlineData("100 / 4")]
    [InlineData("if(1 > 2, 1, 0)")]
    public void ShouldRefuseAFormulaThatReadsNoMeasure(string formula)
    {
        var error = Error(formula, Unit.Ratio);

        AssertError(error, "NO_MEASURE", offset: 0, line: 1, column: 1, length: formula.Length, "reads no measure");
    }

    [Fact]
    public void ShouldReportEveryErrorOfAFormulaThatHasMany()
    {
        const string formula = "mrr_start * customers_start + median(mrr_start) + prev(mrr_start * 2) + foo(mrr_start)";

        var result = Compile(formula, Unit.Money);

        Assert.Equal(["UNIT_MISMATCH", "NOT_A_DISTRIBUTION", "SYNTAX", "UNKNOWN_FUNCTION"], result.Errors.Select(e => e.Code));
    }
}
