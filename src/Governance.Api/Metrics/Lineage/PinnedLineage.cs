using Governance.Api.GraphQL;
using Governance.Api.Metrics.Values;
using Governance.Domain.Measures;
using Governance.Domain.Metrics.Definitions;
using Governance.Storage.Lineage;
using Governance.Storage.Metrics;
using GraphQL.Types;

namespace Governance.Api.Metrics.Lineage;

/// <summary>A pin read as the record of its run: the pin, the formula of its version, and a page of the facts it read.</summary>
public sealed record PinnedLineage(MetricPin Pin, MetricDefinition? Definition, LineageFactPage Facts);

/// <summary>
/// Run-scoped lineage (docs/api.md, "Lineage and pins"): a value explained as it was computed when it
/// was pinned, not as it would be computed now. Everything comes from what the pin stored — value,
/// version, measure readings, fact ids — and from facts, which are never changed or deleted, so a
/// pinned fact reads now exactly as it read then; only whether it has been corrected since is new.
/// </summary>
public sealed class PinnedLineageReader(LineageStore store, MetricDefinitionStore definitions)
{
    /// <summary>The pin and the page of its facts with ids above <paramref name="after"/>; NOT_FOUND for a pin the tenant does not have.</summary>
    public async Task<PinnedLineage> LineageAsync(string tenantId, Guid pinId, int first, long? after, CancellationToken cancellationToken)
    {
        LineageService.CheckFirst(first);
        var pin = await store.GetPinAsync(tenantId, pinId, cancellationToken) ?? throw ErrorCodes.NotFoundError("Pin", pinId.ToString());

        // The page is cut from the pin's own ids, not from a query over facts: later facts that would match
        // the value's filter now (a late fact, a correction) are not part of this run.
        var ids = pin.FactIds.Where(id => id > (after ?? 0)).Order().Take(first + 1).ToList();
        var facts = await store.FactsByIdAsync(tenantId, ids.Take(first).ToList(), cancellationToken);

        // Definition versions are immutable once stored, so this is the formula the run evaluated.
        var definition = await definitions.GetAsync(tenantId, pin.Key, pin.Version, cancellationToken);
        return new PinnedLineage(pin, definition, new LineageFactPage(facts, ids.Count > first));
    }
}

public sealed class PinnedLineageType : ObjectGraphType<PinnedLineage>
{
    public PinnedLineageType()
    {
        Name = "PinnedLineage";
        Description = "A pinned value as it was computed then: the pin (value, version, measures read, digest, when and by whom), its formula, and the exact facts it read.";
        Field<NonNullGraphType<MetricPinType>>("pin").Resolve(c => c.Source.Pin);
        Field<StringGraphType>("formula").Description("The formula of the pinned version; null for a health score.").Resolve(c => c.Source.Definition?.Formula);
        Field<NonNullGraphType<LineageFactPageType>>("facts")
            .Description("The facts the pin recorded, by id, as stored (superseded ones included: see correctedByFactId).")
            .Resolve(c => c.Source.Facts);
    }
}

/// <summary>The readings a pin stored, shown like a value's measures: with the period each was read for.</summary>
internal static class PinReadings
{
    public static IReadOnlyList<MeasureReadingView> Of(MetricPin pin) =>
        pin.Measures is { } readings && Period.TryParse(pin.Period, out var period)
            ? readings.Select(r => new MeasureReadingView(r, period)).ToList()
            : [];
}
