using System.Collections.Concurrent;
using Governance.Api.GraphQL;
using Governance.Domain.Measures;
using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Definitions;
using Governance.Domain.Metrics.Formulas;
using Governance.Domain.Metrics.Values;
using Governance.Storage.Facts;
using Governance.Storage.Metrics;
using GraphQL;

namespace Governance.Api.Metrics.Values;

/// <summary>
/// Computes metric values from the live measures of the grains (docs/metrics.md, "Definitions, versions and restatement"): the
/// definition version in force for the period unless one is asked for, a restatement beside the
/// original when a closed period is asked for under another version. Computing writes nothing.
/// </summary>
public sealed class MetricValueService(MetricDefinitionStore definitions, FactStore facts, IGrainFactory grains)
{
    /// <summary>The most periods one series may ask for.</summary>
    public const int MaxSeries = 60;

    // Approved formulas never change, so their compiled form is shared by every request.
    private static readonly ConcurrentDictionary<(string Formula, Unit Unit), CompiledFormula> Compiled = new();

    // One service serves a whole request, whose root fields GraphQL.NET resolves concurrently: the cache
    // must take concurrent readers and writers.
    private readonly ConcurrentDictionary<string, Task<IReadOnlyList<MetricDefinition>>> _histories = new(StringComparer.Ordinal);

    public Task<ScopeReader> OpenAsync(string tenantId, MetricScope scope) => ScopeReader.OpenAsync(grains, tenantId, scope);

    public async Task<MetricValue> ValueAsync(string tenantId, string key, ScopeReader scope, Period period, int? version, CancellationToken cancellationToken)
    {
        var history = await HistoryAsync(tenantId, key, cancellationToken);
        var inForce = EffectiveVersion.For(history, period.Start);
        var chosen = version is { } asked
            ? history.FirstOrDefault(d => d.Version == asked) ?? throw new ExecutionError($"Metric '{key}' has no version {asked}.") { Code = ErrorCodes.NotFound }
            : inForce ?? throw new ExecutionError($"No approved version of '{key}' is in force for {period}.") { Code = "NO_VERSION_IN_FORCE" };
        var value = await ComputeAsync(tenantId, chosen, scope, period, cancellationToken);

        Restatement? restatement = null;
        if (inForce is not null && inForce.Version != chosen.Version && await facts.IsClosedAsync(tenantId, period.Start, period.End, cancellationToken))
        {
            var original = await ComputeAsync(tenantId, inForce, scope, period, cancellationToken);
            restatement = new Restatement(inForce.Version, original.Value, original.NullReason, value.Value - original.Value);
        }

        return value with { InForceVersion = inForce?.Version, Restatement = restatement };
    }

    /// <summary>Every metric with a version in force for the period, or the keys asked for.</summary>
    public async Task<IReadOnlyList<MetricValue>> ValuesAsync(string tenantId, IReadOnlyList<string>? keys, ScopeReader scope, Period period, CancellationToken cancellationToken)
    {
        var asked = keys is not null;
        if (keys is null)
        {
            // Every key, whatever its latest version's status: a version retired since (or followed by a
            // draft) still governs the periods that began before, and EffectiveVersion decides which.
            var all = await definitions.ListAsync(tenantId, new DefinitionFilter { AllVersions = true }, cancellationToken);
            foreach (var history in all.GroupBy(d => d.Key, StringComparer.Ordinal))
            {
                _histories.TryAdd(history.Key, Task.FromResult<IReadOnlyList<MetricDefinition>>(history.ToList()));
            }

            keys = all.Select(d => d.Key).Distinct(StringComparer.Ordinal).ToList();
        }

        var values = new List<MetricValue>();
        foreach (var key in keys.Distinct())
        {
            // Asked for by name, a metric with no version in force is an error; in the full list it is left out.
            if (!asked && EffectiveVersion.For(await HistoryAsync(tenantId, key, cancellationToken), period.Start) is null)
            {
                continue;
            }

            values.Add(await ValueAsync(tenantId, key, scope, period, null, cancellationToken));
        }

        return values;
    }

    /// <summary>A value per period from <paramref name="from"/> to <paramref name="to"/> (same grain), each under its own version in force unless one is asked for.</summary>
    public async Task<IReadOnlyList<MetricValue>> SeriesAsync(string tenantId, string key, ScopeReader scope, Period from, Period to, int? version, CancellationToken cancellationToken)
    {
        var periods = new List<Period>();
        for (var period = from; period.Key <= to.Key && periods.Count <= MaxSeries; period = period.Shift(1))
        {
            periods.Add(period);
        }

        if (from.Grain != to.Grain || to.Key < from.Key || periods.Count > MaxSeries)
        {
            throw ErrorCodes.Invalid("to", $"must be a period of the same grain as 'from', not before it, at most {MaxSeries} periods later");
        }

        // One grain call for the whole series, and the period before it for prev().
        await scope.ReadAsync(periods.Append(from.Previous));
        var series = new List<MetricValue>();
        var history = await HistoryAsync(tenantId, key, cancellationToken);
        foreach (var period in periods)
        {
            // A trend may start before the metric existed: those periods have no value rather than failing the series.
            series.Add(version is null && EffectiveVersion.For(history, period.Start) is null
                ? new MetricValue(history[^1], scope.Scope, period, null, $"no approved version of '{key}' is in force for {period}", null, [], null, null, null) { Computed = false }
                : await ValueAsync(tenantId, key, scope, period, version, cancellationToken));
        }

        return series;
    }

    private async Task<MetricValue> ComputeAsync(string tenantId, MetricDefinition definition, ScopeReader scope, Period period, CancellationToken cancellationToken)
    {
        if (definition.Kind == DefinitionKind.HealthScore)
        {
            var health = await HealthAsync(tenantId, definition, scope, period, cancellationToken);
            var previous = await HealthAsync(tenantId, definition, scope, period.Previous, cancellationToken);
            var change = health.Score - previous.Score;
            var trend = new HealthTrend(period.Previous, previous.Score, previous.Band, change,
                change is null ? "UNKNOWN" : change > 0 ? "UP" : change < 0 ? "DOWN" : "FLAT");
            return new MetricValue(definition, scope.Scope, period, health.Score, health.NullReason, null, [], null, health, trend);
        }

        var result = await FormulaAsync(definition, scope, period);
        return new MetricValue(definition, scope.Scope, period, result.Value, result.NullReason, null, result.Readings, null, null, null);
    }

    private async Task<MetricResult> FormulaAsync(MetricDefinition definition, ScopeReader scope, Period period)
    {
        var formula = Compile(definition);
        var readsPrevious = MetricEvaluator.ReadsPrevious(formula);
        var measures = await scope.ReadAsync(readsPrevious ? [period, period.Previous] : [period]);
        return MetricEvaluator.Evaluate(formula, measures[period], readsPrevious ? measures[period.Previous] : null);
    }

    private async Task<HealthResult> HealthAsync(string tenantId, MetricDefinition definition, ScopeReader scope, Period period, CancellationToken cancellationToken)
    {
        var profile = HealthScorer.ProfileFor(definition.Health!, scope.Segment);
        var inputs = new List<ComponentInput>();
        foreach (var component in profile.Components)
        {
            var inForce = EffectiveVersion.For(await HistoryAsync(tenantId, component.MetricKey, cancellationToken), period.Start);
            if (inForce is null || inForce.Kind != DefinitionKind.Formula)
            {
                inputs.Add(new ComponentInput(component, null, null, $"no version of {component.MetricKey} in force for {period}"));
                continue;
            }

            var result = await FormulaAsync(inForce, scope, period);
            inputs.Add(new ComponentInput(component, inForce.Version, result.Value, result.NullReason));
        }

        return HealthScorer.Score(profile, inputs);
    }

    private async Task<IReadOnlyList<MetricDefinition>> HistoryAsync(string tenantId, string key, CancellationToken cancellationToken)
    {
        var history = await _histories.GetOrAdd(key, k => definitions.HistoryAsync(tenantId, k, cancellationToken));
        return history.Count == 0 ? throw ErrorCodes.NotFoundError("Metric", key) : history;
    }

    /// <summary>The measures a formula definition reads (none for a health score).</summary>
    public static IReadOnlyList<string> MeasuresOf(MetricDefinition definition) =>
        definition.Kind == DefinitionKind.Formula ? Compile(definition).Reads.Select(r => r.Measure).Distinct(StringComparer.Ordinal).ToList() : [];

    private static CompiledFormula Compile(MetricDefinition definition) =>
        Compiled.GetOrAdd((definition.Formula!, definition.Unit), f =>
            FormulaCompiler.Compile(f.Formula, f.Unit, MetricMeasures.Catalog) is { Formula: { } compiled }
                ? compiled
                : throw new InvalidOperationException($"Stored formula of {definition.Key} v{definition.Version} does not compile."));
}
