using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Storage.Findings;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Findings;

/// <summary>What the freshness and reconciliation jobs check, set by data owners and tenant admins, every change audited.</summary>
public static class DataControlQueries
{
    private const int MaxName = 100;

    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SourceExpectationType>>>>("sourceExpectations")
            .Description("How often each watched source is expected to send (the freshness job's rules), latest version each.")
            .RequireRoles(Roles.DataOwner, Roles.TenantAdmin, Roles.Auditor)
            .ResolveAsync(async context => await Store(context).ExpectationsAsync(context.Caller().TenantId, context.CancellationToken));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReconciliationRuleType>>>>("reconciliationRules")
            .Description("Pairs of sources that must agree on each account's MRR (the reconciliation job's rules), latest version each.")
            .RequireRoles(Roles.DataOwner, Roles.TenantAdmin, Roles.Auditor)
            .ResolveAsync(async context => await Store(context).RulesAsync(context.Caller().TenantId, context.CancellationToken));
    }

    public static void AddMutationsTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<SourceExpectationType>>("setSourceExpectation")
            .Description("Expects a source to send at least every everyMinutes minutes; null stops watching it. A silent source is a freshness finding.")
            .Argument<NonNullGraphType<StringGraphType>>("source")
            .Argument<IntGraphType>("everyMinutes", "1 to 525,600 (a year); null: no longer watched.")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireRoles(Roles.DataOwner, Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var source = Name(context, "source");
                var every = context.GetArgument<int?>("everyMinutes");
                if (every is < 1 or > 525_600)
                {
                    throw ErrorCodes.Invalid("everyMinutes", "must be 1 to 525600");
                }

                return await Store(context).ExpectAsync(context.Caller().TenantId, source, every, context.Caller().Subject, Reason(context), context.CancellationToken);
            });

        mutation.Field<NonNullGraphType<ReconciliationRuleType>>("setReconciliationRule")
            .Description("Declares (or changes, or deactivates) that two sources must agree on each account's MRR at every month's end, within max(absoluteTolerance, relativeTolerance × the larger side).")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<NonNullGraphType<StringGraphType>>("leftSource")
            .Argument<NonNullGraphType<StringGraphType>>("rightSource")
            .Argument<NonNullGraphType<DecimalGraphType>>("relativeTolerance", "E.g. 0.01 for 1 %.")
            .Argument<NonNullGraphType<DecimalGraphType>>("absoluteTolerance", "In currency units.")
            .Argument<BooleanGraphType>("active", "Default true.")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireRoles(Roles.DataOwner, Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var left = Name(context, "leftSource");
                var right = Name(context, "rightSource");
                if (left == right)
                {
                    throw ErrorCodes.Invalid("rightSource", "must differ from leftSource");
                }

                var relative = context.GetArgument<decimal>("relativeTolerance");
                var absolute = context.GetArgument<decimal>("absoluteTolerance");
                if (relative is < 0 or > 1)
                {
                    throw ErrorCodes.Invalid("relativeTolerance", "must be 0 to 1");
                }

                if (absolute < 0)
                {
                    throw ErrorCodes.Invalid("absoluteTolerance", "must not be negative");
                }

                return await Store(context).DeclareRuleAsync(context.Caller().TenantId, new ReconciliationRuleRow
                {
                    Name = Name(context, "name"), LeftSource = left, RightSource = right, RelativeTolerance = relative, AbsoluteTolerance = absolute,
                    Active = context.GetArgument<bool?>("active") ?? true, SetBy = context.Caller().Subject, Reason = Reason(context),
                }, context.CancellationToken);
            });
    }

    private static string Name(IResolveFieldContext context, string argument)
    {
        var value = context.GetArgument<string>(argument).Trim();
        return value.Length is 0 or > MaxName ? throw ErrorCodes.Invalid(argument, $"must be 1 to {MaxName} characters") : value;
    }

    private static string Reason(IResolveFieldContext context)
    {
        var reason = context.GetArgument<string>("reason");
        return string.IsNullOrWhiteSpace(reason) ? throw ErrorCodes.Invalid("reason", "must not be blank") : reason.Trim();
    }

    private static DataControlStore Store(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<DataControlStore>();
}

public sealed class SourceExpectationType : ObjectGraphType<SourceExpectationRow>
{
    public SourceExpectationType()
    {
        Name = "SourceExpectation";
        Field(e => e.Source);
        Field(e => e.Version);
        Field(e => e.EveryMinutes, nullable: true).Description("Null: not watched.");
        Field(e => e.SetBy);
        Field(e => e.Reason);
        Field("recordedAt", e => new DateTimeOffset(e.RecordedAt, TimeSpan.Zero));
    }
}

public sealed class ReconciliationRuleType : ObjectGraphType<ReconciliationRuleRow>
{
    public ReconciliationRuleType()
    {
        Name = "ReconciliationRule";
        Field(r => r.Name);
        Field(r => r.Version);
        Field(r => r.LeftSource);
        Field(r => r.RightSource);
        Field(r => r.RelativeTolerance);
        Field(r => r.AbsoluteTolerance);
        Field(r => r.Active);
        Field(r => r.SetBy);
        Field(r => r.Reason);
        Field("recordedAt", r => new DateTimeOffset(r.RecordedAt, TimeSpan.Zero));
    }
}
