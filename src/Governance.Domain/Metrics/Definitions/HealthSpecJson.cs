using System.Text.Json;
using System.Text.Json.Serialization;

namespace Governance.Domain.Metrics.Definitions;

/// <summary>
/// The one JSON form of a <see cref="HealthSpec"/>: what the database stores (jsonb) and what
/// <see cref="DefinitionDiff"/> compares. camelCase names, enums by name, so the stored form reads
/// without the code and does not change if enum members are reordered.
/// </summary>
public static class HealthSpecJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    public static string Serialize(HealthSpec spec) => JsonSerializer.Serialize(spec, Options);

    public static HealthSpec Deserialize(string json) =>
        JsonSerializer.Deserialize<HealthSpec>(json, Options) ?? throw new JsonException("A health spec is not null.");
}
