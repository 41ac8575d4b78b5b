namespace Governance.Domain.Metrics.Formulas;

/// <summary>
/// Gives every node a type and reports every problem, not only the first: a node found wrong gets
/// <see cref="FormulaType.Error"/>, which fits everywhere, so nothing above it reports the same
/// mistake again.
/// </summary>
/// <remarks>
/// Units must make sense so that a KPI cannot silently add money to customers: <c>+ -</c>, comparisons,
/// and the arguments of min, max, clamp, coalesce and the branches of if need one unit (a plain number
/// takes the other side's); <c>*</c> scales a quantity by a plain number or a ratio; <c>/</c> gives a
/// ratio for like units and an amount per item for money, duration or score over a count. A division
/// by anything but a non-zero number must say with <c>else</c> what a zero denominator gives.
/// </remarks>
internal sealed class TypeChecker
{
    private readonly SourceText _source;
    private readonly IMeasureCatalog _measures;
    private readonly List<FormulaError> _errors = [];
    private readonly List<(string Measure, int PeriodOffset)> _reads = [];
    private bool _namesAMeasure;

    private TypeChecker(SourceText source, IMeasureCatalog measures)
    {
        _source = source;
        _measures = measures;
    }

    /// <summary>The errors in text order, and the measures the formula reads in order of first appearance.</summary>
    public static (IReadOnlyList<FormulaError> Errors, IReadOnlyList<(string Measure, int PeriodOffset)> Reads) Check(
        FormulaExpression formula, Unit declaredUnit, IMeasureCatalog measures, SourceText source)
    {
        var checker = new TypeChecker(source, measures);
        var type = checker.TypeOf(formula);
        checker.CheckResult(formula, type, declaredUnit);

        // A formula with other errors is unfinished: that it reads no measure yet (`prev()`) would mostly repeat them.
        if (!checker._namesAMeasure && checker._errors.Count == 0)
        {
            checker.Report(FormulaErrorCodes.NoMeasure, formula.Span,
                "the formula reads no measure, so it would give the same number for every account and period: use at least one measure, such as `"
                + (measures.All.FirstOrDefault()?.Name ?? "mrr_start") + "`");
        }

        return ([.. checker._errors.OrderBy(e => e.Offset)], checker._reads);
    }

    private FormulaType TypeOf(FormulaExpression expression, bool distributionAllowed = false) => expression switch
    {
        NumberExpression => FormulaType.Number,
        MeasureExpression measure => Measure(measure, 0, distributionAllowed),
        UnaryExpression unary => Unary(unary),
        BinaryExpression binary => Binary(binary),
        DivideExpression divide => Divide(divide),
        CallExpression call => Call(call, distributionAllowed),
        _ => Fail(FormulaErrorCodes.Syntax, expression.Span, "`null` can only be the fallback of a division, as in `a / b else null`"),
    };

    private FormulaType Measure(MeasureExpression measure, int periodOffset, bool distributionAllowed)
    {
        _namesAMeasure = true;
        var info = _measures.Find(measure.Name);
        if (info is null)
        {
            var message = $"unknown measure `{measure.Name}`";
            if (FunctionInfo.Find(measure.Name) is { } function)
            {
                message += $": `{function.Name}` is a function, called as `{function.Usage}`";
            }
            else if (NameSuggestions.Closest(measure.Name, _measures.All.Select(m => m.Name), 3) is { } suggestion)
            {
                message += $": did you mean `{suggestion}`?";
            }

            return Fail(FormulaErrorCodes.UnknownMeasure, measure.Span, message);
        }

        if (!_reads.Contains((info.Name, periodOffset)))
        {
            _reads.Add((info.Name, periodOffset));
        }

        if (!info.IsDistribution)
        {
            return FormulaType.Of(info.Unit);
        }

        return distributionAllowed
            ? FormulaType.DistributionOf(info.Unit)
            : Fail(FormulaErrorCodes.DistributionMisuse, measure.Span,
                $"`{info.Name}` is a distribution, not a number: use its median, `median({info.Name})`");
    }

    private FormulaType Unary(UnaryExpression unary)
    {
        var type = TypeOf(unary.Operand);
        if (unary.Operator == UnaryOperator.Not)
        {
            ExpectBool(unary.Operand, type, "`not`");
            return FormulaType.Bool;
        }

        return type.Kind == TypeKind.Bool
            ? Fail(FormulaErrorCodes.UnitMismatch, unary.Span, $"cannot negate true/false ({Quote(unary.Operand)}): use `not`")
            : type;
    }

    private FormulaType Binary(BinaryExpression binary)
    {
        var left = TypeOf(binary.Left);
        var right = TypeOf(binary.Right);
        var symbol = _source.Slice(binary.OperatorSpan);
        switch (binary.Operator)
        {
            case BinaryOperator.And or BinaryOperator.Or:
                ExpectBool(binary.Left, left, $"`{symbol}`");
                ExpectBool(binary.Right, right, $"`{symbol}`");
                return FormulaType.Bool;
            case BinaryOperator.Add or BinaryOperator.Subtract:
                if (!ExpectNumber(binary.Left, left, $"`{symbol}`") | !ExpectNumber(binary.Right, right, $"`{symbol}`"))
                {
                    return FormulaType.Error;
                }

                return FormulaType.Unify(left, right) ?? Fail(FormulaErrorCodes.UnitMismatch, binary.OperatorSpan,
                    $"unit mismatch: {left} {symbol} {right} ({Quote(binary.Left)} is {left}, {Quote(binary.Right)} is {right}); only the same units add up");
            case BinaryOperator.Multiply:
                if (!ExpectNumber(binary.Left, left, "`*`") | !ExpectNumber(binary.Right, right, "`*`"))
                {
                    return FormulaType.Error;
                }

                return Product(left, right) ?? Fail(FormulaErrorCodes.UnitMismatch, binary.OperatorSpan,
                    $"cannot multiply {left} by {right} ({Quote(binary.Left)} is {left}, {Quote(binary.Right)} is {right}): a quantity can only be multiplied by a ratio or a plain number");
            default:
                if (ExpectNumber(binary.Left, left, $"`{symbol}`") & ExpectNumber(binary.Right, right, $"`{symbol}`")
                    && FormulaType.Unify(left, right) is null)
                {
                    Report(FormulaErrorCodes.UnitMismatch, binary.OperatorSpan,
                        $"cannot compare {left} with {right} ({Quote(binary.Left)} is {left}, {Quote(binary.Right)} is {right})");
                }

                return FormulaType.Bool;
        }
    }

    /// <summary>The type of a product of two numeric types; null if it has no unit a measure could have.</summary>
    private static FormulaType? Product(FormulaType left, FormulaType right)
    {
        if (left.Kind == TypeKind.Number)
        {
            return right;
        }

        if (right.Kind == TypeKind.Number || right.IsQuantity(Unit.Ratio))
        {
            return left;
        }

        return left.IsQuantity(Unit.Ratio) ? right : null;
    }

    private FormulaType Divide(DivideExpression divide)
    {
        var numerator = TypeOf(divide.Numerator);
        var denominator = TypeOf(divide.Denominator);
        var constant = Constant(divide.Denominator);
        if (constant == 0)
        {
            Report(FormulaErrorCodes.DivisionByZero, divide.Denominator.Span, $"division by zero: {Quote(divide.Denominator)} is 0");
        }
        else if (constant is null && divide.Fallback is null)
        {
            var quoted = Quote(divide.Denominator);
            Report(FormulaErrorCodes.UnguardedDivision, divide.Denominator.Span,
                $"division by {quoted} may be zero: say what it gives then, e.g. `… / {quoted.Trim('`')} else null` or `else 0`");
        }

        var result = Quotient(divide, numerator, denominator);
        if (divide.Fallback is null or NullExpression)
        {
            return result;
        }

        var fallback = TypeOf(divide.Fallback);
        if (!ExpectNumber(divide.Fallback, fallback, "`else`"))
        {
            return result;
        }

        return FormulaType.Unify(result, fallback) ?? Fail(FormulaErrorCodes.UnitMismatch, divide.Fallback.Span,
            $"the fallback after `else` must be {result} like the division it stands in for, but {Quote(divide.Fallback)} is {fallback}");
    }

    private FormulaType Quotient(DivideExpression divide, FormulaType numerator, FormulaType denominator)
    {
        if (!ExpectNumber(divide.Numerator, numerator, "`/`") | !ExpectNumber(divide.Denominator, denominator, "`/`"))
        {
            return FormulaType.Error;
        }

        if (numerator.Kind == TypeKind.Number)
        {
            return denominator.Kind == TypeKind.Number
                ? FormulaType.Number
                : Fail(FormulaErrorCodes.UnitMismatch, divide.OperatorSpan,
                    $"cannot divide a plain number by {denominator} ({Quote(divide.Denominator)}): it would give a unit no measure has");
        }

        // A ratio over a ratio is both "X / ratio" and "X / X": a ratio either way.
        if (denominator.Kind == TypeKind.Number || denominator.IsQuantity(Unit.Ratio))
        {
            return numerator;
        }

        if (numerator == denominator)
        {
            return FormulaType.Of(Unit.Ratio);
        }

        // An amount per item stays in the amount's unit: revenue per customer, hours per ticket.
        return denominator.IsQuantity(Unit.Count) && numerator.Unit is Unit.Money or Unit.Duration or Unit.Score
            ? numerator
            : Fail(FormulaErrorCodes.UnitMismatch, divide.OperatorSpan,
                $"cannot divide {numerator} by {denominator} ({Quote(divide.Numerator)} is {numerator}, {Quote(divide.Denominator)} is {denominator})");
    }

    /// <summary>The value of a number written in the formula (possibly negated), or null for anything else.</summary>
    private static decimal? Constant(FormulaExpression expression) => expression switch
    {
        NumberExpression number => number.Value,
        UnaryExpression { Operator: UnaryOperator.Negate } negation => -Constant(negation.Operand),
        _ => null,
    };

    private FormulaType Call(CallExpression call, bool distributionAllowed)
    {
        if (call.Function is not { } function)
        {
            // What an unknown function takes is unknown too: a distribution argument is no further mistake.
            foreach (var argument in call.Arguments)
            {
                TypeOf(argument, distributionAllowed: true);
            }

            var names = FunctionInfo.All.Select(f => f.Name).ToList();
            var suggestion = NameSuggestions.Closest(call.Name, names, 2) is { } closest ? $" (did you mean `{closest}`?)" : "";
            return Fail(FormulaErrorCodes.UnknownFunction, call.NameSpan,
                $"unknown function `{call.Name}`{suggestion}; the functions are {string.Join(", ", names)}");
        }

        var info = FunctionInfo.Of(function);
        var arguments = call.Arguments;
        if (arguments.Count < info.MinArguments || arguments.Count > info.MaxArguments)
        {
            foreach (var argument in arguments)
            {
                TypeOf(argument, distributionAllowed: function is FormulaFunction.Median or FormulaFunction.Prev);
            }

            return Fail(FormulaErrorCodes.Arity, call.Span,
                $"`{info.Name}` takes {info.Arguments}, as in `{info.Usage}`, but was given {arguments.Count}");
        }

        switch (function)
        {
            case FormulaFunction.Prev:
                if (arguments[0] is MeasureExpression measure)
                {
                    return Measure(measure, -1, distributionAllowed);
                }

                TypeOf(arguments[0]);
                return Fail(FormulaErrorCodes.Syntax, arguments[0].Span,
                    $"prev(…) takes a measure name, as in `prev(mrr_expansion)`, but was given {Quote(arguments[0])}");
            case FormulaFunction.Median:
                return Median(arguments[0]);
            case FormulaFunction.If:
                ExpectBool(arguments[0], TypeOf(arguments[0]), "the condition of if(…)");
                return Agreeing(info, arguments.Skip(1), allowBool: true);
            case FormulaFunction.Coalesce:
                return Agreeing(info, arguments, allowBool: true);
            default:
                return Agreeing(info, arguments, allowBool: false);
        }
    }

    private FormulaType Median(FormulaExpression argument)
    {
        var type = TypeOf(argument, distributionAllowed: true);
        if (type.Kind is TypeKind.Distribution or TypeKind.Error)
        {
            return type.Kind == TypeKind.Error ? type : FormulaType.Of(type.Unit);
        }

        var distributions = _measures.All.Where(m => m.IsDistribution).Select(m => $"`{m.Name}`").ToList();
        var examples = distributions.Count == 0 ? "" : $" ({string.Join(", ", distributions)})";
        return Fail(FormulaErrorCodes.NotADistribution, argument.Span,
            $"median(…) takes a distribution measure{examples}, but {Quote(argument)} is {type}");
    }

    /// <summary>The common type of arguments that must agree (min, max, clamp, coalesce, the branches of if).</summary>
    private FormulaType Agreeing(FunctionInfo function, IEnumerable<FormulaExpression> arguments, bool allowBool)
    {
        FormulaType? common = null;
        FormulaExpression? first = null;
        var failed = false;
        foreach (var argument in arguments)
        {
            var type = TypeOf(argument);
            if (!allowBool && !ExpectNumber(argument, type, $"{function.Name}(…)"))
            {
                failed = true;
                continue;
            }

            if (common is null)
            {
                (common, first) = (type, argument);
                continue;
            }

            var unified = FormulaType.Unify(common.Value, type);
            if (unified is null)
            {
                Report(FormulaErrorCodes.UnitMismatch, argument.Span,
                    $"the arguments of {function.Name}(…) must have the same unit, but {Quote(first!)} is {common} and {Quote(argument)} is {type}");
                failed = true;
                continue;
            }

            common = unified;
        }

        return failed ? FormulaType.Error : common ?? FormulaType.Error;
    }

    private void CheckResult(FormulaExpression formula, FormulaType type, Unit declared)
    {
        var name = FormulaType.Name(declared);
        switch (type.Kind)
        {
            case TypeKind.Bool:
                Report(FormulaErrorCodes.ResultUnit, formula.Span,
                    $"the formula gives true/false, but the metric is declared {name}: to turn a condition into a number, use `if(…, 1, 0)`");
                break;
            case TypeKind.Number when declared is not (Unit.Ratio or Unit.Score):
                Report(FormulaErrorCodes.ResultUnit, formula.Span,
                    $"the formula gives a plain number, but the metric is declared {name}: only ratio and score metrics may be plain numbers");
                break;
            case TypeKind.Quantity when type.Unit != declared && !(type.Unit == Unit.Ratio && declared == Unit.Score):
                Report(FormulaErrorCodes.ResultUnit, formula.Span, $"the formula gives {type}, but the metric is declared {name}");
                break;
        }
    }

    /// <summary>Reports a number where true/false is needed; false if so.</summary>
    private bool ExpectBool(FormulaExpression expression, FormulaType type, string what)
    {
        if (type.Kind is TypeKind.Bool or TypeKind.Error)
        {
            return true;
        }

        Report(FormulaErrorCodes.UnitMismatch, expression.Span, $"{what} needs true/false, such as `a > b`, but {Quote(expression)} is {type}");
        return false;
    }

    /// <summary>Reports true/false where a number is needed; false if so, or if the type is already an error.</summary>
    private bool ExpectNumber(FormulaExpression expression, FormulaType type, string what)
    {
        if (type.Kind == TypeKind.Bool)
        {
            Report(FormulaErrorCodes.UnitMismatch, expression.Span, $"{what} needs a number, but {Quote(expression)} is true/false");
        }

        return type.IsNumeric;
    }

    private string Quote(FormulaExpression expression) => _source.Quote(expression.Span);

    private FormulaType Fail(string code, TextSpan span, string message)
    {
        Report(code, span, message);
        return FormulaType.Error;
    }

    private void Report(string code, TextSpan span, string message) => _errors.Add(_source.Error(code, message, span));
}
