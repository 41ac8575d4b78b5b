using Governance.Domain.Metrics.Formulas;

namespace Governance.Domain.Metrics.Values;

/// <summary>A measure a value was computed from: which, in which period (0 the period, −1 the one before), and its value.</summary>
public sealed record MeasureReading(string Measure, int PeriodOffset, decimal? Value);

/// <summary>A formula's value for one scope and period, with every measure value it read.</summary>
public sealed record MetricResult(decimal? Value, string? NullReason, IReadOnlyList<MeasureReading> Readings);

/// <summary>Evaluates compiled formulas over a scope's period measures.</summary>
public static class MetricEvaluator
{
    /// <param name="formula">The definition version's formula.</param>
    /// <param name="current">The period asked for.</param>
    /// <param name="previous">The period before it, for <c>prev(…)</c>; null when the formula does not read it.</param>
    public static MetricResult Evaluate(CompiledFormula formula, PeriodMeasures current, PeriodMeasures? previous)
    {
        var values = new PeriodValues(current, previous);
        var result = formula.Evaluate(values);
        var readings = formula.Reads.Select(r => new MeasureReading(r.Measure, r.PeriodOffset, values.Reading(r.Measure, r.PeriodOffset))).ToList();
        return new MetricResult(result.Value, result.Value is null ? result.NullReason : null, readings);
    }

    /// <summary>Whether the formula reads the period before the one asked for.</summary>
    public static bool ReadsPrevious(CompiledFormula formula) => formula.Reads.Any(r => r.PeriodOffset < 0);

    private sealed class PeriodValues(PeriodMeasures current, PeriodMeasures? previous) : IMeasureValues
    {
        public decimal? Get(string measure, int periodOffset) =>
            At(periodOffset) is { } measures ? MetricMeasures.Catalog.Read(measure, measures) : null;

        public Distribution? GetDistribution(string measure, int periodOffset) =>
            At(periodOffset) is { } measures ? MetricMeasures.TimeToValue(measures) : null;

        /// <summary>A number for the lineage: a distribution is shown as how many values it holds.</summary>
        public decimal? Reading(string measure, int periodOffset) =>
            MetricMeasures.Catalog.Find(measure)!.IsDistribution ? GetDistribution(measure, periodOffset)?.Counts.Sum() : Get(measure, periodOffset);

        private PeriodMeasures? At(int offset) => offset == 0 ? current : offset == -1 ? previous : null;
    }
}
