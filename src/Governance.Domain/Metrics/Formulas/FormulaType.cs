namespace Governance.Domain.Metrics.Formulas;

internal enum TypeKind
{
    /// <summary>A number written in the formula: it takes the unit of what it is combined with.</summary>
    Number,

    /// <summary>A quantity in <see cref="FormulaType.Unit"/>.</summary>
    Quantity,

    Bool,

    /// <summary>A distribution measure of <see cref="FormulaType.Unit"/>: only <c>median(…)</c> takes it.</summary>
    Distribution,

    /// <summary>The type of something already reported as wrong: it fits everywhere, so one mistake gives one error.</summary>
    Error,
}

/// <summary>What an expression gives: a quantity in a unit, a plain number, true/false, a distribution.</summary>
internal readonly record struct FormulaType(TypeKind Kind, Unit Unit = default)
{
    public static readonly FormulaType Number = new(TypeKind.Number);
    public static readonly FormulaType Bool = new(TypeKind.Bool);
    public static readonly FormulaType Error = new(TypeKind.Error);

    public static FormulaType Of(Unit unit) => new(TypeKind.Quantity, unit);

    public static FormulaType DistributionOf(Unit unit) => new(TypeKind.Distribution, unit);

    public bool IsNumeric => Kind is TypeKind.Number or TypeKind.Quantity;

    public bool IsQuantity(Unit unit) => Kind == TypeKind.Quantity && Unit == unit;

    /// <summary>
    /// The one type both may be read as: equal types, or a plain number next to a quantity, which takes
    /// its unit. Null when they do not agree.
    /// </summary>
    public static FormulaType? Unify(FormulaType a, FormulaType b)
    {
        if (a.Kind == TypeKind.Error || b.Kind == TypeKind.Error)
        {
            return Error;
        }

        if (a == b)
        {
            return a;
        }

        if (a.Kind == TypeKind.Number && b.Kind == TypeKind.Quantity)
        {
            return b;
        }

        if (b.Kind == TypeKind.Number && a.Kind == TypeKind.Quantity)
        {
            return a;
        }

        return null;
    }

    /// <summary>How messages name the type ("money", "a plain number", "true/false").</summary>
    public override string ToString() => Kind switch
    {
        TypeKind.Number => "a plain number",
        TypeKind.Quantity => Name(Unit),
        TypeKind.Bool => "true/false",
        TypeKind.Distribution => $"a distribution of {Name(Unit)}",
        _ => "an error",
    };

    public static string Name(Unit unit) => unit.ToString().ToLowerInvariant();
}
