using System.Text;
using Governance.Domain.Metrics.Catalog;
using Governance.Domain.Metrics.Definitions;

namespace Governance.Domain.Tests.Metrics.Catalog;

/// <summary>docs/metrics.md lists the built-in catalog exactly as the code defines it.</summary>
public sealed class MetricsDocTests
{
    private const string Start = "<!-- catalog:start -->";
    private const string End = "<!-- catalog:end -->";

    /// <summary>Where each built-in comes from in the KPI handbook (seeds/001): the top KPIs of its focus areas, or its other KPIs.</summary>
    private static readonly Dictionary<string, string> Sources = new()
    {
        ["customer_retention_rate"] = "top", ["net_revenue_churn"] = "top", ["customer_churn_rate"] = "top", ["churn_risk_score"] = "top",
        ["customer_downgrade_rate"] = "top", ["customer_health_score"] = "top", ["customer_engagement_score"] = "top",
        ["onboarding_completion_rate"] = "top", ["activation_rate"] = "top", ["feature_adoption_rate"] = "top",
        ["expansion_revenue_growth_rate"] = "top", ["expansion_opportunity_score"] = "top", ["activation_to_expansion_rate"] = "top",
        ["expansion_revenue_rate"] = "top", ["expansion_activation_rate"] = "top", ["net_promoter_score"] = "top",
        ["referral_program_participation_rate"] = "top", ["referral_conversion_rate"] = "top", ["referral_driven_expansion_revenue"] = "top",
        ["referral_pipeline_contribution_rate"] = "top", ["average_resolution_time"] = "top", ["cost_per_ticket"] = "top",
        ["check_in_impact_score"] = "top", ["first_contact_resolution"] = "top", ["customer_satisfaction_score"] = "top",
        ["net_revenue_retention"] = "journey stages (Value Realization); product §4",
        ["gross_revenue_retention"] = "product §4",
        ["annual_recurring_revenue"] = "other (Average Returning Revenue)",
        ["time_to_value"] = "journey stages (Time to First Value); other (Time to First Key Action)",
        ["average_first_response_time"] = "other (Time to First Contact)",
        ["accounts_activated_rate"] = "other",
        ["average_csat"] = "top (Customer Satisfaction Score, as a mean)",
        ["customer_effort_score"] = "actionability filter",
    };

    [Fact]
    public void ShouldListEveryBuiltInAsTheCodeDefinesIt()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "metrics.md");
        var doc = File.ReadAllText(path);
        var from = doc.IndexOf(Start, StringComparison.Ordinal) + Start.Length;
        var to = doc.IndexOf(End, StringComparison.Ordinal);
        Assert.True(from > Start.Length - 1 && to > from, $"docs/metrics.md needs the {Start} and {End} markers.");

        var expected = "\n" + Table() + "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, doc[..from] + expected + doc[to..]);
            return;
        }

        Assert.Equal(expected, doc[from..to].ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ShouldCoverEveryTopKpiOfTheFiveFocusAreas()
    {
        // Five focus areas × five top KPIs in the handbook.
        Assert.Equal(25, Sources.Count(s => s.Value == "top"));
        Assert.All(Sources.Keys, key => Assert.Contains(BuiltInMetrics.All, d => d.Key == key));
    }

    private static string Table()
    {
        var table = new StringBuilder();
        table.Append("| KPI | formula | unit, direction | focus area · stage · indicator | source | convention |\n");
        table.Append("|---|---|---|---|---|---|\n");
        foreach (var d in BuiltInMetrics.All)
        {
            var formula = d.Kind == DefinitionKind.Formula ? $"`{d.Formula!.Replace("|", "\\|", StringComparison.Ordinal)}`" : "composite (health score, above)";
            table.Append($"| {d.Name} (`{d.Key}`) | {formula} | {Words(d.Unit)}, {Words(d.Direction)} | {Words(d.FocusArea)} · {Words(d.JourneyStage)} · {Words(d.Indicator)} | {Sources.GetValueOrDefault(d.Key, "other")} | {d.Description} |\n");
        }

        return table.ToString().TrimEnd('\n');
    }

    private static string Words<T>(T value) where T : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Governance.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Governance.sln not found above the test binaries.");
    }
}
