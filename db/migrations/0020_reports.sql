-- 0020: reports the "reports" job generated on the seed's cadence (weekly team, monthly leadership,
-- quarterly executive), as the Markdown the API renders. One per cadence, scope and period: a second
-- run (even at the same time on another silo) stores nothing. Append-only like 0017, row-level
-- security like 0011. Reports asked for through the API are computed on read and never stored.

create table reports (
    tenant_id    text        not null references tenants (tenant_id),
    cadence      text        not null check (cadence in ('weekly-team', 'monthly-leadership', 'quarterly-executive')),
    scope        text        not null,
    period       text        not null,
    report_id    uuid        not null,
    markdown     text        not null,
    sha256       text        not null,
    generated_by text        not null,
    generated_at timestamptz not null,
    primary key (tenant_id, cadence, scope, period),
    unique (tenant_id, report_id)
);
create index reports_by_time on reports (tenant_id, generated_at desc);

create trigger reports_append_only before update or delete on reports for each row execute function governance_refuse_change();
create trigger reports_no_truncate before truncate on reports for each statement execute function governance_refuse_change();
grant select, insert on reports to governance_app;
alter table reports enable row level security;
alter table reports force row level security;
create policy tenant_isolation on reports
    using (tenant_id = current_setting('governance.tenant_id', true))
    with check (tenant_id = current_setting('governance.tenant_id', true));
