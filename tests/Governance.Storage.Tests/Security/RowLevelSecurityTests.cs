using Governance.Testing;
using Npgsql;

namespace Governance.Storage.Tests.Security;

/// <summary>
/// Migration 0011 at the SQL level, connected the way the host's Storage connects: as <c>governance_app</c>
/// (<see cref="TenantSession.Builder"/>), with the tenant set per transaction.
/// </summary>
public sealed class RowLevelSecurityTests : IAsyncLifetime
{
    private static readonly string[] TenantTables =
        ["tenant_users", "facts", "accounts", "ingest_batches", "period_closes", "metric_definitions", "metric_definition_events",
         "audit_entries", "audit_checkpoints", "user_events", "metric_pins",
         "scorecard_versions", "plan_versions", "committee_settings", "payouts", "payout_events", "findings", "finding_resolutions", "source_expectations", "reconciliation_rules",
         "trigger_rules", "webhooks", "tasks", "webhook_events", "webhook_deliveries", "reports", "executive_links", "pin_facts"];

    private TestDatabase _database = null!;
    private NpgsqlDataSource _app = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _app = TenantSession.Builder(_database.ConnectionString, TenantSession.RuntimeRole).Build();

        // Rows of two tenants, written as the owner (the superuser of the test server bypasses RLS).
        await using var owner = _database.Open();
        await using var seed = new NpgsqlCommand(
            """
            insert into tenants (tenant_id, name, created_by) values ('tenant-a', 'A', 'test'), ('tenant-b', 'B', 'test');
            insert into facts (tenant_id, source, external_id, kind, account_id, occurred_at, payload, batch_id, recorded_by, content_hash)
            select t, 'crm', t || '-' || n, 'account.created', 'acc-' || n, now(), '{}', gen_random_uuid(), 'test', '\x00'
            from unnest(array['tenant-a', 'tenant-b']) t, generate_series(1, 3) n;
            insert into ingest_batches (tenant_id, batch_id, recorded_by, fact_count) values ('tenant-b', gen_random_uuid(), 'test', 0);
            """, owner);
        await seed.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task ShouldReadOnlyTheTenantSetForTheTransaction()
    {
        await using var session = await TenantSession.BeginAsync(_app, "tenant-a");

        Assert.Equal(3L, await ScalarAsync(session.Connection, "select count(*) from facts"));
        Assert.Equal(0L, await ScalarAsync(session.Connection, "select count(*) from facts where tenant_id = 'tenant-b'"));
        Assert.Equal("tenant-a", await ScalarAsync(session.Connection, "select string_agg(distinct tenant_id, ',') from facts"));
    }

    [Fact]
    public async Task ShouldReadNothingWithoutATenant()
    {
        await using var connection = await _app.OpenConnectionAsync();

        foreach (var table in TenantTables)
        {
            Assert.Equal(0L, await ScalarAsync(connection, $"select count(*) from {table}"));
        }
    }

    [Fact]
    public async Task ShouldForgetTheTenantWhenTheTransactionEnds()
    {
        await using var connection = await _app.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await TenantSession.SetTenantAsync(connection, transaction, "tenant-a");
            Assert.Equal(3L, await ScalarAsync(connection, "select count(*) from facts"));
            await transaction.CommitAsync();
        }

        Assert.Equal(0L, await ScalarAsync(connection, "select count(*) from facts"));
    }

    [Fact]
    public async Task ShouldRefuseToWriteAnotherTenantsRow()
    {
        await using var session = await TenantSession.BeginAsync(_app, "tenant-a");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(session.Connection,
            "insert into period_closes (tenant_id, month, closed_by) values ('tenant-b', date '2024-01-01', 'test') returning 1"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("row-level security", refused.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldRefuseToWriteWithoutATenant()
    {
        await using var connection = await _app.OpenConnectionAsync();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection,
            "insert into period_closes (tenant_id, month, closed_by) values ('tenant-a', date '2024-01-01', 'test') returning 1"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task ShouldNotLetAnUpdateReachAnotherTenant()
    {
        await using var session = await TenantSession.BeginAsync(_app, "tenant-a");

        Assert.Equal(0L, await ExecuteAsync(session.Connection, "update ingest_batches set applied_at = now() where tenant_id = 'tenant-b'"));
    }

    [Fact]
    public async Task ShouldAnswerTheCrossTenantQuestionsWithTenantIdsOnly()
    {
        await using var connection = await _app.OpenConnectionAsync();

        Assert.Equal("tenant-b", await ScalarAsync(connection, "select string_agg(t, ',') from governance_tenants_with_pending_batches() t"));
        Assert.Equal("tenant-a,tenant-b", await ScalarAsync(connection,
            "select string_agg(t, ',' order by t) from governance_tenants_missing_definitions(array['nrr'], 'platform') t"));
        // The functions restore the caller's (missing) setting.
        Assert.Equal(0L, await ScalarAsync(connection, "select count(*) from facts"));
    }

    [Fact]
    public async Task ShouldConnectAsARoleThatCannotBypassTheRules()
    {
        await using var connection = await _app.OpenConnectionAsync();

        Assert.Equal(TenantSession.RuntimeRole, await ScalarAsync(connection, "select current_user"));
        Assert.Equal(false, await ScalarAsync(connection, "select rolsuper or rolbypassrls from pg_roles where rolname = current_user"));
        Assert.Equal(0L, await ScalarAsync(connection,
            "select count(*) from pg_class c where c.relowner = (select oid from pg_roles where rolname = current_user)"));
        Assert.Equal("off", await ScalarAsync(connection, "select current_setting('is_superuser')"));
        // The pool's reset (DISCARD ALL) and RESET ROLE keep the role: it is the session's default.
        await ExecuteAsync(connection, "reset role");
        Assert.Equal(TenantSession.RuntimeRole, await ScalarAsync(connection, "select current_user"));
    }

    [Fact]
    public async Task ShouldForceASecuredPolicyOnEveryTableWithATenantColumnFirstInEveryKey()
    {
        await using var connection = _database.Open();

        // Every public table with a tenant_id column is a tenant table, except these two (see migration 0011).
        var withTenant = await StringsAsync(connection,
            """
            select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind = 'r'
              and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
            order by 1
            """);
        Assert.Equal(TenantTables.Append("tenant_clients").Append("tenants").Order(), withTenant);

        foreach (var table in TenantTables)
        {
            Assert.Equal(true, await ScalarAsync(connection, $"select relrowsecurity and relforcerowsecurity from pg_class where oid = '{table}'::regclass"));
            Assert.Equal(
                "(tenant_id = current_setting('governance.tenant_id'::text, true))|(tenant_id = current_setting('governance.tenant_id'::text, true))",
                await ScalarAsync(connection, $"select qual || '|' || with_check from pg_policies where tablename = '{table}' and cmd = 'ALL'"));
            Assert.Equal(1L, await ScalarAsync(connection, $"select count(*) from pg_policies where tablename = '{table}'"));
            // Primary key and unique indexes start with tenant_id.
            var keys = await StringsAsync(connection,
                $"select pg_get_indexdef(i.indexrelid) from pg_index i where i.indrelid = '{table}'::regclass and (i.indisunique or i.indisprimary)");
            Assert.NotEmpty(keys);
            Assert.All(keys, key => Assert.Matches(@"USING btree \(tenant_id[,)]", key));
        }
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> StringsAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
