using System.Net;
using Governance.Grains;
using Orleans.Configuration;

namespace Governance.Api.Hosting;

public static class SiloSetup
{
    private const string Invariant = "Npgsql";

    /// <summary>
    /// The silo in this process. Several processes with the same cluster id and database form one
    /// cluster through the membership table; each needs its own silo and gateway port.
    /// </summary>
    public static IHostBuilder UseGovernanceSilo(this IHostBuilder host, GovernanceOptions options) =>
        host.UseOrleans(silo =>
        {
            var settings = options.Orleans;
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = settings.ClusterId;
                cluster.ServiceId = settings.ServiceId;
            });
            silo.ConfigureEndpoints(IPAddress.Parse(settings.AdvertisedIPAddress), settings.SiloPort, settings.GatewayPort);
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = options.ConnectionString;
            });
            silo.AddAdoNetGrainStorage(GrainStorage.Default, o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = options.ConnectionString;
                o.GrainStorageSerializer = new JsonGrainStateSerializer();
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = options.ConnectionString;
            });
        });
}
