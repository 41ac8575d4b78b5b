using System.Globalization;
using System.Text;
using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Formulas;

namespace Governance.Domain.Tests.Metrics.Formulas;

/// <summary>
/// Random well-typed formulas, built as trees, printed with as few parentheses as the grammar allows
/// (plus some spare ones, comments and newlines), must compile and give the value of the tree itself,
/// computed here without the parser. A precedence or associativity bug in the parser, or a gap between
/// the typing rules and what formulas mean, shows as a tree whose text means something else.
/// </summary>
public sealed class FormulaRoundTripTests
{
    private const int FormulaCount = 1_500;
    private const int ValueSetsPerFormula = 3;

    private static readonly string[] MoneyMeasures = ["mrr_start", "mrr_expansion", "mrr_contraction", "mrr_churned"];
    private static readonly string[] CountMeasures = ["customers_start", "customers_lost", "nps_responses"];
    private static readonly string[] RatioMeasures = ["renewal_rate_target"];
    private static readonly decimal[] Literals = [0m, 1m, 2m, 3m, 10m, 100m, 0.5m, 1.25m];

    private enum Ty
    {
        Money,
        Count,
        Ratio,
        Number,
        Bool,
    }

    [Fact]
    public void ShouldParseRandomFormulasBackToWhatTheirTreesMean()
    {
        var random = new Random(20_250_615);
        for (var i = 0; i < FormulaCount; i++)
        {
            var (tree, unit) = new Generator(random).Formula();
            var text = new Printer(random).Print(tree);
            if (text.Length > FormulaCompiler.MaxLength)
            {
                i--;
                continue;
            }

            var result = FormulaCompiler.Compile(text, unit, TestMeasures.Catalog);

            Assert.True(result.IsValid, $"`{text}` ({unit}) was refused: {string.Join("; ", result.Errors.Select(e => $"{e.Code} at {e.Column}: {e.Message}"))}");
            Assert.Equal(Reads(tree), result.Formula!.Reads);
            for (var j = 0; j < ValueSetsPerFormula; j++)
            {
                var values = RandomValues(random);
                Assert.True(
                    Value(tree, values) == result.Formula.Evaluate(values).Value,
                    $"`{text}`: the tree gives {Value(tree, values)}, the text {result.Formula.Evaluate(values).Value}");
            }
        }
    }

    private static TestValues RandomValues(Random random)
    {
        var values = new TestValues();
        foreach (var measure in MoneyMeasures.Concat(CountMeasures).Concat(RatioMeasures))
        {
            foreach (var offset in new[] { 0, -1 })
            {
                // Nulls and zeros are frequent: they are where null propagation and fallbacks are tested.
                values.Set(measure, random.Next(20) switch
                {
                    0 => null,
                    1 or 2 or 3 => 0m,
                    4 or 5 => random.Next(1, 1_000) / 100m,
                    _ => random.Next(1, 20),
                }, offset);
            }
        }

        return values;
    }

    /// <summary>Measures in order of first appearance: the order the printer writes the tree in.</summary>
    private static List<(string, int)> Reads(Node tree)
    {
        var reads = new List<(string, int)>();
        void Walk(Node node)
        {
            switch (node)
            {
                case Measure m when !reads.Contains((m.Name, m.Prev ? -1 : 0)):
                    reads.Add((m.Name, m.Prev ? -1 : 0));
                    break;
                case Negate n:
                    Walk(n.Operand);
                    break;
                case Not n:
                    Walk(n.Operand);
                    break;
                case Binary b:
                    Walk(b.Left);
                    Walk(b.Right);
                    break;
                case Divide d:
                    Walk(d.Numerator);
                    Walk(d.Denominator);
                    if (d.Fallback is not null)
                    {
                        Walk(d.Fallback);
                    }

                    break;
                case Call c:
                    foreach (var argument in c.Arguments)
                    {
                        Walk(argument);
                    }

                    break;
            }
        }

        Walk(tree);
        return reads;
    }

    /// <summary>The tree's value, straight from the meaning of each node (true is 1, false 0, null unknown).</summary>
    private static decimal? Value(Node node, TestValues values)
    {
        try
        {
            return node switch
            {
                Literal l => l.Value,
                Measure m => values.Get(m.Name, m.Prev ? -1 : 0),
                Negate n => -Value(n.Operand, values),
                Not n => Value(n.Operand, values) is { } v ? v == 0 ? 1 : 0 : null,
                Binary b => Value(b.Left, values) is { } l && Value(b.Right, values) is { } r ? Apply(b.Operator, l, r) : null,
                Divide d => Value(d.Numerator, values) is { } n && Value(d.Denominator, values) is { } v
                    ? v != 0 ? n / v : d.Fallback is null ? null : Value(d.Fallback, values)
                    : null,
                Call c => CallValue(c, values),
                _ => throw new InvalidOperationException(node.ToString()),
            };
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static decimal Apply(string op, decimal l, decimal r) => op switch
    {
        "+" => l + r,
        "-" => l - r,
        "*" => l * r,
        "<" => l < r ? 1 : 0,
        "<=" => l <= r ? 1 : 0,
        ">" => l > r ? 1 : 0,
        ">=" => l >= r ? 1 : 0,
        "==" => l == r ? 1 : 0,
        "!=" => l != r ? 1 : 0,
        "and" => l != 0 && r != 0 ? 1 : 0,
        "or" => l != 0 || r != 0 ? 1 : 0,
        _ => throw new InvalidOperationException(op),
    };

    private static decimal? CallValue(Call call, TestValues values)
    {
        if (call.Name == "if")
        {
            return Value(call.Arguments[0], values) is { } condition ? Value(call.Arguments[condition != 0 ? 1 : 2], values) : null;
        }

        var arguments = call.Arguments.Select(a => Value(a, values)).ToList();
        if (call.Name == "coalesce")
        {
            return arguments.FirstOrDefault(a => a is not null);
        }

        if (arguments.Any(a => a is null))
        {
            return null;
        }

        var numbers = arguments.Select(a => a!.Value).ToList();
        return call.Name switch
        {
            "min" => numbers.Min(),
            "max" => numbers.Max(),
            "abs" => Math.Abs(numbers[0]),
            "clamp" => numbers[1] > numbers[2] ? null : Math.Min(Math.Max(numbers[0], numbers[1]), numbers[2]),
            _ => throw new InvalidOperationException(call.Name),
        };
    }

    private abstract record Node;

    private sealed record Literal(decimal Value) : Node;

    private sealed record Measure(string Name, bool Prev) : Node;

    private sealed record Negate(Node Operand) : Node;

    private sealed record Not(Node Operand) : Node;

    private sealed record Binary(string Operator, Node Left, Node Right) : Node;

    /// <summary>A division; <see cref="Fallback"/> is null both for <c>else null</c> and (with a literal denominator) for no <c>else</c>.</summary>
    private sealed record Divide(Node Numerator, Node Denominator, Node? Fallback, bool HasElse) : Node;

    private sealed record Call(string Name, Node[] Arguments) : Node;

    /// <summary>Builds trees that type-check: each node is built for the type its parent needs.</summary>
    private sealed class Generator(Random random)
    {
        private static readonly string[] Comparisons = ["<", "<=", ">", ">=", "==", "!="];

        public (Node Tree, Unit Unit) Formula()
        {
            while (true)
            {
                var (type, unit) = random.Next(3) switch
                {
                    0 => (Ty.Money, Unit.Money),
                    1 => (Ty.Count, Unit.Count),
                    _ => (Ty.Ratio, Unit.Ratio),
                };
                var tree = Build(type, random.Next(1, 6));
                if (Reads(tree).Count > 0)
                {
                    return (tree, unit);
                }
            }
        }

        private Node Build(Ty type, int depth)
        {
            if (depth <= 0 || random.Next(5) == 0)
            {
                return Leaf(type);
            }

            var d = depth - 1;
            return type switch
            {
                Ty.Bool => random.Next(4) switch
                {
                    0 => new Binary("and", Build(Ty.Bool, d), Build(Ty.Bool, d)),
                    1 => new Binary("or", Build(Ty.Bool, d), Build(Ty.Bool, d)),
                    2 => new Not(Build(Ty.Bool, d)),
                    _ => Comparison(d),
                },
                Ty.Number => random.Next(9) switch
                {
                    0 => new Binary("+", Build(Ty.Number, d), Build(Ty.Number, d)),
                    1 => new Binary("-", Build(Ty.Number, d), Build(Ty.Number, d)),
                    2 => new Binary("*", Build(Ty.Number, d), Build(Ty.Number, d)),
                    3 => Division(Build(Ty.Number, d), Build(Ty.Number, d), Ty.Number, d),
                    4 => new Negate(Build(Ty.Number, d)),
                    _ => Function(Ty.Number, d),
                },
                _ => Quantity(type, d),
            };
        }

        private Node Quantity(Ty type, int d)
        {
            switch (random.Next(12))
            {
                case 0:
                    return new Binary(random.Next(2) == 0 ? "+" : "-", Build(type, d), Build(type, d));
                case 1:
                    return random.Next(2) == 0
                        ? new Binary(random.Next(2) == 0 ? "+" : "-", Build(type, d), Build(Ty.Number, d))
                        : new Binary(random.Next(2) == 0 ? "+" : "-", Build(Ty.Number, d), Build(type, d));
                case 2:
                    // X × number, number × X, X × ratio, ratio × X: all X.
                    var other = random.Next(2) == 0 ? Ty.Number : Ty.Ratio;
                    return random.Next(2) == 0 ? new Binary("*", Build(type, d), Build(other, d)) : new Binary("*", Build(other, d), Build(type, d));
                case 3:
                    return Division(Build(type, d), Build(Ty.Number, d), type, d);
                case 4:
                    return Division(Build(type, d), Build(Ty.Ratio, d), type, d);
                case 5:
                    // Money per customer, and the ratio of two like quantities.
                    var like = random.Next(2) == 0 ? Ty.Money : Ty.Count;
                    return type switch
                    {
                        Ty.Money => Division(Build(Ty.Money, d), Build(Ty.Count, d), Ty.Money, d),
                        Ty.Ratio => Division(Build(like, d), Build(like, d), Ty.Ratio, d),
                        _ => new Negate(Build(type, d)),
                    };
                case 6:
                    return new Negate(Build(type, d));
                default:
                    return Function(type, d);
            }
        }

        private Node Division(Node numerator, Node denominator, Ty type, int d)
        {
            // A number written as the denominator needs no else, unless it is zero, which is refused.
            if (Constant(denominator) is { } constant)
            {
                if (constant == 0)
                {
                    denominator = new Literal(2);
                }

                return random.Next(3) == 0 ? new Divide(numerator, denominator, Fallback(type, d), HasElse: true) : new Divide(numerator, denominator, null, HasElse: false);
            }

            return new Divide(numerator, denominator, Fallback(type, d), HasElse: true);
        }

        private Node? Fallback(Ty type, int d) => random.Next(3) switch
        {
            0 => null,
            1 => Build(Ty.Number, d),
            _ => Build(type, d),
        };

        private static decimal? Constant(Node node) => node switch
        {
            Literal l => l.Value,
            Negate n => -Constant(n.Operand),
            _ => null,
        };

        private Node Function(Ty type, int d)
        {
            // A quantity function needs one argument of the quantity's unit; the others may be plain numbers.
            Node Argument(bool first) => first || random.Next(3) != 0 ? Build(type, d) : Build(Ty.Number, d);
            return random.Next(6) switch
            {
                0 => new Call("abs", [Build(type, d)]),
                1 => new Call("min", [.. Enumerable.Range(0, random.Next(2, 4)).Select(i => Argument(i == 0))]),
                2 => new Call("max", [.. Enumerable.Range(0, random.Next(2, 4)).Select(i => Argument(i == 0))]),
                3 => new Call("clamp", [Build(type, d), Argument(false), Argument(false)]),
                4 => new Call("if", [Build(Ty.Bool, d), Build(type, d), Argument(false)]),
                _ => new Call("coalesce", [Build(type, d), Argument(false)]),
            };
        }

        private Node Comparison(int d)
        {
            var type = (Ty)random.Next(4);
            return new Binary(Comparisons[random.Next(Comparisons.Length)], Build(type, d), random.Next(2) == 0 ? Build(type, d) : Build(Ty.Number, d));
        }

        private Node Leaf(Ty type) => type switch
        {
            Ty.Money => Pick(MoneyMeasures),
            Ty.Count => Pick(CountMeasures),
            Ty.Ratio => random.Next(3) == 0
                ? Pick(RatioMeasures)
                : new Divide(Pick(CountMeasures), Pick(CountMeasures), random.Next(2) == 0 ? null : new Literal(0), HasElse: true),
            Ty.Number => new Literal(Literals[random.Next(Literals.Length)]),
            _ => new Binary(Comparisons[random.Next(Comparisons.Length)], Pick(CountMeasures), new Literal(Literals[random.Next(Literals.Length)])),
        };

        private Measure Pick(string[] measures) => new(measures[random.Next(measures.Length)], random.Next(4) == 0);
    }

    /// <summary>
    /// Writes a tree with the parentheses the grammar needs and, at random, some it does not, with
    /// spaces, newlines and comments between tokens.
    /// </summary>
    private sealed class Printer(Random random)
    {
        // Binding strength, loosest first, following the grammar's rules.
        private const int Or = 1;
        private const int And = 2;
        private const int NotLevel = 3;
        private const int Comparison = 4;
        private const int Additive = 5;
        private const int Multiplicative = 6;
        private const int Unary = 7;
        private const int Primary = 8;

        private readonly StringBuilder _text = new();

        public string Print(Node tree)
        {
            Write(tree, Or);
            return _text.ToString();
        }

        private void Write(Node node, int needed)
        {
            var parenthesize = Level(node) < needed || random.Next(12) == 0;
            if (parenthesize)
            {
                _text.Append('(');
            }

            WriteBare(node);
            if (parenthesize)
            {
                _text.Append(')');
            }
        }

        private void WriteBare(Node node)
        {
            switch (node)
            {
                case Literal l:
                    _text.Append(l.Value.ToString(CultureInfo.InvariantCulture));
                    break;
                case Measure m:
                    _text.Append(m.Prev ? $"prev({m.Name})" : m.Name);
                    break;
                case Negate n:
                    _text.Append('-');
                    Write(n.Operand, Unary);
                    break;
                case Not n:
                    _text.Append("not ");
                    Write(n.Operand, NotLevel);
                    break;
                case Binary b:
                    var (left, right) = b.Operator switch
                    {
                        "or" => (Or, And),
                        "and" => (And, NotLevel),
                        "+" or "-" => (Additive, Multiplicative),
                        "*" => (Multiplicative, Unary),

                        // Comparisons do not chain: both sides one level tighter.
                        _ => (Additive, Additive),
                    };
                    Write(b.Left, left);
                    Space();
                    _text.Append(b.Operator);
                    Space();
                    Write(b.Right, right);
                    break;
                case Divide d:
                    Write(d.Numerator, Multiplicative);
                    Space();
                    _text.Append('/');
                    Space();
                    Write(d.Denominator, Unary);
                    if (d.HasElse)
                    {
                        Space();
                        _text.Append("else");
                        Space();
                        if (d.Fallback is null)
                        {
                            _text.Append("null");
                        }
                        else
                        {
                            Write(d.Fallback, Unary);
                        }
                    }

                    break;
                case Call c:
                    _text.Append(c.Name).Append('(');
                    for (var i = 0; i < c.Arguments.Length; i++)
                    {
                        if (i > 0)
                        {
                            _text.Append(',');
                            Space();
                        }

                        Write(c.Arguments[i], Or);
                    }

                    _text.Append(')');
                    break;
            }
        }

        private static int Level(Node node) => node switch
        {
            Literal or Measure or Call => Primary,
            Negate => Unary,
            Not => NotLevel,
            Divide => Multiplicative,
            Binary { Operator: "or" } => Or,
            Binary { Operator: "and" } => And,
            Binary { Operator: "+" or "-" } => Additive,
            Binary { Operator: "*" } => Multiplicative,
            _ => Comparison,
        };

        /// <summary>Whitespace between tokens; a comment needs the newline that ends it.</summary>
        private void Space() => _text.Append(random.Next(20) switch
        {
            0 => "\n  ",
            1 => " # note ( ) else\n",
            _ => " ",
        });
    }
}
