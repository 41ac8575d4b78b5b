using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Cluster;

public sealed record SiloView(string Address, string Status, IReadOnlyList<ActivationCount> Activations);

public sealed record ActivationCount(string GrainType, int Count);

public sealed class SiloType : ObjectGraphType<SiloView>
{
    public SiloType()
    {
        Name = "Silo";
        Description = "One member of the Orleans cluster.";
        Field(s => s.Address).Description("Silo address (endpoint and generation).");
        Field(s => s.Status).Description("Membership status: Active, Joining, ShuttingDown, Dead …");
        Field(s => s.Activations, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<ActivationCountType>>>))
            .Description("Grain activations on this silo, by grain class.");
    }
}

public sealed class ActivationCountType : ObjectGraphType<ActivationCount>
{
    public ActivationCountType()
    {
        Name = "ActivationCount";
        Field(a => a.GrainType);
        Field(a => a.Count);
    }
}

/// <summary>What a platform operator sees of the cluster: its silos and where grains are active. Spans tenants, so operators only.</summary>
public static class ClusterQueries
{
    public static void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SiloType>>>>("clusterSilos")
            .Description("Every silo in the membership table with its status and grain activations.")
            .RequireRoles(Roles.PlatformAdmin)
            .ResolveAsync(async context =>
            {
                var management = context.RequestServices!.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
                var hosts = await management.GetHosts(onlyActive: false);
                var statistics = await management.GetSimpleGrainStatistics();
                return hosts
                    .OrderBy(h => h.Key.ToString(), StringComparer.Ordinal)
                    .Select(h => new SiloView(
                        h.Key.ToString(),
                        h.Value.ToString(),
                        statistics.Where(s => s.SiloAddress.Equals(h.Key))
                            .Select(s => new ActivationCount(s.GrainType, s.ActivationCount))
                            .OrderBy(a => a.GrainType, StringComparer.Ordinal)
                            .ToList()))
                    .ToList();
            });
}
