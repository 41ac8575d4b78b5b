using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Api.Metrics.Values;
using Governance.Domain.Measures;
using Governance.Domain.Metrics.Definitions;
using Governance.Storage.Lineage;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Metrics.Lineage;

/// <summary>Lineage of metric values and pins (docs/api.md, "Lineage and pins").</summary>
public static class LineageQueries
{
    /// <summary>Who may pin a value.</summary>
    public static readonly string[] PinRoles = [Roles.TenantAdmin, Roles.CommitteeMember, Roles.Auditor, Roles.DataOwner];

    public static void AddTo(ObjectGraphType query)
    {
        var readers = DefinitionLifecycle.ReaderRoles.ToArray();

        query.Field<NonNullGraphType<MetricLineageType>>("metricLineage")
            .Description($"A value with its definition version, the measures it read and a page of the facts behind it (by fact id; first at most {LineageStore.MaxPage}, after = the last factId seen).")
            .Argument<NonNullGraphType<StringGraphType>>("key")
            .Argument<NonNullGraphType<MetricScopeInputType>>("scope")
            .Argument<NonNullGraphType<StringGraphType>>("period", "yyyy, yyyy-Qn or yyyy-MM.")
            .Argument<IntGraphType>("version")
            .Argument<IntGraphType>("first", $"1 to {LineageStore.MaxPage}; 50 when left out.")
            .Argument<LongGraphType>("after", "Only facts with a greater id: the endCursor of the page before.")
            .RequireRoles(readers)
            .ResolveAsync(async context =>
            {
                var (service, scope, period) = Open(context);
                return await service.LineageAsync(context.Caller().TenantId, context.GetArgument<string>("key"), scope, period,
                    MetricDefinitionQueries.Version(context, "version"), context.GetArgument<int?>("first") ?? 50, context.GetArgument<long?>("after"),
                    context.CancellationToken);
            });

        query.Field<NonNullGraphType<PinVerificationType>>("verifyPinned")
            .Description("Recomputes a pinned value under its version, and the facts behind it: unchanged, or which facts were added or removed.")
            .Argument<NonNullGraphType<IdGraphType>>("pinId")
            .RequireRoles(readers)
            .ResolveAsync(async context =>
                await context.RequestServices!.GetRequiredService<LineageService>().VerifyAsync(context.Caller().TenantId, PinId(context), context.CancellationToken));

        query.Field<NonNullGraphType<PinnedLineageType>>("pinnedLineage")
            .Description($"A pinned value explained as it was computed then: the pin, the measures it read and a page of the exact facts it recorded (by fact id; first at most {LineageStore.MaxPage}, after = the last factId seen).")
            .Argument<NonNullGraphType<IdGraphType>>("pinId")
            .Argument<IntGraphType>("first", $"1 to {LineageStore.MaxPage}; 50 when left out.")
            .Argument<LongGraphType>("after", "Only facts with a greater id: the endCursor of the page before.")
            .RequireRoles(readers)
            .ResolveAsync(async context => await context.RequestServices!.GetRequiredService<PinnedLineageReader>().LineageAsync(
                context.Caller().TenantId, PinId(context), context.GetArgument<int?>("first") ?? 50, context.GetArgument<long?>("after"), context.CancellationToken));

        AddDownstreamTo(query, readers);
    }

    public static void AddDownstreamTo(ObjectGraphType query, string[] readers)
    {
        query.Field<NonNullGraphType<FactLineageType>>("factLineage")
            .Description("Downstream from a fact: the metrics in force whose measures its kind feeds, for its account's scopes and the month, quarter and year it occurred in.")
            .Argument<NonNullGraphType<LongGraphType>>("factId")
            .RequireRoles(readers)
            .ResolveAsync(async context => await context.RequestServices!.GetRequiredService<DownstreamLineage>()
                .FactAsync(context.Caller().TenantId, context.GetArgument<long>("factId"), context.CancellationToken));

        query.Field<NonNullGraphType<StringGraphType>>("openLineageEvent")
            .Description("A pin as an OpenLineage RunEvent (JSON text): job = the metric, run = the pin, inputs = the tenant's facts, output = the value; custom run facet governance_definitionVersion.")
            .Argument<NonNullGraphType<IdGraphType>>("pinId")
            .RequireRoles(readers)
            .ResolveAsync(async context => await context.RequestServices!.GetRequiredService<DownstreamLineage>()
                .OpenLineageEventAsync(context.Caller().TenantId, PinId(context), context.CancellationToken));
    }

    public static void AddMutationsTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<MetricPinType>>("pinMetricValue")
            .Description("Pins a value: stores it with its definition version and a digest of the exact facts behind it, and audits it (metric_value.pinned).")
            .Argument<NonNullGraphType<StringGraphType>>("key")
            .Argument<NonNullGraphType<MetricScopeInputType>>("scope")
            .Argument<NonNullGraphType<StringGraphType>>("period", "yyyy, yyyy-Qn or yyyy-MM.")
            .Argument<IntGraphType>("version")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireRoles(PinRoles)
            .ResolveAsync(async context =>
            {
                var (service, scope, period) = Open(context);
                var caller = context.Caller();
                return await service.PinAsync(caller.TenantId, context.GetArgument<string>("key"), scope, period,
                    MetricDefinitionQueries.Version(context, "version"), caller.Subject, context.GetArgument<string>("reason"), context.CancellationToken);
            });
    }

    private static Guid PinId(IResolveFieldContext context) =>
        Guid.TryParse(context.GetArgument<string>("pinId"), out var id) ? id : throw ErrorCodes.Invalid("pinId", "must be a pin id (a UUID)");

    private static (LineageService Service, MetricScope Scope, Period Period) Open(IResolveFieldContext context)
    {
        var period = Period.TryParse(context.GetArgument<string>("period"), out var p)
            ? p
            : throw ErrorCodes.Invalid("period", "must be a year (2026), a quarter (2026-Q1) or a month (2026-03), years 2000–2999");
        var scope = context.GetArgument<MetricScopeInput>("scope").ToScope("scope");
        return (context.RequestServices!.GetRequiredService<LineageService>(), scope, period);
    }
}

public sealed class LineageFactType : ObjectGraphType<LineageFact>
{
    public LineageFactType()
    {
        Name = "LineageFact";
        Description = "A fact behind a value: where it came from and in which batch.";
        Field<NonNullGraphType<LongGraphType>>("factId").Resolve(c => c.Source.FactId);
        Field<NonNullGraphType<StringGraphType>>("source").Resolve(c => c.Source.Source);
        Field<NonNullGraphType<StringGraphType>>("externalId").Resolve(c => c.Source.ExternalId);
        Field<IdGraphType>("accountId").Resolve(c => c.Source.AccountId);
        Field<NonNullGraphType<StringGraphType>>("kind").Description("The wire name, e.g. mrr.changed.").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("occurredAt").Resolve(c => c.Source.OccurredAt);
        Field<NonNullGraphType<IdGraphType>>("batchId").Resolve(c => c.Source.BatchId.ToString());
        Field<NonNullGraphType<BooleanGraphType>>("late").Description("Received after its month was closed.").Resolve(c => c.Source.Late);
        Field<LongGraphType>("supersedesFactId").Description("The fact this one corrects.").Resolve(c => c.Source.SupersedesFactId);
        Field<LongGraphType>("correctedByFactId")
            .Description("The fact that corrects this one, if a correction has been ingested by now (possibly after a pin that read this fact).")
            .Resolve(c => c.Source.CorrectedByFactId);
    }
}

public sealed class LineageFactPageType : ObjectGraphType<LineageFactPage>
{
    public LineageFactPageType()
    {
        Name = "LineageFactPage";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LineageFactType>>>>("items").Resolve(c => c.Source.Items);
        Field<LongGraphType>("endCursor").Description("The last factId of this page: pass it as after.").Resolve(c => c.Source.Items.Count == 0 ? null : c.Source.Items[^1].FactId);
        Field<NonNullGraphType<BooleanGraphType>>("hasNextPage").Resolve(c => c.Source.HasNextPage);
    }
}

public sealed class MetricLineageType : ObjectGraphType<MetricLineage>
{
    public MetricLineageType()
    {
        Name = "MetricLineage";
        Description = "A value, the definition version and measures behind it, and the facts those measures were fed by.";
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(c => c.Source.Value.Definition.Key);
        Field<NonNullGraphType<IntGraphType>>("version").Resolve(c => c.Source.Value.Definition.Version);
        Field<StringGraphType>("formula").Description("Null for a health score.").Resolve(c => c.Source.Value.Definition.Formula);
        Field<NonNullGraphType<StringGraphType>>("scope").Resolve(c => c.Source.Value.Scope.ToString());
        Field<NonNullGraphType<StringGraphType>>("period").Resolve(c => c.Source.Value.Period.ToString());
        Field<DecimalGraphType>("value").Resolve(c => c.Source.Value.Value);
        Field<StringGraphType>("nullReason").Resolve(c => c.Source.Value.NullReason);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MeasureReadingType>>>>("measures")
            .Resolve(c => c.Source.Value.Measures.Select(m => new MeasureReadingView(m, c.Source.Value.Period)).ToList());
        Field<NonNullGraphType<LineageFactPageType>>("facts").Resolve(c => c.Source.Facts);
    }
}

public sealed class MetricPinType : ObjectGraphType<MetricPin>
{
    public MetricPinType()
    {
        Name = "MetricPin";
        Description = "A pinned value: value, definition version and the digest of the exact facts behind it.";
        Field<NonNullGraphType<IdGraphType>>("pinId").Resolve(c => c.Source.PinId.ToString());
        Field(p => p.Key);
        Field(p => p.Version);
        Field(p => p.Scope);
        Field(p => p.Period);
        Field(p => p.Value, nullable: true);
        Field(p => p.NullReason, nullable: true);
        Field<NonNullGraphType<IntGraphType>>("factCount").Resolve(c => c.Source.FactIds.Count);
        Field<NonNullGraphType<StringGraphType>>("digest").Description("SHA-256 (hex) over each fact by id: its id (8 bytes, big-endian), then its content hash.")
            .Resolve(c => Convert.ToHexStringLower(c.Source.Digest));
        Field(p => p.PinnedBy);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("pinnedAt").Resolve(c => c.Source.PinnedAt);
        Field(p => p.Reason);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MeasureReadingType>>>>("measures")
            .Description("The measure readings the value was computed from when pinned; empty for a health score, and for pins made before they were kept (see measuresRecorded).")
            .Resolve(c => PinReadings.Of(c.Source));
        Field<NonNullGraphType<BooleanGraphType>>("measuresRecorded")
            .Description("False for pins made before the readings were kept (migration 0015): their measures are unknown, not empty.")
            .Resolve(c => c.Source.Measures is not null);
    }
}

public sealed class PinVerificationType : ObjectGraphType<PinVerification>
{
    public PinVerificationType()
    {
        Name = "PinVerification";
        Field<NonNullGraphType<BooleanGraphType>>("unchanged").Description("Same value, same facts, same digest.").Resolve(c => c.Source.Unchanged);
        Field<NonNullGraphType<MetricPinType>>("pin").Resolve(c => c.Source.Pin);
        Field<DecimalGraphType>("pinnedValue").Resolve(c => c.Source.Pin.Value);
        Field<DecimalGraphType>("currentValue").Resolve(c => c.Source.CurrentValue);
        Field<StringGraphType>("currentNullReason").Resolve(c => c.Source.CurrentNullReason);
        Field<NonNullGraphType<StringGraphType>>("currentDigest").Resolve(c => Convert.ToHexStringLower(c.Source.CurrentDigest));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LineageFactType>>>>("addedFacts").Description("Facts behind the value now that were not when pinned.").Resolve(c => c.Source.Added);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LineageFactType>>>>("removedFacts").Description("Facts behind the pinned value that no longer are.").Resolve(c => c.Source.Removed);
    }
}
