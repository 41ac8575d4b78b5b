using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Api.GraphQL;
using Governance.Api.Metrics.Values;
using Governance.Domain.Measures;
using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Definitions;
using Governance.Domain.Metrics.Values;
using Governance.Storage.Lineage;
using Governance.Storage.Metrics;

namespace Governance.Api.Metrics.Lineage;

/// <summary>
/// A value a fact feeds: a metric (under its version in force) for a scope and period. For a formula,
/// <see cref="Measures"/> are those of its measures the fact's kind feeds; for a health score,
/// <see cref="Components"/> are its components (in the scope's profile) the fact feeds, and
/// <see cref="Measures"/> the measures through which it feeds them.
/// </summary>
public sealed record FedValue(string Key, int Version, DefinitionKind Kind, string Scope, string Period,
    IReadOnlyList<string> Measures, IReadOnlyList<string> Components);

/// <summary>Downstream lineage of a fact: the values it feeds, and the pins that recorded it.</summary>
public sealed record FactLineage(LineageFact Fact, IReadOnlyList<FedValue> Values, IReadOnlyList<MetricPin> Pins);

/// <summary>Downstream lineage and the OpenLineage export of pins (docs/api.md, "Lineage and pins").</summary>
public sealed class DownstreamLineage(LineageStore store, MetricDefinitionStore definitions)
{
    /// <summary>
    /// The values a fact feeds: for the month, quarter and year it occurred in, every metric with a formula
    /// version in force whose measures its kind feeds (<see cref="MeasureSources"/>), and every health score
    /// in force whose profile for the scope has such a metric as a component, for each scope of its account
    /// (the account, every executive it was ever assigned to, its segment, the tenant). Also every pin whose
    /// recorded facts include it: the computations that were kept, payouts' among them.
    /// Not listed: values of later periods that read it through prev(), a level's running sum or a
    /// health score's trend (which reads the period before).
    /// </summary>
    public async Task<FactLineage> FactAsync(string tenantId, long factId, CancellationToken cancellationToken)
    {
        var fact = (await store.FactsByIdAsync(tenantId, [factId], cancellationToken)).SingleOrDefault()
            ?? throw ErrorCodes.NotFoundError("Fact", factId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var scopes = await ScopesAsync(tenantId, fact, cancellationToken);
        var at = fact.OccurredAt.UtcDateTime;
        var periods = new[] { $"{at:yyyy-MM}", $"{at.Year}-Q{((at.Month - 1) / 3) + 1}", $"{at.Year}" }
            .Select(text => Period.TryParse(text, out var p) ? p : throw new InvalidOperationException(text)).ToList();
        var histories = (await definitions.ListAsync(tenantId, new DefinitionFilter { AllVersions = true }, cancellationToken))
            .GroupBy(d => d.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var values = new List<FedValue>();
        foreach (var period in periods)
        {
            var inForce = histories.Select(h => EffectiveVersion.For(h, period.Start)).OfType<MetricDefinition>().ToList();

            // Formulas first: a health score is fed exactly through the formulas fed here (its components
            // are computed under their own versions in force for the period, as here).
            var fed = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var formula in inForce.Where(d => d.Kind == DefinitionKind.Formula))
            {
                var measures = MetricValueService.MeasuresOf(formula).Where(m => MeasureSources.Feeds(fact.Kind, m)).ToList();
                if (measures.Count > 0)
                {
                    fed[formula.Key] = measures;
                    values.AddRange(scopes.Select(s => new FedValue(formula.Key, formula.Version, DefinitionKind.Formula, s.Scope.ToString(), period.ToString(), measures, [])));
                }
            }

            foreach (var health in inForce.Where(d => d.Kind == DefinitionKind.HealthScore && d.Health is not null))
            {
                values.AddRange(scopes.Select(s => HealthFed(health, s.Scope, s.Segment, period, fed)).OfType<FedValue>());
            }
        }

        return new FactLineage(fact, values, await store.PinsWithFactAsync(tenantId, factId, cancellationToken));
    }

    /// <summary>
    /// A health score for one scope, if the profile that scores the scope (<paramref name="segment"/>'s,
    /// else the default) has a component among the formulas the fact feeds.
    /// </summary>
    private static FedValue? HealthFed(MetricDefinition health, MetricScope scope, string? segment, Period period, IReadOnlyDictionary<string, IReadOnlyList<string>> fed)
    {
        var profile = HealthScorer.ProfileFor(health.Health!, segment);
        var components = profile.Components.Select(c => c.MetricKey).Where(fed.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
        return components.Count == 0
            ? null
            : new FedValue(health.Key, health.Version, DefinitionKind.HealthScore, scope.ToString(), period.ToString(),
                components.SelectMany(c => fed[c]).Distinct(StringComparer.Ordinal).ToList(), components);
    }

    /// <summary>
    /// The scopes whose values count the fact — its account, every executive it was ever assigned to, its
    /// segment, the tenant — each with the segment whose health profile scores it, as ScopeReader has it:
    /// an account's or a segment's own, none (the default profile) for a portfolio or the tenant.
    /// </summary>
    private async Task<IReadOnlyList<(MetricScope Scope, string? Segment)>> ScopesAsync(string tenantId, LineageFact fact, CancellationToken cancellationToken)
    {
        var scopes = new List<(MetricScope, string?)>();
        if (fact.AccountId is { } account)
        {
            var (segment, executives) = await store.AccountScopesAsync(tenantId, account, cancellationToken);
            scopes.Add((new MetricScope(ScopeKind.Account, account), segment));
            scopes.AddRange(executives.Select(e => (new MetricScope(ScopeKind.Executive, e), (string?)null)));
            if (segment is not null)
            {
                scopes.Add((new MetricScope(ScopeKind.Segment, segment), segment));
            }
        }

        scopes.Add((new MetricScope(ScopeKind.Tenant, null), null));
        return scopes;
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
