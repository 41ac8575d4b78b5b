-- 0011: row-level security, the backstop of ADR 0003 (part 4).
--
-- Tenant tables: every table whose rows belong to one tenant and whose keys start with tenant_id
-- (checked by Governance.Storage.Tests/Security). Each gets ENABLE + FORCE ROW LEVEL SECURITY and one
-- policy that admits a row only when its tenant_id equals the tenant set for the transaction with
-- set_config('governance.tenant_id', tenant, true). current_setting(…, true) is null (or '' after an
-- earlier transaction set it) when nothing is set, so a missing setting reads no rows and writes none.
--
-- Not tenant tables, so no RLS:
--   tenants         the tenant registry itself (ids and names); read before a tenant is known.
--   tenant_clients  keyed by the global OAuth client id: the token endpoint looks a client up by that id
--                   to learn its tenant, before any tenant is known. Holds no customer data.
--   token_server.*  OpenIddict's store: no tenant column, keyed by client id / token id.
--   orleans*        keyed by grain-id hash; the tenant is only inside the grain key text, and the Orleans
--                   providers run their own queries on their own connections with no tenant set.
--   hangfire.*      job queue; a job carries its tenant in its arguments and sets it itself.
--   schema_migrations.
-- Those paths keep the configured (migration-owner) connection; only the Storage data source runs as
-- governance_app (src/Governance.Storage/TenantSession.cs, ADR 0003).

-- The runtime role. Roles are cluster-wide, so several databases on one server (tests) share it: create it
-- once, tolerating a concurrent creator. NOLOGIN: the host keeps logging in as the configured user and
-- takes this role for its Storage connections (startup option "-c role=governance_app"), so there is no
-- second password to manage. Neither superuser, nor BYPASSRLS, nor owner of any table.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'governance_app') then
        begin
            create role governance_app nologin nosuperuser nobypassrls nocreatedb nocreaterole noinherit;
        exception when duplicate_object or unique_violation then
            null;
        end;
    end if;
    -- A non-superuser migration owner must be a member to take the role; a superuser may take any role.
    if not (select rolsuper from pg_roles where rolname = current_user)
       and not pg_has_role(current_user, 'governance_app', 'member') then
        execute format('grant governance_app to %I', current_user);
    end if;
end
$$;

grant usage on schema public to governance_app;
grant select on tenants, tenant_clients to governance_app;
grant select, insert on tenant_users, facts, accounts, period_closes, metric_definitions, metric_definition_events to governance_app;
grant select, insert, update (applied_at) on ingest_batches to governance_app;

-- One policy per tenant table, the same for reads (USING) and writes (WITH CHECK).
do $$
declare
    t text;
begin
    foreach t in array array['tenant_users', 'facts', 'accounts', 'ingest_batches', 'period_closes',
                             'metric_definitions', 'metric_definition_events'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format($p$create policy tenant_isolation on %I
                          using (tenant_id = current_setting('governance.tenant_id', true))
                          with check (tenant_id = current_setting('governance.tenant_id', true))$p$, t);
    end loop;
end
$$;

-- The two deliberate cross-tenant questions, answered with tenant ids only. They run as the owner
-- (SECURITY DEFINER), who is subject to the policies too (FORCE), so they visit the tenants one at a
-- time with the tenant set; the SET clause restores the caller's setting when they return.

-- Tenants with acknowledged but unapplied batches (host start, the pending-batch recovery job).
create function governance_tenants_with_pending_batches() returns setof text
    language plpgsql stable security definer
    set search_path = public, pg_temp
    set governance.tenant_id = ''
as $$
declare
    t text;
begin
    for t in select tenant_id from tenants order by tenant_id loop
        perform set_config('governance.tenant_id', t, true);
        if exists (select 1 from ingest_batches b where b.tenant_id = t and b.applied_at is null) then
            return next t;
        end if;
    end loop;
end
$$;

-- Customer tenants lacking version 1 of at least one of the keys (the built-in metric seeder).
create function governance_tenants_missing_definitions(keys text[], excluded text) returns setof text
    language plpgsql stable security definer
    set search_path = public, pg_temp
    set governance.tenant_id = ''
as $$
declare
    t text;
begin
    for t in select tenant_id from tenants where tenant_id <> excluded order by tenant_id loop
        perform set_config('governance.tenant_id', t, true);
        if exists (select 1 from unnest(keys) k(key)
                   where not exists (select 1 from metric_definitions d
                                     where d.tenant_id = t and d.key = k.key and d.version = 1)) then
            return next t;
        end if;
    end loop;
end
$$;

revoke all on function governance_tenants_with_pending_batches() from public;
revoke all on function governance_tenants_missing_definitions(text[], text) from public;
grant execute on function governance_tenants_with_pending_batches() to governance_app;
grant execute on function governance_tenants_missing_definitions(text[], text) to governance_app;
