using Governance.Api.Metrics;
using Governance.Api.Metrics.Values;
using GraphQL;
using GraphQL.Types;
using Governance.Storage.Reports;

namespace Governance.Api.Reports;

public sealed class ReportCadenceType : EnumerationGraphType<ReportCadence>
{
    public ReportCadenceType()
    {
        Name = "ReportCadence";
        Description = "Weekly for the CS team (an ISO week, reading the month it ends in), monthly for leadership, quarterly for the executive review.";
    }
}

public sealed class ReportSectionKeyType : EnumerationGraphType<ReportSectionKey>
{
    public ReportSectionKeyType()
    {
        Name = "ReportSectionKey";
        Description = "The sections of the standard report structure, in their order.";
    }
}

public sealed class ReportItemKindType : EnumerationGraphType<ReportItemKind>
{
    public ReportItemKindType()
    {
        Name = "ReportItemKind";
    }
}

public sealed class ReportVerdictType : EnumerationGraphType<ReportVerdict>
{
    public ReportVerdictType()
    {
        Name = "ReportVerdict";
        Description = "How a metric moved against the previous period, read through its direction: NO_DATA when either value is missing.";
    }
}

public sealed class ReportType : ObjectGraphType<Report>
{
    public ReportType()
    {
        Name = "Report";
        Description = "A report in the standard structure (executive summary, key metrics and trends, customer health highlights, churn and expansion risks, actions and next steps, wins and learnings), computed when asked.";
        Field<NonNullGraphType<ReportCadenceType>>("cadence").Resolve(c => c.Source.Cadence);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(c => c.Source.Title);
        Field<NonNullGraphType<StringGraphType>>("scope").Description("'executive:{id}', 'segment:{name}', 'account:{id}' or 'tenant'.").Resolve(c => c.Source.Scope.ToString());
        Field<NonNullGraphType<StringGraphType>>("period").Description("As asked: 2025-W11, 2025-03 or 2025-Q1.").Resolve(c => c.Source.Period.Label);
        Field<NonNullGraphType<StringGraphType>>("currentPeriod").Description("The measure period read: the month of a week, the month, or the quarter.").Resolve(c => c.Source.Period.Current.ToString());
        Field<NonNullGraphType<StringGraphType>>("previousPeriod").Resolve(c => c.Source.Period.Previous.ToString());
        Field<StringGraphType>("yearAgoPeriod").Description("For a quarterly report: the same quarter a year before.").Resolve(c => c.Source.Period.YearAgo?.ToString());
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("generatedAt").Resolve(c => c.Source.GeneratedAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("notes").Description("What the report covers and what it could not.")
            .Resolve(c => c.Source.Notes);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportSectionType>>>>("sections").Description("Always the six sections, in order.")
            .Resolve(c => c.Source.Sections)
            .WithComplexityImpact(1, 6);
        Field<NonNullGraphType<StringGraphType>>("markdown").Description("The whole report as Markdown, as GET /reports/{cadence}/{period}.md serves it.")
            .Resolve(c => ReportMarkdown.Render(c.Source));
    }
}

public sealed class ReportSectionType : ObjectGraphType<ReportSection>
{
    public ReportSectionType()
    {
        Name = "ReportSection";
        Field<NonNullGraphType<ReportSectionKeyType>>("key").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<StringGraphType>>("title").Resolve(c => c.Source.Title);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportItemType>>>>("items")
            .Description("At most a few dozen: rankings list 5 accounts, actions 10 findings.")
            .Resolve(c => c.Source.Items)
            .WithComplexityImpact(1, 10);
    }
}

public sealed class ReportItemType : ObjectGraphType<ReportItem>
{
    public ReportItemType()
    {
        Name = "ReportItem";
        Description = "One line of a section: its text as rendered and the numbers behind it. A missing value is null (\"no data\" in the text), never 0.";
        Field<NonNullGraphType<ReportItemKindType>>("kind").Resolve(c => c.Source.Kind);
        Field(i => i.Text);
        Field(i => i.MetricKey, nullable: true);
        Field(i => i.MetricName, nullable: true);
        Field<MetricUnitType>("unit").Resolve(c => c.Source.Unit);
        Field<MetricDirectionType>("direction").Resolve(c => c.Source.Direction);
        Field<IdGraphType>("accountId").Resolve(c => c.Source.AccountId);
        Field(i => i.Value, nullable: true).Description("Ratios as fractions, money in currency units, or a count of accounts.");
        Field(i => i.Previous, nullable: true).Description("The previous period's value.");
        Field(i => i.Change, nullable: true).Description("Value minus previous.");
        Field(i => i.YearAgo, nullable: true).Description("For a quarterly report: the same quarter a year before.");
        Field(i => i.ChangeFromYearAgo, nullable: true);
        Field<ReportVerdictType>("verdict").Resolve(c => c.Source.Verdict);
        Field<HealthBandType>("band").Resolve(c => c.Source.Band);
        Field(i => i.NullReason, nullable: true);
        Field<IdGraphType>("findingId").Resolve(c => c.Source.FindingId);
    }
}

public sealed class StoredReportType : ObjectGraphType<StoredReportRow>
{
    public StoredReportType()
    {
        Name = "StoredReport";
        Description = "A report the reports job generated and stored, as it was then; never changed.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.ReportId);
        Field<NonNullGraphType<ReportCadenceType>>("cadence").Resolve(c => ReportFileEndpoint.CadenceOf(c.Source.Cadence));
        Field(r => r.Scope);
        Field(r => r.Period);
        Field(r => r.Markdown);
        Field(r => r.Sha256).Description("SHA-256 of the Markdown (UTF-8), as the audit entry report.generated records it.");
        Field(r => r.GeneratedBy);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("generatedAt").Resolve(c => new DateTimeOffset(DateTime.SpecifyKind(c.Source.GeneratedAt, DateTimeKind.Utc)));
    }
}
