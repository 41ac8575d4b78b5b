using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Definitions;
using static Governance.Domain.Tests.Metrics.Definitions.DefinitionExamples;

namespace Governance.Domain.Tests.Metrics.Definitions;

public sealed class DefinitionValidatorTests
{
    private static IReadOnlyList<string> Fields(MetricDraft draft) => DefinitionValidator.Validate(draft).Select(p => p.Field).ToList();

    [Fact]
    public void ShouldAcceptValidDraftsOfBothKinds()
    {
        Assert.Empty(DefinitionValidator.Validate(Formula()));
        Assert.Empty(DefinitionValidator.Validate(HealthScore(Profile(), Profile("enterprise"))));
    }

    public static TheoryData<string, MetricDraft, string> BrokenFields => new()
    {
        { "key with capitals", Formula() with { Key = "Logo_Retention" }, "key" },
        { "key of one character", Formula() with { Key = "x" }, "key" },
        { "key starting with a digit", Formula() with { Key = "1_retention" }, "key" },
        { "key with a dash", Formula() with { Key = "logo-retention" }, "key" },
        { "key with a final newline", Formula() with { Key = "logo_retention\n" }, "key" },
        { "key of 64 characters", Formula() with { Key = "k" + new string('a', 63) }, "key" },
        { "empty name", Formula() with { Name = "  " }, "name" },
        { "long name", Formula() with { Name = new string('n', 201) }, "name" },
        { "long description", Formula() with { Description = new string('d', 2_001) }, "description" },
        { "no reason", Formula() with { Reason = "" }, "reason" },
        { "long reason", Formula() with { Reason = new string('r', 501) }, "reason" },
        { "no data owner", Formula() with { DataOwner = " " }, "dataOwner" },
        { "effective before 2000", Formula() with { EffectiveFrom = new DateOnly(1999, 12, 31) }, "effectiveFrom" },
        { "unknown unit", Formula() with { Unit = (Unit)99 }, "unit" },
        { "formula missing", Formula() with { Formula = null }, "formula" },
        { "formula too long", Formula() with { Formula = "mrr_start + " + new string(' ', 4_000) }, "formula" },
        { "formula metric with a health spec", Formula() with { Health = new HealthSpec { Profiles = [Profile()] } }, "health" },
        { "health score with a formula", HealthScore() with { Formula = "mrr_start" }, "formula" },
        { "health score not in points", HealthScore() with { Unit = Unit.Ratio }, "unit" },
        { "health score without a spec", HealthScore() with { Health = null }, "health" },
    };

    [Theory]
    [MemberData(nameof(BrokenFields))]
    public void ShouldNameTheBrokenField(string why, MetricDraft draft, string field)
    {
        var fields = Fields(draft);

        Assert.True(fields.SequenceEqual([field]), $"{why}: {string.Join(", ", fields)}");
    }

    [Fact]
    public void ShouldAcceptTheBoundaries()
    {
        var draft = Formula() with
        {
            Key = "k" + new string('a', 62),
            Name = new string('n', 200),
            Description = new string('d', 2_000),
            Reason = new string('r', 500),
            DataOwner = new string('o', 200),
            EffectiveFrom = new DateOnly(2000, 1, 1),
        };

        Assert.Empty(DefinitionValidator.Validate(draft));
    }

    [Fact]
    public void ShouldReportEveryProblemAtOnce()
    {
        var draft = Formula() with { Key = "Bad", Name = "", Reason = "", DataOwner = "" };

        Assert.Equal(["key", "name", "dataOwner", "reason"], Fields(draft));
    }

    [Fact]
    public void ShouldCarryTheCompilersCodeAndPositionOnTheFormulaField()
    {
        // Depends on the formula compiler: an unknown measure on line 2, column 3.
        var problems = DefinitionValidator.Validate(Formula() with { Formula = "customers_retained\n  / nonsense_measure else null" });

        Assert.All(problems, p => Assert.Equal("formula", p.Field));
        var problem = problems.First(p => p.Code == "UNKNOWN_MEASURE");
        Assert.Equal(2, problem.Line);
        Assert.Equal(5, problem.Column);
        Assert.Equal(23, problem.Offset);
        Assert.Equal("nonsense_measure".Length, problem.Length);
    }

    public static TheoryData<string, HealthSpec, string> BrokenHealth => new()
    {
        { "no profile", new HealthSpec { Profiles = [] }, "health.profiles" },
        { "no default profile", new HealthSpec { Profiles = [Profile("smb")] }, "health.profiles" },
        { "two default profiles", new HealthSpec { Profiles = [Profile(), Profile()] }, "health.profiles" },
        { "segment twice", new HealthSpec { Profiles = [Profile(), Profile("smb"), Profile("smb")] }, "health.profiles[2].segment" },
        { "blank segment", new HealthSpec { Profiles = [Profile(), Profile(" ")] }, "health.profiles[1].segment" },
        { "no component", new HealthSpec { Profiles = [Profile() with { Components = [] }] }, "health.profiles[0].components" },
        { "21 components", new HealthSpec { Profiles = [Profile(null, [.. Enumerable.Range(0, 21).Select(i => $"metric_{i}")])] }, "health.profiles[0].components" },
        { "component twice", new HealthSpec { Profiles = [Profile(null, "nrr", "nrr")] }, "health.profiles[0].components[1].metricKey" },
        { "component key invalid", new HealthSpec { Profiles = [Profile(null, "Not A Key")] }, "health.profiles[0].components[0].metricKey" },
        { "weight zero", new HealthSpec { Profiles = [Profile() with { Components = [Component() with { Weight = 0m }] }] }, "health.profiles[0].components[0].weight" },
        { "best equals worst", new HealthSpec { Profiles = [Profile() with { Components = [Component() with { Best = 1m, Worst = 1m }] }] }, "health.profiles[0].components[0].best" },
        { "red below 0", new HealthSpec { Profiles = [Profile() with { RedBelow = -1m }] }, "health.profiles[0].redBelow" },
        { "green below red", new HealthSpec { Profiles = [Profile() with { RedBelow = 50m, GreenFrom = 49m }] }, "health.profiles[0].greenFrom" },
        { "green above 100", new HealthSpec { Profiles = [Profile() with { GreenFrom = 100.5m }] }, "health.profiles[0].greenFrom" },
        { "coverage above 1", new HealthSpec { Profiles = [Profile() with { MinCoverage = 1.5m }] }, "health.profiles[0].minCoverage" },
        { "unknown missing rule", new HealthSpec { Profiles = [Profile() with { Missing = (MissingInputRule)7 }] }, "health.profiles[0].missing" },
    };

    [Theory]
    [MemberData(nameof(BrokenHealth))]
    public void ShouldNameTheBrokenPartOfAHealthSpec(string why, HealthSpec health, string field)
    {
        var fields = Fields(HealthScore() with { Health = health });

        Assert.True(fields.SequenceEqual([field]), $"{why}: {string.Join(", ", fields)}");
    }

    [Fact]
    public void ShouldAcceptLowerIsBetterComponentsAndEqualBands()
    {
        var profile = Profile() with
        {
            Components = [Component() with { Worst = 48m, Best = 2m }], // hours to first response: lower is better
            RedBelow = 50m,
            GreenFrom = 50m,
            MinCoverage = 0m,
        };

        Assert.Empty(DefinitionValidator.Validate(HealthScore(profile)));
    }

    private static readonly Dictionary<string, KnownKey> Tenant = new()
    {
        ["net_revenue_retention"] = new("net_revenue_retention", DefinitionKind.Formula, AllRetired: false),
        ["logo_retention"] = new("logo_retention", DefinitionKind.Formula, AllRetired: false),
        ["old_metric"] = new("old_metric", DefinitionKind.Formula, AllRetired: true),
        ["customer_health"] = new("customer_health", DefinitionKind.HealthScore, AllRetired: false),
    };

    [Fact]
    public void ShouldAcceptComponentsThatAreFormulaMetricsInForce()
    {
        Assert.Empty(DefinitionValidator.CheckReferences(HealthScore(), Tenant));
        Assert.Empty(DefinitionValidator.CheckReferences(Formula(), Tenant));
    }

    [Theory]
    [InlineData("unknown_metric", "no metric 'unknown_metric' in force")]
    [InlineData("old_metric", "no metric 'old_metric' in force")]
    [InlineData("customer_health", "components must be formula metrics")]
    public void ShouldRefuseAComponentThatIsNotAFormulaMetricInForce(string key, string message)
    {
        var draft = HealthScore(Profile(null, "net_revenue_retention", key)) with { Key = "other_health" };

        var problem = Assert.Single(DefinitionValidator.CheckReferences(draft, Tenant));

        Assert.Equal("health.profiles[0].components[1].metricKey", problem.Field);
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void ShouldKeepTheKindOfAKeyAcrossVersions()
    {
        var problem = Assert.Single(DefinitionValidator.CheckReferences(Formula("customer_health"), Tenant));

        Assert.Equal("kind", problem.Field);
    }

    private static HealthComponent Component() => new() { MetricKey = "net_revenue_retention", Weight = 1m, Worst = 0.8m, Best = 1.2m };
}
