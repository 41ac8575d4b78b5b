using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Definitions;
using GraphQL.Types;

namespace Governance.Api.Metrics;

/// <summary>A proposal as the caller sends it; <see cref="ToDraft"/> makes the domain draft that is validated and stored.</summary>
public sealed class ProposeMetricDefinitionInput
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public DefinitionKind Kind { get; set; }
    public string? Formula { get; set; }
    public HealthSpecInput? Health { get; set; }
    public Unit Unit { get; set; }
    public Direction Direction { get; set; }
    public FocusArea FocusArea { get; set; }
    public JourneyStage JourneyStage { get; set; }
    public Indicator Indicator { get; set; }
    public string DataOwner { get; set; } = "";
    public DateOnly EffectiveFrom { get; set; }
    public string Reason { get; set; } = "";

    // Free text is trimmed; the formula is kept as written, so error positions point into what the caller sent.
    public MetricDraft ToDraft() => new()
    {
        Key = Key,
        Name = Name.Trim(),
        Description = Description?.Trim() ?? "",
        Kind = Kind,
        Formula = Formula,
        Health = Health?.ToSpec(),
        Unit = Unit,
        Direction = Direction,
        FocusArea = FocusArea,
        JourneyStage = JourneyStage,
        Indicator = Indicator,
        DataOwner = DataOwner.Trim(),
        EffectiveFrom = EffectiveFrom,
        Reason = Reason.Trim(),
    };
}

public sealed class HealthSpecInput
{
    public List<HealthProfileInput> Profiles { get; set; } = [];

    public HealthSpec ToSpec() => new() { Profiles = Profiles.Select(p => p.ToProfile()).ToList() };
}

public sealed class HealthProfileInput
{
    public string? Segment { get; set; }
    public List<HealthComponentInput> Components { get; set; } = [];
    public decimal RedBelow { get; set; }
    public decimal GreenFrom { get; set; }
    public MissingInputRule Missing { get; set; }
    public decimal MinCoverage { get; set; }

    public HealthProfile ToProfile() => new()
    {
        Segment = Segment?.Trim(),
        Components = Components.Select(c => new HealthComponent { MetricKey = c.MetricKey, Weight = c.Weight, Worst = c.Worst, Best = c.Best }).ToList(),
        RedBelow = RedBelow,
        GreenFrom = GreenFrom,
        Missing = Missing,
        MinCoverage = MinCoverage,
    };
}

public sealed class HealthComponentInput
{
    public string MetricKey { get; set; } = "";
    public decimal Weight { get; set; }
    public decimal Worst { get; set; }
    public decimal Best { get; set; }
}

public sealed class ProposeMetricDefinitionInputType : InputObjectGraphType<ProposeMetricDefinitionInput>
{
    public ProposeMetricDefinitionInputType()
    {
        Name = "ProposeMetricDefinitionInput";
        Description = "A new version of a metric definition: a new key starts at version 1, an existing key gets its next version. Stored as a draft.";
        Field(i => i.Key).Description("2 to 63 characters: lowercase letters, digits and '_', starting with a letter.");
        Field(i => i.Name).Description("1 to 200 characters.");
        Field(i => i.Description, nullable: true).Description("At most 2,000 characters.");
        Field(i => i.Kind, type: typeof(NonNullGraphType<MetricDefinitionKindType>));
        Field(i => i.Formula, nullable: true).Description("Required for FORMULA, absent for HEALTH_SCORE. Must compile for the unit (see checkMetricFormula).");
        Field(i => i.Health, type: typeof(HealthSpecInputType)).Description("Required for HEALTH_SCORE (whose unit is SCORE), absent for FORMULA.");
        Field(i => i.Unit, type: typeof(NonNullGraphType<MetricUnitType>));
        Field(i => i.Direction, type: typeof(NonNullGraphType<MetricDirectionType>));
        Field(i => i.FocusArea, type: typeof(NonNullGraphType<FocusAreaType>));
        Field(i => i.JourneyStage, type: typeof(NonNullGraphType<JourneyStageType>));
        Field(i => i.Indicator, type: typeof(NonNullGraphType<MetricIndicatorType>));
        Field(i => i.DataOwner).Description("Who is accountable for the data, 1 to 200 characters.");
        Field(i => i.EffectiveFrom).Description("Not before 2000-01-01. A version effective mid-period governs from the next period.");
        Field(i => i.Reason).Description("Why this version: 1 to 500 characters.");
    }
}

public sealed class HealthSpecInputType : InputObjectGraphType<HealthSpecInput>
{
    public HealthSpecInputType()
    {
        Name = "HealthSpecInput";
        Description = "1 to 50 profiles: exactly one default profile (segment null), other segments distinct.";
        Field(h => h.Profiles, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<HealthProfileInputType>>>));
    }
}

public sealed class HealthProfileInputType : InputObjectGraphType<HealthProfileInput>
{
    public HealthProfileInputType()
    {
        Name = "HealthProfileInput";
        Field(p => p.Segment, nullable: true).Description("Null for the default profile.");
        Field(p => p.Components, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<HealthComponentInputType>>>))
            .Description("1 to 20 components with distinct metric keys.");
        Field(p => p.RedBelow).Description("0 to 100.");
        Field(p => p.GreenFrom).Description("From redBelow to 100.");
        Field(p => p.Missing, type: typeof(NonNullGraphType<MissingInputRuleType>));
        Field(p => p.MinCoverage).Description("0 to 1: for RENORMALIZE, the share of the weight that must be present.");
    }
}

public sealed class HealthComponentInputType : InputObjectGraphType<HealthComponentInput>
{
    public HealthComponentInputType()
    {
        Name = "HealthComponentInput";
        Field(c => c.MetricKey).Description("A FORMULA metric of the tenant with a version that is not retired.");
        Field(c => c.Weight).Description("Greater than 0.");
        Field(c => c.Worst).Description("The metric value worth 0 points.");
        Field(c => c.Best).Description("The metric value worth 100 points; not equal to worst.");
    }
}
