-- 0018: what the freshness and reconciliation jobs check (docs/api.md, "Data controls"): how often each
-- source is expected to send, and pairs of sources that must agree on an account's MRR. Versions are
-- appended, the latest per source or pair counts; row-level security as 0011.

create table source_expectations (
    tenant_id       text        not null references tenants (tenant_id),
    source          text        not null,
    version         int         not null check (version > 0),
    every_minutes   int         check (every_minutes between 1 and 525600),
    set_by          text        not null,
    reason          text        not null,
    recorded_at     timestamptz not null,
    primary key (tenant_id, source, version)
);

create table reconciliation_rules (
    tenant_id          text        not null references tenants (tenant_id),
    name               text        not null,
    version            int         not null check (version > 0),
    left_source        text        not null,
    right_source       text        not null,
    relative_tolerance numeric     not null check (relative_tolerance >= 0),
    absolute_tolerance numeric     not null check (absolute_tolerance >= 0),
    active             boolean     not null,
    set_by             text        not null,
    reason             text        not null,
    recorded_at        timestamptz not null,
    primary key (tenant_id, name, version)
);

do $$
declare
    t text;
begin
    foreach t in array array['source_expectations', 'reconciliation_rules'] loop
        execute format('create trigger %I before update or delete on %I for each row execute function governance_refuse_change()', t || '_append_only', t);
        execute format('create trigger %I before truncate on %I for each statement execute function governance_refuse_change()', t || '_no_truncate', t);
        execute format('grant select, insert on %I to governance_app', t);
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format($p$create policy tenant_isolation on %I
            using (tenant_id = current_setting('governance.tenant_id', true))
            with check (tenant_id = current_setting('governance.tenant_id', true))$p$, t);
    end loop;
end
$$;
