using Governance.Abstractions.Security;
using Governance.Api.Audit;
using Governance.Api.Facts;
using Governance.Api.Hosting;
using Governance.Api.Tests.Infrastructure;
using Governance.Storage.Audit;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Governance.Api.Tests.Audit;

[Collection(ApiCollection.Name)]
public sealed class AuditCheckpointJobTests(ApiFixture fixture)
{
    private GovernanceHost Host => fixture.Host;

    private AuditLog Log => Host.Services.GetRequiredService<AuditLog>();

    /// <summary>Runs the job as Hangfire would (resolved from the host's container); the tenants it could not checkpoint, none when it succeeded.</summary>
    private async Task<IReadOnlyList<string>> RunJobAsync()
    {
        using var scope = Host.Services.CreateScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<AuditCheckpointJob>().RunAsync(CancellationToken.None);
            return [];
        }
        catch (AuditCheckpointsFailedException e)
        {
            return e.TenantIds;
        }
    }

    private async Task<string> TenantAsync()
    {
        var tenant = ApiFixture.NewTenantId("cj");
        await Host.CreateTenantAsync(tenant); // seeding the built-ins: the log's first entry
        return tenant;
    }

    private async Task ClosePeriodAsync(string tenant, string month)
    {
        var owner = await Host.NewRoleTokenAsync(tenant, Roles.DataOwner);
        (await Host.GraphQLAsync(owner, "mutation($m: DateOnly!) { closePeriod(month: $m) }", new { m = month })).AssertNoErrors();
    }

    [Fact]
    public async Task ShouldCheckpointTenantsWithNewEntriesAndSkipTheOthers()
    {
        var (grown, unchanged) = (await TenantAsync(), await TenantAsync());
        await Log.CheckpointAsync(grown);
        var kept = (await Log.CheckpointAsync(unchanged))!;
        await ClosePeriodAsync(grown, "2026-01-01");
        Assert.Contains(grown, await Log.TenantsToCheckpointAsync());
        Assert.DoesNotContain(unchanged, await Log.TenantsToCheckpointAsync());

        var failed = await RunJobAsync();

        // Other tests of the collection leave tampered logs behind: those may fail a run, never these two.
        Assert.DoesNotContain(grown, failed);
        Assert.DoesNotContain(unchanged, failed);
        Assert.Equal([1L, 2L], (await Log.CheckpointsAsync(grown)).Select(c => c.TreeSize));
        Assert.True(Log.Signer.Verify((await Log.CheckpointsAsync(grown))[^1]));
        Assert.Equal([(kept.TreeSize, kept.At, Convert.ToHexString(kept.Signature))],
            (await Log.CheckpointsAsync(unchanged)).Select(c => (c.TreeSize, c.At, Convert.ToHexString(c.Signature))));
        Assert.DoesNotContain(grown, await Log.TenantsToCheckpointAsync());
        Assert.True((await Log.VerifyAsync(grown)).Ok);

        // What the job signed is kept outside the database too, byte for byte.
        var witnessed = await Host.Services.GetRequiredService<CheckpointWitness>().LatestAsync(grown, CancellationToken.None);
        Assert.Equal((2L, Convert.ToHexString((await Log.CheckpointsAsync(grown))[^1].Signature)), (witnessed!.TreeSize, Convert.ToHexString(witnessed.Signature)));
        Assert.True(Log.Signer.Verify(witnessed));
    }

    [Fact]
    public async Task ShouldCheckpointTheOtherTenantsAndFailWhenOneLogDoesNotVerify()
    {
        var (corrupt, healthy) = (await TenantAsync(), await TenantAsync());
        await ClosePeriodAsync(corrupt, "2026-01-01");
        await using (var connection = fixture.Database.Open())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // As a superuser could: the append-only triggers off, one field edited.
            foreach (var sql in new[] { "alter table audit_entries disable trigger user", "update audit_entries set actor = 'someone-else' where tenant_id = $1 and seq = 1", "alter table audit_entries enable trigger user" })
            {
                await using var command = new NpgsqlCommand(sql, connection, transaction);
                if (sql.Contains("$1", StringComparison.Ordinal))
                {
                    command.Parameters.Add(new() { Value = corrupt });
                }

                await command.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        var failed = await RunJobAsync();

        Assert.Contains(corrupt, failed);
        Assert.DoesNotContain(healthy, failed);
        Assert.Empty(await Log.CheckpointsAsync(corrupt));
        Assert.Equal(1, (await Log.LatestCheckpointAsync(healthy))!.TreeSize);
    }

    [Fact]
    public void ShouldRegisterTheRecurringJobsWithTheConfiguredSchedule()
    {
        using var connection = Host.Services.GetRequiredService<JobStorage>().GetConnection();
        var jobs = connection.GetRecurringJobs().ToDictionary(j => j.Id);

        var checkpoints = jobs[AuditCheckpointJob.JobId];
        Assert.Equal((typeof(AuditCheckpointJob), nameof(AuditCheckpointJob.RunAsync)), (checkpoints.Job.Type, checkpoints.Job.Method.Name));
        // The test host sets "never" (GovernanceHost); a host without the setting runs it every 15 minutes.
        Assert.Equal(Cron.Never(), checkpoints.Cron);
        Assert.Equal("*/15 * * * *", new GovernanceOptions().Jobs.AuditCheckpointSchedule);
        Assert.Equal((typeof(PendingBatchRecovery), Cron.Minutely()), (jobs[PendingBatchRecovery.JobId].Job.Type, jobs[PendingBatchRecovery.JobId].Cron));
    }
}
