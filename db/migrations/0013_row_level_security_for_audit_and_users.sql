-- 0013: the tables of 0010 (audit log) and 0012 (user events) under the row-level security of 0011,
-- with the grants the runtime role needs for them: audit entries and checkpoints are appended and
-- read, user events appended and read, and a user's roles or disabled state changed.

grant select, insert on audit_entries, audit_checkpoints, user_events to governance_app;
grant update (roles, disabled_at, disabled_by) on tenant_users to governance_app;

do $$
declare
    t text;
begin
    foreach t in array array['audit_entries', 'audit_checkpoints', 'user_events'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format($p$create policy tenant_isolation on %I
                          using (tenant_id = current_setting('governance.tenant_id', true))
                          with check (tenant_id = current_setting('governance.tenant_id', true))$p$, t);
    end loop;
end
$$;

-- Tenants whose audit log has grown past its latest checkpoint (a checkpointing job), ids only.
create function governance_tenants_to_checkpoint() returns setof text
    language plpgsql stable security definer
    set search_path = public, pg_temp
    set governance.tenant_id = ''
as $$
declare
    t text;
begin
    for t in select tenant_id from tenants order by tenant_id loop
        perform set_config('governance.tenant_id', t, true);
        if (select count(*) from audit_entries e where e.tenant_id = t)
           > coalesce((select max(c.tree_size) from audit_checkpoints c where c.tenant_id = t), 0) then
            return next t;
        end if;
    end loop;
end
$$;

revoke all on function governance_tenants_to_checkpoint() from public;
grant execute on function governance_tenants_to_checkpoint() to governance_app;
