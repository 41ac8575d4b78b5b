using System.Globalization;
using System.Text.Json;
using Governance.Api.Jobs;
using Governance.Api.Metrics.Values;
using Governance.Domain.Findings;
using Governance.Domain.Measures;
using Governance.Domain.Metrics.Definitions;
using Governance.Storage.Facts;
using Governance.Storage.Findings;
using Governance.Storage.Metrics;
using GraphQL;

namespace Governance.Api.Findings;

/// <summary>
/// Every day, judges the monthly series of every approved metric (formulas and health scores) for the tenant,
/// each segment and each executive's portfolio with <see cref="AnomalyDetector"/> (docs/metrics.md, "Anomaly
/// detection"), over the <see cref="Months"/> months that have ended, and raises a finding per anomalous point
/// (dedupe key <c>anomaly:{metric}:{scope}:{month}</c>). Points that already have an anomaly finding, open or
/// resolved, stay out of the windows whatever they score now, so a run judges like the one before it even
/// after late facts; two runs at once raise one set (<see cref="FindingStore.RaiseAsync"/>).
/// </summary>
public sealed class AnomalyJob(MetricDefinitionStore definitions, FactStore facts, FindingStore findings, MetricValueService values, TimeProvider time) : ITenantJob
{
    public const string JobName = "anomalies";

    public const string Kind = "anomaly";

    /// <summary>Months judged per series, ending with the last month that has ended.</summary>
    public const int Months = 36;

    public string Name => JobName;

    public string DefaultSchedule => "0 3 * * *";

    public static string DedupeKey(string metricKey, MetricScope scope, Period month) => $"{Kind}:{metricKey}:{scope}:{month}";

    public async Task RunAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var to = Period.Month(now.Year, now.Month).Previous;
        var from = to.Shift(1 - Months);
        var keys = (await definitions.ListAsync(tenantId, new DefinitionFilter { Status = DefinitionStatus.Approved }, cancellationToken))
            .Select(d => d.Key).Distinct(StringComparer.Ordinal).ToList();
        var known = await findings.DedupeKeysAsync(tenantId, Kind, cancellationToken);

        List<MetricScope> scopes =
        [
            new(ScopeKind.Tenant, null),
            .. (await facts.SegmentsOfTenantAsync(tenantId, cancellationToken)).Select(s => new MetricScope(ScopeKind.Segment, s)),
            .. (await facts.ExecutivesOfTenantAsync(tenantId, cancellationToken)).Select(e => new MetricScope(ScopeKind.Executive, e)),
        ];
        foreach (var scope in scopes)
        {
            // One reader per scope: its grain is asked once for the 36 months, then every metric computes from that.
            var reader = await values.OpenAsync(tenantId, scope);
            var raised = new List<NewFinding>();
            foreach (var key in keys)
            {
                IReadOnlyList<MetricValue> series;
                try
                {
                    series = await values.SeriesAsync(tenantId, key, reader, from, to, null, cancellationToken);
                }
                catch (ExecutionError e) when (e.Code == "NO_VERSION_IN_FORCE")
                {
                    continue;
                }

                raised.AddRange(Judge(key, scope, series, known));
            }

            await findings.RaiseAsync(tenantId, raised, $"job:{JobName}", cancellationToken);
        }
    }

    /// <summary>The findings of one series: one per point the detector flags that has none yet.</summary>
    public static IEnumerable<NewFinding> Judge(string key, MetricScope scope, IReadOnlyList<MetricValue> series, IReadOnlySet<string> known)
    {
        var past = Enumerable.Range(0, series.Count).Where(i => known.Contains(DedupeKey(key, scope, series[i].Period))).ToHashSet();
        var judged = AnomalyDetector.Judge([.. series.Select(v => v.Computed ? v.Value : null)], AnomalyOptions.Monthly, past);
        foreach (var judgement in judged.Where(j => j.IsAnomalous))
        {
            var point = series[judgement.Index];
            var dedupeKey = DedupeKey(key, scope, point.Period);
            if (!known.Contains(dedupeKey))
            {
                yield return new NewFinding(Kind, dedupeKey, scope.ToString(), key, point.Period.ToString(), null,
                    Summary(key, scope, point.Period, judgement), Evidence(point, judgement, series));
            }
        }
    }

    /// <summary>E.g. <c>net_revenue_retention of executive:cro-1 in 2026-03 is 0.52, 5.1 robust deviations from the median 1.01</c>.</summary>
    public static string Summary(string key, MetricScope scope, Period month, AnomalyJudgement judgement)
    {
        var evidence = judgement.Evidence!;
        var against = evidence.Seasonal ? "the seasonal expectation" : "the median";
        var how = evidence.Score is { } score
            ? string.Create(CultureInfo.InvariantCulture, $"{score:0.0} robust deviations from {against} {Number(evidence.Expected)}")
            : evidence.Change is { } change
                ? string.Create(CultureInfo.InvariantCulture, $"{change * 100:0.#} % away from {against} {Number(evidence.Expected)}, which has no spread")
                : $"while {against} is {Number(evidence.Expected)} with no spread";
        return $"{key} of {scope} in {month} is {Number(judgement.Value!.Value)}, {how}";
    }

    private static string Evidence(MetricValue point, AnomalyJudgement judgement, IReadOnlyList<MetricValue> series)
    {
        var evidence = judgement.Evidence!;
        var options = AnomalyOptions.Monthly;
        return JsonSerializer.Serialize(new
        {
            method = evidence.Method == AnomalyMethod.ZScore ? "z-score" : "pct-change",
            evidence.Seasonal,
            value = judgement.Value,
            definitionVersion = point.Definition.Version,
            expected = evidence.Expected,
            baseline = evidence.Baseline,
            median = evidence.Median,
            mad = evidence.Mad,
            score = evidence.Score is { } s ? decimal.Round(s, 6) : (decimal?)null,
            change = evidence.Change is { } c ? decimal.Round(c, 6) : (decimal?)null,
            // With seasons the window holds residuals: each value minus the median of the other values of its month.
            window = evidence.WindowIndices.Select((index, k) => new { period = series[index].Period.ToString(), value = evidence.Window[k] }),
            parameters = new { options.Window, options.MinHistory, options.Threshold, options.PercentChange, options.Cycle },
        }, JsonOptions);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static string Number(decimal value) => decimal.Round(value, 4).ToString("0.####", CultureInfo.InvariantCulture);
}
