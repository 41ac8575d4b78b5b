using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Formulas;
using static Governance.Domain.Tests.Metrics.Formulas.FormulaTesting;

namespace Governance.Domain.Tests.Metrics.Formulas;

/// <summary>Text that is no formula: one SYNTAX (or TOO_LONG / TOO_DEEP) error, at the first problem.</summary>
public sealed class FormulaSyntaxErrorTests
{
    internal static void AssertError(FormulaError error, string code, int offset, int line, int column, int length, string fragment)
    {
        Assert.Equal(code, error.Code);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal((offset, line, column, length), (error.Offset, error.Line, error.Column, error.Length));
    }

    [Fact]
    public void ShouldPointAtTheCommaWhereAClosingParenthesisWasExpected()
    {
        var error = Error("(mrr_start, mrr_expansion)", Unit.Money);

        AssertError(error, "SYNTAX", offset: 10, line: 1, column: 11, length: 1, "expected `)` but found `,`");
    }

    [Fact]
    public void ShouldSayTheFormulaEndsTooSoon()
    {
        var error = Error("mrr_start +", Unit.Money);

        AssertError(error, "SYNTAX", offset: 11, line: 1, column: 12, length: 0, "unexpected end of formula");
    }

    [Fact]
    public void ShouldGiveTheLineAndColumnOfAnErrorOnALaterLine()
    {
        // Offsets: line 1 is 27 characters and its newline (0–27), line 2 is 21 and its newline (28–49), so
        // line 3 starts at 50 and its `*` (column 5) is at 54.
        const string formula = "(mrr_start + mrr_expansion)\n/ mrr_start else null\n  + * 3";

        var error = Error(formula, Unit.Ratio);

        AssertError(error, "SYNTAX", offset: 54, line: 3, column: 5, length: 1, "expected a number, a measure name or `(` but found `*`");
    }

    [Fact]
    public void ShouldCountAWindowsLineEndAsOneLine()
    {
        var error = Error("mrr_start\r\n  + )", Unit.Money);

        AssertError(error, "SYNTAX", offset: 15, line: 2, column: 5, length: 1, "found `)`");
    }

    [Fact]
    public void ShouldReportOnlyTheFirstSyntaxError()
    {
        // The `$` after the first problem is not even looked at.
        var result = Compile("mrr_start + * ) ( $", Unit.Money);

        AssertError(Assert.Single(result.Errors), "SYNTAX", offset: 12, line: 1, column: 13, length: 1, "found `*`");
    }

    [Fact]
    public void ShouldReportABadCharacterWhenTheParserReachesIt()
    {
        var error = Error("mrr_start $ mrr_churned", Unit.Money);

        AssertError(error, "SYNTAX", offset: 10, line: 1, column: 11, length: 1, "unexpected `$`");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    [InlineData(null)]
    [InlineData("# only a comment\n")]
    public void ShouldRefuseAnEmptyFormula(string? text)
    {
        var error = Error(text!, Unit.Money);

        AssertError(error, "SYNTAX", offset: 0, line: 1, column: 1, length: 0, "formula is empty");
    }

    [Fact]
    public void ShouldRefuseChainedComparisons()
    {
        var error = Error("if(customers_lost < customers_start < nps_responses, 1, 0)", Unit.Ratio);

        AssertError(error, "SYNTAX", offset: 36, line: 1, column: 37, length: 1, "comparisons do not chain");
    }

    [Fact]
    public void ShouldSuggestTheLowerCaseNameForAnUpperCaseOne()
    {
        var error = Error("MRR_Start / customers_start else null", Unit.Money);

        AssertError(error, "SYNTAX", offset: 0, line: 1, column: 1, length: 9, "write `mrr_start`, not `MRR_Start`");
    }

    [Fact]
    public void ShouldRefuseAnUpperCaseFunctionName()
    {
        var error = Error("MAX(mrr_start, 0)", Unit.Money);

        AssertError(error, "SYNTAX", offset: 0, line: 1, column: 1, length: 3, "write `max`");
    }

    [Fact]
    public void ShouldRefuseElseAfterAnythingButADivision()
    {
        var error = Error("mrr_start * 2 else 0", Unit.Money);

        AssertError(error, "SYNTAX", offset: 14, line: 1, column: 15, length: 4, "`else` can only follow a division");
    }

    [Fact]
    public void ShouldRefuseASecondElse()
    {
        var error = Error("mrr_start / customers_start else 0 else 1", Unit.Money);

        AssertError(error, "SYNTAX", offset: 35, line: 1, column: 36, length: 4, "`else` can only follow a division");
    }

    [Fact]
    public void ShouldRefuseNullOutsideAFallback()
    {
        var error = Error("coalesce(mrr_start, null)", Unit.Money);

        AssertError(error, "SYNTAX", offset: 20, line: 1, column: 21, length: 4, "`null` can only be the fallback of a division");
    }

    [Fact]
    public void ShouldRefuseAKeywordAsAMeasureName()
    {
        var error = Error("mrr_start + and", Unit.Money);

        AssertError(error, "SYNTAX", offset: 12, line: 1, column: 13, length: 3, "but found `and`");
    }

    [Theory]
    [InlineData("mrr_start = mrr_churned", 10, 1, "write `==`")]
    [InlineData("mrr_start % 2", 10, 1, "100 times a ratio")]
    [InlineData("mrr_start − mrr_churned", 10, 1, "write `-`")]
    [InlineData("mrr_start && mrr_churned", 10, 1, "write `and`")]
    [InlineData("mrr_start * .5", 12, 1, "`0.5`")]
    [InlineData("mrr_start * 1.", 12, 2, "expected a digit after the decimal point")]
    [InlineData("mrr_start * 1e5", 12, 3, "neither a number nor a name")]
    [InlineData("mrr_start * 2x", 12, 2, "neither a number nor a name")]
    [InlineData("mrr_start * 1.2.3", 12, 5, "neither a number nor a name")]
    [InlineData("mrr_start * 99999999999999999999999999999999", 12, 32, "too large")]
    [InlineData("mrr_start * 'x'", 12, 1, "unexpected `'`")]
    public void ShouldExplainTextThatIsNoToken(string formula, int offset, int length, string fragment)
    {
        var error = Error(formula, Unit.Money);

        AssertError(error, "SYNTAX", offset, line: 1, column: offset + 1, length, fragment);
    }

    [Fact]
    public void ShouldRefuseAClosingParenthesisWithNothingToClose()
    {
        var error = Error("mrr_start)", Unit.Money);

        AssertError(error, "SYNTAX", offset: 9, line: 1, column: 10, length: 1, "no `(` for it to close");
    }

    [Fact]
    public void ShouldRefuseATrailingCommaInACall()
    {
        var error = Error("min(mrr_start,)", Unit.Money);

        AssertError(error, "SYNTAX", offset: 14, line: 1, column: 15, length: 1, "expected a number, a measure name or `(` but found `)`");
    }

    [Fact]
    public void ShouldRefuseAnUnclosedCall()
    {
        var error = Error("max(mrr_start, 0", Unit.Money);

        AssertError(error, "SYNTAX", offset: 16, line: 1, column: 17, length: 0, "unexpected end of formula: expected `,` or `)`");
    }

    [Fact]
    public void ShouldRefuseTwoOperandsWithoutAnOperator()
    {
        var error = Error("mrr_start mrr_churned", Unit.Money);

        AssertError(error, "SYNTAX", offset: 10, line: 1, column: 11, length: 11, "expected an operator or the end of the formula but found `mrr_churned`");
    }

    [Fact]
    public void ShouldIgnoreCommentsAndNewlines()
    {
        const string formula = """
            # Net revenue retention: what the customers at the start pay now.
            (mrr_start + mrr_expansion   # grows
               - mrr_contraction - mrr_churned)   # shrinks
            / mrr_start else null
            """;

        Assert.True(Compile(formula, Unit.Ratio).IsValid);
    }

    [Fact]
    public void ShouldPointPastACommentAtTheErrorAfterIt()
    {
        const string formula = "mrr_start # a comment with ) and ( in it\n  * * 2";

        var error = Error(formula, Unit.Money);

        AssertError(error, "SYNTAX", offset: 45, line: 2, column: 5, length: 1, "found `*`");
    }

    [Fact]
    public void ShouldRefuseAFormulaLongerThanTheLimitAndPointAtWhereItGoesOver()
    {
        var formula = "mrr_start" + new string(' ', 1_992);
        Assert.Equal(2_001, formula.Length);

        var error = Error(formula, Unit.Money);

        AssertError(error, "TOO_LONG", offset: 2_000, line: 1, column: 2_001, length: 1, "the limit is 2,000");
    }

    [Fact]
    public void ShouldAcceptAFormulaOfExactlyTheLimitWithoutRunningOutOfStack()
    {
        // `mrr_start+1+1+…` parses into a left-leaning tree 996 levels deep, the deepest 2,000 characters can give.
        var formula = "mrr_start" + string.Concat(Enumerable.Repeat("+1", 995)) + " ";
        Assert.Equal(2_000, formula.Length);

        var compiled = Compiled(formula, Unit.Money);

        Assert.Equal(1_000.5m, compiled.Evaluate(new TestValues().Set("mrr_start", 5.5m)).Value);
    }

    [Fact]
    public void ShouldAcceptNestingUpToTheLimit()
    {
        var formula = new string('(', 64) + "mrr_start" + new string(')', 64);

        Assert.True(Compile(formula, Unit.Money).IsValid);
    }

    [Theory]
    [InlineData('(')]
    [InlineData('-')]
    public void ShouldRefuseNestingBeyondTheLimitAtTheOpeningThatGoesOver(char opening)
    {
        var formula = new string(opening, 65) + "mrr_start" + (opening == '(' ? new string(')', 65) : "");

        var error = Error(formula, Unit.Money);

        AssertError(error, "TOO_DEEP", offset: 64, line: 1, column: 65, length: 1, "more than 64 levels");
    }

    [Fact]
    public void ShouldCountFunctionCallsAsNesting()
    {
        // The 65th `abs(` starts at 64 × 4 = 256; its `(` is at 259.
        var formula = string.Concat(Enumerable.Repeat("abs(", 65)) + "mrr_start" + new string(')', 65);

        AssertError(Error(formula, Unit.Money), "TOO_DEEP", offset: 259, line: 1, column: 260, length: 1, "more than 64 levels");
    }

    [Fact]
    public void ShouldCountNotAsNesting()
    {
        // 40 calls and `if(` make 41 levels; the 24th `not` is the 65th, at 40 × 4 + 3 + 23 × 4 = 255.
        var formula = string.Concat(Enumerable.Repeat("abs(", 40)) + "if(" + string.Concat(Enumerable.Repeat("not ", 30))
            + "mrr_start > 0, mrr_start, 0)" + new string(')', 40);

        AssertError(Error(formula, Unit.Money), "TOO_DEEP", offset: 255, line: 1, column: 256, length: 3, "more than 64 levels");
    }

    [Fact]
    public void ShouldRefuseHugeNestingWithAnErrorNotAStackOverflow()
    {
        var formula = new string('(', 1_990) + "mrr_start";

        Assert.Equal("TOO_DEEP", Error(formula, Unit.Money).Code);
    }
}
