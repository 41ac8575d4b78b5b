using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Domain.Facts;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Facts;

public sealed class IngestFactsInput
{
    public List<FactInput> Facts { get; set; } = [];

    public ControlTotalsInput? ControlTotals { get; set; }
}

/// <summary>What the sender counted in the batch it sends: the receiving side must count the same.</summary>
public sealed class ControlTotalsInput
{
    public int FactCount { get; set; }

    public decimal? MrrAmount { get; set; }
}

public sealed class ControlTotalsInputType : InputObjectGraphType<ControlTotalsInput>
{
    public ControlTotalsInputType()
    {
        Name = "ControlTotalsInput";
        Description = "Control totals of the batch as the sender counted them; a break (a different count, or MRR amounts differing by more than a cent) is a reconciliation finding.";
        Field(i => i.FactCount).Description("How many facts the sender put in the batch.");
        Field(i => i.MrrAmount, nullable: true).Description("The sum of the amounts of its mrrChanged facts.");
    }
}

public sealed class IngestFactsInputType : InputObjectGraphType<IngestFactsInput>
{
    public IngestFactsInputType()
    {
        Name = "IngestFactsInput";
        Field(i => i.Facts, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<FactInputType>>>))
            .Description($"1 to {FactIngestion.MaxBatchSize} facts, stored all together or not at all.");
        Field(i => i.ControlTotals, type: typeof(ControlTotalsInputType)).Description("Optional: what the sender counted, checked against what arrived.");
    }
}

public sealed class IngestFactsPayloadType : ObjectGraphType<IngestOutcome>
{
    public IngestFactsPayloadType()
    {
        Name = "IngestFactsPayload";
        Field<IdGraphType>("batchId").Resolve(c => c.Source.BatchId);
        Field(o => o.Accepted).Description("Facts stored by this call.");
        Field(o => o.Duplicates).Description("Facts stored before (same source, externalId and content): not stored again.");
        Field(o => o.Late).Description("Of the accepted facts, those that occurred in a closed month.");
    }
}

public static class FactMutations
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<IngestFactsPayloadType>("ingestFacts")
            .Description("Stores a batch of facts atomically: every fact is valid and stored, or nothing is and the errors say which fact and field (extensions.data.index, extensions.data.field).")
            .Argument<NonNullGraphType<IngestFactsInputType>>("input")
            .RequireRoles(Roles.Integration, Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var facts = context.GetArgument<IngestFactsInput>("input").Facts;
                if (facts.Count is 0 or > FactIngestion.MaxBatchSize)
                {
                    throw ErrorCodes.Invalid("input.facts", $"must hold 1 to {FactIngestion.MaxBatchSize} facts");
                }

                var drafts = new List<FactDraft>(facts.Count);
                var shapeErrors = new List<FactError>();
                for (var i = 0; i < facts.Count; i++)
                {
                    var fact = facts[i];
                    var payloads = fact.Payloads().ToList();
                    if (payloads.Count != 1)
                    {
                        shapeErrors.Add(new FactError(i, "", $"set exactly one kind field ({payloads.Count} set)"));
                        continue;
                    }

                    drafts.Add(new FactDraft(fact.Source, fact.ExternalId, fact.AccountId, fact.OccurredAt, fact.Supersedes, payloads[0].Kind, payloads[0].Payload));
                }

                var outcome = shapeErrors.Count > 0
                    ? new IngestOutcome(shapeErrors, null, 0, 0, 0)
                    : await context.RequestServices!.GetRequiredService<FactIngestion>()
                        .IngestAsync(caller.TenantId, caller.Subject, drafts, context.CancellationToken);
                if (!outcome.Rejected)
                {
                    var controls = context.GetArgument<IngestFactsInput>("input").ControlTotals;
                    if (controls is not null)
                    {
                        await context.RequestServices!.GetRequiredService<Findings.ControlTotalCheck>()
                            .CheckAsync(caller.TenantId, caller.Subject, outcome.BatchId!.Value, controls, drafts, context.CancellationToken);
                    }

                    return outcome;
                }

                foreach (var error in outcome.Errors)
                {
                    context.Errors.Add(FactErrorToGraphQL(error));
                }

                return null;
            });

    /// <summary>A refused fact as a GraphQL error naming its place in the arguments.</summary>
    public static ExecutionError FactErrorToGraphQL(FactError error)
    {
        var field = error.Field.Length == 0 ? $"input.facts[{error.Index}]" : $"input.facts[{error.Index}].{error.Field}";
        return new ExecutionError($"{field}: {error.Message}.")
        {
            Code = error.Code,
            Data = { ["field"] = field, ["index"] = error.Index },
        };
    }
}
