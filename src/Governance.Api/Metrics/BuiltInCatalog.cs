using Governance.Domain.Metrics.Catalog;
using Governance.Domain.Metrics.Definitions;

namespace Governance.Api.Metrics;

/// <summary>
/// The built-in metrics as seeded: <see cref="BuiltInMetrics.All"/>, each checked once by the same
/// rules as a proposal. A built-in that breaks them is a defect of this build, so seeding refuses
/// to go on rather than give tenants an approved definition that cannot be computed.
/// </summary>
public static class BuiltInCatalog
{
    private static readonly Lazy<IReadOnlyList<MetricDraft>> Checked = new(() =>
    {
        var problems = BuiltInMetrics.All
            .SelectMany(d => DefinitionValidator.Validate(d).Select(p => $"{d.Key}.{p.Field}: {p.Message}"))
            .ToList();
        return problems.Count == 0
            ? BuiltInMetrics.All
            : throw new InvalidOperationException($"The built-in metric catalog is invalid: {string.Join("; ", problems)}");
    });

    public static IReadOnlyList<MetricDraft> Drafts => Checked.Value;
}
