using Governance.Storage.Findings;
using GraphQL.Types;

namespace Governance.Api.Findings;

public sealed class FindingType : ObjectGraphType<FindingRow>
{
    public FindingType()
    {
        Name = "Finding";
        Description = "A data-quality finding of a job; while open it blocks the verification of payouts whose inputs it touches.";
        Field("id", f => f.FindingId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(f => f.Kind).Description("anomaly, reconciliation or freshness.");
        Field(f => f.Scope, nullable: true).Description("What it is about: account:…, executive:…, segment:…, tenant; null: everything.");
        Field(f => f.MetricKey, nullable: true);
        Field(f => f.Period, nullable: true);
        Field(f => f.Source, nullable: true).Description("The source system, for freshness and reconciliation.");
        Field(f => f.Summary);
        Field(f => f.Evidence).Description("JSON: what the job saw (window, median, MAD and score of an anomaly; the two sides of a break; the last fact of a silent source).");
        Field(f => f.DetectedBy).Description("The job that raised it.");
        Field("detectedAt", f => new DateTimeOffset(f.DetectedAt, TimeSpan.Zero));
        Field(f => f.Open);
        Field(f => f.ResolvedBy, nullable: true);
        Field(f => f.ResolveReason, nullable: true);
        Field("resolvedAt", f => f.ResolvedAt == null ? (DateTimeOffset?)null : new DateTimeOffset(f.ResolvedAt.Value, TimeSpan.Zero), nullable: true);
    }
}
