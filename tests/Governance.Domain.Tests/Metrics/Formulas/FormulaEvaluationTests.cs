using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Formulas;
using static Governance.Domain.Tests.Metrics.Formulas.FormulaTesting;

namespace Governance.Domain.Tests.Metrics.Formulas;

/// <summary>Formula values checked against values worked out by hand.</summary>
public sealed class FormulaEvaluationTests
{
    private const string Nrr = "(mrr_start + mrr_expansion - mrr_contraction - mrr_churned) / mrr_start else null";
    private const string Nps = "100 * (nps_promoters - nps_detractors) / nps_responses else null";
    private const string ChurnRate = "clamp(customers_lost / customers_start else 0, 0, 1)";
    private const string ExpansionGrowth = "(mrr_expansion - prev(mrr_expansion)) / prev(mrr_expansion) else null";

    private static TestValues NrrValues(decimal? start = 1_000m, decimal? expansion = 200m, decimal? contraction = 50m, decimal? churned = 100m) =>
        new TestValues().Set("mrr_start", start).Set("mrr_expansion", expansion).Set("mrr_contraction", contraction).Set("mrr_churned", churned);

    [Fact]
    public void ShouldComputeNetRevenueRetention()
    {
        // (1,000 + 200 − 50 − 100) / 1,000 = 1,050 / 1,000 = 1.05.
        var value = Evaluate(Nrr, Unit.Ratio, NrrValues());

        Assert.Equal(new FormulaValue(1.05m, null), value);
    }

    [Fact]
    public void ShouldGiveNullWithTheDenominatorWhenItIsZero()
    {
        var value = Evaluate(Nrr, Unit.Ratio, NrrValues(start: 0m));

        Assert.Equal(new FormulaValue(null, "zero denominator: mrr_start"), value);
    }

    [Fact]
    public void ShouldQuoteTheDenominatorOnOneLineInTheReason()
    {
        var value = Evaluate("mrr_churned / (mrr_start\n    - mrr_contraction) else null", Unit.Ratio, NrrValues(start: 50m));

        Assert.Equal("zero denominator: (mrr_start - mrr_contraction)", value.NullReason);
    }

    [Theory]
    [InlineData(3, 10, 0.3)]
    [InlineData(12, 10, 1)] // 1.2, clamped to 1
    [InlineData(3, 0, 0)] // zero denominator: the `else 0`
    [InlineData(0, 0, 0)]
    public void ShouldComputeAClampedChurnRateWithItsFallback(int lost, int start, decimal expected)
    {
        var value = Evaluate(ChurnRate, Unit.Ratio, new TestValues().Set("customers_lost", lost).Set("customers_start", start));

        Assert.Equal(new FormulaValue(expected, null), value);
    }

    [Fact]
    public void ShouldComputeNps()
    {
        // 100 × (50 − 20) / 100 = 30.
        var values = new TestValues().Set("nps_promoters", 50).Set("nps_detractors", 20).Set("nps_responses", 100);

        Assert.Equal(30m, Evaluate(Nps, Unit.Score, values).Value);
    }

    [Fact]
    public void ShouldComputeANegativeNpsWithUnevenThirds()
    {
        // 100 × (1 − 2) / 3 = −100 / 3 = −33.33…, to 28 significant digits.
        var values = new TestValues().Set("nps_promoters", 1).Set("nps_detractors", 2).Set("nps_responses", 3);

        Assert.Equal(-33.333333333333333333333333333m, Evaluate(Nps, Unit.Score, values).Value);
    }

    [Fact]
    public void ShouldReadThePreviousPeriodForPrev()
    {
        // (300 − 200) / 200 = 0.5.
        var values = new TestValues().Set("mrr_expansion", 300m).Set("mrr_expansion", 200m, periodOffset: -1);

        Assert.Equal(0.5m, Evaluate(ExpansionGrowth, Unit.Ratio, values).Value);
    }

    [Fact]
    public void ShouldGiveNullWhenThePreviousPeriodHasNoValue()
    {
        var values = new TestValues().Set("mrr_expansion", 300m);

        Assert.Equal(new FormulaValue(null, "no value: prev(mrr_expansion)"), Evaluate(ExpansionGrowth, Unit.Ratio, values));
    }

    [Fact]
    public void ShouldQuotePrevInTheReasonForAZeroPreviousPeriod()
    {
        var values = new TestValues().Set("mrr_expansion", 300m).Set("mrr_expansion", 0m, periodOffset: -1);

        Assert.Equal(new FormulaValue(null, "zero denominator: prev(mrr_expansion)"), Evaluate(ExpansionGrowth, Unit.Ratio, values));
    }

    [Fact]
    public void ShouldPropagateTheFirstNullWithItsReason()
    {
        var value = Evaluate(Nrr, Unit.Ratio, NrrValues(expansion: null, churned: null));

        Assert.Equal(new FormulaValue(null, "no value: mrr_expansion"), value);
    }

    [Fact]
    public void ShouldGiveNullForANullNumeratorEvenWhenTheDenominatorIsZero()
    {
        var value = Evaluate("mrr_churned / mrr_start else 0", Unit.Ratio, NrrValues(start: 0m, churned: null));

        Assert.Equal(new FormulaValue(null, "no value: mrr_churned"), value);
    }

    [Fact]
    public void ShouldGiveNullForANullDenominatorRatherThanTheFallback()
    {
        var value = Evaluate("mrr_churned / mrr_start else 0", Unit.Ratio, NrrValues(start: null));

        Assert.Equal(new FormulaValue(null, "no value: mrr_start"), value);
    }

    [Fact]
    public void ShouldEvaluateAFallbackExpressionOnlyForAZeroDenominator()
    {
        // The fallback is a unary, so `/ 100` divides the whole division: (… else −1) / 100.
        const string formula = "mrr_churned / mrr_start else -1 / 100";

        Assert.Equal(-0.01m, Evaluate(formula, Unit.Ratio, NrrValues(start: 0m)).Value);

        // 100 / 1,000 / 100 = 0.001.
        Assert.Equal(0.001m, Evaluate(formula, Unit.Ratio, NrrValues()).Value);
    }

    [Theory]
    [InlineData(5, 10, 0.5)] // condition true: 5 / 10
    [InlineData(0, 10, -1.0)] // condition false: the other branch
    [InlineData(5, 0, null)] // true, but the division has no value: else null
    public void ShouldTakeOnlyTheBranchOfIfTheConditionChooses(int lost, int start, double? expected)
    {
        const string formula = "if(customers_lost > 0, customers_lost / customers_start else null, -1)";
        var values = new TestValues().Set("customers_lost", lost).Set("customers_start", start);

        Assert.Equal((decimal?)expected, Evaluate(formula, Unit.Ratio, values).Value);
    }

    [Fact]
    public void ShouldGiveNullForIfWithAnUnknownCondition()
    {
        var values = new TestValues().Set("customers_start", 4);

        var value = Evaluate("if(customers_lost > 0, customers_start, 0)", Unit.Count, values);

        Assert.Equal(new FormulaValue(null, "no value: customers_lost"), value);
    }

    [Fact]
    public void ShouldIgnoreAnUnknownValueInTheBranchNotTaken()
    {
        var values = new TestValues().Set("customers_lost", 0);

        Assert.Equal(7m, Evaluate("if(customers_lost > 0, customers_start, 7)", Unit.Count, values).Value);
    }

    [Fact]
    public void ShouldTakeTheFirstKnownValueInCoalesce()
    {
        var values = new TestValues().Set("mrr_start", 1_000m).Set("mrr_expansion", 0m);

        Assert.Equal(1_000m, Evaluate("coalesce(prev(mrr_start), mrr_start, 5)", Unit.Money, values).Value);
        Assert.Equal(0m, Evaluate("coalesce(mrr_churned, mrr_expansion, mrr_start)", Unit.Money, values).Value);
        Assert.Equal(new FormulaValue(null, "no value: prev(mrr_start)"), Evaluate("coalesce(prev(mrr_start), mrr_churned)", Unit.Money, values));
    }

    [Fact]
    public void ShouldLetCoalesceReplaceAZeroDenominatorsNull()
    {
        var values = new TestValues().Set("customers_lost", 2).Set("customers_start", 0);

        Assert.Equal(0.25m, Evaluate("coalesce(customers_lost / customers_start else null, 0.25)", Unit.Ratio, values).Value);
    }

    [Fact]
    public void ShouldComputeNestedFunctions()
    {
        // min(200, 50) = 50; |100 − 1,000| = 900; max(50, 900) = 900; clamp(900, 0, 500) = 500; 500 − −100 = 600.
        const string formula = "clamp(max(min(mrr_expansion, mrr_contraction), abs(mrr_churned - mrr_start)), 0, 500) - -mrr_churned";

        Assert.Equal(600m, Evaluate(formula, Unit.Money, NrrValues()).Value);
    }

    [Fact]
    public void ShouldTakeTheSmallestAndLargestOfManyArguments()
    {
        Assert.Equal(50m, Evaluate("min(mrr_start, mrr_expansion, mrr_contraction, mrr_churned)", Unit.Money, NrrValues()).Value);
        Assert.Equal(1_000m, Evaluate("max(mrr_contraction, mrr_expansion, mrr_start, 3)", Unit.Money, NrrValues()).Value);
        Assert.Equal(new FormulaValue(null, "no value: mrr_churned"), Evaluate("max(mrr_start, mrr_churned)", Unit.Money, NrrValues(churned: null)));
    }

    [Fact]
    public void ShouldGiveNullForAClampWithReversedBounds()
    {
        var value = Evaluate("clamp(mrr_expansion, mrr_start, mrr_churned)", Unit.Money, NrrValues());

        Assert.Equal(new FormulaValue(null, "clamp bounds reversed: mrr_start is above mrr_churned"), value);
    }

    [Theory]
    [InlineData(3, 10, 1)] // 3 ≥ 3 and not 10 < 10
    [InlineData(3, 9, 0)] // not 9 < 10 is false, and customers_lost == 0 is false
    [InlineData(0, 9, 1)] // customers_lost == 0
    [InlineData(2, 20, 0)]
    public void ShouldEvaluateComparisonsAndLogicWithTheirPrecedence(int lost, int start, int expected)
    {
        // Reads as ((lost >= 3) and (not (start < 10))) or (lost == 0).
        const string formula = "if(customers_lost >= 3 and not customers_start < 10 or customers_lost == 0, 1, 0)";
        var values = new TestValues().Set("customers_lost", lost).Set("customers_start", start);

        Assert.Equal(expected, Evaluate(formula, Unit.Ratio, values).Value);
    }

    [Theory]
    [InlineData("if(customers_lost != customers_start, 1, 0)", 1)]
    [InlineData("if(customers_lost <= 2 and customers_start > 5, 1, 0)", 1)]
    [InlineData("if(customers_lost < 2 or customers_start == 7, 1, 0)", 0)]
    [InlineData("if(not (customers_lost > 1 and customers_start > 1), 1, 0)", 0)]
    public void ShouldEvaluateEveryComparison(string formula, int expected)
    {
        var values = new TestValues().Set("customers_lost", 2).Set("customers_start", 6);

        Assert.Equal(expected, Evaluate(formula, Unit.Ratio, values).Value);
    }

    [Fact]
    public void ShouldGiveNullForLogicWithAnUnknownOperand()
    {
        var values = new TestValues().Set("customers_lost", 0);

        var value = Evaluate("if(customers_lost > 0 and prev(customers_lost) > 0, 1, 0)", Unit.Ratio, values);

        Assert.Equal(new FormulaValue(null, "no value: prev(customers_lost)"), value);
    }

    [Theory]
    [InlineData("mrr_start - mrr_expansion - mrr_churned", Unit.Money, 700)] // (1,000 − 200) − 100, not 1,000 − (200 − 100)
    [InlineData("mrr_start / 2 / 5", Unit.Money, 100)] // (1,000 / 2) / 5
    [InlineData("mrr_start - mrr_churned * 2", Unit.Money, 800)]
    [InlineData("-mrr_churned * 2 + mrr_start", Unit.Money, 800)]
    [InlineData("mrr_start - -mrr_churned", Unit.Money, 1_100)]
    [InlineData("(mrr_start - mrr_churned) * 2", Unit.Money, 1_800)]
    [InlineData("mrr_churned / mrr_start else 0 * 2", Unit.Ratio, 0.2)] // (100 / 1,000 else 0) × 2
    [InlineData("1 - mrr_churned / mrr_start else 0", Unit.Ratio, 0.9)] // 1 − (100 / 1,000 else 0)
    [InlineData("mrr_expansion * 3 / mrr_start else 0", Unit.Ratio, 0.6)] // (200 × 3) / 1,000
    public void ShouldFollowPrecedenceAndLeftAssociativity(string formula, Unit unit, double expected)
    {
        Assert.Equal((decimal)expected, Evaluate(formula, unit, NrrValues()).Value);
    }

    [Fact]
    public void ShouldComputeMoneyExactly()
    {
        // 0.1 + 0.2 is 0.30000000000000004 in binary floating point; in decimal it is 0.3.
        var values = new TestValues().Set("mrr_start", 0.1m).Set("mrr_expansion", 0.2m);

        Assert.Equal(0.3m, Evaluate("mrr_start + mrr_expansion", Unit.Money, values).Value);
    }

    [Fact]
    public void ShouldDivideMoneyToTwentyEightDigits()
    {
        var values = new TestValues().Set("mrr_start", 1m).Set("customers_start", 3);

        var perCustomer = Evaluate("mrr_start / customers_start else null", Unit.Money, values).Value;
        var backAgain = Evaluate("mrr_start / customers_start else null * 3", Unit.Money, values).Value;

        Assert.Equal(0.3333333333333333333333333333m, perCustomer);
        Assert.Equal(0.9999999999999999999999999999m, backAgain);
    }

    [Theory]
    [InlineData("mrr_start + mrr_expansion")]
    [InlineData("mrr_start * 10")]
    [InlineData("mrr_start / 0.1")]
    [InlineData("-mrr_start - mrr_expansion")]
    [InlineData("abs(mrr_start * 2) - 1")]
    public void ShouldGiveNullForAnOverflowRatherThanThrow(string formula)
    {
        var values = new TestValues().Set("mrr_start", decimal.MaxValue).Set("mrr_expansion", decimal.MaxValue);

        Assert.Equal(new FormulaValue(null, "overflow"), Evaluate(formula, Unit.Money, values));
    }

    [Fact]
    public void ShouldLetCoalesceReplaceAnOverflow()
    {
        var values = new TestValues().Set("mrr_start", decimal.MaxValue);

        Assert.Equal(-1m, Evaluate("coalesce(mrr_start * 2, -1)", Unit.Money, values).Value);
    }

    [Fact]
    public void ShouldKeepTheNullReasonOfAMissingMeasure()
    {
        Assert.Equal(new FormulaValue(null, "no value: mrr_start"), Evaluate("mrr_start * 2", Unit.Money, new TestValues()));
    }

    [Fact]
    public void ShouldEvaluateAFormulaBuiltByHandByParsingItsText()
    {
        var formula = new CompiledFormula { Text = "mrr_start * 2", Unit = Unit.Money, Reads = [("mrr_start", 0)] };

        Assert.Equal(2_000m, formula.Evaluate(NrrValues()).Value);
    }

    [Fact]
    public void ShouldRefuseToEvaluateAHandBuiltFormulaThatDoesNotParse()
    {
        var formula = new CompiledFormula { Text = "mrr_start *", Unit = Unit.Money, Reads = [] };

        var error = Assert.Throws<FormatException>(() => formula.Evaluate(NrrValues()));
        Assert.Contains("unexpected end of formula", error.Message, StringComparison.Ordinal);
    }
}
