using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Definitions;

namespace Governance.Storage.Metrics;

// Settable properties and plain column types: Dapper fills these, the store turns them into domain records
// (timestamptz arrives as a UTC DateTime, date as DateOnly, enums as their names).
internal sealed class MetricDefinitionRow
{
    public string Key { get; set; } = "";
    public int Version { get; set; }
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string? Formula { get; set; }
    public string? Health { get; set; }
    public string Unit { get; set; } = "";
    public string Direction { get; set; } = "";
    public string FocusArea { get; set; } = "";
    public string JourneyStage { get; set; } = "";
    public string Indicator { get; set; } = "";
    public string DataOwner { get; set; } = "";
    public DateOnly EffectiveFrom { get; set; }
    public string Reason { get; set; } = "";
    public string Author { get; set; } = "";
    public DateTime ProposedAt { get; set; }
    public string Status { get; set; } = "";
    public string? ApprovedBy { get; set; }
    public DateTime? ApprovedAt { get; set; }
    public string? ApproveReason { get; set; }
    public string? RetiredBy { get; set; }
    public DateTime? RetiredAt { get; set; }
    public string? RetireReason { get; set; }

    public MetricDefinition ToDefinition() => new()
    {
        Key = Key,
        Version = Version,
        Kind = Enum.Parse<DefinitionKind>(Kind),
        Name = Name,
        Description = Description,
        Formula = Formula,
        Health = Health is null ? null : HealthSpecJson.Deserialize(Health),
        Unit = Enum.Parse<Unit>(Unit),
        Direction = Enum.Parse<Direction>(Direction),
        FocusArea = Enum.Parse<FocusArea>(FocusArea),
        JourneyStage = Enum.Parse<JourneyStage>(JourneyStage),
        Indicator = Enum.Parse<Indicator>(Indicator),
        DataOwner = DataOwner,
        EffectiveFrom = EffectiveFrom,
        Reason = Reason,
        Author = Author,
        ProposedAt = Utc(ProposedAt),
        Status = Enum.Parse<DefinitionStatus>(Status),
        ApprovedBy = ApprovedBy,
        ApprovedAt = ApprovedAt is { } approved ? Utc(approved) : null,
        ApproveReason = ApproveReason,
        RetiredBy = RetiredBy,
        RetiredAt = RetiredAt is { } retired ? Utc(retired) : null,
        RetireReason = RetireReason,
    };

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
