using System.Text.RegularExpressions;
using Governance.Storage.Identity;
using Governance.Storage.Migrations;
using Governance.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Governance.Storage.Tests.Migrations;

public sealed class MigrationRunnerTests
{
    private static MigrationRunner Runner() => new(NullLogger<MigrationRunner>.Instance);

    private static async Task<long> ScalarAsync(TestDatabase database, string sql)
    {
        await using var connection = database.Open();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ShouldApplyEveryMigrationOnceAndRecordIt()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);

        var first = await Runner().ApplyAsync(database.ConnectionString);
        var second = await Runner().ApplyAsync(database.ConnectionString);

        Assert.Equal(Migration.Embedded().Select(m => m.Version), first.Select(m => m.Version));
        Assert.Empty(second);
        Assert.Equal(Migration.Embedded().Count, await ScalarAsync(database, "select count(*) from schema_migrations"));
    }

    [Fact]
    public async Task ShouldApplyOnceWhenSeveralProcessesMigrateAtTheSameTime()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Runner().ApplyAsync(database.ConnectionString)));

        Assert.Equal(Migration.Embedded().Count, runs.Sum(r => r.Count));
        Assert.Single(runs, r => r.Count > 0);
    }

    [Fact]
    public async Task ShouldIndexThePinsStoredBeforePinFactsExistedByTheirFacts()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        await Runner().ApplyAsync(database.ConnectionString, throughVersion: 21);
        await using (var connection = database.Open())
        await using (var seed = new NpgsqlCommand(
            """
            insert into tenants (tenant_id, name, created_by) values ('acme', 'Acme', 'test');
            insert into metric_pins (tenant_id, pin_id, key, version, scope, period, value, fact_ids, digest, pinned_by, pinned_at, reason)
            values ('acme', '00000000-0000-0000-0000-000000000001', 'nrr', 1, 'tenant', '2026-Q1', 1, '{3,5,8}', decode(repeat('00', 32), 'hex'), 'u', now(), 'r'),
                   ('acme', '00000000-0000-0000-0000-000000000002', 'grr', 1, 'tenant', '2026-Q1', 1, '{5}', decode(repeat('00', 32), 'hex'), 'u', now(), 'r');
            """, connection))
        {
            await seed.ExecuteNonQueryAsync();
        }

        await Runner().ApplyAsync(database.ConnectionString);

        Assert.Equal(4, await ScalarAsync(database, "select count(*) from pin_facts where tenant_id = 'acme'"));
        Assert.Equal(2, await ScalarAsync(database, "select count(*) from pin_facts where tenant_id = 'acme' and fact_id = 5"));
    }

    [Fact]
    public async Task ShouldRefuseToRunWhenAnAppliedMigrationWasChanged()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var connection = database.Open())
        await using (var tamper = new NpgsqlCommand("update schema_migrations set checksum = 'edited' where version = 1", connection))
        {
            await tamper.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Runner().ApplyAsync(database.ConnectionString));

        Assert.Contains("0001_tenants_and_facts was changed after it was applied", error.Message);
    }

    [Fact]
    public void ShouldNumberMigrationsWithoutGaps()
    {
        var versions = Migration.Embedded().Select(m => m.Version).ToList();

        // 0010 is reserved for the audit log, written on another branch; 0011 came first.
        int[] reserved = [10];
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Distinct(), versions);
        Assert.Empty(Enumerable.Range(1, versions.Max()).Except(versions).Except(reserved));
    }

    [Fact]
    public async Task ShouldCreateTheOrleansQueriesTheProvidersNeed()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connection = database.Open();
        await using var command = new NpgsqlCommand("select querykey from orleansquery", connection);
        var keys = new HashSet<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        // CleanupDefunctSiloEntriesKey is the one 10.4.2 added: without it a silo refuses to start.
        Assert.Superset(new HashSet<string>
        {
            "CleanupDefunctSiloEntriesKey", "InsertMembershipKey", "UpdateIAmAlivetimeKey", "GatewaysQueryKey",
            "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey",
            "UpsertReminderRowKey", "ReadRangeRows1Key", "DeleteReminderRowKey",
        }, keys);
    }

    [Fact]
    public void ShouldKeepTheTokenServerMigrationEqualToTheEfModel()
    {
        var options = new DbContextOptionsBuilder<TokenServerDbContext>().UseNpgsql("Host=unused").UseOpenIddict().Options;
        using var context = new TokenServerDbContext(options);
        var migration = Migration.Embedded().Single(m => m.Name == "0006_token_server");

        static string Normalize(string sql) =>
            Regex.Replace(string.Join('\n', sql.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))), @"\s+", " ").Trim();

        Assert.Equal(Normalize(context.Database.GenerateCreateScript()), Normalize(migration.Sql));
    }
}
