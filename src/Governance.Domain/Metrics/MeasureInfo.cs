namespace Governance.Domain.Metrics;

/// <summary>
/// A measure a formula can name: its formula name (snake_case), unit and meaning. A distribution is a
/// set of bucketed counts that only <c>median(…)</c> reads, not a number.
/// </summary>
public sealed record MeasureInfo(string Name, Unit Unit, string Description, bool IsDistribution = false);

/// <summary>The measures formulas may use.</summary>
public interface IMeasureCatalog
{
    MeasureInfo? Find(string name);

    IEnumerable<MeasureInfo> All { get; }
}
