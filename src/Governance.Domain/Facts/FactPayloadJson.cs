using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Governance.Domain.Facts;

/// <summary>How payloads are written to and read from the facts table, and the content hash over them.</summary>
public static class FactPayloads
{
    private static readonly Dictionary<FactKind, Type> Types = new()
    {
        [FactKind.AccountCreated] = typeof(AccountCreatedPayload),
        [FactKind.AccountClosed] = typeof(AccountClosedPayload),
        [FactKind.AccountAssigned] = typeof(AccountAssignedPayload),
        [FactKind.MrrChanged] = typeof(MrrChangedPayload),
        [FactKind.SeatsChanged] = typeof(SeatsChangedPayload),
        [FactKind.UsageRecorded] = typeof(UsageRecordedPayload),
        [FactKind.OnboardingMilestone] = typeof(OnboardingMilestonePayload),
        [FactKind.SurveyResponded] = typeof(SurveyRespondedPayload),
        [FactKind.TicketOpened] = typeof(TicketOpenedPayload),
        [FactKind.TicketFirstResponse] = typeof(TicketFirstResponsePayload),
        [FactKind.TicketResolved] = typeof(TicketResolvedPayload),
        [FactKind.RenewalDue] = typeof(RenewalPayload),
        [FactKind.RenewalRenewed] = typeof(RenewalPayload),
        [FactKind.RenewalLost] = typeof(RenewalPayload),
        [FactKind.ReferralMade] = typeof(ReferralPayload),
        [FactKind.ReferralConverted] = typeof(ReferralPayload),
        [FactKind.QbrHeld] = typeof(QbrHeldPayload),
        [FactKind.SupportCost] = typeof(SupportCostPayload),
    };

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Equal payloads must write equal JSON, or the content hash calls a harmless repeat a conflict:
        // decimals without trailing zeros (1000.50 == 1000.5) and instants in UTC (as OccurredAt is hashed).
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower), new CanonicalDecimalConverter(), new UtcDateTimeOffsetConverter() },
    };

    public static Type TypeOf(FactKind kind) => Types[kind];

    public static string ToJson(FactPayload payload) => JsonSerializer.Serialize(payload, payload.GetType(), Json);

    public static FactPayload FromJson(FactKind kind, string json) =>
        (FactPayload)(JsonSerializer.Deserialize(json, Types[kind], Json) ?? throw new JsonException($"Empty payload for {kind.WireName()}."));

    /// <summary>
    /// SHA-256 over everything a fact says (not when it was received): two sends of the same external id
    /// with equal hashes are a harmless repeat, with different hashes a conflict.
    /// </summary>
    public static byte[] ContentHash(FactDraft fact, string payloadJson) =>
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\u001f',
            fact.Kind.WireName(), fact.AccountId, fact.OccurredAt.UtcDateTime.ToString("O"), fact.Supersedes ?? "", payloadJson)));

    private sealed class CanonicalDecimalConverter : JsonConverter<decimal>
    {
        // Quoted numbers as the web defaults read them (JsonNumberHandling.AllowReadingFromString).
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String
                ? decimal.Parse(reader.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                : reader.GetDecimal();

        // Dividing by 1 at the largest scale drops the trailing zeros and keeps the value.
        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value / 1.0000000000000000000000000000m);
    }

    private sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToUniversalTime());
    }
}
