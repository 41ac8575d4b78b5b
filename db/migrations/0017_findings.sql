-- 0017: data-quality findings of the jobs (anomalies, reconciliation breaks, silent sources) and their
-- resolutions by data owners. A finding is raised once per dedupe key, so two runs of a job (even at the
-- same time on two silos) raise one set; it blocks the verification of payouts whose inputs it touches
-- until resolved. Append-only like 0010, row-level security like 0011.

create table findings (
    tenant_id   text        not null references tenants (tenant_id),
    finding_id  uuid        not null,
    kind        text        not null check (kind in ('anomaly', 'reconciliation', 'freshness')),
    dedupe_key  text        not null,
    scope       text,
    metric_key  text,
    period      text,
    source      text,
    summary     text        not null,
    evidence    jsonb       not null,
    detected_by text        not null,
    detected_at timestamptz not null,
    primary key (tenant_id, finding_id),
    unique (tenant_id, dedupe_key)
);
create index findings_by_scope on findings (tenant_id, scope, period);

create table finding_resolutions (
    tenant_id   text        not null references tenants (tenant_id),
    finding_id  uuid        not null,
    resolved_by text        not null,
    reason      text        not null,
    resolved_at timestamptz not null,
    primary key (tenant_id, finding_id),
    foreign key (tenant_id, finding_id) references findings (tenant_id, finding_id)
);

do $$
declare
    t text;
begin
    foreach t in array array['findings', 'finding_resolutions'] loop
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
