using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Formulas;

namespace Governance.Domain.Tests.Metrics.Formulas;

/// <summary>The measures the formula tests are written against: a few of each unit and one distribution.</summary>
internal sealed class TestMeasures : IMeasureCatalog
{
    private static readonly MeasureInfo[] Measures =
    [
        new("mrr_start", Unit.Money, "MRR at the start of the period"),
        new("mrr_expansion", Unit.Money, "MRR added by existing customers"),
        new("mrr_contraction", Unit.Money, "MRR removed by customers who stay"),
        new("mrr_churned", Unit.Money, "MRR lost with customers who leave"),
        new("customers_start", Unit.Count, "customers at the start of the period"),
        new("customers_lost", Unit.Count, "customers lost"),
        new("nps_promoters", Unit.Count, "NPS responses 9–10"),
        new("nps_detractors", Unit.Count, "NPS responses 0–6"),
        new("nps_responses", Unit.Count, "NPS responses"),
        new("resolution_time_sum", Unit.Duration, "hours from opening to resolution, summed"),
        new("tickets_resolved", Unit.Count, "tickets resolved"),
        new("health_score_sum", Unit.Score, "health scores, summed over accounts"),
        new("renewal_rate_target", Unit.Ratio, "the share of renewals aimed at"),
        new("time_to_value", Unit.Duration, "hours from creation to first value, per account", IsDistribution: true),
    ];

    // After Measures: static fields are set in the order they are written.
    public static readonly TestMeasures Catalog = new();

    private readonly Dictionary<string, MeasureInfo> _byName = Measures.ToDictionary(m => m.Name);

    public IEnumerable<MeasureInfo> All => Measures;

    public MeasureInfo? Find(string name) => _byName.GetValueOrDefault(name);
}

/// <summary>Measure values for one period and the one before, set by the test.</summary>
internal sealed class TestValues : IMeasureValues
{
    private readonly Dictionary<(string, int), decimal?> _values = [];
    private readonly Dictionary<(string, int), Distribution> _distributions = [];

    public TestValues Set(string measure, decimal? value, int periodOffset = 0)
    {
        _values[(measure, periodOffset)] = value;
        return this;
    }

    public TestValues SetDistribution(string measure, Distribution distribution, int periodOffset = 0)
    {
        _distributions[(measure, periodOffset)] = distribution;
        return this;
    }

    public decimal? Get(string measure, int periodOffset) => _values.GetValueOrDefault((measure, periodOffset));

    public Distribution? GetDistribution(string measure, int periodOffset) => _distributions.GetValueOrDefault((measure, periodOffset));
}

/// <summary>Compiles against <see cref="TestMeasures"/> and fails the test with the errors when that goes otherwise than expected.</summary>
internal static class FormulaTesting
{
    public static FormulaResult Compile(string text, Unit unit) => FormulaCompiler.Compile(text, unit, TestMeasures.Catalog);

    /// <summary>The compiled formula; fails the test with the errors if there are any.</summary>
    public static CompiledFormula Compiled(string text, Unit unit)
    {
        var result = Compile(text, unit);
        Assert.True(result.IsValid, $"`{text}` was refused: " + string.Join("; ", result.Errors.Select(e => $"{e.Code} at {e.Line}:{e.Column}: {e.Message}")));
        Assert.Empty(result.Errors);
        return result.Formula!;
    }

    /// <summary>The one error compiling <paramref name="text"/> gives; fails the test if it gives none or several.</summary>
    public static FormulaError Error(string text, Unit unit)
    {
        var result = Compile(text, unit);
        Assert.Null(result.Formula);
        return Assert.Single(result.Errors);
    }

    public static FormulaValue Evaluate(string text, Unit unit, TestValues values) => Compiled(text, unit).Evaluate(values);
}
