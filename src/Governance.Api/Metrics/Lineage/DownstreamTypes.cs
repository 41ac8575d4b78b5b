using Governance.Api.GraphQL;
using Governance.Storage.Incentives;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Metrics.Lineage;

public sealed class FedValueType : ObjectGraphType<FedValue>
{
    public FedValueType()
    {
        Name = "FedValue";
        Description = "A value a fact feeds: the metric under its version in force, for a scope and period.";
        Field(v => v.Key);
        Field(v => v.Version);
        Field<NonNullGraphType<MetricDefinitionKindType>>("kind").Resolve(c => c.Source.Kind);
        Field(v => v.Scope);
        Field(v => v.Period);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("measures")
            .Description("The measures the fact's kind feeds: of the formula, or for a health score of the components listed in components.")
            .Resolve(c => c.Source.Measures);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("components")
            .Description("For a health score: the metric keys of its components, in the profile that scores this scope, that the fact feeds. Empty for a formula.")
            .Resolve(c => c.Source.Components);
    }
}

public sealed class FactLineageType : ObjectGraphType<FactLineage>
{
    public FactLineageType()
    {
        Name = "FactLineage";
        Field<NonNullGraphType<LineageFactType>>("fact").Resolve(c => c.Source.Fact);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FedValueType>>>>("values").Resolve(c => c.Source.Values);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MetricPinType>>>>("pins")
            .Description("The pins whose recorded facts include this one, oldest first: every kept computation it went into.")
            .Resolve(c => c.Source.Pins);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FedPayoutType>>>>("payouts")
            .Description("The payouts that pinned a value this fact went into (docs/incentives.md): which executive and period; amounts are read with payout(id).")
            .ResolveAsync(async c => c.Source.Pins.Count == 0
                ? []
                : await c.RequestServices!.GetRequiredService<IncentiveStore>().PayoutsWithPinsAsync(c.Caller().TenantId, c.Source.Pins.Select(p => p.PinId).ToArray(), c.CancellationToken));
    }
}

public sealed class FedPayoutType : ObjectGraphType<PayoutRow>
{
    public FedPayoutType()
    {
        Name = "FedPayout";
        Description = "A payout downstream of a fact.";
        Field("id", p => p.PayoutId, type: typeof(NonNullGraphType<IdGraphType>));
        Field("executiveId", p => p.ExecutiveId, type: typeof(NonNullGraphType<IdGraphType>));
        Field("period", p => p.Period);
        Field("proposedAt", p => new DateTimeOffset(p.ProposedAt, TimeSpan.Zero));
    }
}
