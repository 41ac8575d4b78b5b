using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Api.GraphQL;
using Governance.Api.Metrics.Values;
using Governance.Domain.Measures;
using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Definitions;
using Governance.Storage.Lineage;
using Governance.Storage.Metrics;

namespace Governance.Api.Metrics.Lineage;

/// <summary>A value a fact feeds: a metric (under its version in force) for a scope and period.</summary>
public sealed record FedValue(string Key, int Version, string Scope, string Period, IReadOnlyList<string> Measures);

/// <summary>Downstream lineage of a fact: the values it feeds.</summary>
public sealed record FactLineage(LineageFact Fact, IReadOnlyList<FedValue> Values);

/// <summary>Downstream lineage and the OpenLineage export of pins (docs/api.md, "Lineage and pins").</summary>
public sealed class DownstreamLineage(LineageStore store, MetricDefinitionStore definitions)
{
    /// <summary>
    /// The values a fact feeds: for the month, quarter and year it occurred in, every metric with a formula
    /// version in force whose measures its kind feeds (<see cref="MeasureSources"/>), for each scope of its
    /// account (the account, every executive it was ever assigned to, its segment, the tenant).
    /// Later periods that read it through prev() or a level's history are not listed.
    /// </summary>
    public async Task<FactLineage> FactAsync(string tenantId, long factId, CancellationToken cancellationToken)
    {
        var fact = (await store.FactsByIdAsync(tenantId, [factId], cancellationToken)).SingleOrDefault()
            ?? throw ErrorCodes.NotFoundError("Fact", factId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var scopes = new List<string>();
        if (fact.AccountId is { } account)
        {
            var (segment, executives) = await store.AccountScopesAsync(tenantId, account, cancellationToken);
            scopes.Add(new MetricScope(ScopeKind.Account, account).ToString());
            scopes.AddRange(executives.Select(e => new MetricScope(ScopeKind.Executive, e).ToString()));
            if (segment is not null)
            {
                scopes.Add(new MetricScope(ScopeKind.Segment, segment).ToString());
            }
        }

        scopes.Add(new MetricScope(ScopeKind.Tenant, null).ToString());
        var at = fact.OccurredAt.UtcDateTime;
        var periods = new[] { $"{at:yyyy-MM}", $"{at.Year}-Q{((at.Month - 1) / 3) + 1}", $"{at.Year}" }
            .Select(text => Period.TryParse(text, out var p) ? p : throw new InvalidOperationException(text)).ToList();
        var all = await definitions.ListAsync(tenantId, new DefinitionFilter { AllVersions = true }, cancellationToken);
        var values = new List<FedValue>();
        foreach (var period in periods)
        {
            foreach (var history in all.GroupBy(d => d.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                if (EffectiveVersion.For(history, period.Start) is not { Kind: DefinitionKind.Formula } inForce)
                {
                    continue;
                }

                var fed = MetricValueService.MeasuresOf(inForce).Where(m => MeasureSources.Feeds(fact.Kind, m)).ToList();
                if (fed.Count > 0)
                {
                    values.AddRange(scopes.Select(scope => new FedValue(inForce.Key, inForce.Version, scope, period.ToString(), fed)));
                }
            }
        }

        return new FactLineage(fact, values);
    }

    /// <summary>A pin as an OpenLineage run event (https://openlineage.io/spec), with the definition version as a custom run facet.</summary>
    public async Task<string> OpenLineageEventAsync(string tenantId, Guid pinId, CancellationToken cancellationToken)
    {
        var pin = await store.GetPinAsync(tenantId, pinId, cancellationToken) ?? throw ErrorCodes.NotFoundError("Pin", pinId.ToString());
        var definition = await definitions.GetAsync(tenantId, pin.Key, pin.Version, cancellationToken);
        const string producer = "https://governance.example/lineage";
        var lineageEvent = new JsonObject
        {
            ["eventType"] = "COMPLETE",
            ["eventTime"] = pin.PinnedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["producer"] = producer,
            ["schemaURL"] = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
            ["job"] = new JsonObject { ["namespace"] = "governance", ["name"] = pin.Key },
            ["run"] = new JsonObject
            {
                ["runId"] = pin.PinId.ToString(),
                ["facets"] = new JsonObject
                {
                    ["governance_definitionVersion"] = new JsonObject
                    {
                        ["_producer"] = producer,
                        ["_schemaURL"] = $"{producer}/facets/DefinitionVersionRunFacet.json",
                        ["key"] = pin.Key,
                        ["version"] = pin.Version,
                        ["formula"] = definition?.Formula,
                    },
                    ["governance_pin"] = new JsonObject
                    {
                        ["_producer"] = producer,
                        ["_schemaURL"] = $"{producer}/facets/PinRunFacet.json",
                        ["value"] = pin.Value,
                        ["nullReason"] = pin.NullReason,
                        ["factCount"] = pin.FactIds.Count,
                        ["digest"] = Convert.ToHexStringLower(pin.Digest),
                        ["pinnedBy"] = pin.PinnedBy,
                        ["reason"] = pin.Reason,
                    },
                },
            },
            ["inputs"] = new JsonArray(new JsonObject { ["namespace"] = "governance/facts", ["name"] = tenantId }),
            ["outputs"] = new JsonArray(new JsonObject { ["namespace"] = "governance", ["name"] = $"metric/{pin.Key}/{pin.Scope}/{pin.Period}" }),
        };
        return lineageEvent.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}

public sealed class FedValueType : global::GraphQL.Types.ObjectGraphType<FedValue>
{
    public FedValueType()
    {
        Name = "FedValue";
        Description = "A value a fact feeds: the metric under its version in force, for a scope and period.";
        Field(v => v.Key);
        Field(v => v.Version);
        Field(v => v.Scope);
        Field(v => v.Period);
        Field<global::GraphQL.Types.NonNullGraphType<global::GraphQL.Types.ListGraphType<global::GraphQL.Types.NonNullGraphType<global::GraphQL.Types.StringGraphType>>>>("measures")
            .Description("The measures of the formula the fact's kind feeds.").Resolve(c => c.Source.Measures);
    }
}

public sealed class FactLineageType : global::GraphQL.Types.ObjectGraphType<FactLineage>
{
    public FactLineageType()
    {
        Name = "FactLineage";
        Field<global::GraphQL.Types.NonNullGraphType<LineageFactType>>("fact").Resolve(c => c.Source.Fact);
        Field<global::GraphQL.Types.NonNullGraphType<global::GraphQL.Types.ListGraphType<global::GraphQL.Types.NonNullGraphType<FedValueType>>>>("values").Resolve(c => c.Source.Values);
    }
}
