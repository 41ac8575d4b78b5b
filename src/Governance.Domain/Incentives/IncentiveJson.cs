using System.Text.Json;
using System.Text.Json.Serialization;

namespace Governance.Domain.Incentives;

/// <summary>How scorecards, plans and payout statements are stored: camelCase JSON, enums by name, decimals exact.</summary>
public static class IncentiveJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(), new PeriodConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Stored {typeof(T).Name} is null.");
}

/// <summary>A period as its text (2026-Q1), as everywhere else in the API.</summary>
internal sealed class PeriodConverter : JsonConverter<Measures.Period>
{
    public override Measures.Period Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Measures.Period.TryParse(reader.GetString(), out var period) ? period : throw new JsonException($"'{reader.GetString()}' is not a period.");

    public override void Write(Utf8JsonWriter writer, Measures.Period value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
