namespace Governance.Domain.Metrics.Formulas;

/// <summary>
/// Computes a type-checked formula in <see cref="decimal"/>, exact for money. A null (unknown) value
/// goes up through every operation with the reason of the first null met, left to right; only
/// <c>coalesce</c>, the branch <c>if</c> does not take, and a division's <c>else</c> stop it.
/// True/false travel as 1 and 0: the type checker has made sure they never meet numbers.
/// </summary>
internal sealed class Evaluator(SourceText source, IMeasureValues values)
{
    private static readonly FormulaValue True = new(1m, null);
    private static readonly FormulaValue False = new(0m, null);
    private static readonly FormulaValue Overflow = Null("overflow");

    public FormulaValue Evaluate(FormulaExpression expression) => expression switch
    {
        NumberExpression number => Value(number.Value),
        MeasureExpression measure => Read(measure.Name, 0),
        UnaryExpression unary => Unary(unary),
        BinaryExpression binary => Binary(binary),
        DivideExpression divide => Divide(divide),
        CallExpression call => Call(call),
        _ => throw new InvalidOperationException($"a {expression.GetType().Name} cannot be evaluated on its own"),
    };

    private FormulaValue Read(string measure, int periodOffset) => values.Get(measure, periodOffset) is { } value
        ? Value(value)
        : Null(periodOffset == 0 ? $"no value: {measure}" : $"no value: prev({measure})");

    private FormulaValue Unary(UnaryExpression unary)
    {
        var operand = Evaluate(unary.Operand);
        if (operand.Value is not { } value)
        {
            return operand;
        }

        return unary.Operator == UnaryOperator.Negate ? Value(-value) : Bool(value == 0);
    }

    private FormulaValue Binary(BinaryExpression binary)
    {
        var left = Evaluate(binary.Left);
        if (left.Value is not { } l)
        {
            return left;
        }

        var right = Evaluate(binary.Right);
        if (right.Value is not { } r)
        {
            return right;
        }

        try
        {
            return binary.Operator switch
            {
                BinaryOperator.Add => Value(l + r),
                BinaryOperator.Subtract => Value(l - r),
                BinaryOperator.Multiply => Value(l * r),
                BinaryOperator.Less => Bool(l < r),
                BinaryOperator.LessOrEqual => Bool(l <= r),
                BinaryOperator.Greater => Bool(l > r),
                BinaryOperator.GreaterOrEqual => Bool(l >= r),
                BinaryOperator.Equal => Bool(l == r),
                BinaryOperator.NotEqual => Bool(l != r),
                BinaryOperator.And => Bool(l != 0 && r != 0),
                BinaryOperator.Or => Bool(l != 0 || r != 0),
                _ => throw new InvalidOperationException($"unknown operator {binary.Operator}"),
            };
        }
        catch (OverflowException)
        {
            return Overflow;
        }
    }

    private FormulaValue Divide(DivideExpression divide)
    {
        var numerator = Evaluate(divide.Numerator);
        if (numerator.Value is not { } n)
        {
            return numerator;
        }

        var denominator = Evaluate(divide.Denominator);
        if (denominator.Value is not { } d)
        {
            return denominator;
        }

        if (d == 0)
        {
            return divide.Fallback is null or NullExpression
                ? Null($"zero denominator: {source.Slice(divide.Denominator.Span)}")
                : Evaluate(divide.Fallback);
        }

        try
        {
            return Value(n / d);
        }
        catch (OverflowException)
        {
            return Overflow;
        }
    }

    private FormulaValue Call(CallExpression call)
    {
        var arguments = call.Arguments;
        switch (call.Function)
        {
            case FormulaFunction.Prev:
                return Read(((MeasureExpression)arguments[0]).Name, -1);
            case FormulaFunction.Median:
                return Median(arguments[0]);
            case FormulaFunction.If:
                {
                    var condition = Evaluate(arguments[0]);
                    return condition.Value is not { } c ? condition : Evaluate(arguments[c != 0 ? 1 : 2]);
                }

            case FormulaFunction.Coalesce:
                {
                    FormulaValue? firstNull = null;
                    foreach (var argument in arguments)
                    {
                        var value = Evaluate(argument);
                        if (value.Value is not null)
                        {
                            return value;
                        }

                        firstNull ??= value;
                    }

                    return firstNull!.Value;
                }
        }

        var numbers = new decimal[arguments.Count];
        for (var i = 0; i < numbers.Length; i++)
        {
            var value = Evaluate(arguments[i]);
            if (value.Value is not { } number)
            {
                return value;
            }

            numbers[i] = number;
        }

        return call.Function switch
        {
            FormulaFunction.Min => Value(numbers.Min()),
            FormulaFunction.Max => Value(numbers.Max()),
            FormulaFunction.Abs => Value(Math.Abs(numbers[0])),

            // Math.Clamp throws on reversed bounds; a formula gives a null with the reason instead.
            FormulaFunction.Clamp => numbers[1] > numbers[2]
                ? Null($"clamp bounds reversed: {source.Slice(arguments[1].Span)} is above {source.Slice(arguments[2].Span)}")
                : Value(Math.Clamp(numbers[0], numbers[1], numbers[2])),
            _ => throw new InvalidOperationException($"`{call.Name}` is no function: the type checker lets no such formula through"),
        };
    }

    private FormulaValue Median(FormulaExpression argument)
    {
        var (measure, periodOffset) = argument switch
        {
            MeasureExpression m => (m.Name, 0),
            CallExpression { Function: FormulaFunction.Prev, Arguments: [MeasureExpression m] } => (m.Name, -1),
            _ => throw new InvalidOperationException("median(…) takes a distribution measure: the type checker lets nothing else through"),
        };
        return values.GetDistribution(measure, periodOffset) is { } distribution
            ? DistributionMedian.Of(distribution)
            : Null(periodOffset == 0 ? $"no value: {measure}" : $"no value: prev({measure})");
    }

    private static FormulaValue Value(decimal value) => new(value, null);

    private static FormulaValue Bool(bool value) => value ? True : False;

    private static FormulaValue Null(string reason) => new(null, reason);
}
