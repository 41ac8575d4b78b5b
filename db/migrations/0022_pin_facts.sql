-- 0022: which pins recorded which fact, one row per (fact, pin), so "the pins that recorded this fact"
-- (factLineage, downstream) is an index lookup. Searching metric_pins.fact_ids cannot use an index under
-- forced row-level security (array operators are not leakproof), so it read every pin of the tenant.
-- Written in the pin's transaction; the pins stored before this migration are copied in here.
--
-- Also: governance_secure_append_only(table), the block every tenant table since 0011 repeated
-- (append-only triggers, grants to the application role, forced row-level security on the tenant set
-- per transaction), as one function for this and later migrations.

create function governance_secure_append_only(target regclass) returns void
language plpgsql as $$
declare
    name text := (select relname from pg_class where oid = target);
begin
    execute format('create trigger %I before update or delete on %s for each row execute function governance_refuse_change()', name || '_append_only', target);
    execute format('create trigger %I before truncate on %s for each statement execute function governance_refuse_change()', name || '_no_truncate', target);
    execute format('grant select, insert on %s to governance_app', target);
    execute format('alter table %s enable row level security', target);
    execute format('alter table %s force row level security', target);
    execute format($p$create policy tenant_isolation on %s
        using (tenant_id = current_setting('governance.tenant_id', true))
        with check (tenant_id = current_setting('governance.tenant_id', true))$p$, target);
end;
$$;

create table pin_facts (
    tenant_id text   not null,
    fact_id   bigint not null,
    pin_id    uuid   not null,
    primary key (tenant_id, fact_id, pin_id),
    foreign key (tenant_id, pin_id) references metric_pins (tenant_id, pin_id)
);

insert into pin_facts (tenant_id, fact_id, pin_id)
select p.tenant_id, f.fact_id, p.pin_id
from metric_pins p cross join lateral unnest(p.fact_ids) as f (fact_id)
on conflict do nothing;

select governance_secure_append_only('pin_facts');
