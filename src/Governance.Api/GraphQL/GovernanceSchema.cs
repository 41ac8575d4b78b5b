using GraphQL.Types;

namespace Governance.Api.GraphQL;

public sealed class GovernanceSchema : Schema
{
    public GovernanceSchema(IServiceProvider services, RootQuery query, RootMutation mutation) : base(services)
    {
        Query = query;
        Mutation = mutation;
    }
}

/// <summary>Root query: each area adds its fields (Accounts/AccountQueries.cs …).</summary>
public sealed class RootQuery : ObjectGraphType
{
    public RootQuery()
    {
        Name = "Query";
        ViewerQueries.AddTo(this);
        Tenants.TenantQueries.AddTo(this);
        Users.UserQueries.AddTo(this);
        Accounts.AccountQueries.AddTo(this);
        Portfolios.PortfolioQueries.AddTo(this);
        Metrics.MetricDefinitionQueries.AddTo(this);
        Metrics.Values.MetricValueQueries.AddTo(this);
        Metrics.Lineage.LineageQueries.AddTo(this);
        Incentives.IncentiveQueries.AddTo(this);
        Findings.FindingQueries.AddTo(this);
        Findings.DataControlQueries.AddTo(this);
        Triggers.TriggerQueries.AddTo(this);
        Reports.ReportQueries.AddTo(this);
        Audit.AuditQueries.AddTo(this);
        Cluster.ClusterQueries.AddTo(this);
        Jobs.JobHealthQueries.AddTo(this);
    }
}

/// <summary>Root mutation: each area adds its fields.</summary>
public sealed class RootMutation : ObjectGraphType
{
    public RootMutation()
    {
        Name = "Mutation";
        Tenants.TenantMutations.AddTo(this);
        Users.UserMutations.AddTo(this);
        Users.ExecutiveLinkMutations.AddTo(this);
        Accounts.AccountMutations.AddTo(this);
        Facts.FactMutations.AddTo(this);
        Facts.PeriodMutations.AddTo(this);
        Metrics.MetricDefinitionMutations.AddTo(this);
        Metrics.Lineage.LineageQueries.AddMutationsTo(this);
        Incentives.IncentiveMutations.AddTo(this);
        Findings.FindingQueries.AddMutationsTo(this);
        Findings.DataControlQueries.AddMutationsTo(this);
        Triggers.TriggerMutations.AddTo(this);
    }
}
