using Governance.Abstractions.Accounts;
using Governance.Domain.Facts;
using Governance.Domain.Measures;
using GraphQL.Types;

namespace Governance.Api.Accounts;

public sealed record MeasureValue(Measure Measure, long Raw)
{
    /// <summary>Money measures in currency units, counts as they are.</summary>
    public decimal Value => Measures.IsMoney(Measure) ? Money.FromUnits(Raw) : Raw;
}

public sealed class MeasureType : EnumerationGraphType<Measure>
{
    public MeasureType()
    {
        Name = "Measure";
        Description = "The additive measures kept per account and month (docs/metrics.md).";
    }
}

public sealed class MeasureValueType : ObjectGraphType<MeasureValue>
{
    public MeasureValueType()
    {
        Name = "MeasureValue";
        Field(m => m.Measure, type: typeof(NonNullGraphType<MeasureType>));
        Field(m => m.Value).Description("Money in currency units; counts, minutes and days as numbers.");
    }
}

public sealed class MonthMeasuresType : ObjectGraphType<MonthMeasures>
{
    public MonthMeasuresType()
    {
        Name = "MonthMeasures";
        Field<NonNullGraphType<StringGraphType>>("month").Description("yyyy-MM").Resolve(c => MonthKey.Format(c.Source.Month));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MeasureValueType>>>>("measures")
            .Description("The measures that are not zero.")
            .Resolve(c => c.Source.Values.Select((value, index) => new MeasureValue((Measure)index, value)).Where(m => m.Raw != 0 && !Measures.IsInternal(m.Measure)).ToList());
    }
}
