using System.Text.Json;
using Governance.Domain.Metrics.Values;

namespace Governance.Storage.Lineage;

/// <summary>
/// A stored pin (table metric_pins of migrations 0014 and 0015): the record of one computation of a
/// value — the value, the definition version, the measures it read and the exact facts behind them,
/// when and by whom. <see cref="Measures"/> is null for pins made before 0015, which did not keep them.
/// </summary>
public sealed record MetricPin(
    Guid PinId, string Key, int Version, string Scope, string Period, decimal? Value, string? NullReason,
    IReadOnlyList<long> FactIds, byte[] Digest, string PinnedBy, DateTimeOffset PinnedAt, string Reason,
    IReadOnlyList<MeasureReading>? Measures);

/// <summary>The jsonb form of a pin's measure readings: <c>[{"measure", "periodOffset", "value"}]</c>.</summary>
public static class PinnedMeasures
{
    // Web defaults give the camelCase names the column comment of 0015 promises.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string ToJson(IReadOnlyList<MeasureReading> readings) => JsonSerializer.Serialize(readings, Json);

    public static IReadOnlyList<MeasureReading> FromJson(string json) =>
        JsonSerializer.Deserialize<List<MeasureReading>>(json, Json) ?? throw new InvalidOperationException("A pin's measures are JSON null.");
}
