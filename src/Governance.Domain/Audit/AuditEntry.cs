using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Governance.Domain.Audit;

/// <summary>
/// A change someone (a person or a job) made, before it has a place in the log: who, what, to what,
/// why, and the state before and after as JSON (null where there was none).
/// </summary>
/// <param name="Actor">The subject of the token (or the job's name) that made the change.</param>
/// <param name="Action">What was done, <c>area.verb</c>: <c>metric_definition.proposed</c>.</param>
/// <param name="Subject">What it was done to, <c>kind:id[:more]</c>: <c>metric_definition:net_revenue_retention:v2</c>.</param>
/// <param name="Reason">Why, as the actor gave it.</param>
/// <param name="Before">The state before, JSON.</param>
/// <param name="After">The state after, JSON.</param>
public sealed record AuditEvent(string Actor, string Action, string Subject, string? Reason = null, string? Before = null, string? After = null)
{
    /// <summary>Serializes a value to JSON for <see cref="Before"/> or <see cref="After"/>.</summary>
    public static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}

/// <summary>
/// An entry of a tenant's audit log. <see cref="CanonicalBytes"/> are what the log hashes into its
/// leaf; docs/audit.md specifies them so an auditor can recompute every leaf.
/// </summary>
public sealed record AuditEntry(
    string TenantId, long Seq, DateTimeOffset At, string Actor, string Action, string Subject, string? Reason, string? Before, string? After)
{
    /// <summary>The timestamp form of the canonical bytes: UTC, always six fractional digits.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>
    /// UTF-8 of one JSON object, no whitespace, members in this order: tenant, seq, at, actor, action,
    /// subject, reason, before, after. Strings escape only <c>"</c>, <c>\</c> and U+0000–U+001F (as
    /// <c>\u00xx</c>, lower-case hex); <c>at</c> is <see cref="TimestampFormat"/>; missing values are
    /// <c>null</c>; before and after are canonical JSON (<see cref="CanonicalJson"/>).
    /// </summary>
    public byte[] CanonicalBytes()
    {
        var json = new StringBuilder();
        json.Append("{\"tenant\":").Append(Quote(TenantId))
            .Append(",\"seq\":").Append(Seq.ToString(CultureInfo.InvariantCulture))
            .Append(",\"at\":").Append(Quote(FormatTimestamp(At)))
            .Append(",\"actor\":").Append(Quote(Actor))
            .Append(",\"action\":").Append(Quote(Action))
            .Append(",\"subject\":").Append(Quote(Subject))
            .Append(",\"reason\":").Append(Reason is null ? "null" : Quote(Reason))
            .Append(",\"before\":").Append(Before is null ? "null" : CanonicalJson(Before))
            .Append(",\"after\":").Append(After is null ? "null" : CanonicalJson(After))
            .Append('}');
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    /// <summary>SHA-256(0x00 ‖ <see cref="CanonicalBytes"/>).</summary>
    public byte[] LeafHash() => MerkleLog.LeafHash(CanonicalBytes());

    /// <summary>Cuts a time to what PostgreSQL keeps (whole microseconds, UTC), so the stored time hashes as the appended one.</summary>
    public static DateTimeOffset StorableTime(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    public static string FormatTimestamp(DateTimeOffset at) => at.ToUniversalTime().ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// JSON without whitespace, object members sorted by name (ordinal, UTF-16 code units), strings
    /// escaped as in <see cref="CanonicalBytes"/>, numbers as written in the input (the service passes
    /// PostgreSQL's jsonb text, so numbers are as jsonb prints them), duplicate names keep the last.
    /// </summary>
    public static string CanonicalJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var builder = new StringBuilder();
        Write(document.RootElement, builder);
        return builder.ToString();
    }

    private static void Write(JsonElement element, StringBuilder builder)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                var members = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    members[property.Name] = property.Value;
                }

                var first = true;
                foreach (var (name, value) in members)
                {
                    builder.Append(first ? "" : ",").Append(Quote(name)).Append(':');
                    Write(value, builder);
                    first = false;
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    builder.Append(index++ == 0 ? "" : ",");
                    Write(item, builder);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                builder.Append(Quote(element.GetString()!));
                break;
            case JsonValueKind.Number:
                builder.Append(element.GetRawText());
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    private static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c == '"' || c == '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (c < 0x20)
            {
                builder.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }
}
