using System.Collections.Concurrent;
using Governance.Api.Tests.Infrastructure;
using Governance.Testing;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Api.Tests.Hosting;

/// <summary>
/// Hangfire keeps process-wide defaults (storage, activator, log provider) that the last host to configure
/// overwrites. Several hosts live in one process in a test run (and could in any process), so each host's
/// workers must build their jobs from that host's services, whichever host started last: a webhook
/// delivery built from another host's services looks for its event in another database.
/// </summary>
public sealed class JobHostIsolationTests
{
    [Fact]
    public async Task ShouldRunEachHostsJobsWithItsOwnServicesWhenHostsStartTogether()
    {
        var databases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TestDatabase.CreateAsync()));
        var hosts = databases.Select(d => new GovernanceHost(HostSettings.For(d))).ToList();
        try
        {
            // Started at once, as the test run starts its fixtures: each configures Hangfire's process-wide defaults.
            await Task.WhenAll(hosts.Select(h => Task.Run(() => h.Server)));

            foreach (var host in hosts)
            {
                var runId = Guid.NewGuid();
                var jobId = host.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ServiceProbe>(p => p.Record(runId));
                await WaitUntilSucceededAsync(host.Services.GetRequiredService<JobStorage>(), jobId);

                Assert.Same(host.Services.GetRequiredService<Api.Hosting.GovernanceOptions>(), ServiceProbe.Seen[runId]);
            }
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }

            foreach (var database in databases)
            {
                await database.DisposeAsync();
            }
        }
    }

    private static async Task WaitUntilSucceededAsync(JobStorage storage, string jobId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? state = null;
        while (DateTime.UtcNow < deadline)
        {
            state = storage.GetMonitoringApi().JobDetails(jobId)?.History.FirstOrDefault()?.StateName;
            if (state == SucceededState.StateName || state == FailedState.StateName)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(SucceededState.StateName, state);
    }

    /// <summary>A job that records which host's options it was built with.</summary>
    public sealed class ServiceProbe(Api.Hosting.GovernanceOptions options)
    {
        public static ConcurrentDictionary<Guid, Api.Hosting.GovernanceOptions> Seen { get; } = new();

        public void Record(Guid runId) => Seen[runId] = options;
    }
}
